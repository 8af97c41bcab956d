// Resolving orders and card charges by hand over real HTTP: the outcome, the
// amounts, an event with cause MANUAL and the API key as actor, the review
// closed, subscribers told; refusals change nothing, another merchant's items
// do not exist, and of two concurrent decisions only one lands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, subscribe, wsClient, type TestApp } from '../support/harness.js';
import { ORDER_UPDATED, orderFromDb } from '../support/orders.js';
import { CARD_CHARGE_UPDATED, chargeFromDb } from '../cards/support.js';
import {
  RESOLVE_CARD_CHARGE,
  RESOLVE_ORDER,
  REVIEW_QUEUE,
  call,
  cardInReview,
  contradictedOrder,
  holdNextManualTransition,
  openBankOrder,
  startReviewApp,
  underpaidBankOrder,
  underpaidCashIn,
  type Merchant,
} from './support.js';

let t: TestApp;
let merchant: Merchant;
let actor: string;
beforeAll(async () => {
  ({ t, merchant, actor } = await startReviewApp());
});
afterAll(() => t.stop());

describe('resolving an order by hand', () => {
  const resolve = (variables: Record<string, unknown>, who: Merchant = merchant) => call(t.url, who.apiKey, RESOLVE_ORDER, variables);

  it('accepts an underpaid bank-transfer order with the amount settled on; a subscriber sees it, the queue no longer lists it', async () => {
    const order = await underpaidBankOrder(t, merchant, 150_000, 100_000);
    const client = wsClient(t.url, merchant.apiKey);
    const updates = subscribe(client, ORDER_UPDATED, { id: order.id });
    try {
      expect((await updates.next()).orderUpdated.status).toBe('NEEDS_REVIEW');
      // Money that differs from the amount is accepted only with the amount said.
      const unsaid = await resolve({ id: order.id, outcome: 'SUCCEEDED', note: 'ok' });
      expect(unsaid).toMatchObject({ __typename: 'ValidationError', field: 'settledAmount', message: expect.stringContaining('100000 đ arrived for 150000 đ') });
      expect((await orderFromDb(t.app, order.id)).events).toHaveLength(2);

      const note = 'Khách chuyển thiếu 50.000 đ, đã gọi xác nhận: chấp nhận 100.000 đ';
      const resolved = await resolve({ id: order.id, outcome: 'SUCCEEDED', settledAmount: '100000', note });
      expect(resolved.__typename).toBe('MutationResolveOrderSuccess');
      expect(resolved.data).toMatchObject({ status: 'SUCCEEDED', amount: '150000', settledAmount: '100000', reviewReason: 'UNDERPAID', reviewOpenedAt: null });
      expect(resolved.data.events.at(-1)).toEqual({ fromStatus: 'NEEDS_REVIEW', toStatus: 'SUCCEEDED', cause: 'MANUAL', actor, note });
      const seen = await updates.next((m) => m.orderUpdated.status === 'SUCCEEDED');
      expect(seen.orderUpdated).toMatchObject({ settledAmount: '100000', events: [{ toStatus: 'PENDING' }, { toStatus: 'NEEDS_REVIEW' }, { toStatus: 'SUCCEEDED', cause: 'MANUAL' }] });
    } finally {
      updates.dispose();
      await client.dispose();
    }
    const stored = await orderFromDb(t.app, order.id);
    expect([stored.status, stored.settledAmount, stored.reviewOpenedAt, stored.completedAt]).toEqual(['SUCCEEDED', 100_000n, null, expect.any(Date)]);
    expect(stored.events.map((e) => [e.fromStatus, e.toStatus, e.cause, e.actor])).toEqual([
      [null, 'PENDING', 'API', actor],
      ['PENDING', 'NEEDS_REVIEW', 'MATCH', actor],
      ['NEEDS_REVIEW', 'SUCCEEDED', 'MANUAL', actor],
    ]);
    expect(stored.events[2]!.payload).toMatchObject({ review: { reason: 'UNDERPAID', outcome: 'SUCCEEDED', settledAmount: '100000', previousSettledAmount: '100000' } });
    const queue = await call(t.url, merchant.apiKey, REVIEW_QUEUE, { filter: { kind: ['ORDER'] } });
    expect(queue.edges.map((edge: { node: { id: string } }) => edge.node.id)).not.toContain(order.id);
  });

  it('fails an underpaid AZConnectPay cash-in, keeping no money', async () => {
    const order = await underpaidCashIn(t, merchant, 200_000, 150_000);
    const withMoney = await resolve({ id: order.id, outcome: 'FAILED', settledAmount: '150000', note: 'hoàn tiền' });
    expect(withMoney).toMatchObject({ __typename: 'ValidationError', field: 'settledAmount' });
    const failed = await resolve({ id: order.id, outcome: 'FAILED', note: 'Đã hoàn 150.000 đ cho khách qua AZConnectPay' });
    expect(failed.data).toMatchObject({ status: 'FAILED', reviewOpenedAt: null });
    const stored = await orderFromDb(t.app, order.id);
    expect([stored.status, stored.reviewOpenedAt, stored.settledAmount]).toEqual(['FAILED', null, 150_000n]);
    expect(stored.events.at(-1)).toMatchObject({ fromStatus: 'NEEDS_REVIEW', toStatus: 'FAILED', cause: 'MANUAL', actor, note: 'Đã hoàn 150.000 đ cho khách qua AZConnectPay' });
  });

  it('closes the flag of a contradicted SUCCEEDED order as SUCCEEDED, and never fails it', async () => {
    const order = await contradictedOrder(t, merchant);
    const failing = await resolve({ id: order.id, outcome: 'FAILED', note: 'the bank says it bounced' });
    expect(failing).toMatchObject({ __typename: 'ReviewRefusedError', code: 'FINAL_STATUS', status: 'SUCCEEDED' });
    const untouched = await orderFromDb(t.app, order.id);
    expect([untouched.status, untouched.reviewOpenedAt, untouched.events.length]).toEqual(['SUCCEEDED', order.reviewOpenedAt, 2]);

    const closed = await resolve({ id: order.id, outcome: 'SUCCEEDED', note: 'checked the statement: the money is there' });
    expect(closed.data).toMatchObject({ status: 'SUCCEEDED', reviewReason: 'CONTRADICTED', reviewOpenedAt: null });
    const stored = await orderFromDb(t.app, order.id);
    expect([stored.status, stored.reviewOpenedAt, stored.completedAt]).toEqual(['SUCCEEDED', null, untouched.completedAt]);
    expect(stored.events.at(-1)).toMatchObject({ fromStatus: 'SUCCEEDED', toStatus: 'SUCCEEDED', cause: 'MANUAL', actor, note: 'checked the statement: the money is there' });
    const again = await resolve({ id: order.id, outcome: 'SUCCEEDED', note: 'again' });
    expect(again).toMatchObject({ __typename: 'ReviewRefusedError', code: 'NOT_IN_REVIEW', status: 'SUCCEEDED' });
    expect((await orderFromDb(t.app, order.id)).events).toHaveLength(3);
  });

  it("refuses an order that waits for no one, and does not find another merchant's, changing nothing", async () => {
    const open = await openBankOrder(t, merchant, 70_000);
    expect(await resolve({ id: open.id, outcome: 'SUCCEEDED', note: 'paid in cash' })).toMatchObject({ __typename: 'ReviewRefusedError', code: 'NOT_IN_REVIEW', status: 'PENDING' });
    const theirs = await underpaidBankOrder(t, merchant);
    const stranger = await createMerchant(t.app, 'Stranger');
    expect(await resolve({ id: theirs.id, outcome: 'SUCCEEDED', settledAmount: '100000', note: 'mine now' }, stranger)).toMatchObject({ __typename: 'NotFoundError', entity: 'Order' });
    expect(await resolve({ id: 'not-an-id', outcome: 'FAILED', note: 'x' })).toMatchObject({ __typename: 'NotFoundError' });
    expect(await resolve({ id: theirs.id, outcome: 'FAILED', note: '   ' })).toMatchObject({ __typename: 'ValidationError', field: 'note' });
    for (const id of [open.id, theirs.id]) {
      const stored = await orderFromDb(t.app, id);
      expect(stored.events.filter((e) => e.cause === 'MANUAL')).toEqual([]);
    }
    expect((await orderFromDb(t.app, theirs.id)).reviewOpenedAt).not.toBeNull();
  });

  it('lets one of two concurrent decisions land: the one that read the order first and wrote second is refused, writing nothing', async () => {
    const order = await underpaidBankOrder(t, merchant);
    const hold = holdNextManualTransition(t.app);
    try {
      // The first person has read NEEDS_REVIEW and accepts it as fully paid; before that is written, the second accepts 100 000 đ.
      const first = resolve({ id: order.id, outcome: 'SUCCEEDED', settledAmount: '150000', note: 'first person: paid the rest in cash' });
      await hold.arrived;
      const second = await resolve({ id: order.id, outcome: 'SUCCEEDED', settledAmount: '100000', note: 'second person: accept' });
      expect(second.data.status).toBe('SUCCEEDED');
      hold.release();
      expect(await first).toMatchObject({ __typename: 'ReviewRefusedError', code: 'NOT_IN_REVIEW', status: 'SUCCEEDED' });
    } finally {
      hold.restore();
    }
    const stored = await orderFromDb(t.app, order.id);
    expect([stored.status, stored.settledAmount]).toEqual(['SUCCEEDED', 100_000n]);
    expect(stored.events.filter((e) => e.cause === 'MANUAL').map((e) => e.note)).toEqual(['second person: accept']);

    // And a burst of decisions at once: exactly one lands.
    const burst = await underpaidBankOrder(t, merchant);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => resolve(i % 2 ? { id: burst.id, outcome: 'FAILED', note: `person ${i}` } : { id: burst.id, outcome: 'SUCCEEDED', settledAmount: '100000', note: `person ${i}` })),
    );
    expect(results.filter((r) => r.__typename === 'MutationResolveOrderSuccess')).toHaveLength(1);
    expect(results.filter((r) => r.__typename === 'ReviewRefusedError' && r.code === 'NOT_IN_REVIEW')).toHaveLength(5);
    expect((await orderFromDb(t.app, burst.id)).events.filter((e) => e.cause === 'MANUAL')).toHaveLength(1);
  });
});

