// Tying a bank line to an order by hand, and closing a line's review without
// tying it, over real HTTP: the order moves as the statement matcher would
// (cause MANUAL, the API key as actor, published), the line's review closes
// with the note, in one transaction; refusals change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeTransition } from '../../src/domain/order-status.js';
import { createMerchant, gql, subscribe, wsClient, type TestApp } from '../support/harness.js';
import { ORDER_UPDATED, createCashIn, orderFromDb } from '../support/orders.js';
import { bankLine, syncStatement } from '../bank/support.js';
import {
  CLOSE_BANK_TRANSACTION_REVIEW,
  MATCH_BANK_TRANSACTION,
  REVIEW_QUEUE,
  call,
  holdNextManualTransition,
  lineInReview,
  openBankOrder,
  paidBankOrder,
  startReviewApp,
  unclaimedLine,
  type Merchant,
} from './support.js';

let t: TestApp;
let merchant: Merchant;
let actor: string;
beforeAll(async () => {
  ({ t, merchant, actor } = await startReviewApp());
});
afterAll(() => t.stop());

describe('tying a bank line to an order by hand', () => {
  const match = (transactionId: string, orderId: string, note = 'khách quên ghi mã đơn', who: Merchant = merchant) => call(t.url, who.apiKey, MATCH_BANK_TRANSACTION, { transactionId, orderId, note });
  const lineFromDb = (id: string) => t.app.db.prisma.bankTransaction.findUniqueOrThrow({ where: { id } });

  it("pays an open order with a line of the exact amount; the order's subscriber sees it; the line leaves the queue with the note", async () => {
    const order = await openBankOrder(t, merchant, 120_000);
    const line = await lineInReview(t, merchant, 120_000);
    const client = wsClient(t.url, merchant.apiKey);
    const updates = subscribe(client, ORDER_UPDATED, { id: order.id });
    try {
      expect((await updates.next()).orderUpdated.status).toBe('PENDING');
      const note = 'Chị Hoa gọi: khoản 120.000 đ là đơn này';
      const tied = await match(line.id, order.id, note);
      expect(tied.__typename).toBe('MutationMatchBankTransactionSuccess');
      expect(tied.data).toMatchObject({ id: line.id, matched: true, matchNote: null, reviewReason: 'UNMATCHED_PAYMENT', reviewOpenedAt: null, reviewedBy: actor, reviewNote: note, reviewedAt: expect.any(String) });
      expect(tied.data.matchedOrder).toMatchObject({ id: order.id, status: 'SUCCEEDED', settledAmount: null });
      expect(tied.data.matchedOrder.events.at(-1)).toEqual({ fromStatus: 'PENDING', toStatus: 'SUCCEEDED', cause: 'MANUAL', actor, note });
      const seen = await updates.next((m) => m.orderUpdated.status === 'SUCCEEDED');
      expect(seen.orderUpdated.events.at(-1)).toEqual({ toStatus: 'SUCCEEDED', cause: 'MANUAL' });
    } finally {
      updates.dispose();
      await client.dispose();
    }
    const stored = await orderFromDb(t.app, order.id);
    expect([stored.status, stored.completedAt]).toEqual(['SUCCEEDED', expect.any(Date)]);
    expect(stored.events.at(-1)!.payload).toMatchObject({ bankTransactionId: line.id, refNo: line.refNo, amount: '120000' });
    expect(await lineFromDb(line.id)).toMatchObject({ matchedOrderId: order.id, reviewOpenedAt: null, reviewedBy: actor, reviewedAt: expect.any(Date) });
    const queue = await call(t.url, merchant.apiKey, REVIEW_QUEUE, {});
    expect(queue.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(line.id);
  });

  it('sends the order to review with both amounts when the line pays another amount, even a line that named no order', async () => {
    const order = await openBankOrder(t, merchant, 150_000);
    const line = await unclaimedLine(t, merchant, 100_000, 'Tien hang thang 11');
    const tied = await match(line.id, order.id);
    expect(tied.data.matchedOrder).toMatchObject({ id: order.id, status: 'NEEDS_REVIEW', settledAmount: '100000', reviewReason: 'UNDERPAID' });
    const stored = await orderFromDb(t.app, order.id);
    expect([stored.status, stored.settledAmount, stored.reviewReason, stored.reviewOpenedAt]).toEqual(['NEEDS_REVIEW', 100_000n, 'UNDERPAID', expect.any(Date)]);
    expect(stored.events.at(-1)).toMatchObject({ fromStatus: 'PENDING', toStatus: 'NEEDS_REVIEW', cause: 'MANUAL', actor });
    expect(await lineFromDb(line.id)).toMatchObject({ matchedOrderId: order.id, reviewOpenedAt: null, reviewedBy: actor });
    // The order now waits for a person, with what arrived.
    const queue = await call(t.url, merchant.apiKey, REVIEW_QUEUE, { filter: { kind: ['ORDER'] } });
    expect(queue.edges.map((edge: { node: any }) => [edge.node.id, edge.node.reason, edge.node.settledAmount])).toContainEqual([order.id, 'UNDERPAID', '100000']);
  });

  it('treats money for a closed order as the decision policy says: a late payment to review, or a typed refusal that changes nothing', async () => {
    const order = await openBankOrder(t, merchant, 80_000);
    const cancelled = await gql(t.url, `mutation($id: ID!) { cancelOrder(id: $id) { __typename } }`, { id: order.id }, merchant.apiKey);
    expect(cancelled.data.cancelOrder.__typename).toBe('MutationCancelOrderSuccess');
    const line = await lineInReview(t, merchant, 80_000);
    const tied = await match(line.id, order.id);
    const stored = await orderFromDb(t.app, order.id);
    // The policy table decides whether money may reopen a closed order (issue 12: it moves it to NEEDS_REVIEW, LATE_PAYMENT).
    if (judgeTransition('CANCELLED', 'NEEDS_REVIEW').kind === 'apply') {
      expect(tied.data.matchedOrder).toMatchObject({ status: 'NEEDS_REVIEW', reviewReason: 'LATE_PAYMENT', settledAmount: '80000' });
      expect(stored.events.at(-1)).toMatchObject({ fromStatus: 'CANCELLED', toStatus: 'NEEDS_REVIEW', cause: 'MANUAL' });
      expect((await lineFromDb(line.id)).matchedOrderId).toBe(order.id);
    } else {
      expect(tied).toMatchObject({ __typename: 'ReviewRefusedError', code: 'ORDER_CLOSED', status: 'CANCELLED' });
      // Only the merchant's own cancel: nothing of the refused match.
      expect([stored.status, stored.events.map((e) => e.toStatus)]).toEqual(['CANCELLED', ['PENDING', 'CANCELLED']]);
      expect(await lineFromDb(line.id)).toMatchObject({ matchedOrderId: null, reviewOpenedAt: line.reviewOpenedAt, reviewedBy: null });
    }
  });

  it("refuses a line already tied, money going out, another merchant's order, a paid order and an order the statement cannot pay, changing nothing", async () => {
    const line = await lineInReview(t, merchant, 60_000);
    const paid = await paidBankOrder(t, merchant, 60_000);
    const paidLine = await t.app.db.prisma.bankTransaction.findFirstOrThrow({ where: { matchedOrderId: paid.id } });
    const open = await openBankOrder(t, merchant, 60_000);
    const outgoing = await bankLine(t.app, { direction: 'out', amount: 60_000, description: 'chi luong' });
    await syncStatement(t.url, merchant.apiKey);
    const outLine = await t.app.db.prisma.bankTransaction.findFirstOrThrow({ where: { merchantId: merchant.merchantId, refNo: outgoing.ref_no } });
    const stranger = await createMerchant(t.app, 'Stranger');
    const theirs = await openBankOrder(t, stranger, 60_000);
    const cashIn = (await createCashIn(t.url, merchant.apiKey, { amount: '60000', idempotencyKey: 'not-a-bank-transfer' })).data;

    expect(await match(paidLine.id, open.id)).toMatchObject({ __typename: 'ReviewRefusedError', code: 'ALREADY_MATCHED' });
    expect(await match(outLine.id, open.id)).toMatchObject({ __typename: 'ReviewRefusedError', code: 'NOT_INCOMING' });
    expect(await match(line.id, theirs.id)).toMatchObject({ __typename: 'NotFoundError', entity: 'Order' });
    expect(await match(line.id, open.id, 'x', stranger)).toMatchObject({ __typename: 'NotFoundError', entity: 'Transaction' });
    expect(await match(line.id, paid.id)).toMatchObject({ __typename: 'ReviewRefusedError', code: 'ORDER_SETTLED', status: 'SUCCEEDED' });
    expect(await match(line.id, cashIn.id)).toMatchObject({ __typename: 'ReviewRefusedError', code: 'NOT_BANK_TRANSFER' });
    expect(await match(line.id, open.id, '')).toMatchObject({ __typename: 'ValidationError', field: 'note' });

    expect(await lineFromDb(line.id)).toMatchObject({ matchedOrderId: null, reviewOpenedAt: line.reviewOpenedAt, reviewedBy: null });
    for (const id of [open.id, theirs.id, paid.id, cashIn.id]) expect((await orderFromDb(t.app, id)).events.some((e) => e.cause === 'MANUAL')).toBe(false);
    expect((await orderFromDb(t.app, open.id)).status).toBe('PENDING');
  });

  it('ties a line once when two people tie it to two orders at the same time: the loser changes neither its order nor the line', async () => {
    const line = await lineInReview(t, merchant, 45_000);
    const a = await openBankOrder(t, merchant, 45_000);
    const b = await openBankOrder(t, merchant, 45_000);
    const hold = holdNextManualTransition(t.app);
    try {
      const first = match(line.id, a.id, 'first person: order A');
      await hold.arrived;
      const second = await match(line.id, b.id, 'second person: order B');
      expect(second.data.matchedOrder).toMatchObject({ id: b.id, status: 'SUCCEEDED' });
      hold.release();
      expect(await first).toMatchObject({ __typename: 'ReviewRefusedError', code: 'ALREADY_MATCHED' });
    } finally {
      hold.restore();
    }
    // Order A's transition was written in the same transaction as the line: rolled back with it.
    const orderA = await orderFromDb(t.app, a.id);
    expect([orderA.status, orderA.events.length]).toEqual(['PENDING', 1]);
    expect(await lineFromDb(line.id)).toMatchObject({ matchedOrderId: b.id, reviewNote: 'second person: order B' });
  });
});

describe("closing a bank line's review without tying it", () => {
  const close = (transactionId: string, note: string, who: Merchant = merchant) => call(t.url, who.apiKey, CLOSE_BANK_TRANSACTION_REVIEW, { transactionId, note });

  it('takes the line out of the queue with who, when and why; once', async () => {
    const line = await lineInReview(t, merchant, 33_000);
    const stranger = await createMerchant(t.app, 'Stranger');
    expect(await close(line.id, 'not ours', stranger)).toMatchObject({ __typename: 'NotFoundError', entity: 'Transaction' });
    expect(await close(line.id, ' ')).toMatchObject({ __typename: 'ValidationError', field: 'note' });

    const note = 'Tiền nhà chuyển nhầm, đã hoàn lại';
    const closed = await close(line.id, note);
    expect(closed.data).toMatchObject({ id: line.id, matched: false, matchedOrder: null, reviewReason: 'UNMATCHED_PAYMENT', reviewOpenedAt: null, reviewedBy: actor, reviewNote: note });
    expect(await t.app.db.prisma.bankTransaction.findUniqueOrThrow({ where: { id: line.id } })).toMatchObject({ reviewOpenedAt: null, reviewedBy: actor, reviewNote: note, reviewedAt: expect.any(Date), matchedOrderId: null });
    const queue = await call(t.url, merchant.apiKey, REVIEW_QUEUE, { first: 100, filter: { kind: ['BANK_TRANSACTION'] } });
    expect(queue.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(line.id);
    expect(await close(line.id, 'again')).toMatchObject({ __typename: 'ReviewRefusedError', code: 'NOT_IN_REVIEW' });
  });
});
