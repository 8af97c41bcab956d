// Scenario 1, read throughput: servers on one core, autocannon on the other,
// all in one run: bare node:http (fixed JSON), graphql-yoga's hello world (the
// project's yoga), and paygraph's order(id) and orders(first: 50) with their
// events, authenticated, on PGlite and on PostgreSQL, each with the response cache
// (a repeated read is answered from it) and without (RESPONSE_CACHE_TTL_MS=0),
// and on PostgreSQL with the cache in Redis. Each round measures every
// target once; figures are medians of the rounds, ratios are taken per round.
//
//   npx tsx bench/read-throughput.ts [--rounds 3] [--duration 4] [--profile] [--try "maxRequestBodySize: false"]
//
// --try adds the same targets (yoga hello world, paygraph on PGlite) with
// those createYoga options spliced into src/app.ts as it loads (see
// servers/yoga-options-hook.mjs): a setting measured before app.ts changes.
// --profile adds one more run of yoga's hello world and of each order(id)
// target under the inspector's CPU profiler and prints the frames and packages
// with the most self time.
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  createDatabase,
  fmt,
  load,
  machine,
  median,
  pinLoadGenerator,
  profileDuring,
  postgresReachable,
  redisReachable,
  REDIS_URL,
  saveResult,
  spawnServer,
  verdict,
  type LoadResult,
  type LoadSpec,
  type Row,
  type ServerHandle,
} from './lib.js';
import type { PaygraphInfo, PaygraphServerOptions } from './servers/paygraph.js';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, duration: { type: 'string', default: '4' }, connections: { type: 'string', default: '10' }, profile: { type: 'boolean', default: false }, try: { type: 'string' } },
});
const rounds = Number(args.rounds);
const durationS = Number(args.duration);
const connections = Number(args.connections);

export const ORDER_QUERY = `query Order($id: ID!) { order(id: $id) { id status kind provider amount settledAmount requestId providerReference createdAt
  events { id fromStatus toStatus cause actor createdAt } } }`;
export const ORDERS_QUERY = `query Orders { orders(first: 50) { edges { node { id status kind amount requestId createdAt
  events { id fromStatus toStatus cause createdAt } } } pageInfo { hasNextPage endCursor } } }`;
const HELLO = JSON.stringify({ query: '{ hello }' });

const notes: string[] = [pinLoadGenerator()];
const servers: ServerHandle<any>[] = [];
const cleanups: (() => Promise<void>)[] = [];

async function paygraph(options: PaygraphServerOptions): Promise<ServerHandle<PaygraphInfo>> {
  // 60 orders paid through the sandbox with a callback: each has two events.
  const server = await spawnServer<PaygraphInfo>('paygraph.ts', { ...options, seed: { orders: 60, mode: 'services', settle: 'once' } });
  servers.push(server);
  return server;
}

function graphqlSpec(server: ServerHandle<PaygraphInfo>, query: string, variables: Record<string, unknown> = {}): LoadSpec {
  return {
    url: `${server.url}/graphql`,
    method: 'POST',
    body: JSON.stringify({ query, variables }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.info.apiKey}` },
    connections,
    durationS,
  };
}

/** One request first: a benchmark of error answers would be worthless. */
async function check(spec: LoadSpec, expect: (body: any) => boolean, name: string) {
  const response = await fetch(spec.url, { method: spec.method, body: spec.body, headers: spec.headers });
  const body = await response.json();
  if (response.status !== 200 || body.errors || !expect(body)) throw new Error(`${name}: unexpected answer ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
}

/** Updates one order's description every `everyMs` through its own connection, until the returned function is called. */
async function changeEvery(databaseUrl: string, orderId: string, everyMs: number): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let count = 0;
  let inFlight: Promise<unknown> | undefined;
  let failure: Error | undefined;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = client
      .query('UPDATE "Order" SET description = $1 WHERE id = $2', [`changed ${++count}`, orderId])
      .catch((error: Error) => (failure ??= error))
      .finally(() => (inFlight = undefined));
  }, everyMs);
  return async () => {
    clearInterval(timer);
    await inFlight; // the connection ends after its last update, not under it
    await client.end();
    if (failure) throw failure;
  };
}

/** "maxRequestBodySize: false, maskedErrors: false" → an object for the hello-world server. */
function parseYogaOptions(text: string): Record<string, unknown> {
  return Object.fromEntries(text.split(',').map((pair) => pair.split(':').map((part) => part.trim())).map(([key, value]) => [key, JSON.parse(value!)]));
}

