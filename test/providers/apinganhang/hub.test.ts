// The Payment Hub connector over real HTTP against the simulator, and the
// gateway callbacks the Hub forwards, verified by a local merchant server.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiNganHangCredentialsInput,
  apiNganHangCallbackRoutes,
  apiNganHangProviderModule,
  createApiNganHangClient,
  createMemoryTokenCache,
  createPaymentHubConnector,
  isPackageExpired,
  locateHubCallback,
} from '../../../src/providers/apinganhang/index.js';
import type { CallbackVerdict, InboundCallback, OrderRef } from '../../../src/providers/types.js';
import { createApiNganHangSimulator } from '../../../src/sandbox/apinganhang/index.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';
import { startReceiver, type Receiver } from './receiver.js';
import { ProviderNotSupportedError, ProviderRefusedError, ProviderUnavailableError, ValidationError } from '../../../src/errors/index.js';

const SHARK = { sharkpayMchId: 'SP998877', sharkpayPayinSecretKey: 'secret-payin', sharkpayPayoutSecretKey: 'secret-payout' };
const WOW = { wowpayMerchantNo: 'M123456', wowpayPayinSecretKey: 'wowpay-deposit-key', wowpayPayoutSecretKey: 'wowpay-payout-key' };

const sim = createApiNganHangSimulator();
let sandbox: RunningSandbox;
let receiver: Receiver;
const verdicts: CallbackVerdict[] = [];
let connector: ReturnType<typeof createPaymentHubConnector>;

function credentials(extra: { wowpaySourceIps?: string } = {}): ApiNganHangCredentialsInput {
  return {
    baseUrl: sandbox.baseUrl('apinganhang') + '/api/v1',
    username: 'demo',
    password: '123456',
    ...SHARK,
    ...WOW,
    ...(extra.wowpaySourceIps ? { wowpayCallbackSourceIps: extra.wowpaySourceIps } : {}),
  };
}
const httpOptions = (timeoutMs = 5_000) => ({ http: { timeoutMs, safeRetries: 1, backoffMs: 10 }, tokenCache: createMemoryTokenCache() });
const callbackUrl = (gateway: string) => `${receiver.url}/callbacks/${gateway}`;
let seq = 0;
const requestId = () => `INV${Date.now()}${++seq}`;
const refOf = (id: string, gateway: 'sharkpay' | 'wowpay', kind: 'HUB_PAYIN' | 'HUB_PAYOUT' = 'HUB_PAYIN', providerReference?: string): OrderRef => ({
  kind,
  requestId: id,
  gateway,
  amount: 500_000n,
  createdAt: new Date(),
  ...(providerReference ? { providerReference } : {}),
});

beforeAll(async () => {
  sandbox = await startSandbox([sim]);
  receiver = await startReceiver((callback) => {
    const verdict = connector.verifyCallback(callback);
    verdicts.push(verdict);
    return verdict.ok ? connector.acknowledge() : connector.reject(verdict);
  });
  connector = createPaymentHubConnector(credentials(), httpOptions());
  const api = createApiNganHangClient(credentials(), httpOptions());
  await api.saveHubSettings({ gateway: 'sharkpay', enabled: true, settings: { mch_id: 'SP998877', payin_secret_key: 'secret-payin', payout_secret_key: 'secret-payout' } });
  await api.saveHubSettings({ gateway: 'wowpay', enabled: true, settings: { merchant_no: 'M123456', payin_secret_key: 'wowpay-deposit-key', payout_secret_key: 'wowpay-payout-key' } });
});
afterAll(async () => {
  await receiver?.close();
  await sandbox?.close();
});

/** The verdict the merchant server reached for the n-th callback it received. */
async function verdictOf(n: number): Promise<{ callback: InboundCallback; verdict: CallbackVerdict }> {
  const callback = await receiver.nth(n);
  return { callback, verdict: verdicts[n - 1]! };
}

