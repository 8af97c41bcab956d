// Scenario 3, callback to subscriber: 1 000 graphql-ws subscribers, one
// connection each, each on its own order; signed callbacks paying those orders
// are POSTed at a steady rate; latency = the subscriber's SUCCEEDED message
// minus the start of its callback's POST (one clock: this process). One
// instance (in-memory pub/sub), then two instances over Redis (callbacks to A,
// whose sandbox holds the orders; subscribers alternate A and B, so half the
// messages cross Redis). PostgreSQL for both.
//
//   npx tsx bench/callback-to-subscriber.ts [--subscribers 1000] [--rate 20] [--rounds 3]
import { parseArgs } from 'node:util';
import http from 'node:http';
import { sharkPayCallback } from './callbacks.js';
import { createDatabase, fmt, machine, median, percentile, pinLoadGenerator, postgresReachable, REDIS_URL, redisReachable, saveResult, spawnServer, verdict, type Post, type Row, type ServerHandle } from './lib.js';
import { openSubscribers } from './subscribers.js';
import type { PaygraphInfo } from './servers/paygraph.js';

const { values: args } = parseArgs({
  options: { subscribers: { type: 'string', default: '1000' }, rate: { type: 'string', default: '20' }, rounds: { type: 'string', default: '3' } },
});
const count = Number(args.subscribers);
const rate = Number(args.rate);
const rounds = Number(args.rounds);

const notes = [pinLoadGenerator(), `${count} subscribers, callbacks sent at ${rate}/s (open loop), ${rounds} rounds of fresh orders per setup`];
if (!(await postgresReachable())) {
  saveResult({ scenario: 'callback-to-subscriber', rows: [], raw: {}, notes: [...notes, 'PostgreSQL is unreachable: skipped'] });
  process.exit(0);
}
const withRedis = await redisReachable();
if (!withRedis) notes.push(`Redis at ${REDIS_URL} is unreachable: the two-instance setup is skipped`);

/** Sends each callback at its slot of a fixed schedule, without waiting for earlier answers. */
async function paced(url: string, posts: Post[], perSecond: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(url);
  const sentAt: number[] = [];
  const statuses = new Map<number, number>();
  const start = performance.now();
  await Promise.all(
    posts.map(
      (post, index) =>
        new Promise<void>((resolve, reject) => {
          setTimeout(
            function send(retried = false) {
              if (!retried) sentAt[index] = performance.now();
              const request = http.request(
                { host: target.hostname, port: target.port, path: post.path, method: 'POST', agent, headers: { ...post.headers, 'content-length': Buffer.byteLength(post.body) } },
                (response) => {
                  response.resume();
                  response.on('end', () => {
                    statuses.set(response.statusCode ?? 0, (statuses.get(response.statusCode ?? 0) ?? 0) + 1);
                    resolve();
                  });
                },
              );
              // A kept-alive socket the server closed (idle timeout) just as it was reused: Node's documented race, sent again once.
              request.on('error', (error: NodeJS.ErrnoException) => (request.reusedSocket && error.code === 'ECONNRESET' && !retried ? send(true) : reject(error)));
              request.end(post.body);
            },
            Math.max(0, start + (index * 1000) / perSecond - performance.now()),
          );
        }),
    ),
  );
  agent.destroy();
  return { sentAt, statuses: Object.fromEntries(statuses) };
}

interface RoundResult {
  p50: number;
  p99: number;
  max: number;
  /** The order changed in the database, the subscriber never heard it. */
  lost: number;
  /** The callback did not bring the order to SUCCEEDED (see the raw figures' `missing`). */
  notSucceeded: number;
  [key: string]: number;
}

/** What became of the callbacks whose subscriber heard nothing (kept in the raw figures). */
const missing: unknown[] = [];

