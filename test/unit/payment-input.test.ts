// The createPayment / createPayout / routePreview / setRoutingRules commands
// and the settings commands: each refusal names its field with the message
// the resolvers gave before they moved here, and good input comes out
// trimmed and normalised.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ValidationError } from '../../src/errors/index.js';
import { methodsOffered, paymentMethods, routeIds } from '../../src/domain/routing.js';
import { routeOffers } from '../../src/providers/routes.js';
import { parseInput } from '../../src/validation/parse-input.js';
import { paymentCommand, paymentPayee, payoutCommand, routePreviewCommand, routingRules } from '../../src/validation/payment-input.js';
import { apiKeyCommand, moneyFlowWindow, packageMonths, providerAccountValues, vnKashBankAccountNumber, vnKashUserAccount } from '../../src/validation/settings-input.js';

const refusal = (schema: z.ZodTypeAny, input: unknown) => {
  try {
    parseInput(schema, input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return { field: (error as ValidationError).field, message: (error as ValidationError).message };
  }
  throw new Error('accepted');
};

const bank = { bankCode: ' vcb ', accountNumber: '0123', accountName: 'Nguyễn Văn A' };
const notOfferedIn = paymentMethods.find((method) => !methodsOffered(routeOffers, 'IN').includes(method));

describe('payment commands', () => {
  it('takes exactly one payee, and reads the payout method from it', () => {
    expect(parseInput(paymentPayee, { bank })).toEqual({ method: 'BANK_TRANSFER', payee: { bankCode: 'VCB', accountNumber: '0123', accountName: 'Nguyễn Văn A' } });
    expect(parseInput(paymentPayee, { momo: { phone: ' 0912345678 ', name: 'A' } })).toEqual({ method: 'MOMO', payee: { bankCode: 'MOMO', accountNumber: '0912345678', accountName: 'A' } });
    expect(parseInput(paymentPayee, { vnkash: { account: 'a@b.vn' } })).toEqual({ method: 'VNKASH', payee: { bankCode: 'VNKASH', accountNumber: 'a@b.vn', accountName: 'a@b.vn' } });
    const payout = { amount: 1n, idempotencyKey: 'k' };
    expect(refusal(payoutCommand, { ...payout, payee: { bank, vnkash: { account: 'x' } } })).toEqual({ field: 'payee', message: 'payee: exactly one of bank, momo, vnkash' });
    expect(refusal(payoutCommand, { ...payout, payee: {} })).toEqual({ field: 'payee', message: 'payee: exactly one of bank, momo, vnkash' });
    expect(refusal(payoutCommand, { ...payout, payee: { momo: { phone: '912345678', name: 'A' } } })).toEqual({
      field: 'payee.momo.phone',
      message: 'payee.momo.phone: a Vietnamese mobile number, 10 digits starting with 0',
    });
    expect(refusal(payoutCommand, { ...payout, payee: { bank: { ...bank, accountName: ' ' } } }).field).toBe('payee.bank.accountName');
  });

  it('refuses a payment method no provider offers, and checks amount, key and texts', () => {
    const payment = { amount: 1n, idempotencyKey: 'k', method: 'BANK_TRANSFER' };
    expect(parseInput(paymentCommand, { ...payment, description: null, expiresInMinutes: null })).toMatchObject({ description: undefined, expiresInMinutes: undefined });
    expect(notOfferedIn).toBeDefined();
    expect(refusal(paymentCommand, { ...payment, method: notOfferedIn })).toMatchObject({ field: 'method', message: expect.stringMatching(/^method: no provider offers/) });
    expect(refusal(paymentCommand, { ...payment, amount: 0n }).field).toBe('amount');
    expect(refusal(paymentCommand, { ...payment, idempotencyKey: 'a b' }).field).toBe('idempotencyKey');
    expect(refusal(paymentCommand, { ...payment, expiresInMinutes: 10_081 })).toEqual({ field: 'expiresInMinutes', message: 'expiresInMinutes: 1 to 10080' });
    expect(refusal(paymentCommand, { ...payment, payerIp: 'x'.repeat(65) })).toEqual({ field: 'payerIp', message: 'payerIp: at most 64 characters, no control characters' });
  });

  it('previews a payout by its payee and a payment by its method', () => {
    expect(parseInput(routePreviewCommand, { direction: 'OUT', amount: 1n, payee: { bank } })).toMatchObject({ method: 'BANK_TRANSFER' });
    expect(parseInput(routePreviewCommand, { direction: 'IN', amount: 1n, method: 'BANK_TRANSFER' })).toEqual({ method: 'BANK_TRANSFER' });
    expect(refusal(routePreviewCommand, { direction: 'OUT', amount: 1n })).toEqual({ field: 'payee', message: 'payee: needed for a payout' });
    expect(refusal(routePreviewCommand, { direction: 'IN', amount: 1n })).toEqual({ field: 'method', message: 'method: needed for a payment' });
    expect(refusal(routePreviewCommand, { direction: 'IN', amount: 0n, method: 'BANK_TRANSFER' })).toEqual({ field: 'amount', message: 'amount must be positive' });
    expect(refusal(routingRules(), new Array(routeIds.length + 1).fill({}))).toEqual({ field: 'rules', message: `rules: at most ${routeIds.length}` });
  });
});

describe('settings commands', () => {
  it('checks API key names and lifetimes', () => {
    expect(parseInput(apiKeyCommand(60), { name: ' console ', expiresInMinutes: null })).toEqual({ name: 'console', expiresInMinutes: null });
    expect(refusal(apiKeyCommand(60), { name: ' ' })).toEqual({ field: 'name', message: 'name: 1–100 characters, no control characters' });
    expect(refusal(apiKeyCommand(60), { name: 'k', expiresInMinutes: 61 })).toEqual({ field: 'expiresInMinutes', message: 'expiresInMinutes: 1 to 60' });
  });

  it('checks the money-flow window, package months, provider values and VNKash look-ups', () => {
    const from = new Date('2026-01-01T00:00:00Z');
    expect(refusal(moneyFlowWindow(31), { from, to: from })).toEqual({ field: 'to', message: 'to: must be after from' });
    expect(refusal(moneyFlowWindow(31), { from, to: new Date('2026-02-02T00:00:01Z') })).toEqual({ field: 'to', message: 'to: at most 31 days after from' });
    expect(refusal(packageMonths, 13)).toEqual({ field: 'months', message: 'months: 1 to 12' });
    expect(refusal(providerAccountValues, [])).toEqual({ field: 'values', message: 'values: an object of field names to values' });
    let deep: unknown = 'x';
    for (let i = 0; i < 5_000; i++) deep = [deep];
    expect(refusal(providerAccountValues, { deep })).toEqual({ field: 'values', message: 'values: nested deeper than 8 levels' });
    expect(refusal(providerAccountValues, { key: 'a\u0000b' })).toEqual({ field: 'values', message: 'values: no control characters' });
    expect(parseInput(vnKashUserAccount, ' a@b.vn ')).toBe('a@b.vn');
    expect(refusal(vnKashUserAccount, ' ')).toEqual({ field: 'account', message: 'account: a phone number or e-mail' });
    expect(parseInput(vnKashBankAccountNumber, ' 0123 ')).toBe('0123');
    expect(refusal(vnKashBankAccountNumber, '12a4')).toEqual({ field: 'account', message: 'account: 4–32 digits' });
  });
});
