// createPayment / createPayout end to end over HTTP against the in-process
// sandbox steered to refuse, time out or be down: the right route is chosen,
// failover happens only before money could move, one order and at most one
// create per provider per idempotency key (also under concurrent retries),
// attempts visible, the circuit opens on a provider that keeps failing; and
// the routing rules, routePreview and providerHealth around them.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createMerchant, gql } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { orderFromDb, sandboxControl, sandboxState, waitForStatus } from '../support/orders.js';
import { sandboxCredentials } from '../../src/sandbox/index.js';

const ATTEMPTS = 'attempts { route provider requestId outcome code errorName }';
const ORDER = `id status provider kind requestId paymentMethod instructions { accountNumber transferContent } ${ATTEMPTS}`;
const result = (success: string) => `__typename
  ${success}
  ... on Error { message }
  ... on ValidationError { field }
  ... on NoRouteError { reasons { route reason } }
  ... on AllRoutesRefusedError { orderId }
  ... on ProviderUnavailableError { outcomeUnknown orderId }`;
const CREATE_PAYMENT = `mutation($input: CreatePaymentInput!) { createPayment(input: $input) { ${result(`... on MutationCreatePaymentSuccess { data { checkoutUrl order { ${ORDER} } } }`)} } }`;
const CREATE_PAYOUT = `mutation($input: CreatePayoutInput!) { createPayout(input: $input) { ${result(`... on MutationCreatePayoutSuccess { data { order { ${ORDER} payee { bankCode } } } }`)} } }`;
const PREVIEW = `query($input: RoutePreviewInput!) { routePreview(input: $input) { ... on QueryRoutePreviewSuccess { data { chosen candidates source decisions { route accepted reason } } } ... on ValidationError { field message } } }`;

