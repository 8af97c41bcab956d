// What a client may send to create an order, said once as zod command
// schemas: every create mutation (provider orders in schema/order.ts, bank
// transfer orders in schema/bank-transaction.ts) parses its input with one of
// these (parse-input.ts) before anything is done. A refusal is a
// ValidationError naming the first field at fault, as a dotted path; the
// parsed value is trimmed and normalised, and what comes after trusts it.
import { z } from 'zod';
import { hasControlCharacters } from '../domain/text.js';

/** The longest an order may stay open: a week. */
export const MAX_EXPIRES_IN_MINUTES = 7 * 24 * 60;

const printableKey = /^[\x21-\x7e]{1,255}$/;
const cleanText = (max: number) => (value: string) => value.length <= max && !hasControlCharacters(value);

/** The client's key for one operation (every create and submit takes one). */
export const idempotencyKey = z.string().refine((value) => printableKey.test(value), 'idempotencyKey: 1–255 printable ASCII characters, no spaces');

/** amount, idempotencyKey, merchantReference, description: what every create takes. */
export function commonOrderFields(options: { maxAmount: bigint; tooLarge: string }) {
  return {
    amount: z
      .bigint()
      .refine((value) => value > 0n, 'amount must be a positive whole number of đồng')
      .refine((value) => value <= options.maxAmount, options.tooLarge),
    idempotencyKey,
    merchantReference: z
      .string()
      .nullish()
      .refine((value) => !value || cleanText(128)(value), 'merchantReference: at most 128 characters, no control characters'),
    description: z
      .string()
      .nullish()
      .refine((value) => !value || cleanText(255)(value), 'description: at most 255 characters, no control characters'),
  };
}

/** What any provider accepts at most (the largest limit of the four). */
export const providerOrderFields = commonOrderFields({ maxAmount: 100_000_000_000n, tooLarge: 'amount is larger than any provider accepts' });

export const expiresInMinutes = z
  .number()
  .int()
  .nullish()
  .refine((minutes) => minutes == null || (minutes >= 1 && minutes <= MAX_EXPIRES_IN_MINUTES), `expiresInMinutes: 1 to ${MAX_EXPIRES_IN_MINUTES}`)
  .transform((minutes) => minutes ?? undefined);

const payeeText = (field: string) =>
  z
    .string()
    .transform((value) => value.trim())
    .refine((value) => value !== '' && cleanText(128)(value), `payee.${field}: 1–128 characters, no control characters`);

/** Who receives a payout; the bank code upper-cased, as the providers spell it. */
export const payee = z.object({
  accountNumber: payeeText('accountNumber'),
  accountName: payeeText('accountName'),
  bankCode: payeeText('bankCode').transform((value) => value.toUpperCase()),
});

/** A VNKash user: phone number or e-mail. */
export const vnKashAccount = z
  .string()
  .transform((value) => value.trim())
  .refine((value) => value !== '' && cleanText(128)(value), 'account: a phone number or e-mail');
