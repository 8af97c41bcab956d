// Scenario 5, commit to webhook: changes of money are committed at a steady
// rate (order events inserted with `pg`, as a writer's transaction would,
// each committed on its own); paygraph's sequencer turns each into a feed
// event and a delivery, and its delivery worker POSTs the signed webhook to a
// receiver in this process. Latency = the receiver has the whole body minus
// the moment the INSERT's commit was acknowledged (one clock: this process).
// Beside it, in the same run, the same receiver called directly: a signed
// POST of the same size from this process, at the same rate, latency from
// the request's start to the body received. PostgreSQL; paygraph on the
// server core, this process (writer, receiver, baseline sender) on the other.
//
//   npx tsx bench/webhook-delivery.ts [--rate 100] [--seconds 20] [--rounds 3] [--profile]
//
// --profile runs one more round with paygraph under the CPU profiler.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { createDatabase, fmt, machine, median, percentile, pinLoadGenerator, postgresReachable, profileDuring, saveResult, spawnServer, type Row, type ServerHandle } from './lib.js';
import type { PaygraphInfo } from './servers/paygraph.js';

const { values: args } = parseArgs({ options: { rate: { type: 'string', default: '100' }, seconds: { type: 'string', default: '20' }, rounds: { type: 'string', default: '3' }, profile: { type: 'boolean', default: false } } });
const rate = Number(args.rate);
const perRound = Math.round(rate * Number(args.seconds));
const rounds = Number(args.rounds);

const notes = [pinLoadGenerator(), `${perRound} events per round at ${rate}/s (open loop), ${rounds} rounds`];
if (!(await postgresReachable())) {
  saveResult({ scenario: 'webhook-delivery', rows: [], raw: {}, notes: [...notes, 'PostgreSQL is unreachable: skipped'] });
  process.exit(0);
}

