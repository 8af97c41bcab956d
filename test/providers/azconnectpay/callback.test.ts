// AZConnectPay callbacks end to end: the simulator POSTs to a local server
// that runs the connector's verifyCallback. The document gives callbacks no
// signature, so nothing in them is trusted: every verdict says
// statusIsSigned:false and the status query has the last word.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acknowledgeAzConnectPayCallback,
  locateAzConnectPayCallback,
  verifyAzConnectPayCallback,
} from '../../../src/providers/azconnectpay/index.js';
import type { InboundCallback } from '../../../src/providers/types.js';
import { newRequestId, orderRef, startCallbackReceiver, startHarness, type CallbackReceiver, type Harness } from './helpers.js';

let h: Harness;
let receiver: CallbackReceiver;
beforeAll(async () => {
  h = await startHarness();
  receiver = await startCallbackReceiver(h.connector);
});
afterAll(async () => {
  await receiver.close();
  await h.close();
});

/** Creates an order whose callback goes to the receiver; returns its request id. */
async function created(kind: 'CASH_IN' | 'CASH_OUT', amount = 150_000n): Promise<string> {
  const requestId = newRequestId(kind === 'CASH_IN' ? 'cbin' : 'cbout');
  await h.connector.create({
    kind,
    requestId,
    amount,
    method: 'bank',
    callbackUrl: receiver.urlFor(requestId),
    ...(kind === 'CASH_OUT' ? { payee: { accountNumber: '0451000398217', accountName: 'TRAN VAN HUNG', bankCode: 'VCB' } } : {}),
  });
  return requestId;
}

const arrivedFor = (requestId: string) => receiver.received.filter((r) => r.verdict.ok && r.verdict.callback.lookup.requestId === requestId);

function inbound(overrides: Partial<InboundCallback> & { body?: unknown; query?: string }): InboundCallback {
  const rawBody = overrides.rawBody ?? (overrides.body === undefined ? '' : JSON.stringify(overrides.body));
  return {
    method: overrides.method ?? 'POST',
    url: overrides.url ?? new URL(`http://paygraph.test/callbacks/azconnectpay${overrides.query ?? ''}`),
    headers: overrides.headers ?? { 'content-type': 'application/json' },
    rawBody,
    sourceIp: '127.0.0.1',
  };
}

