// verifyAzConnectPayCallback case by case: how the fields are read (JSON,
// form, query; whatever the content-type says), each refusal with its reason,
// the report and the event key, and the answers.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  acknowledgeAzConnectPayCallback,
  locateAzConnectPayCallback,
  rejectAzConnectPayCallback,
  verifyAzConnectPayCallback,
} from '../../../src/providers/azconnectpay/callback.js';

const callback = (method: string, rawBody: string, headers: Record<string, string> = {}, query = '') => ({
  method,
  url: new URL(`http://paygraph.test/callbacks/azconnectpay${query}`),
  headers,
  rawBody,
  sourceIp: '127.0.0.1',
});
const verify = (...args: Parameters<typeof callback>) => verifyAzConnectPayCallback(callback(...args));
const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);
const FORM = 'request_id=R1&status=SUCCESS&amount=100000';

describe('reading an AZConnectPay callback', () => {
  it('reads a form by its content-type, whatever the header’s case and the headers around it', () => {
    for (const headers of [{ 'Content-Type': 'application/x-www-form-urlencoded' }, { 'user-agent': 'AZ/2', 'CONTENT-TYPE': 'application/x-www-form-urlencoded; charset=utf-8' }] as Record<string, string>[]) {
      expect(verify('POST', FORM, headers)).toMatchObject({ ok: true, callback: { report: { rawStatus: 'SUCCESS', amount: 100000n } } });
    }
  });

  it('reads a form sent as text/plain or without a content-type', () => {
    expect(verify('POST', FORM, { 'content-type': 'text/plain' })).toMatchObject({ ok: true });
    expect(verify('POST', FORM)).toMatchObject({ ok: true });
  });

  it('reads JSON by its content-type or by its first character, even after spaces', () => {
    const json = JSON.stringify({ request_id: 'R1', status: 'SUCCESS' });
    expect(verify('POST', json, { 'Content-Type': 'application/json' })).toMatchObject({ ok: true });
    expect(verify('POST', `  \n${json}`, { 'content-type': 'application/x-www-form-urlencoded' })).toMatchObject({ ok: true, callback: { lookup: { requestId: 'R1' } } });
  });

  it('refuses a body it cannot read, naming why', () => {
    const unreadable = { ok: false, reason: 'malformed', detail: 'the callback body is neither a JSON object nor a form' };
    expect(verify('POST', FORM, { 'Content-Type': 'application/json' })).toEqual(unreadable);
    expect(verify('POST', FORM, { 'content-type': 'application/xml' })).toEqual(unreadable);
    expect(verify('POST', '{&request_id=R1')).toEqual(unreadable);
    for (const body of ['null', '[]', '"R1"', '5']) expect(verify('POST', body, { 'content-type': 'application/json' }), body).toEqual(unreadable);
  });

  it('refuses another method, a missing or overlong request_id, and a body for another order than its URL', () => {
    expect(verify('PUT', FORM)).toEqual({ ok: false, reason: 'method', detail: 'AZConnectPay callbacks are POST (or GET), not PUT' });
    const unusable = { ok: false, reason: 'malformed', detail: 'the callback carries no usable request_id' };
    expect(verify('POST', 'status=SUCCESS')).toEqual(unusable);
    expect(verify('POST', `request_id=${'r'.repeat(256)}`)).toEqual(unusable);
    expect(verify('POST', `request_id=${'r'.repeat(255)}`)).toMatchObject({ ok: true });
    expect(verify('POST', FORM, {}, '?ref=R2')).toEqual({ ok: false, reason: 'malformed', detail: "the callback's request_id does not match the order its URL was given for" });
  });
});

describe('what a callback reports', () => {
  it('reports the status, amount and fee it carries, and nothing it does not', () => {
    const full = verify('POST', 'request_id=R1&status=SUCCESS&amount=100.000&fee_amount=1500');
    expect(full.ok && full.callback.report).toStrictEqual({ status: 'SUCCEEDED', rawStatus: 'SUCCESS', amount: 100000n, fee: 1500n, raw: { request_id: 'R1', status: 'SUCCESS', amount: '100.000', fee_amount: '1500' } });
    const bare = verify('POST', 'request_id=R1&amount=&fee_amount=1.5');
    expect(bare.ok && bare.callback.report).toStrictEqual({ status: null, rawStatus: '', raw: { request_id: 'R1', amount: '', fee_amount: '1.5' } });
  });

  it('keys an event by request, status and the exact bytes: the body for a POST, the query for a GET', () => {
    const post = verify('POST', FORM);
    expect(post.ok && post.callback.eventKey).toBe(`R1:SUCCESS:${digest(FORM)}`);
    const otherAmount = verify('POST', 'request_id=R1&status=SUCCESS&amount=90000');
    expect(otherAmount.ok && otherAmount.callback.eventKey).not.toBe(post.ok && post.callback.eventKey);
    const get = verify('GET', '', {}, `?${FORM}`);
    expect(get.ok && get.callback).toMatchObject({ eventKey: `R1:SUCCESS:${digest(`?${FORM}`)}`, lookup: { requestId: 'R1' }, statusIsSigned: false });
    const getOther = verify('GET', '', {}, '?request_id=R1&status=SUCCESS&amount=90000');
    expect(getOther.ok && getOther.callback.eventKey).not.toBe(get.ok && get.callback.eventKey);
  });

  it('reads a GET from its query, leaving our ref out of the fields', () => {
    const get = verify('GET', '', {}, '?ref=R1&request_id=R1&status=FAILED');
    expect(get.ok && get.callback.report.raw).toEqual({ request_id: 'R1', status: 'FAILED' });
  });
});

describe('finding the order and answering', () => {
  it('finds the order by the body’s request_id, a GET’s query, or our ref; nothing for another method', () => {
    expect(locateAzConnectPayCallback(callback('POST', FORM))).toEqual({ requestId: 'R1' });
    expect(locateAzConnectPayCallback(callback('GET', '', {}, '?request_id=R3'))).toEqual({ requestId: 'R3' });
    expect(locateAzConnectPayCallback(callback('POST', 'status=SUCCESS', {}, '?ref=R4'))).toEqual({ requestId: 'R4' });
    expect(locateAzConnectPayCallback(callback('PUT', FORM))).toBeNull();
    expect(locateAzConnectPayCallback(callback('POST', 'status=SUCCESS'))).toBeNull();
  });

  it('answers in the provider’s style: 200 success, 405 / 400 / 403 refusals', () => {
    expect(acknowledgeAzConnectPayCallback()).toEqual({ status: 200, contentType: 'application/json; charset=utf-8', body: '{"success":true}' });
    const answer = (reason: 'method' | 'malformed' | 'bad-signature' | 'source-ip') => rejectAzConnectPayCallback({ ok: false, reason, detail: 'd' });
    expect(answer('method')).toEqual({ status: 405, contentType: 'application/json; charset=utf-8', body: '{"success":false,"message":"method"}' });
    expect(answer('malformed').status).toBe(400);
    expect(answer('bad-signature')).toEqual({ status: 403, contentType: 'application/json; charset=utf-8', body: '{"success":false,"message":"bad-signature"}' });
    expect(answer('source-ip').status).toBe(403);
  });
});
