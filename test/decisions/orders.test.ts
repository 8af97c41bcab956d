// Money decisions on evidence only (issue 12), end to end over real HTTP
// against the sandbox, the database checked afterwards: undocumented values
// kept raw and never closing an order, payouts that never fail by guess,
// deadlines, late payments, contradictions, callbacks ahead of the provider,
// callbacks located within the account they name, and hints that cannot
// flood us.
import { describe, expect, it } from 'vitest';
import { createMerchant, gql, startTestApp } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { orderFromDb, sandboxControl, waitForStatus } from '../support/orders.js';
import { create, created, deadlineReached, PAYEE } from './support.js';

describe('deciding orders on evidence', () => {
  // The poller looks often, so a deadline is acted on as soon as a test moves it.
  const { t, merchant } = useTestApp({ POLL_INTERVAL_MS: '200', STATEMENT_IMPORT_INTERVAL_MS: '3600000' });
  let key = 0;
  const idem = () => `decide-${++key}`;

  it('keeps an undocumented WowPay value raw, and at expiry sends the order to review instead of expiring a paid order', async () => {
    const order = await created(t.url, merchant.apiKey, 'CreateHubPayin', { gateway: 'WOWPAY', channel: 'bankcard', amount: '210000', idempotencyKey: idem() });
    // The gateway settles it with a value no document shows.
    await sandboxControl(t.app, 'apinganhang', 'settle', { merchant_order_no: order.requestId, gateway: 'wowpay', outcome: 'succeed', raw_status: '1', callback: 'once' });
    await t.app.sandbox!.idle();
    let stored = await orderFromDb(t.app, order.id);
    expect([stored.status, stored.rawStatus, stored.reviewReason]).toEqual(['PENDING', '1', null]);
    expect(await t.app.db.prisma.callbackInbox.count({ where: { orderId: order.id } })).toBe(1);

    await deadlineReached(t.app, order.id);
    expect(await waitForStatus(t.app, order.id, ['NEEDS_REVIEW', 'EXPIRED'])).toBe('NEEDS_REVIEW');
    stored = await orderFromDb(t.app, order.id);
    expect(stored).toMatchObject({ status: 'NEEDS_REVIEW', reviewReason: 'PROVIDER_STATUS_UNKNOWN', rawStatus: '1' });
    expect(stored.reviewOpenedAt).toBeInstanceOf(Date);
    expect(stored.events.at(-1)).toMatchObject({ fromStatus: 'PENDING', toStatus: 'NEEDS_REVIEW', cause: 'EXPIRY', actor: 'worker:poller', rawStatus: '1' });
  });

  it('closes at its deadline a cash-in whose create got HTTP 500 and which the provider then does not know', async () => {
    await sandboxControl(t.app, 'azconnectpay', 'steer', { operation: 'cash-in', behaviour: { kind: 'http-500' } });
    const answer = await create(t.url, merchant.apiKey, 'CreateCashIn', { method: 'BANK', amount: '230000', idempotencyKey: idem() });
    expect(answer).toMatchObject({ __typename: 'ProviderUnavailableError', outcomeUnknown: true });
    const orderId = answer.orderId as string;
    // Before the deadline, "not found" waits (a provider may not show a new order yet): kept raw, still pending.
    const refreshed = await gql(t.url, `mutation($id: ID!) { refreshOrder(id: $id) { ... on MutationRefreshOrderSuccess { data { status rawStatus } } } }`, { id: orderId }, merchant.apiKey);
    expect(refreshed.data.refreshOrder.data).toEqual({ status: 'PENDING', rawStatus: 'NOT_FOUND' });
    await deadlineReached(t.app, orderId);
    expect(await waitForStatus(t.app, orderId, ['EXPIRED', 'NEEDS_REVIEW'])).toBe('EXPIRED');
    const stored = await orderFromDb(t.app, orderId);
    expect(stored.events.at(-1)).toMatchObject({ toStatus: 'EXPIRED', cause: 'EXPIRY', rawStatus: 'NOT_FOUND' });
  });

  it('fails at its deadline a cash-out the provider never got, and sends one it never settled to a person', async () => {
    await sandboxControl(t.app, 'azconnectpay', 'steer', { operation: 'cash-out', behaviour: { kind: 'http-500' } });
    const lost = await create(t.url, merchant.apiKey, 'CreateCashOut', { method: 'BANK', amount: '240000', payee: PAYEE, idempotencyKey: idem() });
    expect(lost).toMatchObject({ __typename: 'ProviderUnavailableError', outcomeUnknown: true });
    const silent = await created(t.url, merchant.apiKey, 'CreateCashOut', { method: 'BANK', amount: '241000', payee: PAYEE, idempotencyKey: idem() });
    await deadlineReached(t.app, lost.orderId);
    await deadlineReached(t.app, silent.id);
    expect(await waitForStatus(t.app, lost.orderId, ['FAILED', 'NEEDS_REVIEW'])).toBe('FAILED');
    expect(await waitForStatus(t.app, silent.id, ['FAILED', 'NEEDS_REVIEW'])).toBe('NEEDS_REVIEW');
    expect(await orderFromDb(t.app, silent.id)).toMatchObject({ reviewReason: 'UNCONFIRMED_OUTCOME', rawStatus: 'PENDING' });
  });

  it.each([
    ['a Hub payout the gateway calls FAILED', 'CreateHubPayout', { gateway: 'SHARKPAY' }, 'FAILED'],
    ['an AZConnectPay cash-out reported ERROR', 'CreateCashOut', { method: 'BANK' }, 'ERROR'],
    ['an AZConnectPay cash-out reported REJECTED', 'CreateCashOut', { method: 'BANK' }, 'REJECTED'],
  ])('sends %s (a word no document shows) to review, never to FAILED', async (_name, mutation, extra, word) => {
    const order = await created(t.url, merchant.apiKey, mutation, { ...extra, amount: '250000', payee: PAYEE, idempotencyKey: idem() });
    if (mutation === 'CreateHubPayout') {
      await sandboxControl(t.app, 'apinganhang', 'settle', { merchant_order_no: order.requestId, gateway: 'sharkpay', outcome: 'fail', raw_status: word, callback: 'once' });
    } else {
      await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-out', request_id: order.requestId, outcome: 'fail', status: word, callback: 'once' });
    }
    expect(await waitForStatus(t.app, order.id, ['NEEDS_REVIEW', 'FAILED'])).toBe('NEEDS_REVIEW');
    const stored = await orderFromDb(t.app, order.id);
    expect(stored).toMatchObject({ reviewReason: 'PROVIDER_STATUS_UNKNOWN', rawStatus: word });
    expect(stored.reviewOpenedAt).toBeInstanceOf(Date);
  });

  it('still fails a cash-in on a failure word (money in: a later payment is caught as late)', async () => {
    const order = await created(t.url, merchant.apiKey, 'CreateCashIn', { method: 'BANK', amount: '260000', idempotencyKey: idem() });
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'fail', callback: 'once' });
    expect(await waitForStatus(t.app, order.id, ['FAILED', 'NEEDS_REVIEW'])).toBe('FAILED');
  });

  it('sends an expired cash-in that is paid after all to review as a late payment, with the payload kept', async () => {
    const order = await created(t.url, merchant.apiKey, 'CreateCashIn', { method: 'BANK', amount: '270000', idempotencyKey: idem() });
    await deadlineReached(t.app, order.id);
    expect(await waitForStatus(t.app, order.id, ['EXPIRED'])).toBe('EXPIRED');
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'once' });
    expect(await waitForStatus(t.app, order.id, ['NEEDS_REVIEW'], { from: ['EXPIRED'] })).toBe('NEEDS_REVIEW');
    const stored = await orderFromDb(t.app, order.id);
    expect(stored).toMatchObject({ reviewReason: 'LATE_PAYMENT', settledAmount: 270_000n, rawStatus: 'SUCCESS' });
    expect(stored.events.at(-1)).toMatchObject({ fromStatus: 'EXPIRED', toStatus: 'NEEDS_REVIEW', cause: 'CALLBACK' });
    expect(stored.events.at(-1)!.payload).toMatchObject({ query: { status: 'SUCCESS' }, callback: { status: 'SUCCESS' } });
  });

  it('keeps a succeeded order SUCCEEDED when the provider later contradicts it, records the report and flags it', async () => {
    const order = await created(t.url, merchant.apiKey, 'CreateHubPayin', { gateway: 'SHARKPAY', amount: '280000', idempotencyKey: idem() });
    await sandboxControl(t.app, 'apinganhang', 'settle', { merchant_order_no: order.requestId, gateway: 'sharkpay', outcome: 'succeed', callback: 'once' });
    expect(await waitForStatus(t.app, order.id, ['SUCCEEDED'])).toBe('SUCCEEDED');
    await sandboxControl(t.app, 'apinganhang', 'settle', { merchant_order_no: order.requestId, gateway: 'sharkpay', outcome: 'fail', raw_status: 'REFUNDED_FAILED', callback: 'once' });
    await t.app.sandbox!.idle();
    const stored = await orderFromDb(t.app, order.id);
    expect(stored).toMatchObject({ status: 'SUCCEEDED', reviewReason: null });
    // An undocumented value about a succeeded order: recorded, raw payload kept, status unchanged.
    expect(stored.events.at(-1)).toMatchObject({ fromStatus: 'SUCCEEDED', toStatus: 'SUCCEEDED', cause: 'CALLBACK', rawStatus: 'REFUNDED_FAILED' });
    await sandboxControl(t.app, 'apinganhang', 'settle', { merchant_order_no: order.requestId, gateway: 'sharkpay', outcome: 'fail', callback: 'once' });
    await t.app.sandbox!.idle();
    const flagged = await orderFromDb(t.app, order.id);
    expect(flagged).toMatchObject({ status: 'SUCCEEDED', reviewReason: 'CONTRADICTED', rawStatus: 'FAILED' });
    expect(flagged.reviewOpenedAt).toBeInstanceOf(Date);
    expect(flagged.events.filter((event) => event.toStatus === 'SUCCEEDED' && event.fromStatus === 'SUCCEEDED')).toHaveLength(2);
  });

  it('locates a VNKash callback by the provider’s id only within the merchant its URL names, never another merchant’s order', async () => {
    const other = await createMerchant(t.app);
    const theirs = await created(t.url, other.apiKey, 'CreateVnKashDeposit', { payment: 'VCB', amount: '290000', idempotencyKey: idem() });
    const mine = await created(t.url, merchant.apiKey, 'CreateVnKashDeposit', { payment: 'VCB', amount: '291000', idempotencyKey: idem() });
    // Two VNKash accounts number their deposits alike: our order carries the same provider id as theirs.
    await t.app.db.prisma.order.update({ where: { id: mine.id }, data: { providerReference: theirs.providerReference } });
    const body = JSON.stringify({ id: Number(theirs.providerReference), status: 'success', amount: 290000 });
    const post = (query: string) => fetch(`${t.url}/callbacks/vnkash${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    const unscoped = await post('');
    expect(unscoped.status).toBe(404);
    const scoped = await post(`?merchant=${merchant.merchantId}`);
    expect(scoped.status).toBe(200);
    const rows = await t.app.db.prisma.callbackInbox.findMany({ where: { orderId: { in: [mine.id, theirs.id] } } });
    expect(rows.map((row) => [row.orderId, row.merchantId])).toEqual([[mine.id, merchant.merchantId]]);
    expect((await orderFromDb(t.app, theirs.id)).status).toBe('PENDING');
  });

  it('never settles a VNKash deposit on history rows that could be another order\'s, and settles it on its own batch', async () => {
    const order = await created(t.url, merchant.apiKey, 'CreateVnKashDeposit', { payment: 'ACB', amount: '200000', idempotencyKey: idem() });
    // A server that ignores history's filters, holding the document's kind of rows: DEPOSIT, numbered 1, 2, 3 … (one as our deposit's id).
    await sandboxControl(t.app, 'vnkash', 'flags', { historyIgnoresFilters: true });
    try {
      const rows = Array.from({ length: Math.max(10, Number(order.providerReference)) }, (_, i) => ({ type: 'DEPOSIT', amount: 200000, index: i + 1 }));
      await sandboxControl(t.app, 'vnkash', 'history', { rows });
      const refresh = () => gql(t.url, `mutation($id: ID!) { refreshOrder(id: $id) { ... on MutationRefreshOrderSuccess { data { status rawStatus } } } }`, { id: order.id }, merchant.apiKey);
      expect((await refresh()).data.refreshOrder.data).toEqual({ status: 'PENDING', rawStatus: 'NOT_IN_HISTORY' });
      await sandboxControl(t.app, 'vnkash', 'settle', { kind: 'deposit', id: Number(order.providerReference), outcome: 'succeed', callback: 'none' });
      expect((await refresh()).data.refreshOrder.data).toEqual({ status: 'SUCCEEDED', rawStatus: 'DEPOSIT' });
    } finally {
      await sandboxControl(t.app, 'vnkash', 'flags', { historyIgnoresFilters: false });
    }
    const stored = await orderFromDb(t.app, order.id);
    expect(stored.events.at(-1)!.payload).toMatchObject({ filter: { batch: order.instructions.transferContent!.split('-')[1] }, rows: [{ type: 'DEPOSIT' }] });
    expect((stored.events.at(-1)!.payload as { rows: unknown[] }).rows).toHaveLength(1);
  });

  it('rate-limits a flood of forged hints, and writes at most one row for them', async () => {
    const limited = await startTestApp({ CALLBACK_HINTS_PER_MINUTE: '5' });
    try {
      const shop = await createMerchant(limited.app);
      const order = await created(limited.url, shop.apiKey, 'CreateCashIn', { method: 'BANK', amount: '300000', idempotencyKey: 'flood' });
      const forged = () =>
        fetch(`${limited.url}/callbacks/azconnectpay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request_id: order.requestId, status: 'SUCCESS', amount: 300000, nonce: Math.random() }) });
      const answers = await Promise.all(Array.from({ length: 20 }, forged));
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 429)).toHaveLength(15);
      expect(statuses.filter((status) => status === 200)).toHaveLength(5);
      expect(await limited.app.db.prisma.callbackInbox.count({ where: { orderId: order.id } })).toBeLessThanOrEqual(1);
      expect((await orderFromDb(limited.app, order.id)).status).toBe('PENDING');
    } finally {
      await limited.stop();
    }
  });

  it('answers a typed, retryable ConcurrentUpdateError when every attempt to write an order loses its race', async () => {
    const order = await created(t.url, merchant.apiKey, 'CreateCashIn', { method: 'BANK', amount: '310000', idempotencyKey: idem() });
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'none' });
    // Another writer that always wins: every UPDATE of this order is skipped.
    await t.app.db.prisma.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION paygraph_test_always_lose() RETURNS trigger AS $$ BEGIN IF OLD."id" = '${order.id}' THEN RETURN NULL; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await t.app.db.prisma.$executeRawUnsafe(`CREATE TRIGGER paygraph_test_always_lose BEFORE UPDATE ON "Order" FOR EACH ROW EXECUTE FUNCTION paygraph_test_always_lose()`);
    try {
      const refreshed = await gql(t.url, `mutation($id: ID!) { refreshOrder(id: $id) { __typename ... on ConcurrentUpdateError { code retryable message } } }`, { id: order.id }, merchant.apiKey);
      expect(refreshed.errors).toBeUndefined();
      expect(refreshed.data.refreshOrder).toMatchObject({ __typename: 'ConcurrentUpdateError', code: 'CONCURRENT_UPDATE', retryable: true });
    } finally {
      await t.app.db.prisma.$executeRawUnsafe(`DROP TRIGGER paygraph_test_always_lose ON "Order"`);
    }
    expect((await orderFromDb(t.app, order.id)).status).toBe('PENDING');
  });
});