describe('AZConnectPay callbacks from the simulator', () => {
  it('accepts the success callback of a cash-in as an unsigned hint and answers {"success":true}', async () => {
    const requestId = await created('CASH_IN', 50_000n);
    h.sim.controls.settle({ kind: 'cash-in', requestId, outcome: 'succeed' });
    await h.sim.deliveries.idle();
    const [arrived, ...more] = arrivedFor(requestId);
    expect(more).toHaveLength(0);
    expect(arrived!.callback.method).toBe('POST');
    if (!arrived!.verdict.ok) throw new Error('expected ok');
    const parsed = arrived!.verdict.callback;
    expect(parsed.statusIsSigned).toBe(false);
    expect(parsed.lookup).toEqual({ requestId });
    expect(parsed.report).toMatchObject({ status: 'SUCCEEDED', rawStatus: 'SUCCESS', amount: 50_000n, fee: 2_000n });
    expect(parsed.eventKey.startsWith(`${requestId}:SUCCESS:`)).toBe(true);
    const delivery = h.sim.deliveries.log.find((d) => d.url === receiver.urlFor(requestId))!;
    expect(delivery.status).toBe(200);
    expect(JSON.parse(delivery.responseBody!)).toEqual({ success: true });
  });

  it('gives a duplicated callback the same event key, so the inbox keeps one', async () => {
    const requestId = await created('CASH_IN');
    h.sim.controls.settle({ kind: 'cash-in', requestId, outcome: 'succeed', callback: 'duplicate' });
    await h.sim.deliveries.idle();
    const arrived = arrivedFor(requestId);
    expect(arrived).toHaveLength(2);
    const keys = arrived.map((r) => (r.verdict.ok ? r.verdict.callback.eventKey : ''));
    expect(keys[0]).toBe(keys[1]);
  });

  it('delivers an out-of-order pair (final, then an older pending) as two distinct events', async () => {
    const requestId = await created('CASH_IN');
    h.sim.controls.settle({ kind: 'cash-in', requestId, outcome: 'fail', callback: 'out-of-order' });
    await h.sim.deliveries.idle();
    const reports = arrivedFor(requestId).map((r) => (r.verdict.ok ? r.verdict.callback : null)!);
    expect(reports.map((r) => r.report.rawStatus)).toEqual(['FAILED', 'PENDING']);
    expect(reports.map((r) => r.report.status)).toEqual(['FAILED', 'PENDING']);
    expect(reports[0]!.eventKey).not.toBe(reports[1]!.eventKey);
    // The truth is still the final state.
    expect((await h.connector.queryStatus(orderRef('CASH_IN', requestId, 150_000n))).status).toBe('FAILED');
  });

  it('sends nothing in mode none, while the status query shows the settlement', async () => {
    const requestId = await created('CASH_IN');
    h.sim.controls.settle({ kind: 'cash-in', requestId, outcome: 'succeed', callback: 'none' });
    await h.sim.deliveries.idle();
    expect(arrivedFor(requestId)).toHaveLength(0);
    expect((await h.connector.queryStatus(orderRef('CASH_IN', requestId, 150_000n))).status).toBe('SUCCEEDED');
  });

  it('delivers a delayed callback, waited for without sleeping', async () => {
    const requestId = await created('CASH_OUT', 500_000n);
    h.sim.controls.settle({ kind: 'cash-out', requestId, outcome: 'succeed', callbackDelayMs: 30 });
    expect(arrivedFor(requestId)).toHaveLength(0);
    await h.sim.deliveries.idle();
    const [arrived] = arrivedFor(requestId);
    if (!arrived?.verdict.ok) throw new Error('expected an ok callback');
    expect(arrived.verdict.callback.report).toMatchObject({ status: 'SUCCEEDED', amount: 500_000n });
    expect(arrived.verdict.callback.report.raw).toMatchObject({ type: 'bank', request_id: requestId });
  });

  it('carries the amount actually paid, which the status query confirms', async () => {
    const requestId = await created('CASH_IN', 150_000n);
    h.sim.controls.settle({ kind: 'cash-in', requestId, outcome: 'succeed', amount: 149_000 });
    await h.sim.deliveries.idle();
    const [arrived] = arrivedFor(requestId);
    if (!arrived?.verdict.ok) throw new Error('expected an ok callback');
    expect(arrived.verdict.callback.report.amount).toBe(149_000n);
    expect((await h.connector.queryStatus(orderRef('CASH_IN', requestId, 150_000n))).amount).toBe(149_000n);
  });

  it('sends the auto-pay callback when a create is steered to succeed', async () => {
    h.sim.controls.steer('cash-in', { kind: 'succeed' });
    const requestId = await created('CASH_IN');
    await h.sim.deliveries.idle();
    const [arrived] = arrivedFor(requestId);
    if (!arrived?.verdict.ok) throw new Error('expected an ok callback');
    expect(arrived.verdict.callback.report.status).toBe('SUCCEEDED');
  });
});

