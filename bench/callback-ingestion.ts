// Scenario 2, callback ingestion on PostgreSQL: signed SharkPay callbacks per
// second applied end to end by paygraph (verify the sign, record in the
// inbox, pull the status from the provider, transition, event, publish),
// against a baseline server that runs the same SQL statements directly with
// `pg` (bench/servers/callback-baseline.ts). Both on the server core, same
// database, same HTTP client; each round sends every callback once to fresh
// orders (created through the services, settled in the sandbox with no
// callback: we send it).
//
//   npx tsx bench/callback-ingestion.ts [--rounds 3] [--per-round 300] [--concurrency 16] [--profile]
//
// --profile sends one more batch to paygraph under the CPU profiler.
import { parseArgs } from 'node:util';
import { sharkPayCallback } from './callbacks.js';
import { createDatabase, fmt, machine, median, percentile, pinLoadGenerator, postAll, profileDuring, postgresReachable, saveResult, spawnServer, verdict, type ServerHandle } from './lib.js';
import type { PaygraphInfo } from './servers/paygraph.js';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, 'per-round': { type: 'string', default: '300' }, concurrency: { type: 'string', default: '16' }, profile: { type: 'boolean', default: false } },
});
const rounds = Number(args.rounds);
const perRound = Number(args['per-round']);
const concurrency = Number(args.concurrency);

const notes = [pinLoadGenerator()];
if (!(await postgresReachable())) {
  saveResult({ scenario: 'callback-ingestion', rows: [], raw: {}, notes: [...notes, 'PostgreSQL at postgresql://root@127.0.0.1:5432 is unreachable: skipped'] });
  process.exit(0);
}

const database = await createDatabase();
const servers: ServerHandle<any>[] = [];
try {
  // Orders for paygraph's rounds, the baseline's rounds, and one for capturing the SQL.
  const paygraph = await spawnServer<PaygraphInfo>(
    'paygraph.ts',
    { databaseUrl: database.url, seed: { orders: (2 * rounds + (args.profile ? 1 : 0)) * perRound + 1, mode: 'services', settle: 'none', concurrency: 16 } },
    { readyTimeoutS: 900 },
  );
  servers.push(paygraph);
  const baseline = await spawnServer('callback-baseline.ts', { databaseUrl: database.url });
  servers.push(baseline);
  const orders = [...paygraph.info.orders];
  console.log(`seeded ${orders.length} orders`);

  // The statements one callback costs paygraph (the baseline replays these).
  await paygraph.request('capture:start');
  const probe = await postAll(paygraph.url, [sharkPayCallback(orders.pop()!)], 1);
  const statements = await paygraph.request<string[]>('capture:stop');
  if (probe.statuses[200] !== 1) throw new Error(`probe callback answered ${JSON.stringify(probe.statuses)}`);

  const runs: { paygraph: number; baseline: number; paygraphP99: number; baselineP99: number }[] = [];
  for (let round = 0; round < rounds; round++) {
    const mine = orders.splice(0, perRound);
    const theirs = orders.splice(0, perRound);
    const a = await postAll(paygraph.url, mine.map((o) => sharkPayCallback(o)), concurrency);
    const b = await postAll(baseline.url, theirs.map((o) => sharkPayCallback(o)), concurrency);
    for (const [name, result] of [['paygraph', a], ['baseline', b]] as const) {
      if (result.statuses[200] !== perRound) throw new Error(`${name}: answers ${JSON.stringify(result.statuses)}`);
    }
    runs.push({ paygraph: a.perSecond, baseline: b.perSecond, paygraphP99: percentile(a.latencies, 99), baselineP99: percentile(b.latencies, 99) });
    console.log(`round ${round + 1}: paygraph ${fmt(a.perSecond)}/s (p99 ${fmt(percentile(a.latencies, 99))} ms), baseline ${fmt(b.perSecond)}/s (p99 ${fmt(percentile(b.latencies, 99))} ms)`);
  }

  const profile = args.profile ? await profileDuring(paygraph, 'callback ingestion paygraph', () => postAll(paygraph.url, orders.splice(0, perRound).map((o) => sharkPayCallback(o)), concurrency)) : undefined;

  // Every callback was applied: all orders of the rounds SUCCEEDED, each with its event.
  const statuses = await paygraph.request<Record<string, number>>('statuses');
  const expectedSucceeded = (2 * rounds + (args.profile ? 1 : 0)) * perRound + 1;
  if (statuses.SUCCEEDED !== expectedSucceeded) throw new Error(`expected ${expectedSucceeded} SUCCEEDED orders, found ${JSON.stringify(statuses)}`);
  const counts = await baseline.request<Record<string, number>>('counts');

  const ratio = median(runs.map((r) => r.paygraph / r.baseline));
  saveResult({
    scenario: 'callback-ingestion',
    rows: [
      { target: 'pg baseline (same SQL, node:http)', 'callbacks/s (median)': fmt(median(runs.map((r) => r.baseline))), 'p99 ms': fmt(median(runs.map((r) => r.baselineP99))), '× baseline': '1.00', goal: '', verdict: '' },
      {
        target: 'paygraph /callbacks/sharkpay, PostgreSQL',
        'callbacks/s (median)': fmt(median(runs.map((r) => r.paygraph))),
        'p99 ms': fmt(median(runs.map((r) => r.paygraphP99))),
        '× baseline': fmt(ratio, 2),
        goal: '≥ 0.80× baseline (issue 17 floor)',
        verdict: verdict(ratio >= 0.8),
      },
    ],
    raw: { machine: machine(), rounds, perRound, concurrency, runs, statuses, baselineCounts: counts, statementsPerCallback: statements, profile },
    notes: [...notes, `one callback = ${statements.length} SQL statements through Prisma, plus one status query to the provider (the sandbox, in-process)`],
  });
} finally {
  for (const server of servers) await server.stop().catch(() => {});
  await database.drop().catch(() => {});
}