describe('hub settings', () => {
  it('masks secrets and keeps the stored secret when saved empty', async () => {
    const api = createApiNganHangClient(credentials(), httpOptions());
    await api.saveHubSettings({ gateway: 'sharkpay', enabled: true, settings: { mch_id: 'SP998877', payin_secret_key: '', notify_url: 'https://shop.example/cb' } });
    const settings = await api.getHubSettings('sharkpay');
    expect(settings.data).toMatchObject({ gateway: 'sharkpay', enabled: true, hasPayinSecretKey: true, hasPayoutSecretKey: true });
    expect(settings.data.settings).toMatchObject({ mch_id: 'SP998877', notify_url: 'https://shop.example/cb' });
    expect(JSON.stringify(settings)).not.toContain('secret-payin');
    // The stored secret is still the one callbacks are signed with.
    expect((await api.testGateway('sharkpay')).data.ok).toBe(true);
  });

  it('tests gateway credentials per mode, and refuses a missing payout key with 400', async () => {
    const api = createApiNganHangClient(credentials(), httpOptions());
    expect((await api.testGateway('wowpay', 'payin')).data.ok).toBe(true);
    expect((await api.testGateway('wowpay', 'payout')).data.ok).toBe(true);
    const fresh = createApiNganHangSimulator();
    const other = await startSandbox([fresh]);
    try {
      const otherApi = createApiNganHangClient({ ...credentials(), baseUrl: other.baseUrl('apinganhang') + '/api/v1' }, httpOptions());
      await otherApi.saveHubSettings({ gateway: 'wowpay', enabled: true, settings: { merchant_no: 'M1', payin_secret_key: 'k' } });
      const error = await otherApi.testGateway('wowpay', 'payout').catch((e: unknown) => e);
      expect((error as ProviderRefusedError).code).toBe('400');
    } finally {
      await other.close();
    }
  });
});

