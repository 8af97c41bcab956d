// A real paygraph instance (buildApp, as `npm start` builds it) for the
// benchmarks: PGlite in memory or a PostgreSQL database, in-memory or Redis
// pub/sub, the in-process sandbox, no background workers (so nothing but the
// benchmark's own requests changes an order). It seeds a merchant and orders,
// then reports them to the parent.
import { randomBytes } from 'node:crypto';
import { register } from 'node:module';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { benchOptions, memory, serve } from './ipc.js';

export interface PaygraphServerOptions {
  databaseUrl?: string;
  redisUrl?: string;
  poolSize?: number;
  /** Reuse this merchant (a second instance on the same database) instead of creating one. */
  merchant?: { merchantId: string; apiKey: string };
  seed?: {
    orders: number;
    /** services: SharkPay pay-ins created through Orders (sandbox included); direct: rows inserted at once (only for idle subscriptions). */
    mode: 'services' | 'direct';
    /** After creating: settle each in the sandbox with no callback (the benchmark sends it) or with one (events for reads). */
    settle?: 'none' | 'once';
    concurrency?: number;
  };
  /** More configuration for this scenario (e.g. WORKERS=true for the webhook benchmark). */
  env?: Record<string, string>;
  /** Extra createYoga options spliced into src/app.ts as it loads (measuring a setting before changing app.ts), e.g. "maxRequestBodySize: false". */
  yogaOptions?: string;
}

export interface SeededOrder {
  id: string;
  requestId: string;
  providerReference: string | null;
  amount: string;
}

export interface PaygraphInfo {
  url: string;
  merchantId: string;
  apiKey: string;
  orders: SeededOrder[];
  database: string;
  pubsub: string;
}

const options = benchOptions<PaygraphServerOptions>();
if (options.yogaOptions) register('./yoga-options-hook.mjs', import.meta.url, { data: { options: options.yogaOptions } });
const { buildApp } = await import('../../src/app.js');
const config = loadConfig({
  NODE_ENV: 'production',
  DATA_DIR: ':memory:',
  PORT: '0',
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  BOOTSTRAP_SANDBOX_MERCHANT: 'false',
  SECRETS_KEY: `bench:${Buffer.alloc(32, 9).toString('base64')}`,
  WORKERS: 'false',
  SHUTDOWN_GRACE_MS: '1000',
  // The benchmark is one key from one address far above any real rate: measure the work, not the limiter's refusals.
  RATE_LIMIT_PER_KEY: '0',
  RATE_LIMIT_PER_IP: '0',
  // Thousands of subscribers from one loopback address.
  WS_MAX_CONNECTIONS_PER_IP: '0',
  // Every callback comes from one loopback address, far above a real provider's rate.
  CALLBACK_HINTS_PER_MINUTE: '0',
  // Production settings otherwise; these are the benchmark's own choices (no limiter, plain HTTP on loopback, a throwaway database, the simulators as providers).
  SANDBOX: 'true',
  ALLOW_UNSAFE: 'RATE_LIMIT,PUBLIC_URL,DATA_DIR,SANDBOX',
  ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  ...(options.poolSize ? { DATABASE_POOL_SIZE: String(options.poolSize) } : {}),
  ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
  ...options.env,
});
const app = await buildApp(config, { logger: createLogger(config.LOG_LEVEL) });
const url = await app.start();
async function merchantForBench(): Promise<{ merchantId: string; apiKey: string }> {
  if (options.merchant) return options.merchant;
  const { merchant, apiKey } = await app.services.merchants.create({ name: `Bench ${randomBytes(3).toString('hex')}`, sandbox: true });
  return { merchantId: merchant.id, apiKey };
}
const { merchantId, apiKey } = await merchantForBench();

const orders: SeededOrder[] = [];
if (options.seed) {
  const seed = options.seed;
  if (seed.mode === 'direct') {
    const rows = Array.from({ length: seed.orders }, () => ({
      merchantId,
      provider: 'APINGANHANG' as const,
      kind: 'HUB_PAYIN' as const,
      gateway: 'sharkpay',
      amount: 100_000n,
      requestId: `PGBENCH${randomBytes(8).toString('hex').toUpperCase()}`,
      submitted: true,
    }));
    for (let i = 0; i < rows.length; i += 1000) await app.db.prisma.order.createMany({ data: rows.slice(i, i + 1000) });
    const stored = await app.db.prisma.order.findMany({ where: { merchantId }, select: { id: true, requestId: true, providerReference: true, amount: true } });
    orders.push(...stored.map((o) => ({ ...o, amount: o.amount.toString() })));
  } else {
    let next = 0;
    const worker = async () => {
      while (next < seed.orders) {
        const index = next++;
        const amount = 100_000n + BigInt(index);
        const { orderId } = await app.services.orders.create({
          merchantId,
          actor: 'bench',
          idempotencyKey: `bench-${index}-${randomBytes(4).toString('hex')}`,
          provider: 'APINGANHANG',
          kind: 'HUB_PAYIN',
          gateway: 'sharkpay',
          amount,
        });
        const order = await app.db.prisma.order.findUniqueOrThrow({ where: { id: orderId }, select: { id: true, requestId: true, providerReference: true } });
        if (seed.settle) {
          const response = await fetch(`${app.sandbox!.baseUrl('apinganhang')}/_sandbox/settle`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ merchant_order_no: order.requestId, gateway: 'sharkpay', outcome: 'succeed', callback: seed.settle }),
          });
          if (response.status !== 200) throw new Error(`sandbox settle: ${response.status} ${await response.text()}`);
        }
        orders.push({ ...order, amount: amount.toString() });
      }
    };
    await Promise.all(Array.from({ length: seed.concurrency ?? 8 }, worker));
    await app.sandbox?.idle();
  }
}

// SQL statements Prisma sends while capturing (the callback baseline replays the same ones).
let captured: string[] | undefined;
app.db.onQuery((sql) => captured?.push(sql));

serve(
  { url, merchantId, apiKey, orders, database: app.db.kind, pubsub: app.pubsub.kind } satisfies PaygraphInfo as never,
  {
    stop: () => app.stop(),
    mem: () => memory(),
    'capture:start': () => {
      captured = [];
      return true;
    },
    'capture:stop': () => {
      const statements = captured ?? [];
      captured = undefined;
      return statements;
    },
    statuses: async () => {
      const rows = await app.db.prisma.order.groupBy({ by: ['status'], where: { merchantId }, _count: { _all: true } });
      return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
    },
    'sandbox:idle': () => app.sandbox?.idle(),
    /** Status and inbox state of some orders (what happened to a callback whose subscriber heard nothing). */
    'orders:state': async (ids: string[]) => {
      const rows = await app.db.prisma.order.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
      const inbox = await app.db.prisma.callbackInbox.findMany({ where: { orderId: { in: ids } }, select: { orderId: true, status: true, lastError: true } });
      return rows.map((row) => ({ ...row, inbox: inbox.filter((i) => i.orderId === row.id) }));
    },
  },
);
