// verifyVnKashCallback case by case: a callback is only a hint, but what it
// names (which order, which movement) and how its events are keyed must be
// read exactly; and the answers.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { acknowledgeVnKashCallback, locateVnKashCallback, rejectVnKashCallback, verifyVnKashCallback } from '../../../src/providers/vnkash/callback.js';

const callback = (method: string, rawBody: string, headers: Record<string, string> = {}, query = '') => ({
  method,
  url: new URL(`http://paygraph.test/callbacks/vnkash${query}`),
  headers,
  rawBody,
  sourceIp: '127.0.0.1',
});
const verify = (...args: Parameters<typeof callback>) => verifyVnKashCallback(callback(...args));
const key = (method: string, search: string, body: string) => createHash('sha256').update(`${method}\n${search}\n${body}`).digest('hex');

describe('reading a VNKash callback', () => {
  it('reads JSON by a content-type in any case, or by its first character after spaces; a form otherwise', () => {
    const json = JSON.stringify({ id: 77, status: 'success', amount: '100.000' });
    for (const [body, headers] of [
      [json, { 'Content-Type': 'application/json' }],
      [`  ${json}`, {}],
      [`\n${json}`, { 'x-other': 'text/plain', 'content-type': 'text/plain' }],
    ] as const) {
      const verdict = verify('POST', body, headers);
      expect(verdict.ok && verdict.callback.report, body).toMatchObject({ status: 'SUCCEEDED', rawStatus: 'success', amount: 100000n, providerReference: '77' });
    }
    expect(verify('POST', 'id=78&status=failed', { 'x-note': 'json', 'content-type': 'application/x-www-form-urlencoded' })).toMatchObject({ ok: true, callback: { report: { status: 'FAILED', providerReference: '78' } } });
  });

  it('refuses JSON that is not an object, and a JSON content-type over a form', () => {
    const unreadable = { ok: false, reason: 'malformed', detail: 'the body is neither a JSON object nor a form' };
    expect(verify('POST', 'id=1&status=ok', { 'CONTENT-TYPE': 'application/json' })).toEqual(unreadable);
    for (const body of ['[1]', 'null', '{"id":']) expect(verify('POST', body, { 'content-type': 'application/json' }), body).toEqual(unreadable);
    expect(verify('POST', '{"id":')).toEqual(unreadable);
  });

  it('takes an empty body as no fields, so only the ref in the URL can name the order', () => {
    expect(verify('POST', '   ', { 'content-type': 'application/json' }, '?ref=PG1')).toMatchObject({ ok: true, callback: { lookup: { requestId: 'PG1' }, report: { rawStatus: '', status: null, raw: {} } } });
    expect(verify('POST', '')).toEqual({ ok: false, reason: 'malformed', detail: 'no ref in the URL and no id in the body' });
  });

  it('refuses another method', () => {
    expect(verify('delete', '')).toEqual({ ok: false, reason: 'method', detail: 'VNKash callbacks are GET or POST, got DELETE' });
  });
});

describe('what a VNKash callback names', () => {
  it('finds the movement by id, deposit_id, withdrawal_id, a nested deposit or withdrawal, or the batch, in that order', () => {
    const reference = (fields: Record<string, unknown>) => {
      const verdict = verify('POST', JSON.stringify(fields));
      return verdict.ok ? verdict.callback.lookup.providerReference : verdict.detail;
    };
    expect(reference({ id: ' 5 ', deposit_id: 6 })).toBe('5');
    expect(reference({ id: '  ', deposit_id: 6 })).toBe('6');
    expect(reference({ withdrawal_id: 'W7', batch: 'B' })).toBe('W7');
    expect(reference({ deposit: { id: 8 }, batch: 'B' })).toBe('8');
    expect(reference({ withdrawal: { id: 'W9' } })).toBe('W9');
    expect(reference({ deposit: 'not an object', batch: 'B10' })).toBe('B10');
    expect(reference({ deposit: null, withdrawal: null, batch: 'B11' })).toBe('B11');
    expect(reference({ id: true, status: 'success' })).toBe('no ref in the URL and no id in the body');
  });

  it('looks up by our ref, their reference, or both, and never with an absent one', () => {
    expect(locateVnKashCallback(callback('GET', '', {}, '?ref=PG1'))).toStrictEqual({ requestId: 'PG1' });
    expect(locateVnKashCallback(callback('GET', '', {}, '?id=5'))).toStrictEqual({ providerReference: '5' });
    expect(locateVnKashCallback(callback('POST', '{"id":5}', {}, '?ref=PG1'))).toStrictEqual({ requestId: 'PG1', providerReference: '5' });
    expect(locateVnKashCallback(callback('GET', '', {}, '?ref=%20&status=ok'))).toBeNull();
    const bodyOnly = verify('POST', '{"id":5,"status":"success"}');
    expect(bodyOnly.ok && bodyOnly.callback.lookup).toStrictEqual({ providerReference: '5' });
    const refOnly = verify('GET', '', {}, '?ref=PG2&status=success');
    expect(refOnly.ok && refOnly.callback.lookup).toStrictEqual({ requestId: 'PG2' });
    expect(refOnly.ok && refOnly.callback.report).toStrictEqual({ status: 'SUCCEEDED', rawStatus: 'success', raw: { ref: 'PG2', status: 'success' } });
  });

  it('keeps an amount it cannot read out of the report rather than refusing the hint', () => {
    const verdict = verify('POST', '{"id":5,"status":"success","amount":"1.5"}');
    expect(verdict.ok && verdict.callback.report).toStrictEqual({ status: 'SUCCEEDED', rawStatus: 'success', providerReference: '5', raw: { id: 5, status: 'success', amount: '1.5' } });
  });

  it('keys an event by our ref and the exact method, query and body', () => {
    const body = '{"id":5,"status":"success"}';
    const withRef = verify('POST', body, {}, '?ref=PG1');
    expect(withRef.ok && withRef.callback.eventKey).toBe(`vnkash:PG1:${key('POST', '?ref=PG1', body)}`);
    const withoutRef = verify('POST', body);
    expect(withoutRef.ok && withoutRef.callback.eventKey).toBe(`vnkash:-:${key('POST', '', body)}`);
  });
});

describe('answering VNKash', () => {
  it('acknowledges with success, and refuses with 405 / 400 / 403 and the reason', () => {
    expect(acknowledgeVnKashCallback()).toEqual({ status: 200, contentType: 'application/json; charset=utf-8', body: '{"success":true}' });
    expect(rejectVnKashCallback({ ok: false, reason: 'method', detail: 'd' })).toEqual({ status: 405, contentType: 'application/json; charset=utf-8', body: '{"success":false,"error":"method"}' });
    expect(rejectVnKashCallback({ ok: false, reason: 'malformed', detail: 'd' })).toEqual({ status: 400, contentType: 'application/json; charset=utf-8', body: '{"success":false,"error":"malformed"}' });
    expect(rejectVnKashCallback({ ok: false, reason: 'bad-signature', detail: 'd' })).toEqual({ status: 403, contentType: 'application/json; charset=utf-8', body: '{"success":false,"error":"bad-signature"}' });
  });
});