/** The merchant's backend: records when each webhook's body has fully arrived, answers 204. */
function startReceiver() {
  const arrivals = new Map<string, { at: number; count: number }>();
  let body = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const at = performance.now();
      const text = Buffer.concat(chunks).toString('utf8');
      body = text.length;
      // Webhooks carry the order event's id in data.change; the baseline's bodies carry their own key.
      const parsed = JSON.parse(text) as { data: { change?: { eventId: string }; key?: string } };
      const key = parsed.data.change?.eventId ?? parsed.data.key!;
      const seen = arrivals.get(key);
      arrivals.set(key, seen ? { at: seen.at, count: seen.count + 1 } : { at, count: 1 });
      res.writeHead(204).end();
    });
  });
  // Idle keep-alive connections stay open between rounds (both senders reuse theirs).
  server.keepAliveTimeout = 10 * 60_000;
  return new Promise<{ url: string; arrivals: typeof arrivals; bodySize: () => number; close: () => void }>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`, arrivals, bodySize: () => body, close: () => server.close() })),
  );
}

/** Runs `fire(i)` for i < count at `perSecond`, on schedule, without waiting for earlier ones. */
async function paced(count: number, perSecond: number, fire: (index: number) => Promise<void>) {
  const start = performance.now();
  await Promise.all(
    Array.from(
      { length: count },
      (_, index) => new Promise<void>((resolve, reject) => setTimeout(() => fire(index).then(resolve, reject), Math.max(0, start + (index * 1000) / perSecond - performance.now()))),
    ),
  );
}

async function waitForArrivals(arrivals: Map<string, unknown>, keys: string[], timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  while (keys.some((key) => !arrivals.has(key)) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

const database = await createDatabase();
const servers: ServerHandle<PaygraphInfo>[] = [];
const receiver = await startReceiver();
const writer = new pg.Pool({ connectionString: database.url, max: 8 });
try {
  const paygraph = await spawnServer<PaygraphInfo>('paygraph.ts', {
    databaseUrl: database.url,
    seed: { orders: 20, mode: 'direct' },
    env: { WORKERS: 'true', WEBHOOK_ALLOW_LOOPBACK: 'true', LOG_LEVEL: 'warn' },
  });
  servers.push(paygraph);
  const created = await fetch(`${paygraph.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${paygraph.info.apiKey}` },
    body: JSON.stringify({
      query: 'mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { __typename ... on MutationCreateWebhookEndpointSuccess { data { secret } } ... on Error { message } } }',
      variables: { input: { url: receiver.url, eventTypes: ['ORDER_UPDATED'] } },
    }),
  }).then((response) => response.json() as Promise<{ data: { createWebhookEndpoint: { __typename: string; data?: { secret: string }; message?: string } } }>);
  const endpoint = created.data.createWebhookEndpoint;
  if (!endpoint.data) throw new Error(`createWebhookEndpoint: ${endpoint.__typename} ${endpoint.message ?? ''}`);
  const signer = new Webhook(endpoint.data.secret);
  const orders = paygraph.info.orders.map((order) => order.id);
  const { merchantId } = paygraph.info;

  /** One change of money, committed on its own; returns when the commit is acknowledged. */
  const commitEvent = async (eventId: string, orderId: string) => {
    await writer.query(
      `INSERT INTO "OrderEvent" ("id", "orderId", "merchantId", "fromStatus", "toStatus", "cause", "actor", "note", "createdAt")
       VALUES ($1, $2, $3, 'PENDING', 'PENDING', 'POLL', 'worker:bench', 'still pending', now() AT TIME ZONE 'UTC')`,
      [eventId, orderId, merchantId],
    );
  };
  // Warm up both paths (connections, JIT), then measure.
  const warm = Array.from({ length: 50 }, () => randomUUID());
  await paced(warm.length, rate, (i) => commitEvent(warm[i]!, orders[i % orders.length]!));
  await waitForArrivals(receiver.arrivals, warm, 30_000);

  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(receiver.url);
  const direct = (key: string, body: string) =>
    new Promise<void>((resolve, reject) => {
      const id = `msg_${key}`;
      const request = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': signer.sign(id, new Date(), body), 'content-length': Buffer.byteLength(body) } },
        (response) => {
          response.resume();
          response.on('end', () => resolve());
        },
      );
      request.on('error', reject);
      request.end(body);
    });

  const results: { webhookP50: number; webhookP99: number; webhookMax: number; directP50: number; directP99: number; lost: number; duplicated: number }[] = [];
  for (let round = 0; round < rounds; round++) {
    const ids = Array.from({ length: perRound }, () => randomUUID());
    const committedAt = new Map<string, number>();
    await paced(perRound, rate, async (i) => {
      await commitEvent(ids[i]!, orders[i % orders.length]!);
      committedAt.set(ids[i]!, performance.now());
    });
    await waitForArrivals(receiver.arrivals, ids, 60_000);
    const latencies = ids.filter((id) => receiver.arrivals.has(id)).map((id) => receiver.arrivals.get(id)!.at - committedAt.get(id)!);
    const lost = ids.length - latencies.length;
    const duplicated = ids.filter((id) => (receiver.arrivals.get(id)?.count ?? 0) > 1).length;

    // The same receiver, called directly with a body of the same size, at the same rate.
    const size = receiver.bodySize();
    const keys = Array.from({ length: perRound }, () => randomUUID());
    const sentAt = new Map<string, number>();
    await paced(perRound, rate, async (i) => {
      const key = keys[i]!;
      const body = JSON.stringify({ id: `evt_${key}`, type: 'order.updated', timestamp: new Date().toISOString(), data: { key, pad: '' } });
      const padded = body.replace('"pad":""', `"pad":"${'x'.repeat(Math.max(0, size - body.length))}"`);
      sentAt.set(key, performance.now());
      await direct(key, padded);
    });
    const directLatencies = keys.map((key) => receiver.arrivals.get(key)!.at - sentAt.get(key)!);

    const result = {
      webhookP50: percentile(latencies, 50),
      webhookP99: percentile(latencies, 99),
      webhookMax: Math.max(...latencies),
      directP50: percentile(directLatencies, 50),
      directP99: percentile(directLatencies, 99),
      lost,
      duplicated,
    };
    results.push(result);
    console.log(
      `round ${round + 1}: commit → webhook p50 ${fmt(result.webhookP50, 1)} ms, p99 ${fmt(result.webhookP99, 1)} ms, max ${fmt(result.webhookMax, 1)} ms; direct p50 ${fmt(result.directP50, 2)} ms, p99 ${fmt(result.directP99, 2)} ms; lost ${lost}, duplicated ${duplicated}`,
    );
  }
  agent.destroy();
  if (args.profile) {
    await profileDuring(paygraph, 'webhook-delivery', async () => {
      const ids = Array.from({ length: perRound }, () => randomUUID());
      await paced(perRound, rate, (i) => commitEvent(ids[i]!, orders[i % orders.length]!));
      await waitForArrivals(receiver.arrivals, ids, 60_000);
    });
  }

  const m = (key: keyof (typeof results)[number]) => median(results.map((r) => r[key]));
  const rows: Row[] = [
    { path: `commit → webhook delivered (paygraph, PostgreSQL, ${rate}/s)`, 'p50 ms': fmt(m('webhookP50'), 1), 'p99 ms': fmt(m('webhookP99'), 1), 'max ms': fmt(m('webhookMax'), 1), lost: results.reduce((s, r) => s + r.lost, 0), duplicated: results.reduce((s, r) => s + r.duplicated, 0) },
    { path: `the same receiver called directly (${rate}/s, same body size)`, 'p50 ms': fmt(m('directP50'), 2), 'p99 ms': fmt(m('directP99'), 2), 'max ms': '', lost: 0, duplicated: 0 },
  ];
  saveResult({ scenario: 'webhook-delivery', rows, raw: { machine: machine(), rate, perRound, rounds: results, bodyBytes: receiver.bodySize() }, notes });
} finally {
  for (const server of servers) await server.stop().catch(() => {});
  await writer.end().catch(() => {});
  receiver.close();
  await database.drop().catch(() => {});
}
