// Expiry, driven pass by pass: the app runs without workers and the test calls
// the poller's own pass, so every poll and every expiry below is one the test
// caused and awaited (no clock, no sleeping). A collecting order expires only
// once its time is up; a bank-transfer order (no provider to ask) likewise.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app-setup.js';
import { createCashIn, orderFromDb, countStatusQueries } from '../support/orders.js';
import { newOrder } from '../bank/support.js';
import { OrderPoller } from '../../src/workers/order-poller.js';

describe('expiry by the poller', () => {
  const { t, merchant } = useTestApp({ WORKERS: 'false' });
  let poller: OrderPoller;

  beforeAll(async () => {
    const { services } = t.app;
    // intervalMs 0: every pass finds each open order due again.
    poller = new OrderPoller(t.app.db.prisma, services.orders, services.transitions, t.app.logger, { intervalMs: 0, tickMs: 1_000, batchSize: 20, payoutDeadlineMinutes: 60 });
  });

  it('keeps a collecting order pending through several polls before its expiry, and expires it once the time is up', async () => {
    const { data: order } = await createCashIn(t.url, merchant.apiKey, { amount: '115000', idempotencyKey: 'not-yet' });
    const prisma = t.app.db.prisma;
    await prisma.order.update({ where: { id: order.id }, data: { nextPollAt: new Date(Date.now() - 1000) } });
    const queries = countStatusQueries(t.app, order.requestId);
    try {
      for (let pass = 0; pass < 3; pass++) await poller.pass();
      const polled = await orderFromDb(t.app, order.id);
      expect(polled.status).toBe('PENDING');
      expect(polled.events.map((e) => e.toStatus)).toEqual(['PENDING']);
      expect(queries.count()).toBe(3);

      // Now its time is up: the next poll hears "still unpaid" and expires it.
      await prisma.order.update({ where: { id: order.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      await poller.pass();
      expect(queries.count()).toBe(4);
    } finally {
      queries.restore();
    }
    const expired = await orderFromDb(t.app, order.id);
    expect(expired.status).toBe('EXPIRED');
    expect(expired.events.at(-1)).toMatchObject({ fromStatus: 'PENDING', toStatus: 'EXPIRED', cause: 'EXPIRY', actor: 'worker:poller' });
  });

  it('expires an overdue bank-transfer order and leaves one not yet due', async () => {
    const overdue = await newOrder(t.url, merchant.apiKey, '210000', 'bt-overdue');
    const notYetDue = await newOrder(t.url, merchant.apiKey, '220000', 'bt-not-yet');
    await t.app.db.prisma.order.update({ where: { id: overdue.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await poller.pass();

    const expired = await orderFromDb(t.app, overdue.id);
    expect(expired.status).toBe('EXPIRED');
    expect(expired.events.map((e) => [e.fromStatus, e.toStatus, e.cause, e.actor])).toEqual([
      [null, 'PENDING', 'API', expect.stringMatching(/^api-key:/)],
      ['PENDING', 'EXPIRED', 'EXPIRY', 'worker:poller'],
    ]);
    const open = await orderFromDb(t.app, notYetDue.id);
    expect(open.status).toBe('PENDING');
    expect(open.events).toHaveLength(1);
  });
});