describe('pay-in', () => {
  it('creates a SharkPay pay-in with its payment instructions and pending status', async () => {
    const id = requestId();
    const result = await connector.create({ kind: 'HUB_PAYIN', gateway: 'sharkpay', requestId: id, amount: 500_000n, description: 'Đơn hàng', callbackUrl: callbackUrl('sharkpay') });
    expect(result.report).toMatchObject({ status: 'PENDING', rawStatus: 'PENDING' });
    expect(result.providerReference).toMatch(/^SP/);
    expect(result.instructions).toMatchObject({ amount: 500_000n, bankCode: 'MBBANK', accountNumber: '0368492618' });
    expect(result.instructions?.payUrl).toContain(result.providerReference!);
    expect(result.instructions?.expiresAt).toBeInstanceOf(Date);
    const order = sim.controls.state().orders.find((o) => o.merchant_order_no === id)!;
    expect(order).toMatchObject({ gateway: 'sharkpay', amount: 500000, notify_url: callbackUrl('sharkpay') });
  });

  it('creates a WowPay pay-in on the MoMo channel with a deep link and QR data', async () => {
    const result = await connector.create({ kind: 'HUB_PAYIN', gateway: 'wowpay', method: 'momo', requestId: requestId(), amount: 200_000n, callbackUrl: callbackUrl('wowpay') });
    expect(result.instructions?.deepLink).toMatch(/^momo:/);
    expect(result.instructions?.qrData).toBeTruthy();
    await expect(connector.create({ kind: 'HUB_PAYIN', gateway: 'wowpay', method: 'paypal', requestId: requestId(), amount: 1n, callbackUrl: callbackUrl('wowpay') })).rejects.toMatchObject({
      constructor: ValidationError,
      field: 'method',
      message: expect.stringMatching(/channel/),
    });
    await expect(connector.create({ kind: 'HUB_PAYIN', requestId: requestId(), amount: 1n, callbackUrl: callbackUrl('wowpay') })).rejects.toMatchObject({ constructor: ValidationError, field: 'gateway' });
  });

  it('accepts an amount written "100.000" at the Hub', async () => {
    const api = createApiNganHangClient(credentials(), httpOptions());
    await api.profile();
    const token = sim.controls.state().users[0]!.token!;
    const response = await fetch(sandbox.baseUrl('apinganhang') + '/api/v1/payments/orders/create.php', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ gateway: 'sharkpay', merchant_order_no: requestId(), amount: '100.000' }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { amount: number } }).data.amount).toBe(100_000);
  });

  it('settles through a signed SharkPay callback, then the query confirms it', async () => {
    const id = requestId();
    const created = await connector.create({ kind: 'HUB_PAYIN', gateway: 'sharkpay', requestId: id, amount: 500_000n, callbackUrl: callbackUrl('sharkpay') });
    expect((await connector.queryStatus(refOf(id, 'sharkpay'))).status).toBe('PENDING');
    const n = receiver.received.length + 1;
    sim.controls.settleOrder({ merchantOrderNo: id }, { outcome: 'succeed' });
    const { callback, verdict } = await verdictOf(n);
    expect(callback.method).toBe('POST');
    expect(verdict).toMatchObject({
      ok: true,
      callback: {
        eventKey: `sharkpay:${created.providerReference}:SUCCESS`,
        lookup: { requestId: id, providerReference: created.providerReference },
        report: { status: 'SUCCEEDED', rawStatus: 'SUCCESS', amount: 500_000n, providerReference: created.providerReference },
        statusIsSigned: false,
      },
    });
    await sim.deliveries.idle();
    expect(sim.deliveries.log.at(-1)).toMatchObject({ status: 200, responseBody: 'OK' });
    expect(locateHubCallback(callback)).toEqual({ requestId: id, providerReference: created.providerReference });
    const confirmed = await connector.queryStatus(refOf(id, 'sharkpay', 'HUB_PAYIN', created.providerReference));
    expect(confirmed).toMatchObject({ status: 'SUCCEEDED', rawStatus: 'SUCCESS', amount: 500_000n, providerReference: created.providerReference });
  });

  it.each(['GET', 'POST-json'] as const)('verifies a SharkPay callback sent as %s', async (method) => {
    const id = requestId();
    await connector.create({ kind: 'HUB_PAYIN', gateway: 'sharkpay', requestId: id, amount: 120_000n, callbackUrl: callbackUrl('sharkpay') });
    const n = receiver.received.length + 1;
    sim.controls.settleOrder({ merchantOrderNo: id }, { outcome: 'fail', sharkPayMethod: method });
    const { callback, verdict } = await verdictOf(n);
    expect(callback.method).toBe(method === 'GET' ? 'GET' : 'POST');
    expect(verdict).toMatchObject({ ok: true, callback: { report: { status: 'FAILED', rawStatus: 'FAILED', raw: { amount: '120000' } } } });
    // A failed order's amount is what was asked, not what moved.
    if (verdict.ok) expect(verdict.callback.report).not.toHaveProperty('amount');
  });

  it('settles through a signed WowPay callback (amount "500000.00", empty fields sent)', async () => {
    const id = requestId();
    await connector.create({ kind: 'HUB_PAYIN', gateway: 'wowpay', method: 'bankcard_qr', requestId: id, amount: 500_000n, callbackUrl: callbackUrl('wowpay') });
    const n = receiver.received.length + 1;
    sim.controls.settleOrder({ merchantOrderNo: id }, { outcome: 'succeed', amount: 450_000 });
    const { callback, verdict } = await verdictOf(n);
    expect(JSON.parse(callback.rawBody)).toMatchObject({ amount: '450000.00', remark: '', sign_type: 'MD5' });
    expect(verdict).toMatchObject({ ok: true, callback: { report: { status: 'SUCCEEDED', amount: 450_000n }, lookup: { requestId: id }, statusIsSigned: false } });
    // The query tells the truth: the order's amount and what was actually paid.
    expect(await connector.queryStatus(refOf(id, 'wowpay'))).toMatchObject({ status: 'SUCCEEDED', amount: 450_000n });
  });

  it('sends a duplicate callback with the same event key', async () => {
    const id = requestId();
    await connector.create({ kind: 'HUB_PAYIN', gateway: 'wowpay', requestId: id, amount: 10_000n, callbackUrl: callbackUrl('wowpay') });
    const n = receiver.received.length + 1;
    sim.controls.settleOrder({ merchantOrderNo: id }, { outcome: 'succeed', callback: 'duplicate' });
    const [first, second] = [await verdictOf(n), await verdictOf(n + 1)];
    expect(first.verdict.ok && second.verdict.ok).toBe(true);
    if (first.verdict.ok && second.verdict.ok) expect(first.verdict.callback.eventKey).toBe(second.verdict.callback.eventKey);
  });

  it('sends an older pending callback after the final one (out of order), each with its own key', async () => {
    const id = requestId();
    await connector.create({ kind: 'HUB_PAYIN', gateway: 'sharkpay', requestId: id, amount: 10_000n, callbackUrl: callbackUrl('sharkpay') });
    const n = receiver.received.length + 1;
    sim.controls.settleOrder({ merchantOrderNo: id }, { outcome: 'expire', callback: 'out-of-order' });
    const [final, late] = [await verdictOf(n), await verdictOf(n + 1)];
    expect(final.verdict).toMatchObject({ ok: true, callback: { report: { status: 'EXPIRED' } } });
    expect(late.verdict).toMatchObject({ ok: true, callback: { report: { status: 'PENDING' } } });
    if (final.verdict.ok && late.verdict.ok) expect(final.verdict.callback.eventKey).not.toBe(late.verdict.callback.eventKey);
    expect((await connector.queryStatus(refOf(id, 'sharkpay'))).status).toBe('EXPIRED');
  });

  it('sends no callback in mode none; the query still answers the truth', async () => {
    const id = requestId();
    await connector.create({ kind: 'HUB_PAYIN', gateway: 'sharkpay', requestId: id, amount: 10_000n, callbackUrl: callbackUrl('sharkpay') });
    const before = receiver.received.length;
    sim.controls.settleOrder({ merchantOrderNo: id }, { outcome: 'succeed', callback: 'none' });
    await sim.deliveries.idle();
    expect(receiver.received.length).toBe(before);
    expect((await connector.queryStatus(refOf(id, 'sharkpay'))).status).toBe('SUCCEEDED');
  });

  it('keeps an unknown gateway status raw and unmapped (null), in callbacks and queries', async () => {
    const id = requestId();
    await connector.create({ kind: 'HUB_PAYIN', gateway: 'wowpay', requestId: id, amount: 10_000n, callbackUrl: callbackUrl('wowpay') });
    const n = receiver.received.length + 1;
    sim.controls.settleOrder({ merchantOrderNo: id }, { outcome: 'processing', rawStatus: '2' });
    expect((await verdictOf(n)).verdict).toMatchObject({ ok: true, callback: { report: { status: null, rawStatus: '2' } } });
    const report = await connector.queryStatus(refOf(id, 'wowpay'));
    expect(report).toMatchObject({ status: null, rawStatus: '2' });
    expect(report.raw).toMatchObject({ data: { status: '2' } });
  });

  it('leaves the outcome unknown when the create answer times out, and a query settles it', async () => {
    const id = requestId();
    const slow = createPaymentHubConnector(credentials(), httpOptions(200));
    sim.controls.steer('payments.create', { kind: 'delay', delayMs: 800 });
    const error = await slow.create({ kind: 'HUB_PAYIN', gateway: 'sharkpay', requestId: id, amount: 70_000n, callbackUrl: callbackUrl('sharkpay') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).outcomeUnknown).toBe(true);
    expect(sim.controls.state().orders.filter((o) => o.merchant_order_no === id)).toHaveLength(1);
    expect(await connector.queryStatus(refOf(id, 'sharkpay'))).toMatchObject({ status: 'PENDING', raw: { data: { amount: 70000 } } });
  });

  it('reports HTTP 500 on create as outcome unknown and does not resend', async () => {
    const id = requestId();
    sim.controls.steer('payments.create', { kind: 'http-500' });
    const error = await connector.create({ kind: 'HUB_PAYIN', gateway: 'sharkpay', requestId: id, amount: 70_000n, callbackUrl: callbackUrl('sharkpay') }).catch((e: unknown) => e);
    expect((error as ProviderUnavailableError).outcomeUnknown).toBe(true);
    // The Hub's documented 404: it never got the order.
    await expect(connector.queryStatus(refOf(id, 'sharkpay'))).resolves.toMatchObject({ status: null, notFound: true });
  });

  it('logs in again on a 401 and creates the order exactly once', async () => {
    const id = requestId();
    sim.controls.resetToken();
    const result = await connector.create({ kind: 'HUB_PAYIN', gateway: 'sharkpay', requestId: id, amount: 30_000n, callbackUrl: callbackUrl('sharkpay') });
    expect(result.report.status).toBe('PENDING');
    expect(sim.controls.state().orders.filter((o) => o.merchant_order_no === id)).toHaveLength(1);
  });

  it('refuses a duplicate merchant_order_no (400), a steered 422 and an expired package (403)', async () => {
    const id = requestId();
    const input = { kind: 'HUB_PAYIN' as const, gateway: 'sharkpay' as const, requestId: id, amount: 30_000n, callbackUrl: callbackUrl('sharkpay') };
    await connector.create(input);
    expect(((await connector.create(input).catch((e: unknown) => e)) as ProviderRefusedError).code).toBe('400');
    sim.controls.steer('payments.create', { kind: 'error', code: 422, message: 'Thiếu trường amount' });
    const missing = (await connector.create({ ...input, requestId: requestId() }).catch((e: unknown) => e)) as ProviderRefusedError;
    expect(missing.code).toBe('422');
    expect(missing.options.providerMessage).toBe('Thiếu trường amount');
    sim.controls.steer('payments.create', { kind: 'error', code: 403 });
    expect(isPackageExpired(await connector.create({ ...input, requestId: requestId() }).catch((e: unknown) => e))).toBe(true);
  });

  it('refuses a pay-in when the gateway is off or the caller is not whitelisted (400)', async () => {
    const fresh = createApiNganHangSimulator();
    const other = await startSandbox([fresh]);
    try {
      const creds = { ...credentials(), baseUrl: other.baseUrl('apinganhang') + '/api/v1' };
      const api = createApiNganHangClient(creds, httpOptions());
      const hub = createPaymentHubConnector(creds, httpOptions());
      const input = { kind: 'HUB_PAYIN' as const, gateway: 'sharkpay' as const, requestId: requestId(), amount: 30_000n, callbackUrl: callbackUrl('sharkpay') };
      await api.saveHubSettings({ gateway: 'sharkpay', enabled: false, settings: { mch_id: 'SP1', payin_secret_key: 'k1' } });
      const off = (await hub.create(input).catch((e: unknown) => e)) as ProviderRefusedError;
      expect(off.code).toBe('400');
      await api.saveHubSettings({ gateway: 'sharkpay', enabled: true, settings: { mch_id: 'SP1', whitelist_ips: '10.9.9.9' } });
      const blocked = (await hub.create(input).catch((e: unknown) => e)) as ProviderRefusedError;
      expect(blocked.options.providerMessage).toContain('whitelist');
      await api.saveHubSettings({ gateway: 'sharkpay', enabled: true, settings: { mch_id: 'SP1', whitelist_ips: '10.9.9.9,127.0.0.1' } });
      expect((await hub.create(input)).report.status).toBe('PENDING');
    } finally {
      await other.close();
    }
  });

  it('does not handle kinds other than Hub orders', async () => {
    await expect(connector.create({ kind: 'CASH_IN', requestId: requestId(), amount: 1n, callbackUrl: callbackUrl('sharkpay') })).rejects.toBeInstanceOf(ProviderNotSupportedError);
    expect(connector.kinds).toEqual(['HUB_PAYIN', 'HUB_PAYOUT']);
  });
});