describe('resolving a card charge by hand', () => {
  const resolve = (variables: Record<string, unknown>, who: Merchant = merchant) => call(t.url, who.apiKey, RESOLVE_CARD_CHARGE, variables);

  it('settles a charge in review with what the provider credited; cardChargeUpdated tells the subscriber', async () => {
    const charge = await cardInReview(t, merchant, 100_000n);
    const client = wsClient(t.url, merchant.apiKey);
    const updates = subscribe(client, CARD_CHARGE_UPDATED, { id: charge.id });
    try {
      expect((await updates.next()).cardChargeUpdated.status).toBe('NEEDS_REVIEW');
      expect(await resolve({ id: charge.id, outcome: 'SUCCEEDED', note: 'provider portal says charged' })).toMatchObject({ __typename: 'ValidationError', field: 'amountReceived' });
      const note = 'Cổng nhà cung cấp: thẻ 50.000 đ, nhận 35.000 đ';
      const resolved = await resolve({ id: charge.id, outcome: 'SUCCEEDED', realValue: '50000', amountReceived: '35000', note });
      expect(resolved.data).toMatchObject({ status: 'SUCCEEDED', declaredValue: '100000', realValue: '50000', amountReceived: '35000', valueMismatch: true, reviewReason: 'UNCONFIRMED_OUTCOME', reviewOpenedAt: null });
      expect(resolved.data.events.at(-1)).toEqual({ fromStatus: 'NEEDS_REVIEW', toStatus: 'SUCCEEDED', cause: 'MANUAL', actor, note });
      const seen = await updates.next((m) => m.cardChargeUpdated.status === 'SUCCEEDED');
      expect(seen.cardChargeUpdated).toMatchObject({ realValue: '50000', amountReceived: '35000', events: [{ toStatus: 'PENDING' }, { toStatus: 'SUCCEEDED', cause: 'MANUAL' }] });
    } finally {
      updates.dispose();
      await client.dispose();
    }
    const stored = await chargeFromDb(t.app, charge.id);
    expect([stored.status, stored.realValue, stored.amountReceived, stored.valueMismatch, stored.reviewOpenedAt, stored.completedAt]).toEqual(['SUCCEEDED', 50_000n, 35_000n, true, null, expect.any(Date)]);
    expect(stored.events.map((e) => [e.fromStatus, e.toStatus, e.cause, e.actor])).toEqual([
      [null, 'PENDING', 'API', actor],
      ['NEEDS_REVIEW', 'SUCCEEDED', 'MANUAL', actor],
    ]);
  });

  it('fails a charge crediting nothing, and refuses what waits for no one or is not yours', async () => {
    const charge = await cardInReview(t, merchant);
    const stranger = await createMerchant(t.app, 'Stranger');
    expect(await resolve({ id: charge.id, outcome: 'FAILED', note: 'not mine' }, stranger)).toMatchObject({ __typename: 'NotFoundError', entity: 'CardCharge' });
    expect(await resolve({ id: charge.id, outcome: 'FAILED', amountReceived: '1000', note: 'x' })).toMatchObject({ __typename: 'ValidationError', field: 'amountReceived' });
    expect((await chargeFromDb(t.app, charge.id)).events).toHaveLength(1);

    const failed = await resolve({ id: charge.id, outcome: 'FAILED', note: 'the provider never received the card' });
    expect(failed.data).toMatchObject({ status: 'FAILED', realValue: null, amountReceived: null, reviewOpenedAt: null });
    expect((await chargeFromDb(t.app, charge.id)).events.at(-1)).toMatchObject({ fromStatus: 'NEEDS_REVIEW', toStatus: 'FAILED', cause: 'MANUAL', actor });
    expect(await resolve({ id: charge.id, outcome: 'SUCCEEDED', amountReceived: '1000', note: 'changed my mind' })).toMatchObject({ __typename: 'ReviewRefusedError', code: 'NOT_IN_REVIEW', status: 'FAILED' });
  });

  it('closes the flag of a contradicted SUCCEEDED charge as SUCCEEDED only', async () => {
    const charge = await cardInReview(t, merchant);
    // In production a report contradicting a settled charge flags it (decision policy, branch `evidence`); here the test's database is set as it would.
    await t.app.db.prisma.cardCharge.update({ where: { id: charge.id }, data: { status: 'SUCCEEDED', realValue: 50_000n, amountReceived: 35_000n, reviewReason: 'CONTRADICTED', reviewOpenedAt: new Date() } });
    expect(await resolve({ id: charge.id, outcome: 'FAILED', note: 'bounced' })).toMatchObject({ __typename: 'ReviewRefusedError', code: 'FINAL_STATUS' });
    const closed = await resolve({ id: charge.id, outcome: 'SUCCEEDED', note: 'the provider confirmed the credit' });
    expect(closed.data).toMatchObject({ status: 'SUCCEEDED', amountReceived: '35000', reviewOpenedAt: null });
    expect((await chargeFromDb(t.app, charge.id)).events.at(-1)).toMatchObject({ fromStatus: 'SUCCEEDED', toStatus: 'SUCCEEDED', cause: 'MANUAL' });
  });

  it('lets exactly one of concurrent decisions land', async () => {
    const charge = await cardInReview(t, merchant);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => resolve(i % 2 ? { id: charge.id, outcome: 'FAILED', note: `person ${i}` } : { id: charge.id, outcome: 'SUCCEEDED', amountReceived: '35000', note: `person ${i}` })),
    );
    expect(results.filter((r) => r.__typename === 'MutationResolveCardChargeSuccess')).toHaveLength(1);
    expect(results.filter((r) => r.__typename === 'ReviewRefusedError' && r.code === 'NOT_IN_REVIEW')).toHaveLength(5);
    expect((await chargeFromDb(t.app, charge.id)).events.filter((e) => e.cause === 'MANUAL')).toHaveLength(1);
  });
});
