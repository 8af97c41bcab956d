import { afterAll, beforeAll, beforeEach, describe, it, expect } from 'vitest';
import {
  createCardConnector,
  judgeCardCallback,
  locateCardCallback,
  type CardCallbackVerdict,
  type CardChargeState,
  type CardConnector,
} from '../../../src/providers/card/index.js';
import type { InboundCallback } from '../../../src/providers/types.js';
import { createCardSimulator, type CardCallbackForm, type CardSimulator } from '../../../src/sandbox/card/index.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';
import { inbound, startCallbackReceiver, viettelCard } from './helpers.js';

const partnerId = '3681148751';
const partnerKey = 'callback-test-key';

let sim: CardSimulator;
let sandbox: RunningSandbox;
let connector: CardConnector;
let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
const verdicts: { inbound: InboundCallback; verdict: CardCallbackVerdict }[] = [];

beforeAll(async () => {
  receiver = await startCallbackReceiver((callback) => {
    // What our callback route does: verify, record, answer.
    const verdict = connector.verifyCallback(callback);
    verdicts.push({ inbound: callback, verdict });
    return verdict.ok ? connector.acknowledge() : connector.reject(verdict);
  });
  sim = createCardSimulator({ partnerId, partnerKey, callbackUrl: receiver.url });
  sandbox = await startSandbox([sim]);
  connector = createCardConnector({ baseUrl: sandbox.baseUrl('card') + '/chargingws/v2', partnerId, partnerKey }, { http: { timeoutMs: 2_000, safeRetries: 1, backoffMs: 10 } });
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

beforeEach(() => {
  verdicts.length = 0;
});

/** Submits a card and returns our record of the charge, as the lead's service would keep it. */
async function pendingCharge(declaredValue = 50_000n) {
  const card = viettelCard(declaredValue);
  const report = await connector.submit(card);
  const charge: CardChargeState = { requestId: card.requestId, transId: report.transId, declaredValue, status: 'PENDING' };
  return { card, charge };
}

function okVerdicts() {
  return verdicts.map(({ verdict }) => {
    if (!verdict.ok) throw new Error(`callback rejected: ${verdict.reason} ${verdict.detail}`);
    return verdict;
  });
}

describe('card callbacks from the simulator', () => {
  it.each<[CardCallbackForm, string]>([
    ['POST_JSON', 'POST'],
    ['POST_JSON_CURL', 'POST'],
    ['GET', 'GET'],
  ])('verifies a %s callback and acknowledges it with 200 {"status":true}', async (form, method) => {
    const { card, charge } = await pendingCharge();
    sim.controls.settle(card.requestId, { status: 1, callback: { form } });
    await sim.deliveries.idle();
    const [verdict] = okVerdicts();
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]!.inbound.method).toBe(method);
    expect(verdict!.report).toMatchObject({ status: 'SUCCEEDED', providerStatus: 1, amount: 35_000n, chargedValue: 50_000n, declaredValue: 50_000n, transId: charge.transId });
    // card_value, the real face value, comes only with the GET form; value is what the card is charged on.
    expect(verdict!.report.realValue).toBe(form === 'GET' ? 50_000n : undefined);
    expect(verdict!.callback.statusIsSigned).toBe(false);
    expect(verdict!.callback.lookup).toEqual({ requestId: card.requestId, providerReference: charge.transId });
    expect(locateCardCallback(verdicts[0]!.inbound)).toEqual({ requestId: card.requestId, providerReference: charge.transId });
    expect(JSON.stringify(verdict!.report.raw)).not.toContain(card.code);
    const delivery = sim.deliveries.log.at(-1)!;
    expect(delivery.status).toBe(200);
    expect(JSON.parse(delivery.responseBody!)).toEqual({ status: true });
    expect(judgeCardCallback(charge, verdict!.report)).toEqual({ decision: 'accept', to: 'SUCCEEDED', confirmByCheck: true });
  });

  it('reads the real value from card_value in a GET callback for a wrong declared value', async () => {
    const { card, charge } = await pendingCharge(50_000n);
    sim.controls.settle(card.requestId, { status: 2, realValue: 100_000n, callback: { form: 'GET' } });
    await sim.deliveries.idle();
    const [verdict] = okVerdicts();
    expect(verdict!.report).toMatchObject({ status: 'SUCCEEDED', valueMismatch: true, declaredValue: 50_000n, realValue: 100_000n, chargedValue: 50_000n, amount: 17_500n });
    expect(judgeCardCallback(charge, verdict!.report)).toMatchObject({ decision: 'accept', to: 'SUCCEEDED' });
  });

  it.each([3, 4, 100])('verifies a status-%i failure callback', async (status) => {
    const { card, charge } = await pendingCharge();
    sim.controls.settle(card.requestId, { status, callback: { form: 'POST_JSON' } });
    await sim.deliveries.idle();
    const [verdict] = okVerdicts();
    expect(verdict!.report).toMatchObject({ status: 'FAILED', providerStatus: status, retryable: status === 4 });
    expect(judgeCardCallback(charge, verdict!.report)).toMatchObject({ decision: 'accept', to: 'FAILED' });
  });

  it('gives a duplicate callback the same event key, and the second one changes nothing', async () => {
    const { card, charge } = await pendingCharge();
    sim.controls.settle(card.requestId, { status: 1, callback: { mode: 'duplicate' } });
    await sim.deliveries.idle();
    const [first, second] = okVerdicts();
    expect(first!.callback.eventKey).toBe(second!.callback.eventKey);
    expect(judgeCardCallback(charge, first!.report)).toMatchObject({ decision: 'accept' });
    const applied = { ...charge, status: 'SUCCEEDED' as const };
    expect(judgeCardCallback(applied, second!.report)).toMatchObject({ decision: 'ignore', reason: 'duplicate' });
  });

  it('sends nothing in mode none, and a check finds the final state', async () => {
    const { card, charge } = await pendingCharge();
    sim.controls.settle(card.requestId, { status: 3, callback: { mode: 'none' } });
    await sim.deliveries.idle();
    expect(verdicts).toHaveLength(0);
    const checked = await connector.check(card);
    expect(judgeCardCallback(charge, checked, { checkEnabled: true, source: 'check' })).toEqual({ decision: 'accept', to: 'FAILED', confirmByCheck: false });
  });

  it('refuses a stale pending callback that arrives after the final one', async () => {
    const { card, charge } = await pendingCharge();
    sim.controls.settle(card.requestId, { status: 1, callback: { mode: 'out-of-order', form: 'GET' } });
    await sim.deliveries.idle();
    const [final, stale] = okVerdicts();
    expect(final!.report.status).toBe('SUCCEEDED');
    expect(stale!.report.status).toBe('PENDING');
    expect(final!.callback.eventKey).not.toBe(stale!.callback.eventKey);
    expect(judgeCardCallback(charge, final!.report)).toMatchObject({ decision: 'accept' });
    expect(judgeCardCallback({ ...charge, status: 'SUCCEEDED' }, stale!.report)).toMatchObject({ decision: 'reject', reason: 'already-final' });
  });

  it('arrives after a delay, and the test waits for it rather than for time', async () => {
    const { card } = await pendingCharge();
    sim.controls.settle(card.requestId, { status: 1, callback: { delayMs: 50 } });
    await sim.deliveries.idle();
    expect(okVerdicts()).toHaveLength(1);
  });

  it('lets a replay with an altered status pass the sign, and the forward-only rule stops it', async () => {
    const { card, charge } = await pendingCharge();
    sim.controls.settle(card.requestId, { status: 3, callback: { mode: 'replay-altered', alter: { status: 1, amount: 35_000n } } });
    await sim.deliveries.idle();
    const [genuine, replay] = okVerdicts(); // the sign covers neither status nor amount
    expect(genuine!.report.status).toBe('FAILED');
    expect(replay!.report).toMatchObject({ status: 'SUCCEEDED', amount: 35_000n });
    expect(judgeCardCallback(charge, genuine!.report)).toMatchObject({ decision: 'accept', to: 'FAILED' });
    expect(judgeCardCallback({ ...charge, status: 'FAILED' }, replay!.report)).toMatchObject({ decision: 'reject', reason: 'already-final' });
  });

  it('rejects a forged callback whose amount exceeds the declared value', async () => {
    const { card, charge } = await pendingCharge();
    sim.controls.settle(card.requestId, { status: 1, callback: { mode: 'altered-only' } }); // default: amount = 2 × declared
    await sim.deliveries.idle();
    const [forged] = okVerdicts();
    expect(judgeCardCallback(charge, forged!.report)).toMatchObject({ decision: 'reject', reason: 'amount-exceeds-declared' });
  });

  it('catches a plausible forged success by confirming with a check', async () => {
    const { card, charge } = await pendingCharge();
    sim.controls.settle(card.requestId, { status: 3, callback: { mode: 'altered-only', alter: { status: 1, amount: 35_000n } } });
    await sim.deliveries.idle();
    const [forged] = okVerdicts();
    const judged = judgeCardCallback(charge, forged!.report);
    expect(judged).toEqual({ decision: 'accept', to: 'SUCCEEDED', confirmByCheck: true });
    const truth = await connector.check(card);
    expect(judgeCardCallback(charge, truth, { checkEnabled: true, source: 'check' })).toMatchObject({ decision: 'accept', to: 'FAILED' });
  });
});

