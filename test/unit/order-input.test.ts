// The order command schemas: the first field at fault is named, values come
// out trimmed and normalised, and every text field refuses control characters.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../../src/errors/index.js';
import { expiresInMinutes, payee, providerOrderFields, vnKashAccount } from '../../src/validation/order-input.js';
import { parseInput } from '../../src/validation/parse-input.js';

const command = z.object({ ...providerOrderFields, payee, expiresInMinutes });
const good = { amount: 100_000n, idempotencyKey: 'key-1', merchantReference: 'INV-1', description: null, payee: { accountNumber: ' 0123 ', accountName: 'Nguyễn Văn A', bankCode: 'vcb ' }, expiresInMinutes: null };

const refusal = (input: unknown, schema: z.ZodTypeAny = command) => {
  try {
    parseInput(schema, input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return { field: (error as ValidationError).field, message: (error as ValidationError).message };
  }
  throw new Error('accepted');
};

describe('order input', () => {
  it('parses a good input, trimming the payee and upper-casing its bank code', () => {
    expect(parseInput(command, good)).toEqual({ ...good, payee: { accountNumber: '0123', accountName: 'Nguyễn Văn A', bankCode: 'VCB' }, expiresInMinutes: undefined });
  });

  it('names the first field at fault, in the order of the input', () => {
    expect(refusal({ ...good, amount: 0n, idempotencyKey: 'has space' })).toEqual({ field: 'amount', message: 'amount must be a positive whole number of đồng' });
    expect(refusal({ ...good, amount: 100_000_000_001n })).toEqual({ field: 'amount', message: 'amount is larger than any provider accepts' });
    expect(refusal({ ...good, idempotencyKey: 'has space' }).field).toBe('idempotencyKey');
    expect(refusal({ ...good, payee: { ...good.payee, accountName: '  ' } })).toEqual({ field: 'payee.accountName', message: 'payee.accountName: 1–128 characters, no control characters' });
    expect(refusal({ ...good, expiresInMinutes: 10_081 })).toEqual({ field: 'expiresInMinutes', message: 'expiresInMinutes: 1 to 10080' });
  });

  it('refuses control characters in every text field', () => {
    expect(refusal({ ...good, merchantReference: 'INV\u00001' }).field).toBe('merchantReference');
    expect(refusal({ ...good, description: 'line\u0007' }).field).toBe('description');
    expect(refusal({ ...good, payee: { ...good.payee, bankCode: 'V\u001bCB' } }).field).toBe('payee.bankCode');
    expect(refusal({ account: '09\u0000' }, z.object({ account: vnKashAccount })).field).toBe('account');
  });
});
