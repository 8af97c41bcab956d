// The scale-out shape: two instances on one PostgreSQL and one Redis. Runs when
// this machine has both (CI does); each run gets its own database, dropped after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, createTestDatabase, gql, postgresAvailable, statementsDuring, redisAvailable, startTestApp, subscribe, TEST_REDIS_URL, wsClient, type TestApp } from '../support/harness.js';
import { createCashIn, ORDER_UPDATED, orderFromDb, sandboxControl, sandboxState, isOutcome } from '../support/orders.js';
import { createDatabaseNonceSource } from '../../src/services/nonces.js';
import { credentialKey } from '../../src/http/rate-limit.js';

/** Requests per minute per API key on both instances: above what any other test here sends with one key. */
const KEY_LIMIT = 50;

const available = (await postgresAvailable()) && (await redisAvailable());
if (!available) console.warn('PostgreSQL or Redis is not reachable here: the scale-out tests do not run on this machine (they run on CI).');

describe.runIf(available)('two instances on PostgreSQL and Redis', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: TestApp;
  let b: TestApp;
  /** Every key made here: their rate-limit counters in Redis are removed at the end. */
  const apiKeys: string[] = [];
  /** Merchants whose response-cache epochs are removed at the end (their cached answers expire within RESPONSE_CACHE_TTL_MS). */
  const cachedMerchants: string[] = [];
  const newMerchant = async (instance: TestApp) => {
    const merchant = await createMerchant(instance.app);
    apiKeys.push(merchant.apiKey);
    return merchant;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    // No per-IP limit: its Redis key (the loopback address) would be shared with other runs on this machine.
    const env = { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, RATE_LIMIT_PER_KEY: String(KEY_LIMIT), RATE_LIMIT_PER_IP: '0', RESPONSE_CACHE_TTL_MS: '30000' };
    // Started together: the migration lock lets exactly one of them migrate.
    [a, b] = await Promise.all([startTestApp(env), startTestApp(env)]);
  });

  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await database?.drop();
    if (apiKeys.length) {
      const { Redis } = await import('ioredis');
      const redis = new Redis(TEST_REDIS_URL);
      await redis.del(...apiKeys.map((key) => `paygraph:ratelimit:key:${credentialKey(`Bearer ${key}`)}`), ...cachedMerchants.map((id) => `paygraph:cache:epoch:${id}`));
      redis.disconnect();
    }
  });

  it('migrated the database once, with Prisma Migrate’s history', async () => {
    const rows = await a.app.db.prisma.$queryRawUnsafe<{ migration_name: string; finished_at: Date | null }[]>(
      'SELECT migration_name, finished_at FROM _prisma_migrations',
    );
    const names = rows.map((r) => r.migration_name);
    expect(new Set(names).size).toBe(names.length);
    expect(rows.every((r) => r.finished_at)).toBe(true);
  });

  it('delivers a change made on one instance to a subscriber on the other', async () => {
    const merchant = await newMerchant(a);
    const { data: order } = await createCashIn(a.url, merchant.apiKey, { amount: '250000', idempotencyKey: 'cross-instance' });
    const client = wsClient(b.url, merchant.apiKey);
    const updates = subscribe(client, ORDER_UPDATED, { id: order.id });
    try {
      expect((await updates.next()).orderUpdated.status).toBe('PENDING');
      // The order was created through A, so A's sandbox holds it and calls A back.
      await sandboxControl(a.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'once' });
      const paid = await updates.next((m) => isOutcome(m.orderUpdated.status));
      expect(paid.orderUpdated.status).toBe('SUCCEEDED');
      expect(paid.orderUpdated.id).toBe(order.id);
    } finally {
      updates.dispose();
      await client.dispose();
    }
    const stored = await orderFromDb(b.app, order.id);
    expect(stored.events.map((e) => e.toStatus)).toEqual(['PENDING', 'SUCCEEDED']);
  });

  it('creates one order for one idempotency key sent to both instances at once', async () => {
    const merchant = await newMerchant(a);
    const input = { amount: '188888', idempotencyKey: 'both-instances', merchantReference: 'TWO' };
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => createCashIn(i % 2 ? a.url : b.url, merchant.apiKey, input)));
    expect(new Set(results.map((r) => r.data?.id)).size).toBe(1);
    expect(results.every((r) => r.__typename === 'MutationCreateCashInSuccess')).toBe(true);
    expect(await a.app.db.prisma.order.count({ where: { merchantId: merchant.merchantId } })).toBe(1);
    const providerOrders = [...(await sandboxState(a.app, 'azconnectpay')).orders, ...(await sandboxState(b.app, 'azconnectpay')).orders];
    expect(providerOrders.filter((o: { amount: number }) => o.amount === 188888)).toHaveLength(1);
  });

  it('hands out strictly increasing nonces across instances', async () => {
    const sources = [createDatabaseNonceSource(a.app.db.prisma), createDatabaseNonceSource(b.app.db.prisma)];
    const values = await Promise.all(Array.from({ length: 60 }, (_, i) => sources[i % 2]!.next('vnkash:test-key')));
    const numbers = values.map(BigInt);
    expect(new Set(values).size).toBe(values.length);
    const sequential = [];
    for (let i = 0; i < 5; i++) sequential.push(BigInt(await sources[i % 2]!.next('vnkash:test-key')));
    for (let i = 1; i < sequential.length; i++) expect(sequential[i]! > sequential[i - 1]!).toBe(true);
    expect(sequential[0]! > numbers.reduce((max, n) => (n > max ? n : max), 0n)).toBe(true);
  });

  it('shares a key’s rate limit across both instances through Redis: 429 on either once it is used', async () => {
    const merchant = await newMerchant(a);
    const other = await newMerchant(a);
    const statuses = [];
    for (let i = 0; i < KEY_LIMIT; i++) statuses.push((await gql(i % 2 ? a.url : b.url, '{ merchant { id } }', {}, merchant.apiKey)).status);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    for (const instance of [a, b]) {
      const limited = await fetch(`${instance.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${merchant.apiKey}` }, body: '{"query":"{ __typename }"}' });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await limited.json()).errors[0].message).toMatch(/per API key/);
    }
    // Another key is not affected.
    expect((await gql(b.url, '{ merchant { id } }', {}, other.apiKey)).status).toBe(200);
  });

  it('shares cached answers through Redis, and a change made on one instance is never answered from before it on the other', async () => {
    const merchant = await newMerchant(a);
    cachedMerchants.push(merchant.merchantId);
    const ORDER = 'query($id: ID!) { order(id: $id) { id status events { toStatus } } }';
    const { data: order } = await createCashIn(a.url, merchant.apiKey, { amount: '260000', idempotencyKey: 'cached-across' });
    await gql(b.url, '{ merchant { id } }', {}, merchant.apiKey); // B knows the key from now on
    expect((await gql(a.url, ORDER, { id: order.id }, merchant.apiKey)).data.order.status).toBe('PENDING');
    // An answer A stored in Redis is B's without its database. Each try is a document of its own (its name), so B
    // cannot be answering one it stored itself; tries repeat while the creation's NOTIFYs still move the epoch.
    let attempt = 0;
    await expect
      .poll(async () => {
        const named = ORDER.replace('query(', `query Try${++attempt}(`);
        expect((await gql(a.url, named, { id: order.id }, merchant.apiKey)).data.order.status).toBe('PENDING');
        const { result: fromB, statements } = await statementsDuring(b.app, () => gql(b.url, named, { id: order.id }, merchant.apiKey));
        expect(fromB.data.order.status).toBe('PENDING');
        return statements.length;
      })
      .toBe(0);

    const client = wsClient(b.url, merchant.apiKey);
    const updates = subscribe(client, ORDER_UPDATED, { id: order.id });
    try {
      expect((await updates.next()).orderUpdated.status).toBe('PENDING');
      await sandboxControl(a.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'once' });
      expect((await updates.next((m) => isOutcome(m.orderUpdated.status))).orderUpdated.status).toBe('SUCCEEDED');
    } finally {
      updates.dispose();
      await client.dispose();
    }
    // B heard of the change over Redis, while its database's NOTIFY may still be on its way: the epoch moved first.
    const after = await gql(b.url, ORDER, { id: order.id }, merchant.apiKey);
    expect(after.data.order).toMatchObject({ status: 'SUCCEEDED', events: [{ toStatus: 'PENDING' }, { toStatus: 'SUCCEEDED' }] });
  });

  it('answers GraphQL on both instances from the same data', async () => {
    const merchant = await newMerchant(b);
    const viaA = await gql(a.url, '{ merchant { id } }', {}, merchant.apiKey);
    expect(viaA.data.merchant.id).toBe(merchant.merchantId);
  });
});
