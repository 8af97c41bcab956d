// Fan-out: the subscribers of one order share one subscription on the bus;
// each still receives every change, and the shared one closes with the last.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, startTestApp, subscribe, until, wsClient, type TestApp } from '../support/harness.js';
import { createCashIn, isOutcome, ORDER_UPDATED, sandboxControl } from '../support/orders.js';

describe('orderUpdated fan-out', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ WORKERS: 'false' });
  });
  afterAll(() => t?.stop());

  it('gives five subscribers of one order one bus subscription, and each of them the change', async () => {
    const merchant = await createMerchant(t.app);
    const { data: order } = await createCashIn(t.url, merchant.apiKey, { amount: '120000', idempotencyKey: 'fan-out' });
    const opened = t.app.services.orderChanges.size;
    const clients = Array.from({ length: 5 }, () => wsClient(t.url, merchant.apiKey));
    const feeds = clients.map((client) => subscribe(client, ORDER_UPDATED, { id: order.id }));
    try {
      for (const feed of feeds) expect((await feed.next()).orderUpdated.status).toBe('PENDING');
      expect(t.app.services.orderChanges.size).toBe(opened + 1);

      await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'once' });
      for (const feed of feeds) expect((await feed.next((m) => isOutcome(m.orderUpdated.status))).orderUpdated.status).toBe('SUCCEEDED');
    } finally {
      for (const feed of feeds) feed.dispose();
      await Promise.all(clients.map((client) => client.dispose()));
    }
    await until(async () => t.app.services.orderChanges.size === opened);
  });
});
