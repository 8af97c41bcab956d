// The scale-out shape: two instances on one PostgreSQL and one Redis. Runs when
// this machine has both (CI does); each run gets its own database, dropped after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, createTestDatabase, gql, postgresAvailable, redisAvailable, startTestApp, subscribe, TEST_REDIS_URL, wsClient, type TestApp } from '../support/harness.js';
import { createCashIn, ORDER_UPDATED, orderFromDb, sandboxControl, sandboxState } from '../support/orders.js';
import { createDatabaseNonceSource } from '../../src/services/nonces.js';

const available = (await postgresAvailable()) && (await redisAvailable());
if (!available) console.warn('PostgreSQL or Redis is not reachable here: the scale-out tests do not run on this machine (they run on CI).');

describe.runIf(available)('two instances on PostgreSQL and Redis', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL };
    // Started together: the migration lock lets exactly one of them migrate.
    [a, b] = await Promise.all([startTestApp(env), startTestApp(env)]);
  });

  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await database?.drop();
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
    const merchant = await createMerchant(a.app);
    const { data: order } = await createCashIn(a.url, merchant.apiKey, { amount: '250000', idempotencyKey: 'cross-instance' });
    const client = wsClient(b.url, merchant.apiKey);
    const updates = subscribe(client, ORDER_UPDATED, { id: order.id });
    try {
      expect((await updates.next()).orderUpdated.status).toBe('PENDING');
      // The order was created through A, so A's sandbox holds it and calls A back.
      await sandboxControl(a.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'once' });
      const paid = await updates.next((m) => m.orderUpdated.status === 'SUCCEEDED');
      expect(paid.orderUpdated.id).toBe(order.id);
    } finally {
      updates.dispose();
      await client.dispose();
    }
    const stored = await orderFromDb(b.app, order.id);
    expect(stored.events.map((e) => e.toStatus)).toEqual(['PENDING', 'SUCCEEDED']);
  });

  it('creates one order for one idempotency key sent to both instances at once', async () => {
    const merchant = await createMerchant(a.app);
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

  it('answers GraphQL on both instances from the same data', async () => {
    const merchant = await createMerchant(b.app);
    const viaA = await gql(a.url, '{ merchant { id } }', {}, merchant.apiKey);
    expect(viaA.data.merchant.id).toBe(merchant.merchantId);
  });
});