describe('callbacks ahead of the provider', () => {
  // Polling is a minute away: every change here is a callback's doing.
  const { t, merchant } = useTestApp();
  let key = 0;
  const idem = () => `ahead-${++key}`;

  it('applies a SharkPay callback that comes after one ahead of the provider’s state, instead of dropping it as a duplicate', async () => {
    const order = await created(t.url, merchant.apiKey, 'CreateHubPayin', { gateway: 'SHARKPAY', amount: '220000', idempotencyKey: idem() });
    // A signed "SUCCESS" while query.php still says PENDING: nothing to apply, and its key must not be used up.
    await sandboxControl(t.app, 'apinganhang', 'settle', { merchant_order_no: order.requestId, gateway: 'sharkpay', outcome: 'succeed', callback: 'ahead' });
    await t.app.sandbox!.idle();
    expect((await orderFromDb(t.app, order.id)).status).toBe('PENDING');
    // The provider's state catches up and the gateway calls again: applied at once, by the callback (the poller is a minute away).
    await sandboxControl(t.app, 'apinganhang', 'settle', { merchant_order_no: order.requestId, gateway: 'sharkpay', outcome: 'succeed', callback: 'once' });
    await t.app.sandbox!.idle();
    const stored = await orderFromDb(t.app, order.id);
    expect(stored.status).toBe('SUCCEEDED');
    expect(stored.events.at(-1)).toMatchObject({ toStatus: 'SUCCEEDED', cause: 'CALLBACK' });
    const inbox = await t.app.db.prisma.callbackInbox.findMany({ where: { orderId: order.id }, orderBy: { receivedAt: 'asc' } });
    expect(inbox.map((row) => [row.eventKey.split(':').slice(1, 3).join(':'), row.status])).toEqual([
      ['confirmed:PENDING', 'IGNORED'],
      ['confirmed:SUCCESS', 'PROCESSED'],
    ]);
  });

});