try {
  const bare = await spawnServer('bare-http.ts', {});
  servers.push(bare);
  const yoga = await spawnServer<{ version: string }>('yoga-hello.ts', {});
  servers.push(yoga);
  const targets: { name: string; spec: LoadSpec; during?: () => Promise<() => Promise<void>> }[] = [
    { name: 'node:http fixed JSON', spec: { url: bare.url, method: 'POST', body: HELLO, headers: { 'content-type': 'application/json' }, connections, durationS } },
    { name: `yoga ${yoga.info.version} hello world`, spec: { url: `${yoga.url}/graphql`, method: 'POST', body: HELLO, headers: { 'content-type': 'application/json' }, connections, durationS } },
  ];
  await check(targets[1]!.spec, (b) => b.data?.hello === 'world', 'yoga hello');

  // Each backend with the response cache (the default: a repeated read is a hit) and without it (every read
  // goes through Prisma): the cache's gain and the data path's own speed, side by side.
  const uncached = { RESPONSE_CACHE_TTL_MS: '0' };
  const backends: { label: string; options: PaygraphServerOptions }[] = [
    { label: 'PGlite', options: {} },
    { label: 'PGlite, no response cache', options: { env: uncached } },
  ];
  if (args.try) {
    const tried = await spawnServer<{ version: string }>('yoga-hello.ts', parseYogaOptions(args.try));
    servers.push(tried);
    targets.push({ name: `yoga hello world, ${args.try}`, spec: { ...targets[1]!.spec, url: `${tried.url}/graphql` } });
    backends.push({ label: `PGlite, ${args.try}`, options: { yogaOptions: args.try } });
  }
  if (await postgresReachable()) {
    const database = await createDatabase();
    cleanups.push(() => database.drop());
    backends.push({ label: 'PostgreSQL', options: { databaseUrl: database.url } }, { label: 'PostgreSQL, no response cache', options: { databaseUrl: database.url, env: uncached } });
    if (await redisReachable()) backends.push({ label: 'PostgreSQL + Redis (cache in Redis)', options: { databaseUrl: database.url, redisUrl: REDIS_URL } });
    else notes.push('Redis at redis://127.0.0.1:6379 is unreachable: the Redis-backed cache row is skipped');
  } else {
    notes.push('PostgreSQL at postgresql://root@127.0.0.1:5432 is unreachable: PostgreSQL rows skipped');
  }
  for (const backend of backends) {
    const server = await paygraph(backend.options);
    const order = server.info.orders[0]!;
    const one = graphqlSpec(server, ORDER_QUERY, { id: order.id });
    const list = graphqlSpec(server, ORDERS_QUERY);
    await check(one, (b) => b.data.order.id === order.id && b.data.order.events.length === 2, 'order(id)');
    await check(list, (b) => b.data.orders.edges.length === 50 && b.data.orders.edges.every((e: any) => e.node.events.length === 2), 'orders(first: 50)');
    targets.push({ name: `paygraph order(id) ${backend.label}`, spec: one }, { name: `paygraph orders(first: 50) ${backend.label}`, spec: list });
    if (backend.label === 'PostgreSQL' && backend.options.databaseUrl) {
      // The cache's worst case: the same reads while another of the merchant's orders changes 20 times a second
      // (each change moves the merchant's epoch, as a callback would).
      const other = server.info.orders[1]!;
      const databaseUrl = backend.options.databaseUrl;
      targets.push({ name: `paygraph order(id) PostgreSQL, another order changing 20×/s`, spec: one, during: () => changeEvery(databaseUrl, other.id, 50) });
    }
  }

  const results = new Map<string, LoadResult[]>(targets.map((t) => [t.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const target of targets) {
      await load({ ...target.spec, durationS: 1 }); // warm-up (JIT, pools, caches), not counted
      const stopChanging = await target.during?.();
      const result = await load(target.spec).finally(() => stopChanging?.());
      if (result.errors || result.non2xx) {
        const sample = await fetch(target.spec.url, { method: target.spec.method, body: target.spec.body, headers: target.spec.headers });
        throw new Error(`${target.name}: ${result.errors} errors, ${result.non2xx} non-2xx answers (now: ${sample.status} ${(await sample.text()).slice(0, 300)})`);
      }
      results.get(target.name)!.push(result);
      console.log(`round ${round + 1} ${target.name}: ${fmt(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms`);
    }
  }

  const yogaName = targets[1]!.name;
  const yogaRuns = results.get(yogaName)!;
  const rows: Row[] = targets.map((target) => {
    const runs = results.get(target.name)!;
    const rpsRatio = median(runs.map((r, i) => r.rps / yogaRuns[i]!.rps));
    const p99Ratio = median(runs.map((r, i) => r.p99 / Math.max(1, yogaRuns[i]!.p99)));
    const isOrder = target.name.includes('order(id)');
    return {
      target: target.name,
      'req/s (median)': fmt(median(runs.map((r) => r.rps))),
      'p50 ms': fmt(median(runs.map((r) => r.p50))),
      'p99 ms': fmt(median(runs.map((r) => r.p99))),
      '× yoga req/s': fmt(rpsRatio, 2),
      '× yoga p99': fmt(p99Ratio, 2),
      goal: isOrder ? '≥ 0.50× req/s, ≤ 2× p99' : '',
      verdict: isOrder ? verdict(rpsRatio >= 0.5 && p99Ratio <= 2) : '',
    };
  });

  let profiles: Record<string, Awaited<ReturnType<typeof profileDuring>>> | undefined;
  if (args.profile) {
    // Each profiled in its own server while under the same load, after the measured rounds.
    profiles = {};
    for (const target of targets.filter((t) => /yoga 5|order\(id\)/.test(t.name))) {
      const server = servers.find((s) => target.spec.url.startsWith(s.url))!;
      profiles[target.name] = await profileDuring(server, `read ${target.name}`, () => load({ ...target.spec, durationS: 5 }));
    }
  }

  saveResult({
    scenario: 'read-throughput',
    rows,
    raw: { machine: machine(), rounds, durationS, connections, results: Object.fromEntries(results), profiles },
    notes,
  });
} finally {
  for (const server of servers) await server.stop().catch(() => {});
  for (const cleanup of cleanups) await cleanup().catch(() => {});
}