describe('payout', () => {
  it('creates a payout, settles it with a callback signed with the payout key, and queries it', async () => {
    const id = requestId();
    const created = await connector.create({
      kind: 'HUB_PAYOUT',
      gateway: 'wowpay',
      requestId: id,
      amount: 300_000n,
      payee: { bankCode: 'VCB', accountNumber: '0011001234567', accountName: 'LE VAN C' },
      callbackUrl: callbackUrl('wowpay'),
    });
    expect(created.report).toMatchObject({ status: 'PROCESSING', rawStatus: 'PROCESSING' });
    const n = receiver.received.length + 1;
    sim.controls.settleOrder({ merchantOrderNo: id }, { outcome: 'succeed' });
    expect((await verdictOf(n)).verdict).toMatchObject({ ok: true, callback: { report: { status: 'SUCCEEDED', amount: 300_000n } } });
    expect(await connector.queryStatus(refOf(id, 'wowpay', 'HUB_PAYOUT'))).toMatchObject({ status: 'SUCCEEDED', amount: 300_000n });
  });

  it('leaves a timed-out payout unknown; the query finds it processing', async () => {
    const id = requestId();
    const slow = createPaymentHubConnector(credentials(), httpOptions(200));
    sim.controls.steer('payments.payout', { kind: 'delay', delayMs: 800 });
    const payee = { bankCode: 'VCB', accountNumber: '0011001234567', accountName: 'LE VAN C' };
    const error = await slow.create({ kind: 'HUB_PAYOUT', gateway: 'sharkpay', requestId: id, amount: 100_000n, payee, callbackUrl: callbackUrl('sharkpay') }).catch((e: unknown) => e);
    expect((error as ProviderUnavailableError).outcomeUnknown).toBe(true);
    expect((await connector.queryStatus(refOf(id, 'sharkpay', 'HUB_PAYOUT'))).status).toBe('PROCESSING');
  });
});

