// verifyTransactionWebhook case by case: every refusal with its reason and
// answer, and what a good webhook gives. The sign is computed here with
// node:crypto, not with the connector's signer.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { transactionWebhookAcknowledgement, transactionWebhookRejection, verifyTransactionWebhook } from '../../../src/providers/apinganhang/webhook.js';
import { phpString, safeEqual, sharkPaySign, wowPaySign, wowPaySigningBase } from '../../../src/providers/apinganhang/signing.js';

const SECRET = 'whsec-verify';
const sign = (parts: unknown[]) => createHmac('sha256', SECRET).update(parts.join('|')).digest('hex');
const base = { event: 'transaction.confirmed', order_code: 'PGABCD2345', amount: 150000, trans_id: 'FT26105370000088', paid_at: 1776395400, bank: 'MBBANK', account: '0368492618' };
const signed = (fields: Record<string, unknown> = base) => ({ ...fields, sign: sign([fields.order_code, fields.amount, fields.trans_id, fields.paid_at]) });
const callback = (body: unknown, method = 'POST') => ({
  method,
  url: new URL('http://paygraph.test/callbacks/apinganhang'),
  headers: { 'content-type': 'application/json' },
  rawBody: typeof body === 'string' ? body : JSON.stringify(body),
  sourceIp: '127.0.0.1',
});
const verify = (body: unknown, method?: string) => verifyTransactionWebhook(callback(body, method), SECRET);

describe('the transaction webhook', () => {
  it('gives a good webhook’s transaction and an event key from the signed bank reference only', () => {
    expect(verify(signed())).toEqual({
      ok: true,
      transaction: { orderCode: 'PGABCD2345', amount: 150000n, bank: 'MBBANK', transId: 'FT26105370000088', account: '0368492618', paidAt: new Date(1776395400 * 1000) },
      eventKey: 'transaction.confirmed:FT26105370000088',
    });
  });

  it('reads a bank or account that is not text as none', () => {
    expect(verify(signed({ ...base, bank: { name: 'MB' }, account: ['1'] }))).toMatchObject({ ok: true, transaction: { bank: '', account: '' }, eventKey: 'transaction.confirmed:FT26105370000088' });
  });

  it('accepts an upper-case sign, a Vietnam local paid_at, and a webhook without bank or account', () => {
    const local = { ...base, paid_at: '17/04/2026 10:10:00', bank: undefined, account: undefined };
    const verdict = verify({ ...signed(local), sign: signed(local).sign.toUpperCase() });
    expect(verdict).toMatchObject({ ok: true, transaction: { bank: '', account: '', paidAt: new Date('2026-04-17T03:10:00Z') }, eventKey: 'transaction.confirmed:FT26105370000088' });
  });

  it.each([
    ['a GET', () => verify(signed(), 'GET'), 'method', 'the webhook is a POST, not GET'],
    ['a body that is not JSON', () => verify('order_code=1'), 'malformed', 'the body is not a JSON object'],
    ['a JSON array', () => verify([signed()]), 'malformed', 'the body is not a JSON object'],
    ['no sign', () => verify({ ...signed(), sign: '' }), 'bad-signature', 'no sign'],
    ['a wrong sign', () => verify({ ...signed(), sign: sign(['x', 1, 2, 3]) }), 'bad-signature', 'the sign does not match'],
    ['a sign over another amount', () => verify({ ...signed(), amount: 150001 }), 'bad-signature', 'the sign does not match'],
    ['another event', () => verify(signed({ ...base, event: 'transaction.created' })), 'malformed', 'unsupported event "transaction.created"'],
    ['no event', () => verify(signed({ ...base, event: undefined })), 'malformed', 'unsupported event undefined'],
    ['no order code', () => verify(signed({ ...base, order_code: '' })), 'malformed', 'order_code and trans_id are required'],
    ['no bank reference', () => verify(signed({ ...base, trans_id: '' })), 'malformed', 'order_code and trans_id are required'],
    ['a fractional amount', () => verify(signed({ ...base, amount: '1.5' })), 'malformed', 'amount: not a whole number of đồng (fractional): "1.5"'],
    ['a paid_at that is no time', () => verify(signed({ ...base, paid_at: 'yesterday' })), 'malformed', 'paid_at is neither epoch seconds nor a Vietnam time: "yesterday"'],
    ['a paid_at with digits around junk', () => verify(signed({ ...base, paid_at: '12ab34' })), 'malformed', 'paid_at is neither epoch seconds nor a Vietnam time: "12ab34"'],
  ] as const)('refuses %s', (_name, run, reason, detail) => {
    expect(run()).toEqual({ ok: false, reason, detail });
  });

  it.each(['order_code', 'amount', 'trans_id', 'paid_at', 'sign'])('refuses a webhook whose %s is not a scalar', (field) => {
    expect(verify({ ...signed(), [field]: { nested: true } })).toEqual({ ok: false, reason: 'malformed', detail: 'a signed field is not a scalar' });
  });

  it('answers each refusal as the provider expects', () => {
    expect(transactionWebhookAcknowledgement()).toEqual({ status: 200, contentType: 'application/json; charset=utf-8', body: '{"received":true}' });
    expect(transactionWebhookRejection({ ok: false, reason: 'bad-signature', detail: '' })).toEqual({ status: 403, contentType: 'text/plain; charset=utf-8', body: 'Invalid signature' });
    expect(transactionWebhookRejection({ ok: false, reason: 'method', detail: '' })).toEqual({ status: 405, contentType: 'text/plain; charset=utf-8', body: 'Method not allowed' });
    expect(transactionWebhookRejection({ ok: false, reason: 'malformed', detail: '' })).toEqual({ status: 400, contentType: 'text/plain; charset=utf-8', body: 'Bad request' });
  });
});

describe('API Ngân hàng signing edges', () => {
  it('prints values as PHP does', () => {
    expect([phpString('a'), phpString(12), phpString(12n), phpString(true), phpString(false), phpString(null), phpString(undefined)]).toEqual(['a', '12', '12', '1', '', '', '']);
    expect([phpString(Infinity), phpString({}), phpString([])]).toEqual([undefined, undefined, undefined]);
  });

  it('signs a bigint amount like its digits, and leaves null out of SharkPay’s base', () => {
    const fields = { mch_id: 'SP1', mch_order_no: 'O1', order_no: 'N1', amount: '500000', status: 'SUCCESS' };
    expect(sharkPaySign({ ...fields, amount: 500000n }, 'k')).toBe(sharkPaySign(fields, 'k'));
    expect(sharkPaySign({ ...fields, order_no: null }, 'k')).toBe(sharkPaySign({ ...fields, order_no: '' }, 'k'));
    expect(sharkPaySign({ ...fields, order_no: { nested: 1 } }, 'k')).toBe(sharkPaySign({ ...fields, order_no: '' }, 'k'));
  });

  it('sorts WowPay fields by byte order, whatever order they came in, and drops only "", null and undefined', () => {
    expect(wowPaySigningBase({ b: '2', a: '1', B: '3', aa: '4' }, 'k')).toBe('B=3&a=1&aa=4&b=2&key=k');
    expect(wowPaySigningBase({ z: 'x', a: 'y' }, 'k')).toBe(wowPaySigningBase({ a: 'y', z: 'x' }, 'k'));
    expect(wowPaySigningBase({ a: '', b: null, c: undefined, d: false, e: 0 }, 'k')).toBe('d=&e=0&key=k');
    expect(wowPaySign({ a: 1, nested: { x: 1 } }, 'k')).toBeUndefined();
  });

  it('compares signs in full', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('abcd', 'abc')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});
