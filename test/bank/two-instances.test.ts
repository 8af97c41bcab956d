// Two instances on one PostgreSQL importing and matching the same merchant's
// statement at the same time (their workers too): still one row per
// transfer and one payment per order. Runs where PostgreSQL is reachable
// (CI); each run gets its own database, dropped after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, createTestDatabase, postgresAvailable, startTestApp, type TestApp } from '../support/harness.js';
import { orderFromDb } from '../support/orders.js';
import { bankLine, newOrder, syncStatement, waitForRows } from './support.js';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const available = await postgresAvailable();
if (!available) console.warn('PostgreSQL is not reachable here: the two-instance bank tests do not run on this machine (they run on CI).');

describe.runIf(available)('two instances importing one statement', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { DATABASE_URL: database.url, STATEMENT_IMPORT_INTERVAL_MS: '50' };
    [a, b] = await Promise.all([startTestApp(env), startTestApp(env)]);
  });

  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  it('records each line once and pays each order once', async () => {
    const merchant = await createMerchant(a.app);
    const orders = await Promise.all(Array.from({ length: 6 }, (_, i) => newOrder(i % 2 ? a.url : b.url, merchant.apiKey, String(10_000 * (i + 1)), `two-${i}`)));
    // Each instance has its own simulator; both banks show the same lines (same references), as one real bank would.
    const lines = [
      ...orders.map((order, i) => ({ amount: 10_000 * (i + 1), description: `thanh toan ${order.requestId}`, ref_no: `FTTWO${i}`, at: minutesAgo(5) })),
      ...Array.from({ length: 40 }, (_, i) => ({ amount: 1_000 + i, description: `other ${i}`, ref_no: `FTOTHER${i}` })),
      // A second transfer for the first order: an extra, never a second payment.
      { amount: 10_000, description: `lan nua ${orders[0]!.requestId}`, ref_no: 'FTTWO-EXTRA', at: minutesAgo(1) },
    ];
    for (const line of lines) {
      await bankLine(a.app, { ...line, webhook: 'none' });
      await bankLine(b.app, { ...line, webhook: 'none' });
    }
    // The workers of both run every 50 ms; explicit imports on both race them.
    await Promise.all([syncStatement(a.url, merchant.apiKey), syncStatement(b.url, merchant.apiKey), syncStatement(a.url, merchant.apiKey), syncStatement(b.url, merchant.apiKey)]);
    expect(await waitForRows(a.app, merchant.merchantId, lines.length)).toBe(lines.length);

    const rows = await a.app.db.prisma.bankTransaction.findMany({ where: { merchantId: merchant.merchantId } });
    expect(rows).toHaveLength(lines.length);
    expect(new Set(rows.map((r) => r.refNo)).size).toBe(lines.length);
    for (const order of orders) {
      const stored = await orderFromDb(a.app, order.id);
      expect(stored.status).toBe('SUCCEEDED');
      expect(stored.events.map((e) => e.toStatus)).toEqual(['PENDING', 'SUCCEEDED']);
    }
    const linked = await a.app.db.prisma.bankTransaction.findMany({ where: { matchedOrderId: orders[0]!.id }, orderBy: { refNo: 'asc' } });
    expect(linked.map((r) => [r.refNo, r.matchNote === null])).toEqual([
      ['FTTWO-EXTRA', false],
      ['FTTWO0', true],
    ]);
  });
});
