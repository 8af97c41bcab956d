// The AZConnectPay simulator on the wire, without the connector: its checks
// must refuse what the real provider refuses, whoever the client is.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzConnectPaySimulator, type AzConnectPaySimulator } from '../../../src/sandbox/azconnectpay/index.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';

const API_KEY = 'sim-test-api-key';
const PRIVATE_KEY = 'sim-test-private-key';

let sim: AzConnectPaySimulator;
let sandbox: RunningSandbox;
let base: string;
beforeAll(async () => {
  sim = createAzConnectPaySimulator({ apiKey: API_KEY, privateKey: PRIVATE_KEY });
  sandbox = await startSandbox([sim]);
  base = sandbox.baseUrl('azconnectpay');
});
afterAll(async () => {
  await sandbox.close();
});

let n = 0;
const rid = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++n}`;

// Written here from the document, independently of both the connector and the simulator.
const md5 = (text: string, key = PRIVATE_KEY) => createHmac('md5', key).update(text, 'utf8').digest('hex');

async function post(path: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function get(path: string, headers: Record<string, string> = { APIKEY: API_KEY }) {
  const response = await fetch(`${base}${path}`, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function signedCashIn(fields: { amount: unknown; request_id: unknown; type: unknown; callback?: string }) {
  const body = JSON.stringify({ amount: fields.amount, request_id: fields.request_id, type: fields.type, callback: fields.callback ?? '' });
  return { body, headers: { APIKEY: API_KEY, Checksum: md5(body) } };
}

function signedCashOut(fields: Record<string, unknown>) {
  const body = JSON.stringify({
    request_id: fields.request_id,
    type: fields.type,
    amount: fields.amount,
    account: fields.account,
    bank_code: fields.bank_code,
    bank_fullname: fields.bank_fullname,
    callback: fields.callback ?? '',
  });
  return { body, headers: { APIKEY: API_KEY, Checksum: md5(body) } };
}

describe('AZConnectPay simulator: cash-in', () => {
  it('answers a bank cash-in in the document shape', async () => {
    const request_id = rid('in');
    const { body, headers } = signedCashIn({ amount: 50000, request_id, type: 'bank', callback: 'https://example.com/callback' });
    const answer = await post('/api/v2/cash-in', body, headers);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ success: true, request_id, amount: 50000, status: true, message: 'success' });
    const results = answer.body.results as Record<string, unknown>;
    expect(Object.keys(results).sort()).toEqual(['account', 'account_name', 'amount', 'bank', 'bank_code', 'content', 'qr_data', 'qr_img']);
    expect(answer.body.qr_link).toBe(results.qr_data);
    // A VietQR payload: version, dynamic QR, VND, the amount, Vietnam, and a CRC.
    expect(results.qr_data).toMatch(/^000201010212.*5303704540550000.*5802VN.*6304[0-9A-F]{4}$/);
  });

  it('answers a MoMo cash-in with the deep link also at the top level', async () => {
    const { body, headers } = signedCashIn({ amount: 50000, request_id: rid('momo'), type: 'momo' });
    const answer = await post('/api/v2/cash-in', body, headers);
    const results = answer.body.results as Record<string, unknown>;
    expect(Object.keys(results).sort()).toEqual(['amount', 'content', 'deep_link', 'name', 'phone', 'qr_data', 'qr_img']);
    expect(answer.body.deep_link).toBe(results.deep_link);
    expect(answer.body.qr_link).toBe(results.qr_data);
  });

  const refusals: [string, () => { body: string; headers: Record<string, string> }, number, RegExp][] = [
    ['no APIKEY', () => ({ ...signedCashIn({ amount: 1000, request_id: rid('x'), type: 'bank' }), headers: { Checksum: 'x' } }), 401, /Missing APIKEY/],
    ['a wrong APIKEY', () => { const s = signedCashIn({ amount: 1000, request_id: rid('x'), type: 'bank' }); return { ...s, headers: { ...s.headers, APIKEY: API_KEY.toUpperCase() } }; }, 401, /Invalid APIKEY/],
    ['no Checksum', () => { const s = signedCashIn({ amount: 1000, request_id: rid('x'), type: 'bank' }); return { ...s, headers: { APIKEY: API_KEY } }; }, 401, /Missing Checksum/],
    ['a Checksum made with another key', () => { const s = signedCashIn({ amount: 1000, request_id: rid('x'), type: 'bank' }); return { ...s, headers: { ...s.headers, Checksum: md5(s.body, 'other') } }; }, 401, /Invalid Checksum/],
    ['a Checksum over other keys order', () => { const id = rid('x'); const s = signedCashIn({ amount: 1000, request_id: id, type: 'bank' }); return { ...s, headers: { ...s.headers, Checksum: md5(JSON.stringify({ request_id: id, amount: 1000, type: 'bank', callback: '' })) } }; }, 401, /Invalid Checksum/],
    ['a body amount changed after signing', () => { const s = signedCashIn({ amount: 1000, request_id: rid('x'), type: 'bank' }); return { ...s, body: s.body.replace('1000', '9000') }; }, 401, /Invalid Checksum/],
    ['an amount sent as a string', () => signedCashIn({ amount: '1000', request_id: rid('x'), type: 'bank' }), 400, /Invalid amount/],
    ['a fractional amount', () => signedCashIn({ amount: 1000.5, request_id: rid('x'), type: 'bank' }), 400, /Invalid amount/],
    ['an invalid type', () => signedCashIn({ amount: 1000, request_id: rid('x'), type: 'card' }), 400, /Invalid type/],
    ['no request_id', () => signedCashIn({ amount: 1000, request_id: undefined, type: 'bank' }), 400, /Missing field: request_id/],
    ['a body that is not JSON', () => ({ body: 'amount=1000', headers: { APIKEY: API_KEY, Checksum: md5('amount=1000') } }), 400, /Invalid JSON/],
  ];
  for (const [name, build, status, message] of refusals) {
    it(`refuses a cash-in with ${name} (HTTP ${status}, success:false)`, async () => {
      const { body, headers } = build();
      const answer = await post('/api/v2/cash-in', body, headers);
      expect(answer.status).toBe(status);
      expect(answer.body.success).toBe(false);
      expect(String(answer.body.message)).toMatch(message);
    });
  }

  it('refuses a duplicate request_id with 409', async () => {
    const signed = signedCashIn({ amount: 1000, request_id: rid('dup'), type: 'bank' });
    expect((await post('/api/v2/cash-in', signed.body, signed.headers)).status).toBe(200);
    const again = await post('/api/v2/cash-in', signed.body, signed.headers);
    expect(again).toEqual({ status: 409, body: { success: false, message: 'request_id already exists' } });
  });

  it('answers the cash-in status truthfully, and 404 for an unknown request_id', async () => {
    const request_id = rid('st');
    const signed = signedCashIn({ amount: 80000, request_id, type: 'bank' });
    await post('/api/v2/cash-in', signed.body, signed.headers);
    const pending = await get(`/api/v2/cash-in/status?request_id=${request_id}`);
    expect(pending.body).toMatchObject({ success: true, request_id, amount: 80000, fee_amount: 0, status: 'PENDING' });
    expect(pending.body.created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(await get('/api/v2/cash-in/status?request_id=nope')).toEqual({ status: 404, body: { success: false, message: 'Transaction not found' } });
    expect((await get('/api/v2/cash-in/status')).status).toBe(400);
    expect((await get(`/api/v2/cash-in/status?request_id=${request_id}`, { APIKEY: 'bad' })).status).toBe(401);
  });

  it('answers 405 for a GET on the create path', async () => {
    expect((await get('/api/v2/cash-in')).status).toBe(405);
  });
});

describe('AZConnectPay simulator: cash-out', () => {
  const payee = { account: '321321321321', bank_code: 'VCB', bank_fullname: 'NGUYEN VAN A' };

  it('answers a cash-out as the document shows', async () => {
    const request_id = rid('out');
    const { body, headers } = signedCashOut({ request_id, type: 'bank', amount: 100000, ...payee, callback: 'https://example.com/cashout-callback' });
    const answer = await post('/api/v2/cash-out', body, headers);
    expect(answer).toEqual({ status: 200, body: { success: true, request_id, amount: 100000, status: 'PENDING', message: 'OK', results: {} } });
    const status = await get(`/api/v2/cash-out/status?request_id=${request_id}`);
    expect(status.body).toMatchObject({ success: true, request_id, amount: 100000, status: 'PENDING', type: 'bank' });
    expect(status.body).not.toHaveProperty('fee_amount');
  });

  const refusals: [string, Record<string, unknown>, number, RegExp][] = [
    ['an amount below 100 000', { type: 'bank', amount: 99999, ...payee }, 400, /Minimum cash-out amount/],
    ['no account', { type: 'bank', amount: 100000, ...payee, account: '' }, 400, /Missing field: account/],
    ['no bank_fullname', { type: 'bank', amount: 100000, ...payee, bank_fullname: undefined }, 400, /Missing field: bank_fullname/],
    ['no bank_code for a bank', { type: 'bank', amount: 100000, ...payee, bank_code: undefined }, 400, /Missing field: bank_code/],
    ['an unknown bank_code', { type: 'bank', amount: 100000, ...payee, bank_code: 'XYZ' }, 400, /Invalid bank_code/],
    ['an invalid type', { type: 'cash', amount: 100000, ...payee }, 400, /Invalid type/],
  ];
  for (const [name, fields, status, message] of refusals) {
    it(`refuses a cash-out with ${name}`, async () => {
      const { body, headers } = signedCashOut({ request_id: rid('bad'), ...fields });
      const answer = await post('/api/v2/cash-out', body, headers);
      expect(answer.status).toBe(status);
      expect(answer.body.success).toBe(false);
      expect(String(answer.body.message)).toMatch(message);
    });
  }

  it('refuses a cash-out whose Checksum does not cover the payee it carries', async () => {
    const signed = signedCashOut({ request_id: rid('tamper'), type: 'bank', amount: 100000, ...payee });
    const answer = await post('/api/v2/cash-out', signed.body.replace('321321321321', '999999999999'), signed.headers);
    expect(answer).toEqual({ status: 401, body: { success: false, message: 'Invalid Checksum' } });
  });
});

describe('AZConnectPay simulator: banks and steering routes', () => {
  it('lists the appendix banks', async () => {
    const answer = await get('/api/v2/banks');
    expect(answer.body.success).toBe(true);
    expect(answer.body.data).toContainEqual({ code: 'BIDV', name: 'BIDV' });
    expect((await get('/api/v2/banks', {})).status).toBe(401);
  });

  it('steers the next request over HTTP, then behaves normally again', async () => {
    const steer = await fetch(`${base}/_sandbox/steer`, { method: 'POST', body: JSON.stringify({ operation: 'banks', behaviour: { kind: 'http-500' } }) });
    expect(steer.status).toBe(200);
    expect((await fetch(`${base}/api/v2/banks`, { headers: { APIKEY: API_KEY } })).status).toBe(500);
    expect((await get('/api/v2/banks')).status).toBe(200);
    const bad = await fetch(`${base}/_sandbox/steer`, { method: 'POST', body: JSON.stringify({ operation: 'nope', behaviour: { kind: 'fail' } }) });
    expect(bad.status).toBe(400);
  });

  it('settles an order over HTTP with a different amount, and shows it in the state', async () => {
    const request_id = rid('settle');
    const signed = signedCashIn({ amount: 100000, request_id, type: 'bank' });
    await post('/api/v2/cash-in', signed.body, signed.headers);
    const settle = await fetch(`${base}/_sandbox/settle`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'cash-in', request_id, outcome: 'succeed', amount: '90.500', callback: 'none' }),
    });
    expect(settle.status).toBe(200);
    const status = await get(`/api/v2/cash-in/status?request_id=${request_id}`);
    expect(status.body).toMatchObject({ status: 'SUCCESS', amount: 90500, fee_amount: 3620 });
    const state = (await (await fetch(`${base}/_sandbox/state`)).json()) as { orders: { request_id: string; history: { status: string }[] }[] };
    expect(state.orders.find((o) => o.request_id === request_id)?.history.map((e) => e.status)).toEqual(['PENDING', 'SUCCESS']);
    // Final is final; unknown is unknown.
    const again = await fetch(`${base}/_sandbox/settle`, { method: 'POST', body: JSON.stringify({ kind: 'cash-in', request_id, outcome: 'fail' }) });
    expect(again.status).toBe(409);
    const unknown = await fetch(`${base}/_sandbox/settle`, { method: 'POST', body: JSON.stringify({ kind: 'cash-out', request_id, outcome: 'fail' }) });
    expect(unknown.status).toBe(404);
  });

  it('refuses a different amount on a cash-out settlement', () => {
    expect(() => sim.controls.settle({ kind: 'cash-out', requestId: 'whatever', outcome: 'succeed', amount: 1 })).toThrow();
  });

  it('settles an order silently when a status query is steered to fail', async () => {
    const request_id = rid('steer-status');
    const signed = signedCashIn({ amount: 100000, request_id, type: 'momo', callback: 'http://127.0.0.1:9/never' });
    await post('/api/v2/cash-in', signed.body, signed.headers);
    sim.controls.steer('cash-in-status', { kind: 'fail' });
    expect((await get(`/api/v2/cash-in/status?request_id=${request_id}`)).body.status).toBe('FAILED');
    await sim.deliveries.idle();
    expect(sim.deliveries.log.filter((d) => d.url === 'http://127.0.0.1:9/never')).toHaveLength(0);
  });
});
