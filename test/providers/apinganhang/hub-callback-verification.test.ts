// verifyHubCallback case by case (SharkPay and WowPay callbacks forwarded by
// the Payment Hub): gateway from the path, methods, source addresses, signs
// with either key, the merchant's own number, and what a good one reports.
// Signs are computed here with node:crypto, not with the connector's signer.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiNganHangCredentialsSchema } from '../../../src/providers/apinganhang/credentials.js';
import { gatewayOfCallback, hubCallbackAcknowledgement, hubCallbackRejection, locateHubCallback, verifyHubCallback } from '../../../src/providers/apinganhang/callback.js';

const md5Upper = (text: string) => createHash('md5').update(text).digest('hex').toUpperCase();
const base = (pairs: [string, string][], secret: string) => [...pairs.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`), `key=${secret}`].join('&');
const sharkSign = (fields: Record<string, string>, secret: string) =>
  md5Upper(base(['mch_id', 'mch_order_no', 'order_no', 'amount', 'status'].filter((k) => fields[k]).map((k) => [k, fields[k]!]), secret));
const wowSign = (fields: Record<string, unknown>, secret: string) =>
  md5Upper(base(Object.entries(fields).filter(([k, v]) => k !== 'sign' && k !== 'sign_type' && v !== '' && v !== null).map(([k, v]) => [k, String(v)]), secret));

const credentials = (extra: Record<string, unknown> = {}) =>
  apiNganHangCredentialsSchema.parse({
    username: 'u',
    password: 'p',
    sharkpayMchId: 'SP1',
    sharkpayPayinSecretKey: 'shark-in',
    sharkpayPayoutSecretKey: 'shark-out',
    wowpayMerchantNo: 'WP1',
    wowpayPayinSecretKey: 'wow-in',
    ...extra,
  });
const callback = (gateway: string, method: string, rawBody: string, { query = '', headers = {}, sourceIp = '10.0.0.1' }: { query?: string; headers?: Record<string, string>; sourceIp?: string } = {}) => ({
  method,
  url: new URL(`http://paygraph.test/callbacks/${gateway}${query}`),
  headers,
  rawBody,
  sourceIp,
});
const shark = { mch_id: 'SP1', mch_order_no: 'PG1', order_no: 'SPN1', amount: '500000', status: 'SUCCESS' };
const sharkForm = (fields: Record<string, string> = shark, secret = 'shark-in') => new URLSearchParams({ ...fields, sign: sharkSign(fields, secret) }).toString();
const wow = { merchant_no: 'WP1', merchant_order_no: 'PG2', order_no: 'WPN2', amount: 300000, status: 'FAIL' };
const wowJson = (fields: Record<string, unknown> = wow, secret = 'wow-in') => JSON.stringify({ ...fields, sign: wowSign(fields, secret), sign_type: 'MD5' });

