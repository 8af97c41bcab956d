// Scenario 4, memory: the RSS of one paygraph server (PostgreSQL, in-memory
// pub/sub) holding 10 000 idle orderUpdated subscriptions, one graphql-ws
// connection each, each on its own order. Measured after a full GC (the
// server runs with --expose-gc), beside the same server with none.
//
//   npx tsx bench/memory.ts [--subscriptions 10000] [--rounds 3] [--pglite] [--heap-profile]
//
// --heap-profile samples the heap while the first round's subscriptions open
// and prints which frames and packages allocated what is still live.
import { parseArgs } from 'node:util';
import { createDatabase, fmt, machine, median, pinLoadGenerator, postgresReachable, saveResult, spawnServer, verdict } from './lib.js';
import { openSubscribers } from './subscribers.js';
import type { PaygraphInfo } from './servers/paygraph.js';

const { values: args } = parseArgs({ options: { subscriptions: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '3' }, pglite: { type: 'boolean', default: false }, 'heap-profile': { type: 'boolean', default: false } } });
const count = Number(args.subscriptions);
const rounds = Number(args.rounds);

const notes = [pinLoadGenerator()];
const usePglite = args.pglite || !(await postgresReachable());
if (usePglite && !args.pglite) notes.push('PostgreSQL is unreachable: measured on PGlite (its WebAssembly heap counts in the RSS)');

type HeapSummary = { totalMb: number; frames: { name: string; mb: number }[]; owners: { name: string; mb: number }[] };
let heap: HeapSummary | undefined;
type Memory = { rss: number; heapUsed: number; external: number; arrayBuffers: number };
const runs: { idleRss: number; loadedRss: number; perSubscriptionKb: number; heapUsed: number; idleHeapUsed: number; external: number; kernelRss: number }[] = [];
for (let round = 0; round < rounds; round++) {
  const database = usePglite ? undefined : await createDatabase();
  const server = await spawnServer<PaygraphInfo>(
    'paygraph.ts',
    { databaseUrl: database?.url, seed: { orders: count, mode: 'direct' } },
    { nodeArgs: ['--expose-gc'], readyTimeoutS: 600 },
  );
  try {
    const idle = await server.request<Memory>('mem');
    const sampling = args['heap-profile'] && round === 0;
    if (sampling) await server.request('heap:start');
    const started = performance.now();
    const set = await openSubscribers(
      server.info.orders.map((order) => ({ url: server.url, orderId: order.id })),
      server.info.apiKey,
      { batch: 200 },
    );
    const openSeconds = (performance.now() - started) / 1000;
    if (sampling) {
      heap = await server.request<HeapSummary>('heap:stop', { top: 20 });
      console.log(`live heap allocated while subscribing: ${heap.totalMb} MB\n  by package: ${heap.owners.map((o) => `${o.name} ${o.mb} MB`).join(', ')}`);
      for (const frame of heap.frames) console.log(`  ${String(frame.mb).padStart(6)} MB  ${frame.name}`);
    }
    const loaded = await server.request<Memory>('mem');
    const kernelRss = server.rssMb();
    const live = set.countSeen('PENDING');
    await set.close();
    if (live !== count) throw new Error(`only ${live} of ${count} subscriptions answered`);
    runs.push({ idleRss: idle.rss, loadedRss: loaded.rss, perSubscriptionKb: ((loaded.rss - idle.rss) * 1024) / count, heapUsed: loaded.heapUsed, idleHeapUsed: idle.heapUsed, external: loaded.external, kernelRss });
    console.log(`round ${round + 1}: RSS ${fmt(idle.rss)} MB idle → ${fmt(loaded.rss)} MB with ${count} subscriptions (heap ${fmt(loaded.heapUsed)} MB; opened in ${fmt(openSeconds, 1)} s)`);
  } finally {
    await server.stop();
    await database?.drop();
  }
}

const rss = median(runs.map((r) => r.loadedRss));
saveResult({
  scenario: 'memory',
  rows: [
    {
      setup: `${count} idle subscriptions, ${usePglite ? 'PGlite' : 'PostgreSQL'}`,
      'RSS idle MB': fmt(median(runs.map((r) => r.idleRss))),
      'RSS loaded MB': fmt(rss),
      'heap used MB (idle → loaded)': `${fmt(median(runs.map((r) => r.idleHeapUsed)))} → ${fmt(median(runs.map((r) => r.heapUsed)))}`,
      'external MB': fmt(median(runs.map((r) => r.external))),
      'KB per subscription': fmt(median(runs.map((r) => r.perSubscriptionKb)), 1),
      goal: 'RSS ≤ 300 MB',
      verdict: verdict(rss <= 300),
    },
  ],
  raw: { machine: machine(), count, runs, heap },
  notes,
});
