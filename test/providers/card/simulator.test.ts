// The simulator seen from the wire, without the connector: what a client of
// any language meets at /card/chargingws/v2 and /card/_sandbox/*.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { createCardSimulator, type CardSimulator } from '../../../src/sandbox/card/index.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';
import { startCallbackReceiver, viettelCard } from './helpers.js';

const partnerId = '8740404061';
const partnerKey = 'wire-test-key';
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

let sim: CardSimulator;
let sandbox: RunningSandbox;
let endpoint: string;
let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;

beforeAll(async () => {
  receiver = await startCallbackReceiver(() => ({ status: 200, contentType: 'application/json', body: '{"status":true}' }));
  sim = createCardSimulator({ partnerId, partnerKey });
  sandbox = await startSandbox([sim]);
  endpoint = sandbox.baseUrl('card') + '/chargingws/v2';
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

function formOf(card: ReturnType<typeof viettelCard>, overrides: Record<string, string> = {}) {
  return {
    telco: card.telco,
    code: card.code,
    serial: card.serial,
    amount: card.declaredValue.toString(),
    request_id: card.requestId,
    partner_id: partnerId,
    sign: md5(partnerKey + card.code + card.serial),
    command: 'charging',
    ...overrides,
  };
}

const post = async (fields: Record<string, string>) => (await fetch(endpoint, { method: 'POST', body: new URLSearchParams(fields) })).json();
const sandboxPost = (route: string, body: unknown) => fetch(`${sandbox.baseUrl('card')}/_sandbox/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('card simulator endpoint', () => {
  it('accepts the document’s multipart --form request and answers 99 with trans_id and declared_value', async () => {
    const card = viettelCard();
    const form = new FormData();
    for (const [key, value] of Object.entries(formOf(card))) form.append(key, value);
    const answer = await (await fetch(endpoint, { method: 'POST', body: form })).json();
    expect(answer).toMatchObject({ status: 99, message: 'PENDING', request_id: card.requestId, declared_value: 50000, amount: 35000, value: null, telco: 'VIETTEL' });
    expect(typeof answer.trans_id).toBe('number');
  });

  it('accepts the same fields over GET', async () => {
    const card = viettelCard();
    const answer = await (await fetch(`${endpoint}?${new URLSearchParams(formOf(card))}`)).json();
    expect(answer).toMatchObject({ status: 99, request_id: card.requestId });
  });

  it.each([
    ['a wrong sign', { sign: md5('wrong' + '1' + '2') }, 'Sai chữ ký'],
    ['an upper-case sign', 'UPPER', 'Sai chữ ký'],
    ['an unknown partner_id', { partner_id: '1' }, 'partner_id không tồn tại'],
    ['a missing request_id', { request_id: '' }, 'Thiếu tham số request_id'],
    ['an unknown telco', { telco: 'NOKIA' }, 'Loại thẻ không hợp lệ'],
    ['a face value the telco lacks', { amount: '15000' }, 'Mệnh giá không hợp lệ'],
    ['a decimal amount', { amount: '50000.00' }, 'Mệnh giá không hợp lệ'],
    ['letters in a Viettel code', 'LETTERS', 'Mã thẻ hoặc serial không đúng định dạng'],
    ['an unknown command', { command: 'refund' }, 'command không hợp lệ'],
  ] as const)('answers status 100 for %s', async (_name, overrides, message) => {
    const card = viettelCard();
    let fields = formOf(card);
    if (overrides === 'UPPER') fields = { ...fields, sign: fields.sign.toUpperCase() };
    else if (overrides === 'LETTERS') {
      const code = card.code.replace(/^\d{2}/, 'AB');
      fields = { ...fields, code, sign: md5(partnerKey + code + card.serial) };
    } else fields = { ...fields, ...overrides };
    expect(await post(fields)).toEqual({ status: 100, message });
    expect(sim.controls.charge(card.requestId)).toBeUndefined();
  });

  it('answers check with the charge’s current state, and 100 when the card does not match it', async () => {
    const card = viettelCard();
    const { trans_id } = await post(formOf(card));
    sim.controls.settle(card.requestId, { status: 1, callback: { mode: 'none' } });
    expect(await post(formOf(card, { command: 'check' }))).toMatchObject({ status: 1, trans_id, value: 50000, card_value: 50000, amount: 35000 });
    const other = viettelCard();
    const mismatch = formOf({ ...other, requestId: card.requestId }, { command: 'check' });
    expect(await post(mismatch)).toEqual({ status: 100, message: 'Thông tin thẻ không khớp giao dịch' });
  });

  it('returns 404 for other paths', async () => {
    expect((await fetch(`${sandbox.baseUrl('card')}/chargingws/v1`)).status).toBe(404);
  });
});

describe('card simulator steering over HTTP', () => {
  it('queues a behaviour for the next submit', async () => {
    expect((await sandboxPost('steer', { operation: 'charging', behaviour: { kind: 'error', code: 4 } })).status).toBe(200);
    expect(await post(formOf(viettelCard()))).toEqual({ status: 4, message: 'Hệ thống bảo trì' });
    expect(await post(formOf(viettelCard()))).toMatchObject({ status: 99 });
  });

  it('refuses a malformed steering request with 400', async () => {
    const response = await sandboxPost('steer', { operation: 'charging', behaviour: { kind: 'explode' } });
    expect(response.status).toBe(400);
  });

  it('settles a charge with a callback to the configured URL, signed independently', async () => {
    expect((await sandboxPost('callback-url', { url: receiver.url })).status).toBe(200);
    const card = viettelCard();
    await post(formOf(card));
    const response = await sandboxPost('settle', { request_id: card.requestId, status: 2, real_value: 20000, callback: { form: 'GET' } });
    expect(response.status).toBe(200);
    const settled = await response.json();
    expect(settled.charge).toMatchObject({ status: 2, card_value: 20000, value: 20000, amount: 7000, code: `…${card.code.slice(-4)}` });
    await sim.deliveries.idle();
    const arrived = receiver.received.at(-1)!.inbound;
    expect(arrived.method).toBe('GET');
    const query = arrived.url.searchParams;
    expect(Object.fromEntries(query)).toMatchObject({ status: '2', request_id: card.requestId, declared_value: '50000', card_value: '20000', value: '20000', amount: '7000' });
    expect(query.get('callback_sign')).toBe(md5(partnerKey + card.code + card.serial));
  });

  it('refuses to settle a charge twice, or one it does not know', async () => {
    const card = viettelCard();
    await post(formOf(card));
    expect((await sandboxPost('settle', { request_id: card.requestId, status: 3, callback: { mode: 'none' } })).status).toBe(200);
    expect((await sandboxPost('settle', { request_id: card.requestId, status: 1, callback: { mode: 'none' } })).status).toBe(400);
    expect((await sandboxPost('settle', { request_id: 'nobody', status: 1 })).status).toBe(400);
  });

  it('reads a callback URL given as a function at settle time, and refuses to settle without one', async () => {
    let url: string | undefined;
    const lazy = createCardSimulator({ partnerId, partnerKey, callbackUrl: () => url });
    const other = await startSandbox([lazy]);
    try {
      const lazyEndpoint = other.baseUrl('card') + '/chargingws/v2';
      const first = viettelCard();
      await fetch(lazyEndpoint, { method: 'POST', body: new URLSearchParams(formOf(first)) });
      expect(() => lazy.controls.settle(first.requestId, { status: 1 })).toThrow(/no callbackUrl/);
      expect(lazy.controls.charge(first.requestId)?.status).toBe(99);
      url = receiver.url;
      const before = receiver.received.length;
      lazy.controls.settle(first.requestId, { status: 1 });
      await lazy.deliveries.idle();
      expect(receiver.received.length).toBe(before + 1);
      expect(JSON.parse(receiver.received.at(-1)!.inbound.rawBody)).toMatchObject({ status: 1, request_id: first.requestId, amount: 35000 });
    } finally {
      await other.close();
    }
  });

  it('shows its state with card codes masked', async () => {
    const card = viettelCard();
    await post(formOf(card));
    const state = await (await fetch(`${sandbox.baseUrl('card')}/_sandbox/state`)).json();
    const text = JSON.stringify(state);
    expect(state.charges.some((charge: { request_id: string }) => charge.request_id === card.requestId)).toBe(true);
    expect(text).not.toContain(card.code);
    expect(text).not.toContain(card.serial);
    expect(text).not.toContain(partnerKey);
  });

  it('forgets everything on reset', async () => {
    const card = viettelCard();
    await post(formOf(card));
    expect((await sandboxPost('reset', {})).status).toBe(200);
    expect(sim.controls.charge(card.requestId)).toBeUndefined();
  });
});