/** A loopback port nothing listens on: a provider that is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('createPayment and createPayout: routing and failover', () => {
  const { t, merchant } = useTestApp({ PROVIDER_TIMEOUT_MS: '1500', CIRCUIT_FAILURE_THRESHOLD: '2', CIRCUIT_HALF_OPEN_AFTER_MS: '600000' });

  const call = async (query: string, variables: Record<string, unknown>, apiKey = merchant.apiKey) => {
    const response = await gql(t.url, query, variables, apiKey);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data;
  };
  const pay = async (input: Record<string, unknown>, apiKey?: string) => (await call(CREATE_PAYMENT, { input }, apiKey)).createPayment;

  it('validates routing rules (nothing stored on bad input), and previews the choice with a reason per route', async () => {
    const SET = `mutation($direction: PaymentDirection!, $method: PaymentMethod!, $rules: [RoutingRuleInput!]!) {
      setRoutingRules(direction: $direction, method: $method, rules: $rules) { __typename ... on ValidationError { field message } ... on MutationSetRoutingRulesSuccess { data { method rules { route position enabled maxAmount } } } } }`;
    const bad = await call(SET, { direction: 'IN', method: 'MOMO', rules: [{ route: 'HUB_WOWPAY' }, { route: 'VNKASH' }] });
    expect(bad.setRoutingRules).toMatchObject({ __typename: 'ValidationError', field: 'rules.1.route' });
    expect((await call('{ routingRules { method } }', {})).routingRules).toEqual([]);

    const set = await call(SET, { direction: 'IN', method: 'MOMO', rules: [{ route: 'HUB_WOWPAY', maxAmount: '500000' }, { route: 'AZCONNECTPAY' }] });
    expect(set.setRoutingRules.data.rules).toEqual([
      { route: 'HUB_WOWPAY', position: 0, enabled: true, maxAmount: '500000' },
      { route: 'AZCONNECTPAY', position: 1, enabled: true, maxAmount: null },
    ]);
    const small = (await call(PREVIEW, { input: { direction: 'IN', method: 'MOMO', amount: '200000' } })).routePreview.data;
    expect(small).toMatchObject({ chosen: 'HUB_WOWPAY', candidates: ['HUB_WOWPAY', 'AZCONNECTPAY'], source: 'rules' });
    const large = (await call(PREVIEW, { input: { direction: 'IN', method: 'MOMO', amount: '900000' } })).routePreview.data;
    expect(large.chosen).toBe('AZCONNECTPAY');
    expect(large.decisions[0]).toMatchObject({ route: 'HUB_WOWPAY', accepted: false });
    expect(large.decisions[0].reason).toMatch(/upper bound/);

    // A MoMo payment below the bound goes through WowPay's momo channel.
    const momo = await pay({ amount: '200000', method: 'MOMO', idempotencyKey: 'momo-1', returnUrl: 'https://shop.example/done' });
    expect(momo.data.order).toMatchObject({ provider: 'APINGANHANG', kind: 'HUB_PAYIN', paymentMethod: 'MOMO', status: 'PENDING' });
    expect(momo.data.order.attempts.map((a: { route: string; outcome: string }) => [a.route, a.outcome])).toEqual([['HUB_WOWPAY', 'ACCEPTED']]);
    expect(momo.data.checkoutUrl).toMatch(new RegExp(`/checkout/${momo.data.order.id}\\?token=`));
    const stored = await orderFromDb(t.app, momo.data.order.id);
    expect(stored.method).toBe('momo');
  });

  it('fails over when the first provider refuses, once per provider, one order under concurrent retries of the key', async () => {
    await sandboxControl(t.app, 'azconnectpay', 'steer', { operation: 'cash-in', behaviour: { kind: 'error', code: 422, message: 'merchant blocked' } });
    const input = { amount: '250000', method: 'BANK_TRANSFER', idempotencyKey: 'failover-1', description: 'Don 42' };
    const results = await Promise.all([pay(input), pay(input), pay(input)]);
    for (const result of results) expect(result.__typename, JSON.stringify(result)).toBe("MutationCreatePaymentSuccess");
    const ids = new Set(results.map((r) => r.data.order.id));
    expect(ids.size).toBe(1);
    const order = results[0].data.order;
    expect(order).toMatchObject({ provider: 'VNKASH', kind: 'DEPOSIT', status: 'PENDING' });
    expect(order.instructions.transferContent).toBeTruthy();
    expect(order.attempts.map((a: { route: string; outcome: string; code: string | null }) => [a.route, a.outcome, a.code])).toEqual([
      ['AZCONNECTPAY', 'REFUSED', 'success:false'],
      ['VNKASH', 'ACCEPTED', null],
    ]);
    // Each attempt had its own request id; the order carries the one that was accepted.
    expect(order.attempts[1].requestId).toBe(order.requestId);
    expect(order.attempts[0].requestId).not.toBe(order.requestId);

    // The database: one order for the key, two attempts, nothing created at AZConnectPay.
    const keyed = await t.app.db.prisma.idempotencyKey.findMany({ where: { merchantId: merchant.merchantId, key: 'failover-1' } });
    expect(keyed).toHaveLength(1);
    expect(keyed[0]!.orderId).toBe(order.id);
    expect(await t.app.db.prisma.orderAttempt.count({ where: { orderId: order.id } })).toBe(2);
    const az = await sandboxState(t.app, 'azconnectpay');
    expect(az.orders.filter((o: { request_id: string }) => o.request_id === order.attempts[0].requestId)).toHaveLength(0);
    const vnkash = await sandboxState(t.app, 'vnkash');
    expect(JSON.stringify(vnkash).split(order.instructions.transferContent).length - 1).toBeGreaterThanOrEqual(1);

    // A later retry replays the order: no new attempt anywhere.
    const replay = await pay(input);
    expect(replay.data.order.id).toBe(order.id);
    expect(await t.app.db.prisma.orderAttempt.count({ where: { orderId: order.id } })).toBe(2);
  });

  it("collects into the merchant's own bank account when routed there: the transfer code is the request id, nothing is sent", async () => {
    await t.app.db.prisma.bankAccount.create({ data: { merchantId: merchant.merchantId, providerAccountId: 'acc-1', bankCode: 'MB', accountNumber: '0368000111', holderName: 'CUA HANG A' } });
    const preview = (await call(PREVIEW, { input: { direction: 'IN', method: 'BANK_TRANSFER', amount: '120000' } })).routePreview.data;
    expect(preview.candidates).toEqual(['AZCONNECTPAY', 'VNKASH', 'BANK_ACCOUNT']);
    const result = await pay({ amount: '120000', method: 'BANK_TRANSFER', idempotencyKey: 'own-account', provider: 'BANK_ACCOUNT' });
    const order = result.data.order;
    expect(order).toMatchObject({ provider: 'APINGANHANG', kind: 'BANK_TRANSFER', status: 'PENDING', instructions: { accountNumber: '0368000111', transferContent: order.requestId } });
    expect(order.requestId).toMatch(/^PG[A-Z0-9]{8}$/);
    expect(order.attempts.map((a: { route: string; outcome: string }) => [a.route, a.outcome])).toEqual([['BANK_ACCOUNT', 'ACCEPTED']]);
    expect((await orderFromDb(t.app, order.id)).submitted).toBe(true);
  });

  it('keeps the order FAILED with its attempt when every candidate refused (here one pinned route)', async () => {
    await sandboxControl(t.app, 'azconnectpay', 'steer', { operation: 'cash-in', behaviour: { kind: 'error', code: 422, message: 'merchant blocked' } });
    const result = await pay({ amount: '255000', method: 'BANK_TRANSFER', idempotencyKey: 'pinned-1', provider: 'AZCONNECTPAY' });
    expect(result.__typename).toBe('AllRoutesRefusedError');
    expect(result.message).toMatch(/AZCONNECTPAY: merchant blocked/);
    const stored = await t.app.db.prisma.order.findUniqueOrThrow({ where: { id: result.orderId }, include: { attempts: true } });
    expect(stored.status).toBe('FAILED');
    expect(stored.attempts.map((a) => [a.route, a.outcome])).toEqual([['AZCONNECTPAY', 'REFUSED']]);
    // Replayed, not re-sent.
    expect((await pay({ amount: '255000', method: 'BANK_TRANSFER', idempotencyKey: 'pinned-1', provider: 'AZCONNECTPAY' })).orderId).toBe(result.orderId);
  });

  it('never fails over after a timeout: the order stays with that provider and its status query settles it', async () => {
    await sandboxControl(t.app, 'azconnectpay', 'steer', { operation: 'cash-in', behaviour: { kind: 'delay', delayMs: 3000 } });
    const result = await pay({ amount: '260000', method: 'BANK_TRANSFER', idempotencyKey: 'timeout-1' });
    expect(result).toMatchObject({ __typename: 'ProviderUnavailableError', outcomeUnknown: true });
    const orderId = result.orderId as string;
    const stored = await t.app.db.prisma.order.findUniqueOrThrow({ where: { id: orderId }, include: { attempts: true } });
    expect(stored).toMatchObject({ provider: 'AZCONNECTPAY', status: 'PENDING', submitted: false });
    expect(stored.attempts.map((a) => [a.route, a.outcome, a.code])).toEqual([['AZCONNECTPAY', 'UNKNOWN', 'outcome-unknown']]);
    // The same key replays the unknown outcome: nothing is sent anywhere else.
    const replay = await pay({ amount: '260000', method: 'BANK_TRANSFER', idempotencyKey: 'timeout-1' });
    expect(replay).toMatchObject({ __typename: 'ProviderUnavailableError', orderId });
    expect(await t.app.db.prisma.orderAttempt.count({ where: { orderId } })).toBe(1);

    // The late create lands at AZConnectPay; the payer pays; a status query settles the order.
    for (;;) {
      const state = await sandboxState(t.app, 'azconnectpay');
      if (state.orders.some((o: { request_id: string }) => o.request_id === stored.requestId)) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: stored.requestId, outcome: 'succeed', callback: 'none' });
    const refreshed = await call('mutation($id: ID!) { refreshOrder(id: $id) { __typename } }', { id: orderId });
    expect(refreshed.refreshOrder.__typename).toBe('MutationRefreshOrderSuccess');
    expect(await waitForStatus(t.app, orderId, ['SUCCEEDED'])).toBe('SUCCEEDED');
  });

  it('fails over from a provider that is down, opens its circuit after the threshold, and shows it in providerHealth and metrics', async () => {
    const down = await createMerchant(t.app, 'Down shop');
    const port = await closedPort();
    await t.app.services.providerAccounts.set(down.merchantId, 'AZCONNECTPAY', { ...sandboxCredentials.AZCONNECTPAY, baseUrl: `http://127.0.0.1:${port}/azconnectpay` });
    for (const key of ['down-1', 'down-2']) {
      const result = await pay({ amount: '270000', method: 'BANK_TRANSFER', idempotencyKey: key }, down.apiKey);
      expect(result.__typename).toBe('MutationCreatePaymentSuccess');
      expect(result.data.order.attempts.map((a: { route: string; outcome: string; code: string }) => [a.route, a.outcome, a.code])).toEqual([
        ['AZCONNECTPAY', 'NOT_SENT', 'not-sent'],
        ['VNKASH', 'ACCEPTED', null],
      ]);
    }
    // Two consecutive failures (the threshold here): the circuit is open, routing skips AZConnectPay.
    const preview = (await call(PREVIEW, { input: { direction: 'IN', method: 'BANK_TRANSFER', amount: '270000' } }, down.apiKey)).routePreview.data;
    expect(preview.chosen).toBe('VNKASH');
    expect(preview.decisions[0]).toMatchObject({ route: 'AZCONNECTPAY', accepted: false });
    expect(preview.decisions[0].reason).toMatch(/circuit open/);
    const third = await pay({ amount: '270000', method: 'BANK_TRANSFER', idempotencyKey: 'down-3' }, down.apiKey);
    expect(third.data.order.attempts.map((a: { route: string }) => a.route)).toEqual(['VNKASH']);

    const health = (await call('{ providerHealth { provider circuit openUntil consecutiveFailures successRate recent { outcome latencyMs } } }', {}, down.apiKey)).providerHealth;
    const azHealth = health.find((h: { provider: string }) => h.provider === 'AZCONNECTPAY');
    expect(azHealth).toMatchObject({ circuit: 'open', consecutiveFailures: 2, successRate: 0 });
    expect(azHealth.recent.map((s: { outcome: string }) => s.outcome)).toEqual(['failure', 'failure']);
    expect(health.find((h: { provider: string }) => h.provider === 'VNKASH')).toMatchObject({ circuit: 'closed', successRate: 1 });
    // The first merchant's AZConnectPay account is another account: its circuit is untouched.
    const other = (await call('{ providerHealth { provider circuit } }', {})).providerHealth;
    expect(other.filter((h: { circuit: string }) => h.circuit === 'open')).toEqual([]);
    // Status queries count in an account's health too (recorded, outside the circuit).
    await call('mutation($id: ID!) { refreshOrder(id: $id) { __typename } }', { id: third.data.order.id }, down.apiKey);
    const vnkash = (await call('{ providerHealth { provider recent { operation outcome } } }', {}, down.apiKey)).providerHealth.find((h: { provider: string }) => h.provider === 'VNKASH');
    expect(vnkash.recent[0]).toEqual({ operation: 'status', outcome: 'success' });

    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/paygraph_circuits_open\{provider="AZCONNECTPAY"\} 1/);
    // Counted across this instance's accounts (the timeout above was one too).
    const failures = Number(/paygraph_routed_create_duration_seconds_count\{provider="AZCONNECTPAY",outcome="failure"\} (\d+)/.exec(metrics)?.[1]);
    expect(failures).toBeGreaterThanOrEqual(2);
  });

  it("routes payouts within each provider's documented minimum and payee rules, and creates nothing when no route fits", async () => {
    const bank = { bank: { bankCode: 'tcb', accountNumber: '1903 5555', accountName: 'NGUYEN VAN A' } };
    const preview = (await call(PREVIEW, { input: { direction: 'OUT', amount: '50000', payee: bank } })).routePreview.data;
    expect(preview.candidates).toEqual(['HUB_SHARKPAY', 'HUB_WOWPAY']);
    expect(preview.decisions.find((d: { route: string }) => d.route === 'AZCONNECTPAY').reason).toMatch(/minimum of 100,000/);
    expect(preview.decisions.find((d: { route: string }) => d.route === 'VNKASH').reason).toMatch(/bankCode/);

    const payout = (await call(CREATE_PAYOUT, { input: { amount: '50000', payee: bank, idempotencyKey: 'payout-1' } })).createPayout;
    expect(payout.__typename).toBe('MutationCreatePayoutSuccess');
    expect(payout.data.order).toMatchObject({ provider: 'APINGANHANG', kind: 'HUB_PAYOUT', paymentMethod: 'BANK_TRANSFER', payee: { bankCode: 'TCB' } });
    expect(payout.data.order.attempts.map((a: { route: string; outcome: string }) => [a.route, a.outcome])).toEqual([['HUB_SHARKPAY', 'ACCEPTED']]);

    // A documented refusal of a payout fails over too: AZConnectPay says no, SharkPay takes it.
    await sandboxControl(t.app, 'azconnectpay', 'steer', { operation: 'cash-out', behaviour: { kind: 'error', code: 422, message: 'insufficient balance' } });
    const failedOver = (await call(CREATE_PAYOUT, { input: { amount: '150000', payee: { bank: { ...bank.bank, bankCode: 'VCB' } }, idempotencyKey: 'payout-failover' } })).createPayout;
    expect(failedOver.data.order).toMatchObject({ provider: 'APINGANHANG', kind: 'HUB_PAYOUT' });
    expect(failedOver.data.order.attempts.map((a: { route: string; outcome: string }) => [a.route, a.outcome])).toEqual([
      ['AZCONNECTPAY', 'REFUSED'],
      ['HUB_SHARKPAY', 'ACCEPTED'],
    ]);

    const before = await t.app.db.prisma.order.count();
    const momo = (await call(CREATE_PAYOUT, { input: { amount: '50000', payee: { momo: { phone: '0901234567', name: 'TRAN B' } }, idempotencyKey: 'payout-momo' } })).createPayout;
    expect(momo.__typename).toBe('NoRouteError');
    expect(momo.reasons).toEqual([{ route: 'AZCONNECTPAY', reason: expect.stringMatching(/minimum/) }]);
    const twoPayees = (await call(CREATE_PAYOUT, { input: { amount: '150000', payee: { ...bank, vnkash: { account: 'a@b.vn' } }, idempotencyKey: 'payout-2' } })).createPayout;
    expect(twoPayees).toMatchObject({ __typename: 'ValidationError', field: 'payee' });
    expect(await t.app.db.prisma.order.count()).toBe(before);
    // The key of a payout that created nothing is free again.
    expect(await t.app.db.prisma.idempotencyKey.count({ where: { key: 'payout-momo' } })).toBe(0);
  });
});
