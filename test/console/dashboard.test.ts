// The overview's aggregates: today's money per provider, method and direction
// (moneyFlow) and the review queue by age (reviewQueueAge) — exact sums over
// real and stored rows, Vietnam's day, the merchant's own rows only, and a
// fixed number of SQL statements whatever the number of rows.
import { describe, expect, it } from 'vitest';
import { createMerchant, gql, statementsDuring } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { createCashIn, sandboxControl, waitForStatus } from '../support/orders.js';
import { vietnamToday } from '../../src/services/dashboard.js';
import type { Prisma } from '../../src/generated/prisma/client.js';

const MONEY_FLOW = `query($from: DateTime, $to: DateTime) {
  moneyFlow(from: $from, to: $to) {
    __typename
    ... on QueryMoneyFlowSuccess { data { from to totalIn totalOut groups { direction provider kind method gateway count amount } } }
    ... on ValidationError { field message }
  }
}`;

const REVIEW_AGE = `{ reviewQueueAge { total oldestOpenedAt buckets { minMinutes maxMinutes orders cardCharges bankTransactions count } } }`;

const HOUR = 60 * 60 * 1000;

describe('the overview aggregates', () => {
  const { t, merchants: [shop, other] } = useTestApp({ WORKERS: 'false' }, ['Overview shop', 'Another shop']);
  let serial = 0;

  const order = (merchantId: string, data: Partial<Prisma.OrderUncheckedCreateInput>) =>
    t.app.db.prisma.order.create({
      data: { merchantId, provider: 'AZCONNECTPAY', kind: 'CASH_IN', method: 'bank', amount: 100_000n, requestId: `PGDASH${++serial}`, status: 'SUCCEEDED', submitted: true, completedAt: new Date(), ...data },
    });
  const card = (merchantId: string, data: Partial<Prisma.CardChargeUncheckedCreateInput>) =>
    t.app.db.prisma.cardCharge.create({
      data: { merchantId, telco: 'VIETTEL', declaredValue: 50_000n, requestId: `PGDASHCARD${++serial}`, sealedCard: 'x', maskedCode: '…1234', maskedSerial: '…5678', status: 'SUCCEEDED', amountReceived: 42_000n, completedAt: new Date(), ...data },
    });

  async function moneyFlow(merchant: { apiKey: string }, variables: Record<string, unknown> = {}) {
    const response = await gql(t.url, MONEY_FLOW, variables, merchant.apiKey);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data.moneyFlow;
  }

  it("sums today's settled orders and card charges per provider, method and direction", async () => {
    // A cash-in paid for real: the sandbox's callback settles it.
    const { data: paid } = await createCashIn(t.url, shop.apiKey, { amount: '150000', idempotencyKey: 'dash-paid' });
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: paid.requestId, outcome: 'succeed', callback: 'once' });
    expect(await waitForStatus(t.app, paid.id, ['SUCCEEDED'])).toBe('SUCCEEDED');
    const today = vietnamToday();
    // Accepted at another amount than asked: what was accepted counts.
    await order(shop.merchantId, { amount: 50_000n, settledAmount: 40_000n });
    await order(shop.merchantId, { kind: 'CASH_OUT', amount: 200_000n });
    await order(shop.merchantId, { provider: 'APINGANHANG', kind: 'HUB_PAYIN', method: 'bank_qr', gateway: 'sharkpay', amount: 300_000n, completedAt: today.from });
    await card(shop.merchantId, {});
    // None of these: not settled, settled yesterday (Vietnam time) or tomorrow, another merchant's.
    await order(shop.merchantId, { status: 'FAILED', amount: 1_000n });
    await order(shop.merchantId, { status: 'NEEDS_REVIEW', amount: 2_000n, completedAt: null });
    await order(shop.merchantId, { amount: 3_000n, completedAt: new Date(today.from.getTime() - 1) });
    await order(shop.merchantId, { amount: 4_000n, completedAt: today.to });
    await card(shop.merchantId, { status: 'FAILED', amountReceived: null });
    await order(other.merchantId, { amount: 5_000n });
    await card(other.merchantId, {});

    const flow = await moneyFlow(shop);
    expect(flow.__typename).toBe('QueryMoneyFlowSuccess');
    expect([flow.data.from, flow.data.to]).toEqual([today.from.toISOString(), today.to.toISOString()]);
    expect(new Date(flow.data.from).toISOString()).toMatch(/T17:00:00\.000Z$/); // 00:00 in Vietnam
    expect(flow.data.groups).toEqual([
      { direction: 'IN', provider: 'APINGANHANG', kind: 'HUB_PAYIN', method: 'bank_qr', gateway: 'sharkpay', count: 1, amount: '300000' },
      { direction: 'IN', provider: 'AZCONNECTPAY', kind: 'CASH_IN', method: 'bank', gateway: null, count: 2, amount: '190000' },
      { direction: 'IN', provider: 'CARD', kind: null, method: 'VIETTEL', gateway: null, count: 1, amount: '42000' },
      { direction: 'OUT', provider: 'AZCONNECTPAY', kind: 'CASH_OUT', method: 'bank', gateway: null, count: 1, amount: '200000' },
    ]);
    expect([flow.data.totalIn, flow.data.totalOut]).toEqual(['532000', '200000']);

    // Another period: yesterday holds the one settled then.
    const yesterday = await moneyFlow(shop, { from: new Date(today.from.getTime() - 24 * HOUR).toISOString(), to: today.from.toISOString() });
    expect(yesterday.data.groups).toEqual([{ direction: 'IN', provider: 'AZCONNECTPAY', kind: 'CASH_IN', method: 'bank', gateway: null, count: 1, amount: '3000' }]);
    // The other merchant sees its own only.
    expect((await moneyFlow(other)).data.totalIn).toBe('47000');
  });

  it('costs the same few SQL statements for 1 settled order as for 40', async () => {
    const merchant = await createMerchant(t.app, 'Counted shop');
    const count = async () => {
      const { result, statements } = await statementsDuring(t.app, () => moneyFlow(merchant));
      expect(result.__typename).toBe('QueryMoneyFlowSuccess');
      return statements.length;
    };
    await order(merchant.merchantId, { method: 'momo' });
    // Both counted with the key already known to the instance (it caches valid keys): like with like.
    await gql(t.url, '{ merchant { id } }', {}, merchant.apiKey);
    const one = await count();
    for (let i = 0; i < 39; i++) await order(merchant.merchantId, { method: i % 2 ? 'momo' : 'bank', kind: i % 3 ? 'CASH_IN' : 'CASH_OUT' });
    expect(await count()).toBe(one);
    expect(one).toBeLessThanOrEqual(4); // two order aggregates, one card aggregate (and the key, were it not cached)
  });

  it('refuses a period that ends before it starts or spans more than 31 days, naming the field', async () => {
    const backwards = await moneyFlow(shop, { from: '2026-11-30T00:00:00Z', to: '2026-11-29T00:00:00Z' });
    expect(backwards).toEqual({ __typename: 'ValidationError', field: 'to', message: 'to: must be after from' });
    const long = await moneyFlow(shop, { from: '2026-10-01T00:00:00Z', to: '2026-11-30T00:00:00Z' });
    expect(long).toEqual({ __typename: 'ValidationError', field: 'to', message: 'to: at most 31 days after from' });
  });

  it('counts the review queue by age and kind, the merchant’s own items only', async () => {
    const merchant = await createMerchant(t.app, 'Queue shop');
    const ago = (hours: number) => new Date(Date.now() - hours * HOUR);
    await order(merchant.merchantId, { status: 'NEEDS_REVIEW', reviewReason: 'UNDERPAID', reviewOpenedAt: ago(0.1), completedAt: null });
    await order(merchant.merchantId, { status: 'NEEDS_REVIEW', reviewReason: 'OVERPAID', reviewOpenedAt: ago(2), completedAt: null });
    await order(merchant.merchantId, { reviewReason: 'CONTRADICTED', reviewOpenedAt: ago(30) });
    await card(merchant.merchantId, { status: 'NEEDS_REVIEW', reviewReason: 'UNCONFIRMED_OUTCOME', reviewOpenedAt: ago(5), amountReceived: null });
    const oldest = ago(100);
    await t.app.db.prisma.bankTransaction.create({
      data: { merchantId: merchant.merchantId, bank: 'MBBANK', refNo: `FTDASH${++serial}`, amount: 75_000n, direction: 'IN', source: 'POLL', transactionTime: oldest, reviewReason: 'UNMATCHED_PAYMENT', reviewOpenedAt: oldest },
    });
    // Resolved (no reviewOpenedAt) and another merchant's: not counted.
    await order(merchant.merchantId, { reviewReason: 'UNDERPAID', reviewOpenedAt: null });
    await order(other.merchantId, { status: 'NEEDS_REVIEW', reviewReason: 'UNDERPAID', reviewOpenedAt: ago(1), completedAt: null });

    const response = await gql(t.url, REVIEW_AGE, {}, merchant.apiKey);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const age = response.data.reviewQueueAge;
    expect(age.total).toBe(5);
    expect(age.oldestOpenedAt).toBe(oldest.toISOString());
    expect(age.buckets).toEqual([
      { minMinutes: 0, maxMinutes: 60, orders: 1, cardCharges: 0, bankTransactions: 0, count: 1 },
      { minMinutes: 60, maxMinutes: 240, orders: 1, cardCharges: 0, bankTransactions: 0, count: 1 },
      { minMinutes: 240, maxMinutes: 1440, orders: 0, cardCharges: 1, bankTransactions: 0, count: 1 },
      { minMinutes: 1440, maxMinutes: 4320, orders: 1, cardCharges: 0, bankTransactions: 0, count: 1 },
      { minMinutes: 4320, maxMinutes: null, orders: 0, cardCharges: 0, bankTransactions: 1, count: 1 },
    ]);
    // The queue itself agrees on the total.
    const queue = await gql(t.url, `{ reviewQueue(first: 1) { totalCount } }`, {}, merchant.apiKey);
    expect(queue.data.reviewQueue.totalCount).toBe(5);
  });

  it('answers an empty queue with five empty buckets', async () => {
    const merchant = await createMerchant(t.app, 'Empty shop');
    const response = await gql(t.url, REVIEW_AGE, {}, merchant.apiKey);
    expect(response.data.reviewQueueAge.total).toBe(0);
    expect(response.data.reviewQueueAge.oldestOpenedAt).toBeNull();
    expect(response.data.reviewQueueAge.buckets.map((b: { count: number }) => b.count)).toEqual([0, 0, 0, 0, 0]);
  });
});
