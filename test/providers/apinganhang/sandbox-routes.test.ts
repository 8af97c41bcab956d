// The simulator's steering routes under /apinganhang/_sandbox/…, as someone
// building a client without our code would use them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiNganHangClient, createMemoryTokenCache } from '../../../src/providers/apinganhang/index.js';
import { createApiNganHangSimulator } from '../../../src/sandbox/apinganhang/index.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';
import { ProviderRefusedError } from '../../../src/errors/index.js';

const sim = createApiNganHangSimulator();
let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox([sim]);
});
afterAll(async () => {
  await sandbox?.close();
});

const control = async (action: string, body?: unknown) => {
  const response = await fetch(`${sandbox.baseUrl('apinganhang')}/_sandbox/${action}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
};
const api = () =>
  createApiNganHangClient(
    { baseUrl: sandbox.baseUrl('apinganhang') + '/api/v1', username: 'demo', password: '123456' },
    { http: { timeoutMs: 5_000, safeRetries: 0, backoffMs: 10 }, tokenCache: createMemoryTokenCache() },
  );

describe('sandbox routes', () => {
  it('queues a documented error for the next request of an operation', async () => {
    expect((await control('steer', { operation: 'services.site-settings', behaviour: { kind: 'error', code: 404 } })).status).toBe(200);
    expect(((await api().siteSettings().catch((e: unknown) => e)) as ProviderRefusedError).code).toBe('404');
    expect((await api().siteSettings()).data.title).toBe('API Ngân hàng');
  });

  it('adds a transaction, exposes the OTP, settles an order and shows it all in the state', async () => {
    const added = await control('transactions', { direction: 'in', amount: 150000, description: 'CK qua sandbox', ref_no: 'FTSBX1' });
    expect(added.body.transaction).toMatchObject({ amount: 150000, type: 'in', ref_no: 'FTSBX1' });
    const client = api();
    await client.requestOtp({ bankCode: 'VIETCOMBANK', loginId: 'vcb', password: 'vcb-pass', accountNumber: '1234567890' });
    const { body: otp } = await control('otp?account_number=1234567890');
    expect(otp.otp).toMatch(/^\d{6}$/);
    await client.saveHubSettings({ gateway: 'sharkpay', enabled: true, settings: { mch_id: 'SP1', payin_secret_key: 'k-secret-1' } });
    const order = await client.createPayin({ gateway: 'sharkpay', merchantOrderNo: 'SBX-1', amount: 10_000n });
    const settled = await control('settle', { merchant_order_no: 'SBX-1', outcome: 'fail', callback: 'none' });
    expect(settled.body.order).toMatchObject({ order_no: order.data.order_no, status: 'FAILED' });
    const state = await control('state');
    expect(state.body.transactions.some((t: { ref_no: string }) => t.ref_no === 'FTSBX1')).toBe(true);
    expect(JSON.stringify(state.body)).not.toContain('k-secret-1');
    expect(JSON.stringify(state.body)).not.toContain('vcb-pass');
  });

  it('starts with the Hub settings given as options', async () => {
    const seeded = createApiNganHangSimulator({ hubSettings: { wowpay: { merchant_no: 'M9', payin_secret_key: 'seeded-key' } } });
    const other = await startSandbox([seeded]);
    try {
      const client = createApiNganHangClient(
        { baseUrl: other.baseUrl('apinganhang') + '/api/v1', username: 'demo', password: '123456' },
        { http: { timeoutMs: 5_000, safeRetries: 0, backoffMs: 10 }, tokenCache: createMemoryTokenCache() },
      );
      expect((await client.getHubSettings('wowpay')).data).toMatchObject({ enabled: true, hasPayinSecretKey: true, settings: { merchant_no: 'M9' } });
      expect((await client.createPayin({ gateway: 'wowpay', merchantOrderNo: 'SEED-1', amount: 5_000n, channel: 'zalo' })).data.deep_link).toMatch(/^zalo:/);
    } finally {
      await other.close();
    }
  });

  it('answers 404 JSON for an unknown endpoint and 401 without a token', async () => {
    const unknown = await fetch(`${sandbox.baseUrl('apinganhang')}/api/v1/nope.php`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ success: false });
    const anonymous = await fetch(`${sandbox.baseUrl('apinganhang')}/api/v1/auth/profile.php`);
    expect(anonymous.status).toBe(401);
  });
});
