// Known-answer tests: every vector below was computed outside the project
// code, with the shell command quoted beside it.
import { describe, expect, it } from 'vitest';
import { mapGatewayStatus } from '../../../src/providers/apinganhang/status.js';
import {
  sharkPaySign,
  sharkPaySigningBase,
  transactionWebhookSign,
  transactionWebhookSigningString,
  wowPaySign,
  wowPaySigningBase,
} from '../../../src/providers/apinganhang/signing.js';
import { toBankTransaction, transactionWireSchema } from '../../../src/providers/apinganhang/transaction.js';
import { signSharkPay, signTransactionWebhook, signWowPay } from '../../../src/sandbox/apinganhang/signing.js';

// printf '%s' 'amount=500000&mch_id=SP998877&mch_order_no=INV20260522001&order_no=SP1001&status=SUCCESS&key=secret-payin' | openssl dgst -md5
const SHARKPAY_FULL = '9E6446329F230DE7F3154D1689273CA7';
// printf '%s' 'amount=100.000&mch_id=SP998877&mch_order_no=INV20260522001&status=PENDING&key=secret-payin' | openssl dgst -md5
const SHARKPAY_EMPTY_ORDER_NO = '280984E9125C505FD2EC09884D5135E3';
// printf '%s' 'amount=500000.00&channel=bankcard_qr&merchant_no=M123456&merchant_order_no=INV20260522002&order_no=WP2002&status=SUCCESS&key=wowpay-deposit-key' | openssl dgst -md5
const WOWPAY_STRINGS = '04FF4E2A2030AC4FE9CECEC42D355419';
// printf '%s' 'amount=500000&is_test=&merchant_no=M123456&order_no=WP3003&status=FAIL&key=wowpay-deposit-key' | openssl dgst -md5
const WOWPAY_TYPED = '67FAC59CA2993418D299E4CA06D8270D';
// printf '%s' 'INV20260416001|500000|FT26105370000088|1776395400' | openssl dgst -sha256 -hmac 'YOUR_SECRET'
const WEBHOOK_SAMPLE = '238152f419564ea82966db039e2bf5c41217f80108e9e9efa93f148c28395c04';
// printf '%s' 'ORDER-Đơn-1|250000|FT999|1776395400' | openssl dgst -sha256 -hmac 'whsec-test'
const WEBHOOK_UTF8 = 'a8e70520365dfed2ff21634bce8247c209a02e3424c71a64b09d1cd937f8a5a0';

describe('SharkPay callback sign', () => {
  const fields = { mch_id: 'SP998877', mch_order_no: 'INV20260522001', order_no: 'SP1001', amount: '500000', status: 'SUCCESS' };

  it('sorts the five fields by key and appends &key=<payin secret>', () => {
    expect(sharkPaySigningBase(fields, 'secret-payin')).toBe('amount=500000&mch_id=SP998877&mch_order_no=INV20260522001&order_no=SP1001&status=SUCCESS&key=secret-payin');
    expect(sharkPaySign(fields, 'secret-payin')).toBe(SHARKPAY_FULL);
  });

  it('prints a JSON number amount as PHP does, and ignores fields outside the five', () => {
    expect(sharkPaySign({ ...fields, amount: 500000, extra: 'not signed', sign: 'x' }, 'secret-payin')).toBe(SHARKPAY_FULL);
  });

  it('leaves empty fields out of the base', () => {
    expect(sharkPaySign({ ...fields, order_no: '', amount: '100.000', status: 'PENDING' }, 'secret-payin')).toBe(SHARKPAY_EMPTY_ORDER_NO);
  });

  it('is computed the same way by the simulator', () => {
    expect(signSharkPay(fields, 'secret-payin')).toBe(SHARKPAY_FULL);
    expect(signSharkPay({ ...fields, order_no: '', amount: '100.000', status: 'PENDING' }, 'secret-payin')).toBe(SHARKPAY_EMPTY_ORDER_NO);
  });
});

describe('WowPay callback sign', () => {
  const fields = {
    merchant_no: 'M123456',
    merchant_order_no: 'INV20260522002',
    order_no: 'WP2002',
    amount: '500000.00',
    status: 'SUCCESS',
    channel: 'bankcard_qr',
    remark: '',
    sign_type: 'MD5',
    sign: 'ignored',
  };

  it('signs every field except sign and sign_type, leaving empty ones out', () => {
    expect(wowPaySigningBase(fields, 'wowpay-deposit-key')).toBe(
      'amount=500000.00&channel=bankcard_qr&merchant_no=M123456&merchant_order_no=INV20260522002&order_no=WP2002&status=SUCCESS&key=wowpay-deposit-key',
    );
    expect(wowPaySign(fields, 'wowpay-deposit-key')).toBe(WOWPAY_STRINGS);
  });

  it('prints numbers as digits, false as an empty value that is kept, and drops null', () => {
    expect(wowPaySign({ amount: 500000, is_test: false, merchant_no: 'M123456', order_no: 'WP3003', status: 'FAIL', note: null }, 'wowpay-deposit-key')).toBe(WOWPAY_TYPED);
  });

  it('refuses to sign a payload holding an object', () => {
    expect(wowPaySign({ amount: '1', nested: { a: 1 } }, 'k')).toBeUndefined();
  });

  it('is computed the same way by the simulator', () => {
    const { sign: _s, sign_type: _t, ...strings } = fields;
    expect(signWowPay({ ...strings, sign_type: 'MD5' }, 'wowpay-deposit-key')).toBe(WOWPAY_STRINGS);
  });
});