async function setup(label: string, instances: 1 | 2): Promise<{ label: string; rounds: RoundResult[] }> {
  const database = await createDatabase();
  const servers: ServerHandle<PaygraphInfo>[] = [];
  try {
    const redisUrl = instances === 2 ? REDIS_URL : undefined;
    const a = await spawnServer<PaygraphInfo>(
      'paygraph.ts',
      { databaseUrl: database.url, redisUrl, seed: { orders: rounds * count, mode: 'services', settle: 'none', concurrency: 16 } },
      { readyTimeoutS: 900 },
    );
    servers.push(a);
    if (instances === 2) servers.push(await spawnServer<PaygraphInfo>('paygraph.ts', { databaseUrl: database.url, redisUrl, merchant: { merchantId: a.info.merchantId, apiKey: a.info.apiKey } }));
    const orders = [...a.info.orders];
    const results: RoundResult[] = [];
    for (let round = 0; round < rounds; round++) {
      const mine = orders.splice(0, count);
      const set = await openSubscribers(
        mine.map((order, i) => ({ url: servers[i % servers.length]!.url, orderId: order.id })),
        a.info.apiKey,
      );
      try {
        const sent = await paced(a.url, mine.map((order) => sharkPayCallback(order)), rate);
        if (sent.statuses[200] !== count) throw new Error(`${label}: callbacks answered ${JSON.stringify(sent.statuses)}`);
        // Give stragglers 30 s; whoever has not seen SUCCEEDED by then is lost.
        await set.allSeen('SUCCEEDED', 30_000).catch((error) => console.warn(`${label}: ${(error as Error).message}`));
        const latencies: number[] = [];
        const byInstance: number[][] = servers.map(() => []);
        set.subscribers.forEach((subscriber, i) => {
          const at = subscriber.seen.get('SUCCEEDED');
          if (at === undefined) return;
          latencies.push(at - sent.sentAt[i]!);
          byInstance[i % servers.length]!.push(at - sent.sentAt[i]!);
        });
        // A subscriber without SUCCEEDED is lost only if the database holds a change it never heard;
        // an order the callback did not move (or moved elsewhere) is a different failure, reported apart.
        const silent = set.subscribers.filter((subscriber) => !subscriber.seen.has('SUCCEEDED'));
        let lost = 0;
        let notSucceeded = 0;
        if (silent.length) {
          const states = await a.request<{ id: string; status: string; inbox: unknown[] }[]>('orders:state', silent.map((s) => s.orderId));
          for (const state of states) {
            const subscriber = silent.find((s) => s.orderId === state.id)!;
            if (state.status !== 'PENDING' && !subscriber.seen.has(state.status)) lost++;
            else notSucceeded++;
          }
          const detail = { setup: label, round: round + 1, states, subscriberErrors: silent.map((s) => ({ orderId: s.orderId, seen: [...s.seen.keys()], errors: s.errors })) };
          missing.push(detail);
          console.warn(`${label}: ${silent.length} subscriber(s) without SUCCEEDED: ${JSON.stringify(detail).slice(0, 1500)}`);
        }
        const result: RoundResult = { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), lost, notSucceeded };
        if (servers.length === 2) {
          result.p99SameInstance = percentile(byInstance[0]!, 99);
          result.p99OtherInstance = percentile(byInstance[1]!, 99);
        }
        results.push(result);
        console.log(`${label} round ${round + 1}: p50 ${fmt(result.p50, 1)} ms, p99 ${fmt(result.p99, 1)} ms, max ${fmt(result.max, 1)} ms, lost ${result.lost}, not SUCCEEDED ${result.notSucceeded}`);
      } finally {
        await set.close();
      }
    }
    return { label, rounds: results };
  } finally {
    for (const server of servers) await server.stop().catch(() => {});
    await database.drop().catch(() => {});
  }
}

const setups = [await setup('one instance', 1)];
if (withRedis) setups.push(await setup('two instances over Redis', 2));

const rows: Row[] = setups.map(({ label, rounds: results }) => {
  const p99 = median(results.map((r) => r.p99));
  const lost = results.reduce((sum, r) => sum + r.lost, 0);
  const notSucceeded = results.reduce((sum, r) => sum + r.notSucceeded, 0);
  return {
    setup: label,
    'p50 ms': fmt(median(results.map((r) => r.p50)), 1),
    'p99 ms': fmt(p99, 1),
    'max ms': fmt(median(results.map((r) => r.max)), 1),
    lost: `${lost} of ${results.length * count}`,
    'not SUCCEEDED': notSucceeded,
    goal: 'p99 ≤ 50 ms, none lost',
    verdict: verdict(p99 <= 50 && lost === 0),
  };
});
saveResult({ scenario: 'callback-to-subscriber', rows, raw: { machine: machine(), count, rate, setups, missing }, notes });
