// A cash-in through AZConnectPay, end to end: GraphQL over HTTP, the sandbox
// over HTTP, its callback over HTTP, the subscriber over graphql-ws.
import { describe, expect, it } from 'vitest';
import { createMerchant, gql, startTestApp, subscribe, wsClient, type TestApp } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { createCashIn, orderFromDb, ORDER_UPDATED, sandboxControl, sandboxState, waitForStatus, isOutcome } from '../support/orders.js';

describe('a cash-in', () => {
  // Polling is slow here (a minute), so every change below is the callback's doing.
  const { t, merchant } = useTestApp();

  it('shows payment instructions, then reaches a subscriber as SUCCEEDED when the payer pays', async () => {
    const created = await createCashIn(t.url, merchant.apiKey, { amount: '150000', idempotencyKey: 'pay-1', merchantReference: 'INV-1' });
    expect(created.__typename).toBe('MutationCreateCashInSuccess');
    const order = created.data;
    expect(order.status).toBe('PENDING');
    expect(order.instructions.accountNumber).toBeTruthy();
    expect(order.instructions.transferContent).toBeTruthy();
    expect(order.instructions.qrData).toBeTruthy();

    const client = wsClient(t.url, merchant.apiKey);
    const updates = subscribe(client, ORDER_UPDATED, { id: order.id });
    try {
      const first = await updates.next();
      expect(first.orderUpdated.status).toBe('PENDING');

      await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'once' });
      const paid = await updates.next((m) => isOutcome(m.orderUpdated.status));
      expect(paid.orderUpdated.status).toBe('SUCCEEDED');
      expect(paid.orderUpdated.events.map((e: { toStatus: string }) => e.toStatus)).toEqual(['PENDING', 'SUCCEEDED']);
    } finally {
      updates.dispose();
      await client.dispose();
    }
    await t.app.sandbox!.idle();
    const stored = await orderFromDb(t.app, order.id);
    expect(stored.status).toBe('SUCCEEDED');
    expect(stored.events.map((e) => [e.fromStatus, e.toStatus, e.cause])).toEqual([
      [null, 'PENDING', 'API'],
      ['PENDING', 'SUCCEEDED', 'CALLBACK'],
    ]);
    expect(stored.events[1]!.actor).toMatch(/^callback:azconnectpay@127\.0\.0\.1$/);
    const inbox = await t.app.db.prisma.callbackInbox.findMany({ where: { orderId: order.id } });
    expect(inbox.map((row) => row.status)).toEqual(['PROCESSED']);
  });

  it('is finished by polling when the callback never comes', async () => {
    const polling = await startTestApp({ POLL_INTERVAL_MS: '200' });
    try {
      const m = await createMerchant(polling.app);
      const { data: order } = await createCashIn(polling.url, m.apiKey, { amount: '120000', idempotencyKey: 'lost-callback' });
      await sandboxControl(polling.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'none' });
      expect(await waitForStatus(polling.app, order.id, ['SUCCEEDED'])).toBe('SUCCEEDED');
      const stored = await orderFromDb(polling.app, order.id);
      expect(stored.events.map((e) => [e.toStatus, e.cause, e.actor])).toEqual([
        ['PENDING', 'API', `api-key:${(await polling.app.db.prisma.apiKey.findFirstOrThrow({ where: { merchantId: m.merchantId } })).id}`],
        ['SUCCEEDED', 'POLL', 'worker:poller'],
      ]);
    } finally {
      await polling.stop();
    }
  });

  it('credits once through duplicate and out-of-order callbacks', async () => {
    for (const [key, mode] of [['dup', 'duplicate'], ['ooo', 'out-of-order']] as const) {
      const { data: order } = await createCashIn(t.url, merchant.apiKey, { amount: '130000', idempotencyKey: key });
      await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: mode });
      await waitForStatus(t.app, order.id, ['SUCCEEDED']);
      await t.app.sandbox!.idle();
      const stored = await orderFromDb(t.app, order.id);
      expect(stored.status).toBe('SUCCEEDED');
      expect(stored.events.filter((e) => e.toStatus === 'SUCCEEDED')).toHaveLength(1);
      expect(stored.events).toHaveLength(2);
    }
  });

  it('ignores a forged "paid" callback: the provider is asked, and says not paid', async () => {
    const { data: order } = await createCashIn(t.url, merchant.apiKey, { amount: '140000', idempotencyKey: 'forged' });
    const forged = await fetch(`${t.url}/callbacks/azconnectpay?ref=${order.requestId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ request_id: order.requestId, amount: 140000, status: 'SUCCESS' }),
    });
    expect(forged.status).toBe(200);
    const stored = await orderFromDb(t.app, order.id);
    expect(stored.status).toBe('PENDING');
    expect(stored.events).toHaveLength(1);
  });

  it('refuses a callback for an order we do not know, writing nothing', async () => {
    const before = await t.app.db.prisma.callbackInbox.count();
    const response = await fetch(`${t.url}/callbacks/azconnectpay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ request_id: 'PG-NOT-OURS', status: 'SUCCESS' }),
    });
    expect(response.status).toBe(404);
    expect(await t.app.db.prisma.callbackInbox.count()).toBe(before);
  });

  it('sends an underpayment to review with both amounts', async () => {
    const { data: order } = await createCashIn(t.url, merchant.apiKey, { amount: '200000', idempotencyKey: 'underpaid' });
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', amount: 150000, callback: 'once' });
    expect(await waitForStatus(t.app, order.id, ['NEEDS_REVIEW'])).toBe('NEEDS_REVIEW');
    const stored = await orderFromDb(t.app, order.id);
    expect(stored.amount).toBe(200000n);
    expect(stored.settledAmount).toBe(150000n);
    expect(stored.reviewReason).toBe('UNDERPAID');
  });

  it('creates one order and calls the provider once for 50 concurrent requests with one key', async () => {
    const input = { amount: '177777', idempotencyKey: 'burst-50', merchantReference: 'BURST' };
    const results = await Promise.all(Array.from({ length: 50 }, () => createCashIn(t.url, merchant.apiKey, input)));
    const ids = new Set(results.map((r) => r.data?.id));
    expect(results.every((r) => r.__typename === 'MutationCreateCashInSuccess')).toBe(true);
    expect(ids.size).toBe(1);
    expect(await t.app.db.prisma.order.count({ where: { merchantId: merchant.merchantId, merchantReference: 'BURST' } })).toBe(1);
    const state = await sandboxState(t.app, 'azconnectpay');
    expect(state.orders.filter((o: { amount: number }) => o.amount === 177777)).toHaveLength(1);
  });

  it('refuses the same idempotency key with a different input, creating nothing', async () => {
    await createCashIn(t.url, merchant.apiKey, { amount: '100000', idempotencyKey: 'reused' });
    const again = await createCashIn(t.url, merchant.apiKey, { amount: '100001', idempotencyKey: 'reused' });
    expect(again.__typename).toBe('IdempotencyKeyReusedError');
    expect(await t.app.db.prisma.order.count({ where: { amount: 100001n } })).toBe(0);
  });

  it('refuses bad input with a typed error and writes nothing', async () => {
    const before = await t.app.db.prisma.order.count();
    for (const input of [
      { amount: '0', idempotencyKey: 'zero' },
      { amount: '-5', idempotencyKey: 'negative' },
      { amount: '1000', idempotencyKey: 'has space' },
      { amount: '1000', idempotencyKey: 'ttl', expiresInMinutes: 0 },
    ]) {
      const result = await createCashIn(t.url, merchant.apiKey, input);
      expect(result.__typename).toBe('ValidationError');
      expect(result.field).toBeTruthy();
    }
    const fractional = await gql(t.url, 'mutation { createCashIn(input: { amount: "1.5", method: BANK, idempotencyKey: "frac" }) { __typename } }', {}, merchant.apiKey);
    expect(fractional.errors?.[0]?.message).toMatch(/BigInt/);
    expect(await t.app.db.prisma.order.count()).toBe(before);
  });

  it('reports a provider refusal as a typed error and keeps the order as FAILED', async () => {
    await sandboxControl(t.app, 'azconnectpay', 'steer', { operation: 'cash-in', behaviour: { kind: 'error', code: 422, message: 'amount too large' } });
    const result = await createCashIn(t.url, merchant.apiKey, { amount: '160000', idempotencyKey: 'refused' });
    expect(result.__typename).toBe('ProviderRefusedError');
    expect(result.message).toMatch(/amount too large/);
    const stored = await orderFromDb(t.app, result.orderId);
    expect(stored.status).toBe('FAILED');
    // A retry with the same key replays the refusal instead of calling the provider again.
    const replay = await createCashIn(t.url, merchant.apiKey, { amount: '160000', idempotencyKey: 'refused' });
    expect(replay.__typename).toBe('ProviderRefusedError');
    expect(replay.orderId).toBe(result.orderId);
  });

  it('never re-sends a create that timed out: the status query settles it', async () => {
    const slow = await startTestApp({ POLL_INTERVAL_MS: '200', PROVIDER_TIMEOUT_MS: '300' });
    try {
      const m = await createMerchant(slow.app);
      await sandboxControl(slow.app, 'azconnectpay', 'steer', { operation: 'cash-in', behaviour: { kind: 'delay', delayMs: 1500 } });
      const result = await createCashIn(slow.url, m.apiKey, { amount: '110000', idempotencyKey: 'slow' });
      expect(result.__typename).toBe('ProviderUnavailableError');
      expect(result.outcomeUnknown).toBe(true);
      // The provider did create it (late); the payer pays; the poller finds out.
      const orderId = result.orderId as string;
      const order = await orderFromDb(slow.app, orderId);
      await waitForSimulatorOrder(slow, order.requestId);
      await sandboxControl(slow.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'none' });
      expect(await waitForStatus(slow.app, orderId, ['SUCCEEDED'])).toBe('SUCCEEDED');
      const state = await sandboxState(slow.app, 'azconnectpay');
      expect(state.orders.filter((o: { request_id: string }) => o.request_id === order.requestId)).toHaveLength(1);
    } finally {
      await slow.stop();
    }
  });
});

/** The delayed create lands in the simulator after the client gave up: wait for it by asking. */
async function waitForSimulatorOrder(t: TestApp, requestId: string) {
  for (;;) {
    const state = await sandboxState(t.app, 'azconnectpay');
    if (state.orders.some((o: { request_id: string }) => o.request_id === requestId)) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
