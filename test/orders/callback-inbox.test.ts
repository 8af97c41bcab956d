// The callback inbox de-duplicates: a provider resending the same callback
// (after a timeout, or several times at once) gets the same answer, while the
// order is changed and the inbox written exactly once. AZConnectPay signs
// nothing, so each callback is a hint that makes us ask (hints arriving
// together share one query) and the inbox is keyed on what the query said:
// a new state at the provider is a new event, the same state is not.
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app-setup.js';
import { createCashIn, orderFromDb, sandboxControl, countStatusQueries } from '../support/orders.js';

describe('callback inbox de-duplication', () => {
  const { t, merchant } = useTestApp({ WORKERS: 'false' });

  /** A cash-in the payer has paid at AZConnectPay, whose callback has not been sent (the test sends it). */
  async function paidOrder(key: string, amount: number) {
    const { data: order } = await createCashIn(t.url, merchant.apiKey, { amount: String(amount), idempotencyKey: key });
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'none' });
    return order as { id: string; requestId: string };
  }

  const post = (requestId: string, body: string) =>
    fetch(`${t.url}/callbacks/azconnectpay?ref=${requestId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(async (response) => ({
      status: response.status,
      body: await response.text(),
    }));

  async function expectAppliedOnce(orderId: string) {
    const stored = await orderFromDb(t.app, orderId);
    expect(stored.status).toBe('SUCCEEDED');
    expect(stored.events.map((e) => [e.toStatus, e.cause])).toEqual([
      ['PENDING', 'API'],
      ['SUCCEEDED', 'CALLBACK'],
    ]);
    const inbox = await t.app.db.prisma.callbackInbox.findMany({ where: { orderId } });
    expect(inbox.map((row) => [row.status, row.attempts])).toEqual([['PROCESSED', 1]]);
  }

  it('answers a resent callback like the first and applies it once', async () => {
    const order = await paidOrder('resent', 131_000);
    const body = JSON.stringify({ request_id: order.requestId, amount: 131000, status: 'SUCCESS' });
    const queries = countStatusQueries(t.app, order.requestId);
    try {
      const first = await post(order.requestId, body);
      const again = await post(order.requestId, body);
      expect(first).toEqual({ status: 200, body: '{"success":true}' });
      expect(again).toEqual(first);
      // The resend came after the first was settled: it asks again, and hears the state already recorded.
      expect(queries.count()).toBe(2);
    } finally {
      queries.restore();
    }
    await expectAppliedOnce(order.id);
  });

  it('records one of five identical callbacks arriving at once', async () => {
    const order = await paidOrder('burst', 132_000);
    const body = JSON.stringify({ request_id: order.requestId, amount: 132000, status: 'SUCCESS' });
    const queries = countStatusQueries(t.app, order.requestId);
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, () => post(order.requestId, body)));
      expect(answers).toEqual(Array.from({ length: 5 }, () => ({ status: 200, body: '{"success":true}' })));
      // Never more than one query per hint; those in flight together share one.
      expect(queries.count()).toBeGreaterThanOrEqual(1);
      expect(queries.count()).toBeLessThanOrEqual(5);
    } finally {
      queries.restore();
    }
    await expectAppliedOnce(order.id);
  });

  it('records a callback after the provider state changed as a new event', async () => {
    const { data: order } = await createCashIn(t.url, merchant.apiKey, { amount: '133000', idempotencyKey: 'two-events' });
    await post(order.requestId, JSON.stringify({ request_id: order.requestId, amount: 133000, status: 'PENDING' }));
    expect((await orderFromDb(t.app, order.id)).status).toBe('PENDING');
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'none' });
    await post(order.requestId, JSON.stringify({ request_id: order.requestId, amount: 133000, status: 'SUCCESS' }));
    const inbox = await t.app.db.prisma.callbackInbox.findMany({ where: { orderId: order.id }, orderBy: { receivedAt: 'asc' } });
    expect(inbox).toHaveLength(2);
    expect((await orderFromDb(t.app, order.id)).status).toBe('SUCCEEDED');
  });
});
