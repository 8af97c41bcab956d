// Races on one database, on both backends: two final transitions of one order
// at once (only the optimistic guard on the status keeps both from landing),
// and nonces drawn at once (only the atomic counter keeps them increasing).
// PGlite runs everywhere; PostgreSQL where it answers (CI).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, createTestDatabase, postgresAvailable, startTestApp, type TestApp } from '../support/harness.js';
import { createCashIn, orderFromDb } from '../support/orders.js';
import { createDatabaseNonceSource } from '../../src/services/nonces.js';
import { isFinal, type OrderStatus } from '../../src/domain/order-status.js';

const postgres = await postgresAvailable();
if (!postgres) console.warn('PostgreSQL is not reachable here: the PostgreSQL half of the race tests does not run on this machine (it runs on CI).');

for (const { backend, runs } of [
  { backend: 'PGlite', runs: true },
  { backend: 'PostgreSQL', runs: postgres },
]) describe(`races on ${backend}`, () => {
  let t: TestApp;
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;

  beforeAll(async () => {
    if (!runs) return;
    database = backend === 'PostgreSQL' ? await createTestDatabase() : undefined;
    // No workers: the only changes are the ones each test makes.
    t = await startTestApp({ WORKERS: 'false', ...(database ? { DATABASE_URL: database.url } : {}) });
  });
  afterAll(async () => {
    await t?.stop();
    await database?.drop();
  });

  it.runIf(runs)('applies exactly one of SUCCEEDED and EXPIRED sent at once to a PENDING order', async () => {
    const merchant = await createMerchant(t.app);
    const orders = [];
    for (let i = 0; i < 5; i++) orders.push((await createCashIn(t.url, merchant.apiKey, { amount: String(120_000 + i), idempotencyKey: `race-${i}` })).data);
    const transitions = t.app.services.transitions;
    const outcomes = await Promise.all(
      orders.map((order) =>
        Promise.all([
          transitions.transition({ orderId: order.id, to: 'SUCCEEDED', cause: 'CALLBACK', actor: 'test:callback' }),
          transitions.transition({ orderId: order.id, to: 'EXPIRED', cause: 'EXPIRY', actor: 'test:expiry' }),
        ]),
      ),
    );
    for (const [i, pair] of outcomes.entries()) {
      expect(pair.map((outcome) => outcome.kind).sort(), JSON.stringify(pair)).toEqual(['applied', 'refused']);
      const applied = pair.find((outcome) => outcome.kind === 'applied')!;
      const stored = await orderFromDb(t.app, orders[i]!.id);
      const finalEvents = stored.events.filter((event) => isFinal(event.toStatus as OrderStatus));
      expect(finalEvents.map((event) => event.toStatus)).toEqual([stored.status]);
      expect(applied).toMatchObject({ kind: 'applied', from: 'PENDING', to: stored.status, eventId: finalEvents[0]!.id });
    }
  });

  it.runIf(runs)('hands out strictly increasing nonces to concurrent and sequential callers', async () => {
    const sources = [createDatabaseNonceSource(t.app.db.prisma), createDatabaseNonceSource(t.app.db.prisma)];
    const key = `vnkash:race-${backend}`;
    const concurrent = (await Promise.all(Array.from({ length: 60 }, (_, i) => sources[i % 2]!.next(key)))).map(BigInt);
    expect(new Set(concurrent).size).toBe(concurrent.length);
    const sequential = [];
    for (let i = 0; i < 5; i++) sequential.push(BigInt(await sources[i % 2]!.next(key)));
    for (let i = 1; i < sequential.length; i++) expect(sequential[i]! > sequential[i - 1]!).toBe(true);
    expect(sequential[0]! > concurrent.reduce((max, n) => (n > max ? n : max), 0n)).toBe(true);
  });
});