describe('the gateway of a callback', () => {
  it('is the last segment of the path, with or without .php, any case, trailing slashes ignored', () => {
    const gateway = (path: string) => gatewayOfCallback({ ...callback('x', 'POST', ''), url: new URL(`http://paygraph.test${path}`) });
    expect([gateway('/callbacks/sharkpay'), gateway('/callbacks/WowPay.PHP'), gateway('/callbacks/sharkpay//'), gateway('/callbacks/sharkpay.php.bak'), gateway('/callbacks/shark.phppay'), gateway('/callbacks/vnkash'), gateway('/')]).toEqual([
      'sharkpay',
      'wowpay',
      'sharkpay',
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('a SharkPay callback', () => {
  it('reports a signed form, by GET or POST, with our order, theirs, the status and the amount moved', () => {
    const expected = {
      ok: true,
      callback: {
        eventKey: 'sharkpay:SPN1:SUCCESS',
        lookup: { requestId: 'PG1', providerReference: 'SPN1' },
        report: { status: 'SUCCEEDED', rawStatus: 'SUCCESS', amount: 500000n, providerReference: 'SPN1', raw: { gateway: 'sharkpay', ...shark } },
        statusIsSigned: false,
      },
    };
    expect(verifyHubCallback(credentials(), callback('sharkpay', 'POST', sharkForm(), { headers: { 'content-type': 'application/x-www-form-urlencoded' } }))).toStrictEqual(expected);
    expect(verifyHubCallback(credentials(), callback('sharkpay', 'GET', '', { query: `?${sharkForm()}` }))).toStrictEqual(expected);
  });

  it('accepts a payout callback signed with the payout key, and a lower-case sign', () => {
    expect(verifyHubCallback(credentials(), callback('sharkpay', 'POST', sharkForm(shark, 'shark-out'), { headers: { 'content-type': 'application/x-www-form-urlencoded' } }))).toMatchObject({ ok: true });
    const lower = new URLSearchParams({ ...shark, sign: sharkSign(shark, 'shark-in').toLowerCase() }).toString();
    expect(verifyHubCallback(credentials(), callback('sharkpay', 'GET', '', { query: `?${lower}` }))).toMatchObject({ ok: true });
  });

  it('keys an event by our order when theirs is absent, and reports no amount for a status that moved none', () => {
    const noOrderNo = { mch_id: 'SP1', mch_order_no: 'PG1', amount: '500000', status: 'PENDING' };
    const verdict = verifyHubCallback(credentials(), callback('sharkpay', 'GET', '', { query: `?${sharkForm(noOrderNo)}` }));
    expect(verdict).toStrictEqual({
      ok: true,
      callback: { eventKey: 'sharkpay:PG1:PENDING', lookup: { requestId: 'PG1' }, report: { status: 'PENDING', rawStatus: 'PENDING', raw: { gateway: 'sharkpay', ...noOrderNo } }, statusIsSigned: false },
    });
    const noAmount = { mch_id: 'SP1', mch_order_no: 'PG1', order_no: 'SPN1', amount: '', status: 'SUCCESS' };
    const bare = verifyHubCallback(credentials(), callback('sharkpay', 'GET', '', { query: `?${sharkForm(noAmount)}` }));
    expect(bare.ok && bare.callback.report).toStrictEqual({ status: 'SUCCEEDED', rawStatus: 'SUCCESS', providerReference: 'SPN1', raw: { gateway: 'sharkpay', ...noAmount } });
  });

  it.each([
    ['another method', () => callback('sharkpay', 'PUT', sharkForm()), { reason: 'method', detail: 'sharkpay callbacks come as GET or POST, not PUT' }],
    ['an unknown gateway', () => callback('paypal', 'POST', sharkForm()), { reason: 'malformed', detail: 'no gateway in the callback path /callbacks/paypal (expected …/sharkpay or …/wowpay)' }],
    ['a body that is neither form nor JSON', () => callback('sharkpay', 'POST', '[1]'), { reason: 'malformed', detail: 'the sharkpay callback body is not a form or a JSON object' }],
    ['no sign', () => callback('sharkpay', 'GET', '', { query: `?${new URLSearchParams(shark)}` }), { reason: 'bad-signature', detail: 'the callback carries no sign' }],
    ['a sign with another key', () => callback('sharkpay', 'GET', '', { query: `?${sharkForm(shark, 'other')}` }), { reason: 'bad-signature', detail: 'the sharkpay sign does not match' }],
    ['a sign over every field, as WowPay signs', () => callback('sharkpay', 'GET', '', { query: `?${new URLSearchParams({ ...shark, channel: 'QR', sign: wowSign({ ...shark, channel: 'QR' }, 'shark-in') })}` }), { reason: 'bad-signature', detail: 'the sharkpay sign does not match' }],
    ['another mch_id', () => callback('sharkpay', 'GET', '', { query: `?${sharkForm({ ...shark, mch_id: 'SP2' })}` }), { reason: 'bad-signature', detail: "mch_id is not this merchant's" }],
    ['no order at all', () => callback('sharkpay', 'GET', '', { query: `?${sharkForm({ mch_id: 'SP1', amount: '1', status: 'SUCCESS' })}` }), { reason: 'malformed', detail: 'neither mch_order_no/merchant_order_no nor order_no' }],
    ['no status', () => callback('sharkpay', 'GET', '', { query: `?${sharkForm({ ...shark, status: '' })}` }), { reason: 'malformed', detail: 'no status' }],
    ['a fractional amount', () => callback('sharkpay', 'GET', '', { query: `?${sharkForm({ ...shark, amount: '1.5' })}` }), { reason: 'malformed', detail: 'amount: not a whole number of đồng (fractional): "1.5"' }],
  ] as const)('refuses %s', (_name, make, rejection) => {
    expect(verifyHubCallback(credentials(), make())).toEqual({ ok: false, ...rejection });
  });

  it('never takes a missing payout key for a key: a sign made with "undefined" is refused', () => {
    const payinOnly = credentials({ sharkpayPayoutSecretKey: undefined });
    expect(verifyHubCallback(payinOnly, callback('sharkpay', 'GET', '', { query: `?${sharkForm(shark, 'undefined')}` }))).toEqual({ ok: false, reason: 'bad-signature', detail: 'the sharkpay sign does not match' });
  });

  it('reads a callback without an amount as moving none, and keeps WowPay’s address list to WowPay', () => {
    const { amount: _amount, ...noAmount } = shark;
    const verdict = verifyHubCallback(credentials({ wowpayCallbackSourceIps: '10.0.0.9' }), callback('sharkpay', 'GET', '', { query: `?${sharkForm(noAmount)}` }));
    expect(verdict.ok && verdict.callback.report).toStrictEqual({ status: 'SUCCEEDED', rawStatus: 'SUCCESS', providerReference: 'SPN1', raw: { gateway: 'sharkpay', ...noAmount } });
  });

  it('refuses every callback while no SharkPay secret is configured, but not another merchant number when none is set', () => {
    const none = credentials({ sharkpayPayinSecretKey: undefined });
    expect(verifyHubCallback(none, callback('sharkpay', 'GET', '', { query: `?${sharkForm()}` }))).toEqual({ ok: false, reason: 'bad-signature', detail: 'no sharkpay secret is configured for this merchant' });
    const anyMerchant = credentials({ sharkpayMchId: undefined });
    expect(verifyHubCallback(anyMerchant, callback('sharkpay', 'GET', '', { query: `?${sharkForm({ ...shark, mch_id: 'SP2' })}` }))).toMatchObject({ ok: true });
  });
});

describe('a WowPay callback', () => {
  it('reports a signed JSON body, whatever its content-type', () => {
    const verdict = verifyHubCallback(credentials(), callback('wowpay', 'POST', wowJson(), { headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    expect(verdict).toStrictEqual({
      ok: true,
      callback: {
        eventKey: 'wowpay:WPN2:FAIL',
        lookup: { requestId: 'PG2', providerReference: 'WPN2' },
        report: { status: 'FAILED', rawStatus: 'FAIL', providerReference: 'WPN2', raw: { gateway: 'wowpay', ...wow, sign_type: 'MD5' } },
        statusIsSigned: false,
      },
    });
  });

  it('takes callbacks only by POST, only from the configured addresses (IPv4-mapped or not), only for its merchant', () => {
    expect(verifyHubCallback(credentials(), callback('wowpay', 'GET', '', { query: `?${new URLSearchParams(JSON.parse(wowJson()))}` }))).toEqual({ ok: false, reason: 'method', detail: 'wowpay callbacks come as POST, not GET' });
    const fenced = credentials({ wowpayCallbackSourceIps: '10.0.0.9, 10.0.0.10' });
    expect(verifyHubCallback(fenced, callback('wowpay', 'POST', wowJson()))).toEqual({ ok: false, reason: 'source-ip', detail: 'callback from 10.0.0.1, not one of the configured callback_source_ips' });
    expect(verifyHubCallback(fenced, callback('wowpay', 'POST', wowJson(), { sourceIp: '::ffff:10.0.0.10' }))).toMatchObject({ ok: true });
    expect(verifyHubCallback(credentials(), callback('wowpay', 'POST', wowJson({ ...wow, merchant_no: 'WP9' })))).toEqual({ ok: false, reason: 'bad-signature', detail: "merchant_no is not this merchant's" });
    expect(verifyHubCallback(credentials(), callback('wowpay', 'POST', 'merchant_no=WP1'))).toEqual({ ok: false, reason: 'malformed', detail: 'the wowpay callback body is not a JSON object' });
  });

  it('refuses a WowPay callback while no WowPay secret is configured, even from an allowed address', () => {
    const none = credentials({ wowpayPayinSecretKey: undefined, wowpayCallbackSourceIps: '10.0.0.1' });
    expect(verifyHubCallback(none, callback('wowpay', 'POST', wowJson()))).toEqual({ ok: false, reason: 'bad-signature', detail: 'no wowpay secret is configured for this merchant' });
  });

  it('takes a sign that is not text for no sign', () => {
    expect(verifyHubCallback(credentials(), callback('wowpay', 'POST', JSON.stringify({ ...wow, sign: { value: wowSign(wow, 'wow-in') } })))).toEqual({ ok: false, reason: 'bad-signature', detail: 'the callback carries no sign' });
  });

  it('refuses a payload that cannot have been signed (a nested object)', () => {
    expect(verifyHubCallback(credentials(), callback('wowpay', 'POST', JSON.stringify({ ...wow, extra: { a: 1 }, sign: wowSign(wow, 'wow-in') })))).toEqual({ ok: false, reason: 'bad-signature', detail: 'the wowpay sign does not match' });
  });
});

describe('finding the order and answering the Hub', () => {
  it('finds the order by our number, theirs, or both; nothing without either or for another gateway', () => {
    expect(locateHubCallback(callback('sharkpay', 'GET', '', { query: '?mch_order_no=PG1' }))).toStrictEqual({ requestId: 'PG1' });
    expect(locateHubCallback(callback('wowpay', 'POST', '{"order_no":"WPN2"}'))).toStrictEqual({ providerReference: 'WPN2' });
    expect(locateHubCallback(callback('wowpay', 'POST', '{"merchant_order_no":"PG2","order_no":"WPN2"}'))).toStrictEqual({ requestId: 'PG2', providerReference: 'WPN2' });
    expect(locateHubCallback(callback('sharkpay', 'GET', '', { query: '?status=SUCCESS' }))).toBeNull();
    expect(locateHubCallback(callback('wowpay', 'POST', 'not json'))).toBeNull();
    expect(locateHubCallback(callback('vnkash', 'GET', '', { query: '?mch_order_no=PG1' }))).toBeNull();
  });

  it('answers OK, or the refusal the Hub understands', () => {
    const text = 'text/plain; charset=utf-8';
    expect(hubCallbackAcknowledgement()).toEqual({ status: 200, contentType: text, body: 'OK' });
    expect(hubCallbackRejection({ ok: false, reason: 'bad-signature', detail: '' })).toEqual({ status: 403, contentType: text, body: 'INVALID_SIGN' });
    expect(hubCallbackRejection({ ok: false, reason: 'source-ip', detail: '' })).toEqual({ status: 403, contentType: text, body: 'INVALID_IP' });
    expect(hubCallbackRejection({ ok: false, reason: 'method', detail: '' })).toEqual({ status: 405, contentType: text, body: 'METHOD_NOT_ALLOWED' });
    expect(hubCallbackRejection({ ok: false, reason: 'malformed', detail: '' })).toEqual({ status: 400, contentType: text, body: 'BAD_REQUEST' });
  });
});