describe('AZConnectPay callback verification', () => {
  it('does not trust a forged success callback: unsigned, and the status query still says pending', async () => {
    const requestId = await created('CASH_IN');
    const forged = await fetch(receiver.urlFor(requestId), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ request_id: requestId, amount: 150000, fee_amount: 0, status: 'SUCCESS', type: 'bank', signature: 'deadbeef' }),
    });
    expect(forged.status).toBe(200);
    const [arrived] = arrivedFor(requestId);
    if (!arrived?.verdict.ok) throw new Error('expected the forged callback to parse');
    expect(arrived.verdict.callback.statusIsSigned).toBe(false);
    expect((await h.connector.queryStatus(orderRef('CASH_IN', requestId, 150_000n))).status).toBe('PENDING');
  });

  it('gives a tampered resend (status changed) a different event key than the genuine callback', async () => {
    const requestId = await created('CASH_IN');
    h.sim.controls.settle({ kind: 'cash-in', requestId, outcome: 'fail' });
    await h.sim.deliveries.idle();
    const genuine = arrivedFor(requestId)[0]!;
    const tampered = verifyAzConnectPayCallback({ ...genuine.callback, rawBody: genuine.callback.rawBody.replace('"FAILED"', '"SUCCESS"') });
    if (!genuine.verdict.ok || !tampered.ok) throw new Error('both parse');
    expect(tampered.callback.eventKey).not.toBe(genuine.verdict.callback.eventKey);
    expect(tampered.callback.statusIsSigned).toBe(false);
  });

  it('rejects a callback whose request_id is not the order its URL was given for', async () => {
    const reply = await fetch(receiver.urlFor('order-a'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ request_id: 'order-b', status: 'SUCCESS' }),
    });
    expect(reply.status).toBe(400);
    expect(await reply.json()).toEqual({ success: false, message: 'malformed' });
  });

  const malformed: [string, InboundCallback][] = [
    ['no request_id', inbound({ body: { status: 'SUCCESS', amount: 1000 } })],
    ['an empty request_id', inbound({ body: { request_id: '  ', status: 'SUCCESS' } })],
    ['a body that is not JSON', inbound({ rawBody: '{not json' })],
    ['a JSON array', inbound({ body: [{ request_id: 'r1' }] })],
    ['a GET with only our ref', inbound({ method: 'GET', query: '?ref=r1' })],
  ];
  for (const [name, callback] of malformed) {
    it(`rejects a callback with ${name} as malformed`, () => {
      const verdict = verifyAzConnectPayCallback(callback);
      expect(verdict).toMatchObject({ ok: false, reason: 'malformed' });
    });
  }

  it('rejects a PUT with reason method and a 405 reply', () => {
    const verdict = verifyAzConnectPayCallback(inbound({ method: 'PUT', body: { request_id: 'r1' } }));
    expect(verdict).toMatchObject({ ok: false, reason: 'method' });
    if (verdict.ok) throw new Error('unreachable');
    expect(h.connector.reject(verdict).status).toBe(405);
  });

  it('reads a form-encoded callback', () => {
    const verdict = verifyAzConnectPayCallback(
      inbound({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: 'request_id=r-form&status=COMPLETED&amount=200000&fee_amount=0', query: '?ref=r-form' }),
    );
    if (!verdict.ok) throw new Error(verdict.detail);
    expect(verdict.callback.lookup).toEqual({ requestId: 'r-form' });
    expect(verdict.callback.report).toMatchObject({ status: 'SUCCEEDED', rawStatus: 'COMPLETED', amount: 200_000n, fee: 0n });
  });

  it('reads a GET callback from its query, and keeps an unknown status raw', () => {
    const verdict = verifyAzConnectPayCallback(inbound({ method: 'GET', headers: {}, query: '?ref=r-get&request_id=r-get&status=ON_HOLD&amount=12.5' }));
    if (!verdict.ok) throw new Error(verdict.detail);
    expect(verdict.callback.report.status).toBeNull();
    expect(verdict.callback.report.rawStatus).toBe('ON_HOLD');
    // An unparseable amount is dropped from the hint, not guessed.
    expect(verdict.callback.report.amount).toBeUndefined();
    expect(verdict.callback.report.raw).toMatchObject({ amount: '12.5' });
  });

  it('reads a JSON body sent without a content type', () => {
    const verdict = verifyAzConnectPayCallback(inbound({ headers: {}, body: { request_id: 123456, status: 'PENDING' } }));
    if (!verdict.ok) throw new Error(verdict.detail);
    expect(verdict.callback.lookup.requestId).toBe('123456');
  });

  it('locates the order by the body request_id, else by our ref, else not at all', () => {
    expect(locateAzConnectPayCallback(inbound({ body: { request_id: 'from-body' }, query: '?ref=from-ref' }))).toEqual({ requestId: 'from-body' });
    expect(locateAzConnectPayCallback(inbound({ body: { status: 'SUCCESS' }, query: '?ref=from-ref' }))).toEqual({ requestId: 'from-ref' });
    expect(locateAzConnectPayCallback(inbound({ rawBody: 'garbage<', headers: { 'content-type': 'text/html' }, query: '?ref=from-ref' }))).toEqual({ requestId: 'from-ref' });
    expect(locateAzConnectPayCallback(inbound({ body: { status: 'SUCCESS' } }))).toBeNull();
  });

  it('acknowledges with 200 and {"success":true}', () => {
    expect(acknowledgeAzConnectPayCallback()).toEqual({ status: 200, contentType: 'application/json; charset=utf-8', body: '{"success":true}' });
    expect(h.connector.acknowledge()).toEqual(acknowledgeAzConnectPayCallback());
  });
});