describe('card callbacks that are not the provider’s', () => {
  const url = 'http://merchant.example/charge/callback';
  // The document's POST JSON example, re-signed with our test key.
  const genuine = () => {
    const card = viettelCard();
    return { card, fields: { status: 1, message: 'Thành công', request_id: card.requestId, declared_value: 50000, value: 50000, amount: 25000, code: card.code, serial: card.serial, telco: 'VIETTEL', trans_id: 54180 } };
  };
  const signed = async (code: string, serial: string) => {
    const { createHash } = await import('node:crypto');
    return createHash('md5').update(partnerKey + code + serial).digest('hex');
  };

  it('rejects a callback whose sign is wrong with 403, over HTTP', async () => {
    const { fields } = genuine();
    const response = await fetch(receiver.url, { method: 'POST', body: JSON.stringify({ ...fields, callback_sign: '17b118fe86852c52ea126c9537617f6d' }) });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ status: false, message: 'invalid callback_sign' });
    expect(verdicts.at(-1)!.verdict).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a callback whose serial was changed after signing', async () => {
    const { fields } = genuine();
    const sign = await signed(fields.code, fields.serial);
    const tampered = inbound('POST', url, JSON.stringify({ ...fields, serial: fields.serial.replace(/.$/, (d) => String((Number(d) + 1) % 10)), callback_sign: sign }));
    expect(connector.verifyCallback(tampered)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a GET callback signed with another partner key', async () => {
    const { fields } = genuine();
    const { createHash } = await import('node:crypto');
    const query = new URLSearchParams({ ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])), callback_sign: createHash('md5').update('other' + fields.code + fields.serial).digest('hex') });
    expect(connector.verifyCallback(inbound('GET', `${url}?${query}`))).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('accepts the document’s GET form with a space-encoded message', async () => {
    const { fields } = genuine();
    const sign = await signed(fields.code, fields.serial);
    const query = `status=1&message=Th%C3%A0nh%20c%C3%B4ng&request_id=${fields.request_id}&declared_value=50000&card_value=50000&value=50000&amount=25000&code=${fields.code}&serial=${fields.serial}&telco=VIETTEL&trans_id=343424&callback_sign=${sign}`;
    const verdict = connector.verifyCallback(inbound('GET', `${url}?${query}`));
    expect(verdict).toMatchObject({ ok: true, report: { status: 'SUCCEEDED', message: 'Thành công', transId: '343424', amount: 25_000n } });
  });

  it('accepts a POST form-urlencoded callback', async () => {
    const { fields } = genuine();
    const sign = await signed(fields.code, fields.serial);
    const body = new URLSearchParams({ ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])), callback_sign: sign }).toString();
    expect(connector.verifyCallback(inbound('POST', url, body, { 'content-type': 'application/x-www-form-urlencoded' }))).toMatchObject({ ok: true });
  });

  it('answers malformed callbacks with 400 and wrong methods with 405', async () => {
    const broken = connector.verifyCallback(inbound('POST', url, '{"status":1,'));
    expect(broken).toMatchObject({ ok: false, reason: 'malformed' });
    if (!broken.ok) expect(connector.reject(broken).status).toBe(400);
    const { fields } = genuine();
    const missingSign = connector.verifyCallback(inbound('POST', url, JSON.stringify(fields)));
    expect(missingSign).toMatchObject({ ok: false, reason: 'malformed' });
    const fractional = connector.verifyCallback(inbound('POST', url, JSON.stringify({ ...fields, amount: 1.5, callback_sign: await signed(fields.code, fields.serial) })));
    expect(fractional).toMatchObject({ ok: false, reason: 'malformed' });
    const put = connector.verifyCallback(inbound('PUT', url, JSON.stringify(fields)));
    expect(put).toMatchObject({ ok: false, reason: 'method' });
    if (!put.ok) expect(connector.reject(put).status).toBe(405);
  });

  it('never puts the card code or serial in a rejection detail', async () => {
    const { card, fields } = genuine();
    for (const body of [JSON.stringify({ ...fields, callback_sign: 'x' }), JSON.stringify({ ...fields, amount: 'lots', callback_sign: 'x' })]) {
      const verdict = connector.verifyCallback(inbound('POST', url, body));
      expect(verdict.ok).toBe(false);
      expect(JSON.stringify(verdict)).not.toContain(card.code);
      expect(JSON.stringify(verdict)).not.toContain(card.serial);
    }
  });

  it('locates a callback by request_id and trans_id before trusting it, or not at all', () => {
    expect(locateCardCallback(inbound('GET', `${url}?request_id=r9&trans_id=12`))).toEqual({ requestId: 'r9', providerReference: '12' });
    expect(locateCardCallback(inbound('POST', url, '{"request_id":"r9","trans_id":12}'))).toEqual({ requestId: 'r9', providerReference: '12' });
    expect(locateCardCallback(inbound('POST', url, '{"status":1}'))).toBeNull();
    expect(locateCardCallback(inbound('POST', url, 'not json {'))).toBeNull();
  });
});