describe('transaction webhook sign', () => {
  it("matches the document's sample fields", () => {
    const message = transactionWebhookSigningString({ order_code: 'INV20260416001', amount: '500000', trans_id: 'FT26105370000088', paid_at: '1776395400' });
    expect(message).toBe('INV20260416001|500000|FT26105370000088|1776395400');
    expect(transactionWebhookSign(message, 'YOUR_SECRET')).toBe(WEBHOOK_SAMPLE);
    expect(signTransactionWebhook({ order_code: 'INV20260416001', amount: 500000, trans_id: 'FT26105370000088', paid_at: 1776395400 }, 'YOUR_SECRET')).toBe(WEBHOOK_SAMPLE);
  });

  it('signs Vietnamese text as UTF-8 bytes', () => {
    expect(transactionWebhookSign('ORDER-Đơn-1|250000|FT999|1776395400', 'whsec-test')).toBe(WEBHOOK_UTF8);
    expect(signTransactionWebhook({ order_code: 'ORDER-Đơn-1', amount: 250000, trans_id: 'FT999', paid_at: 1776395400 }, 'whsec-test')).toBe(WEBHOOK_UTF8);
  });
});

describe('gateway status mapping', () => {
  it.each([
    ['SUCCESS', 'SUCCEEDED'],
    ['succeeded', 'SUCCEEDED'],
    ['COMPLETED', 'SUCCEEDED'],
    ['PAID', 'SUCCEEDED'],
    ['FAILED', 'FAILED'],
    ['FAIL', 'FAILED'],
    ['ERROR', 'FAILED'],
    ['CANCEL', 'FAILED'],
    ['CANCELED', 'FAILED'],
    ['Cancelled', 'FAILED'],
    ['REJECTED', 'FAILED'],
    ['EXPIRED', 'EXPIRED'],
    ['PENDING', 'PENDING'],
    ['WAITING', 'PENDING'],
    ['CREATED', 'PENDING'],
    [' processing ', 'PROCESSING'],
  ])('maps %s to %s', (raw, expected) => {
    expect(mapGatewayStatus(raw)).toBe(expected);
  });

  it.each(['1', '2', '-1', 'REFUNDING', ''])('leaves the unknown status %j unmapped (null)', (raw) => {
    expect(mapGatewayStatus(raw)).toBeNull();
  });
});

describe('bank transaction parsing', () => {
  const wire = {
    id: 25533,
    amount: 1000000,
    bank: 'MBBANK',
    ref_no: 'FT26105370000088',
    description: 'NGUYEN VAN A CK',
    type: 'in',
    account: '0368492618',
    balance_after: 19437345,
    transaction_time: '15/04/2026 09:30:00',
    created_at: 1776395400,
  };

  it("reads the document's sample, with the Vietnam time as a UTC instant", () => {
    const transaction = toBankTransaction(transactionWireSchema.parse(wire));
    expect(transaction).toEqual({
      id: 25533,
      amount: 1_000_000n,
      direction: 'IN',
      bank: 'MBBANK',
      refNo: 'FT26105370000088',
      description: 'NGUYEN VAN A CK',
      account: '0368492618',
      balanceAfter: 19_437_345n,
      transactionTime: new Date('2026-04-15T02:30:00Z'),
      createdAt: 1776395400,
    });
  });

  it('signs the amount by the type: an "out" line is negative even if printed positive', () => {
    expect(toBankTransaction(transactionWireSchema.parse({ ...wire, type: 'out', amount: 50000 })).amount).toBe(-50_000n);
    expect(toBankTransaction(transactionWireSchema.parse({ ...wire, type: undefined, amount: -50000 })).direction).toBe('OUT');
  });

  it('parses "100.000"-style amounts exactly and refuses fractions and bad times', () => {
    expect(toBankTransaction(transactionWireSchema.parse({ ...wire, amount: '100.000' })).amount).toBe(100_000n);
    expect(transactionWireSchema.safeParse({ ...wire, amount: 100.5 }).success).toBe(false);
    expect(transactionWireSchema.safeParse({ ...wire, transaction_time: '31/02/2026 09:30:00' }).success).toBe(false);
  });
});
