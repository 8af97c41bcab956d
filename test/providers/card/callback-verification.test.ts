// verifyCardCallback and its helpers case by case: how the fields are read,
// each refusal, the event key, finding the charge, and the answers. The sign
// is computed here with node:crypto, not with the connector's signer.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { acknowledgeCardCallback, locateCardCallback, readCardCallbackFields, rejectCardCallback, verifyCardCallback } from '../../../src/providers/card/callback.js';
import { cardSign, cardSignMatches } from '../../../src/providers/card/signing.js';

const KEY = 'card-key';
const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const card = { code: '712820000000001', serial: '50000000000001' };
const fields = { status: 1, message: 'OK', request_id: 'PGC1', trans_id: 'T9', telco: 'VIETTEL', ...card, declared_value: 50000, value: 50000, amount: 42000, callback_sign: md5(KEY + card.code + card.serial) };
const callback = (method: string, rawBody = '', query = '') => ({ method, url: new URL(`http://paygraph.test/callbacks/card${query}`), headers: {}, rawBody, sourceIp: '127.0.0.1' });
const verify = (...args: Parameters<typeof callback>) => verifyCardCallback({ partnerKey: KEY }, callback(...args));

describe('reading a card callback', () => {
  it('reads JSON by its first character (after spaces), a form body, or the query; the body wins over the query', () => {
    expect(readCardCallbackFields(callback('POST', `  {"status":1}`, '?status=2&extra=q'))).toEqual({ status: 1, extra: 'q' });
    expect(readCardCallbackFields(callback('POST', 'status=3', '?status=2&extra=q'))).toEqual({ status: '3', extra: 'q' });
    expect(readCardCallbackFields(callback('POST', '', '?status=2'))).toEqual({ status: '2' });
    expect(readCardCallbackFields(callback('get', 'status=3', '?status=2'))).toEqual({ status: '2' });
  });

  it('reads nothing from another method or broken JSON; a body not starting with { is a form', () => {
    for (const body of ['{"status":', '{']) expect(readCardCallbackFields(callback('POST', body)), body).toBeNull();
    expect(readCardCallbackFields(callback('POST', '[1]'))).toEqual({ '[1]': '' });
    expect(readCardCallbackFields(callback('PUT', 'status=1'))).toBeNull();
  });
});

describe('verifying a card callback', () => {
  it('keys an event by every field that can change, absent ones empty', () => {
    const full = verify('POST', JSON.stringify(fields));
    expect(full.ok && full.callback).toMatchObject({ eventKey: 'card:PGC1:T9:1:50000::42000', lookup: { requestId: 'PGC1', providerReference: 'T9' }, statusIsSigned: false });
    const { trans_id: _t, value: _v, amount: _a, ...bare } = fields;
    const minimal = verify('GET', '', `?${new URLSearchParams({ ...Object.fromEntries(Object.entries(bare).map(([k, v]) => [k, String(v)])), card_value: '50000' })}`);
    expect(minimal.ok && minimal.callback.eventKey).toBe('card:PGC1::1::50000:');
  });

  it('refuses another method, an unreadable body, a bad shape and a wrong sign, saying which', () => {
    expect(verify('DELETE')).toEqual({ ok: false, reason: 'method', detail: 'callbacks come by GET or POST, not DELETE' });
    expect(verify('POST', '{"status":')).toEqual({ ok: false, reason: 'malformed', detail: 'the body is neither a JSON object nor form fields' });
    expect(verify('POST', JSON.stringify({ ...fields, status: 'one' }))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verify('POST', JSON.stringify({ ...fields, callback_sign: md5('other' + card.code + card.serial) }))).toEqual({
      ok: false,
      reason: 'bad-signature',
      detail: 'callback_sign does not match md5(partner_key + code + serial)',
    });
  });

  it('compares the sign in full and exactly', () => {
    const sign = cardSign(KEY, card.code, card.serial);
    expect(sign).toBe(md5(KEY + card.code + card.serial));
    expect(cardSignMatches(KEY, card.code, card.serial, sign)).toBe(true);
    expect(cardSignMatches(KEY, card.code, card.serial, sign.toUpperCase())).toBe(false);
    expect(cardSignMatches(KEY, card.code, card.serial, sign.slice(0, -1))).toBe(false);
    expect(cardSignMatches(KEY, card.code, card.serial, `${sign}0`)).toBe(false);
  });
});

describe('finding the charge and answering', () => {
  it('finds the charge by our request_id or their trans_id (text or number), never by an empty one', () => {
    expect(locateCardCallback(callback('GET', '', '?request_id=PGC1'))).toEqual({ requestId: 'PGC1', providerReference: undefined });
    expect(locateCardCallback(callback('POST', '{"trans_id":77}'))).toEqual({ requestId: undefined, providerReference: '77' });
    expect(locateCardCallback(callback('GET', '', '?request_id=&trans_id='))).toBeNull();
    expect(locateCardCallback(callback('GET', '', '?request_id=&trans_id=T5'))).toStrictEqual({ requestId: undefined, providerReference: 'T5' });
    expect(locateCardCallback(callback('POST', '{"request_id":true}'))).toBeNull();
    expect(locateCardCallback(callback('PUT', '{"request_id":"PGC1"}'))).toBeNull();
  });

  it('acknowledges with 200 and refuses with 403 / 405 / 400', () => {
    const json = 'application/json; charset=utf-8';
    expect(acknowledgeCardCallback()).toEqual({ status: 200, contentType: json, body: '{"status":true}' });
    expect(rejectCardCallback({ ok: false, reason: 'bad-signature', detail: '' })).toEqual({ status: 403, contentType: json, body: '{"status":false,"message":"invalid callback_sign"}' });
    expect(rejectCardCallback({ ok: false, reason: 'source-ip', detail: '' })).toEqual({ status: 403, contentType: json, body: '{"status":false,"message":"source-ip"}' });
    expect(rejectCardCallback({ ok: false, reason: 'method', detail: '' })).toEqual({ status: 405, contentType: json, body: '{"status":false,"message":"method"}' });
    expect(rejectCardCallback({ ok: false, reason: 'malformed', detail: '' })).toEqual({ status: 400, contentType: json, body: '{"status":false,"message":"malformed"}' });
  });
});
