// Bank lines decided on evidence (issue 12), end to end: the signed
// transaction.confirmed webhook replayed with its unsigned fields altered,
// second payments, lines that name codes but tie to no one order, and money
// for an order already closed. Over real HTTP against the API Ngân hàng
// simulator; the database checked afterwards.
import { describe, expect, it } from 'vitest';
import { gql } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { orderFromDb, sandboxControl } from '../support/orders.js';
import { bankLine, newOrder, postWebhook, signedWebhook, syncStatement } from '../bank/support.js';

describe('bank lines decided on evidence', () => {
  // No workers: every import below is the test's own syncBankStatement or a webhook.
  const { t, merchant } = useTestApp({ WORKERS: 'false' });

  const linesOf = (refNo: string) => t.app.db.prisma.bankTransaction.findMany({ where: { merchantId: merchant.merchantId, refNo } });

  it('takes a signed webhook replayed with its unsigned bank and account changed as the same event: one line, one payment', async () => {
    const order = await newOrder(t.url, merchant.apiKey, '140000', 'replay-altered');
    const { transaction } = await sandboxControl(t.app, 'apinganhang', 'transactions', { direction: 'in', amount: 140_000, description: `TT ${order.requestId}`, order_code: order.requestId, webhook: 'replay-altered' });
    await t.app.sandbox!.idle();
    const deliveries = (await (await fetch(`${t.app.sandbox!.baseUrl('apinganhang')}/_sandbox/state`)).json()).deliveries as { body: string; status: number }[];
    const sent = deliveries.filter((delivery) => delivery.body?.includes(transaction.ref_no));
    expect(sent.map((delivery) => [JSON.parse(delivery.body).bank, delivery.status])).toEqual([
      ['MBBANK', 200],
      ['MBBANKX', 200],
    ]);
    const lines = await linesOf(transaction.ref_no);
    expect(lines.map((line) => [line.bank, line.accountNumber, line.amount, line.matchedOrderId])).toEqual([['MBBANK', '0368492618', 140_000n, order.id]]);
    expect(await t.app.db.prisma.callbackInbox.count({ where: { merchantId: merchant.merchantId, eventKey: `transaction.confirmed:${transaction.ref_no}` } })).toBe(1);
    const stored = await orderFromDb(t.app, order.id);
    expect(stored.status).toBe('SUCCEEDED');
    expect(stored.events).toHaveLength(2);
  });

  it('flags a second payment for a paid order as a duplicate payment, leaving the order alone', async () => {
    const order = await newOrder(t.url, merchant.apiKey, '150000', 'duplicate-payment');
    // Booked a minute apart: the first transfer is the one that pays.
    await bankLine(t.app, { amount: 150_000, description: `CK ${order.requestId}`, at: new Date(Date.now() - 60_000).toISOString() });
    const second = await bankLine(t.app, { amount: 150_000, description: `CK lan 2 ${order.requestId}`, at: new Date().toISOString() });
    await syncStatement(t.url, merchant.apiKey);
    const [line] = await linesOf(second.ref_no);
    expect(line).toMatchObject({ matchedOrderId: order.id, reviewReason: 'DUPLICATE_PAYMENT' });
    expect(line!.reviewOpenedAt).toBeInstanceOf(Date);
    expect(line!.matchNote).toMatch(/extra payment/);
    const stored = await orderFromDb(t.app, order.id);
    expect([stored.status, stored.reviewReason, stored.events.length]).toEqual(['SUCCEEDED', null, 2]);
  });

  it('puts a line that names two orders and pays neither exactly in the review queue as unmatched', async () => {
    const a = await newOrder(t.url, merchant.apiKey, '160000', 'ambiguous-a');
    const b = await newOrder(t.url, merchant.apiKey, '160000', 'ambiguous-b');
    const line = await bankLine(t.app, { amount: 320_000, description: `${a.requestId} ${b.requestId}` });
    await syncStatement(t.url, merchant.apiKey);
    const [stored] = await linesOf(line.ref_no);
    expect(stored).toMatchObject({ matchedOrderId: null, reviewReason: 'UNMATCHED_PAYMENT' });
    expect(stored!.reviewOpenedAt).toBeInstanceOf(Date);
    expect((await orderFromDb(t.app, a.id)).status).toBe('PENDING');
  });

  it('puts incoming money the provider names for an order code we do not have in the review queue', async () => {
    const response = await postWebhook(t.url, signedWebhook({ order_code: 'INV-NOT-OURS-1', amount: 170_000, trans_id: `FT-UNMATCHED-${Date.now()}`, paid_at: Math.floor(Date.now() / 1000) }), `?merchant=${merchant.merchantId}`);
    expect(response).toEqual({ status: 200, body: '{"received":true}' });
    const [line] = await t.app.db.prisma.bankTransaction.findMany({ where: { merchantId: merchant.merchantId, providerOrderCode: 'INV-NOT-OURS-1' } });
    expect(line).toMatchObject({ direction: 'IN', amount: 170_000n, matchedOrderId: null, reviewReason: 'UNMATCHED_PAYMENT' });
  });

  it('sends a cancelled order that is paid after all to review as a late payment, the line linked to it', async () => {
    const order = await newOrder(t.url, merchant.apiKey, '180000', 'late-bank-transfer');
    const cancelled = await gql(t.url, `mutation($id: ID!) { cancelOrder(id: $id) { __typename ... on MutationCancelOrderSuccess { data { status } } } }`, { id: order.id }, merchant.apiKey);
    expect(cancelled.data.cancelOrder.data.status).toBe('CANCELLED');
    const line = await bankLine(t.app, { amount: 180_000, description: `TT ${order.requestId}` });
    await syncStatement(t.url, merchant.apiKey);
    const stored = await orderFromDb(t.app, order.id);
    expect(stored).toMatchObject({ status: 'NEEDS_REVIEW', reviewReason: 'LATE_PAYMENT', settledAmount: 180_000n });
    expect(stored.reviewOpenedAt).toBeInstanceOf(Date);
    expect(stored.events.at(-1)).toMatchObject({ fromStatus: 'CANCELLED', toStatus: 'NEEDS_REVIEW', cause: 'MATCH', rawStatus: line.ref_no });
    const [linked] = await linesOf(line.ref_no);
    expect(linked).toMatchObject({ matchedOrderId: order.id, reviewReason: null });
    expect(linked!.matchNote).toMatch(/CANCELLED/);
  });
});