describe('forged callbacks', () => {
  const inbound = (path: string, method: string, rawBody: string, contentType = 'application/json', sourceIp = '127.0.0.1'): InboundCallback => ({
    method,
    url: new URL(`http://merchant.test${path}`),
    headers: { 'content-type': contentType },
    rawBody,
    sourceIp,
  });

  async function capture(gateway: 'sharkpay' | 'wowpay') {
    const id = requestId();
    await connector.create({ kind: 'HUB_PAYIN', gateway, requestId: id, amount: 100_000n, callbackUrl: callbackUrl(gateway) });
    const n = receiver.received.length + 1;
    sim.controls.settleOrder({ merchantOrderNo: id }, { outcome: 'succeed', sharkPayMethod: 'POST-json' });
    return (await verdictOf(n)).callback;
  }

  it('rejects a SharkPay callback whose amount was changed, answering 403 INVALID_SIGN', async () => {
    const genuine = await capture('sharkpay');
    const tampered = JSON.parse(genuine.rawBody);
    tampered.amount = '1000000';
    const verdict = connector.verifyCallback({ ...genuine, rawBody: JSON.stringify(tampered) });
    expect(verdict).toMatchObject({ ok: false, reason: 'bad-signature' });
    if (!verdict.ok) expect(connector.reject(verdict)).toEqual({ status: 403, contentType: 'text/plain; charset=utf-8', body: 'INVALID_SIGN' });
  });

  it('rejects a SharkPay callback whose sign is wrong or missing', async () => {
    const genuine = JSON.parse((await capture('sharkpay')).rawBody);
    expect(connector.verifyCallback(inbound('/callbacks/sharkpay', 'POST', JSON.stringify({ ...genuine, sign: 'A'.repeat(32) })))).toMatchObject({ ok: false, reason: 'bad-signature' });
    const { sign: _sign, ...unsigned } = genuine;
    expect(connector.verifyCallback(inbound('/callbacks/sharkpay', 'POST', JSON.stringify(unsigned)))).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a WowPay callback whose status was changed, or that is signed with another key', async () => {
    const genuine = await capture('wowpay');
    const body = JSON.parse(genuine.rawBody);
    expect(connector.verifyCallback({ ...genuine, rawBody: JSON.stringify({ ...body, status: 'SUCCESS', amount: '9000000.00' }) })).toMatchObject({ ok: false, reason: 'bad-signature' });
    const other = createPaymentHubConnector({ ...credentials(), wowpayPayinSecretKey: 'someone-else', wowpayPayoutSecretKey: undefined }, httpOptions());
    expect(other.verifyCallback(genuine)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a WowPay callback from an address outside callback_source_ips', async () => {
    const genuine = await capture('wowpay');
    const strict = createPaymentHubConnector(credentials({ wowpaySourceIps: '45.77.1.10,45.77.1.11' }), httpOptions());
    const verdict = strict.verifyCallback(genuine);
    expect(verdict).toMatchObject({ ok: false, reason: 'source-ip' });
    if (!verdict.ok) expect(strict.reject(verdict).status).toBe(403);
    expect(strict.verifyCallback({ ...genuine, sourceIp: '::ffff:45.77.1.11' })).toMatchObject({ ok: true });
  });

  it('rejects a WowPay callback sent as GET, and a callback on an unknown path', async () => {
    const genuine = await capture('wowpay');
    expect(connector.verifyCallback({ ...genuine, method: 'GET' })).toMatchObject({ ok: false, reason: 'method' });
    expect(connector.verifyCallback({ ...genuine, url: new URL('http://merchant.test/callbacks/paypal') })).toMatchObject({ ok: false, reason: 'malformed' });
    expect(locateHubCallback({ ...genuine, url: new URL('http://merchant.test/callbacks/paypal') })).toBeNull();
  });

  it('accepts a SharkPay form callback with a "100.000" amount signed as sent', async () => {
    // printf '%s' 'amount=100.000&mch_id=SP998877&mch_order_no=INV20260522001&status=SUCCESS&key=secret-payin' | openssl dgst -md5
    const body = 'mch_id=SP998877&mch_order_no=INV20260522001&order_no=&amount=100.000&status=SUCCESS&sign=befd6050b6a38577bb9a4ae0c4285aa5';
    const verdict = connector.verifyCallback(inbound('/callbacks/sharkpay', 'POST', body, 'application/x-www-form-urlencoded'));
    expect(verdict).toMatchObject({ ok: true, callback: { lookup: { requestId: 'INV20260522001' }, report: { status: 'SUCCEEDED', amount: 100_000n }, eventKey: 'sharkpay:INV20260522001:SUCCESS' } });
  });

  it('rejects a signed callback naming another mch_id than the configured one', () => {
    // printf '%s' 'amount=100.000&mch_id=SP998877&mch_order_no=INV20260522001&status=PENDING&key=secret-payin' | openssl dgst -md5
    const body = 'mch_id=SP998877&mch_order_no=INV20260522001&amount=100.000&status=PENDING&sign=280984E9125C505FD2EC09884D5135E3';
    const other = createPaymentHubConnector({ ...credentials(), sharkpayMchId: 'SP000001' }, httpOptions());
    expect(other.verifyCallback(inbound('/callbacks/sharkpay', 'POST', body, 'application/x-www-form-urlencoded'))).toMatchObject({ ok: false, reason: 'bad-signature' });
  });
});

describe('connector setup', () => {
  it('validates an order before anything is sent', () => {
    const base = { kind: 'HUB_PAYIN' as const, gateway: 'wowpay' as const, requestId: 'R1', amount: 10_000n, callbackUrl: 'https://shop.example/cb' };
    expect(connector.validate!(base)).toBeNull();
    expect(connector.validate!({ ...base, gateway: undefined })).toMatchObject({ field: 'gateway' });
    expect(connector.validate!({ ...base, method: 'paypal' })).toMatchObject({ field: 'method' });
    expect(connector.validate!({ ...base, amount: 0n })).toMatchObject({ field: 'amount' });
    expect(connector.validate!({ ...base, kind: 'HUB_PAYOUT' })).toMatchObject({ field: 'payee' });
    expect(connector.validate!({ ...base, kind: 'HUB_PAYOUT', payee: { bankCode: 'VCB', accountNumber: '', accountName: 'A' } })).toMatchObject({ field: 'payee.accountNumber' });
    expect(connector.validate!({ ...base, kind: 'DEPOSIT' })).toMatchObject({ field: 'kind' });
  });

  it('refuses to verify callbacks of a gateway whose secret is not configured', async () => {
    const bare = createPaymentHubConnector({ baseUrl: credentials().baseUrl, username: 'demo', password: '123456', sharkpayPayinSecretKey: '' }, httpOptions());
    const verdict = bare.verifyCallback({
      method: 'POST',
      url: new URL('http://merchant.test/callbacks/sharkpay'),
      headers: { 'content-type': 'application/json' },
      rawBody: JSON.stringify({ mch_order_no: 'X', status: 'SUCCESS', sign: 'A'.repeat(32) }),
      sourceIp: '127.0.0.1',
    });
    expect(verdict).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('registers flat credentials whose secrets are top-level fields', () => {
    const parsed = apiNganHangProviderModule.credentials.parse({ ...credentials(), wowpayCallbackSourceIps: '45.77.1.10, 45.77.1.11' });
    expect(parsed.hub.wowpay).toEqual({ payinSecretKey: 'wowpay-deposit-key', payoutSecretKey: 'wowpay-payout-key', merchantNo: 'M123456', callbackSourceIps: ['45.77.1.10', '45.77.1.11'] });
    expect(parsed.hub.sharkpay?.mchId).toBe('SP998877');
    expect([...apiNganHangProviderModule.secretFields].sort()).toEqual(
      ['password', 'webhookSecret', 'sharkpayPayinSecretKey', 'sharkpayPayoutSecretKey', 'wowpayPayinSecretKey', 'wowpayPayoutSecretKey'].sort(),
    );
    expect(apiNganHangCallbackRoutes.sharkpay!.methods).toEqual(['GET', 'POST']);
    const built = apiNganHangProviderModule.orderConnector!(parsed, { http: { timeoutMs: 1000, safeRetries: 0, backoffMs: 1 }, nonces: { next: async () => '1' } });
    expect(built.kinds).toEqual(['HUB_PAYIN', 'HUB_PAYOUT']);
  });
});

describe('Revised readings: which key signs, device_ip, not found', () => {
  const payee = { bankCode: 'VCB', accountNumber: '0011001234567', accountName: 'LE VAN C' };

  it.each(['payout', 'payin'] as const)('verifies a payout callback signed with the %s key (payout key first, pay-in key as the fallback)', async (signWith) => {
    const id = requestId();
    await connector.create({ kind: 'HUB_PAYOUT', gateway: 'sharkpay', requestId: id, amount: 200_000n, payee, callbackUrl: callbackUrl('sharkpay') });
    const n = receiver.received.length + 1;
    sim.controls.settleOrder({ merchantOrderNo: id }, { outcome: 'succeed', sharkPayMethod: 'POST-json', signWith });
    const { callback } = await verdictOf(n);
    expect(connector.verifyCallback(callback, { kind: 'HUB_PAYOUT' })).toMatchObject({ ok: true });
  });

  it('verifies a pay-in callback with the pay-in key only: one signed with the payout key is refused', async () => {
    const id = requestId();
    await connector.create({ kind: 'HUB_PAYIN', gateway: 'sharkpay', requestId: id, amount: 120_000n, callbackUrl: callbackUrl('sharkpay') });
    const n = receiver.received.length + 1;
    sim.controls.settleOrder({ merchantOrderNo: id }, { outcome: 'succeed', sharkPayMethod: 'POST-json' });
    const { callback } = await verdictOf(n);
    expect(connector.verifyCallback(callback, { kind: 'HUB_PAYIN' })).toMatchObject({ ok: true });
    const fields = JSON.parse(callback.rawBody) as Record<string, string>;
    const { sign: _sign, ...signed } = fields;
    const base = Object.keys(signed).sort().filter((key) => signed[key] !== '').map((key) => `${key}=${signed[key]}`).join('&');
    const withPayoutKey = { ...fields, sign: createHash('md5').update(`${base}&key=${SHARK.sharkpayPayoutSecretKey}`).digest('hex').toUpperCase() };
    const forged = { ...callback, rawBody: JSON.stringify(withPayoutKey) };
    expect(connector.verifyCallback(forged, { kind: 'HUB_PAYIN' })).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(connector.verifyCallback(forged, { kind: 'HUB_PAYOUT' })).toMatchObject({ ok: true });
  });

  it("sends the merchant's configured server IP as device_ip, never the payer's, and leaves it out when none is set", async () => {
    const withIp = createPaymentHubConnector({ ...credentials(), hubDeviceIp: '203.0.113.10' }, httpOptions());
    const a = requestId();
    await withIp.create({ kind: 'HUB_PAYIN', gateway: 'wowpay', requestId: a, amount: 100_000n, callbackUrl: callbackUrl('wowpay'), clientIp: '198.51.100.77' });
    const b = requestId();
    await connector.create({ kind: 'HUB_PAYIN', gateway: 'wowpay', requestId: b, amount: 100_000n, callbackUrl: callbackUrl('wowpay'), clientIp: '198.51.100.77' });
    const deviceIpOf = (id: string) => sim.controls.state().orders.find((o) => o.merchant_order_no === id)!.device_ip;
    expect(deviceIpOf(a)).toBe('203.0.113.10');
    expect(deviceIpOf(b)).toBeNull();
  });

  it('reads the documented 404 of query.php as "not found" (status null, nothing guessed)', async () => {
    const report = await connector.queryStatus(refOf(requestId(), 'sharkpay', 'HUB_PAYIN'));
    expect(report).toMatchObject({ status: null, notFound: true, rawStatus: 'NOT_FOUND' });
  });
});
