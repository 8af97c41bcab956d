// What a client may send to createPayment, createPayout, routePreview and
// setRoutingRules, said once as zod command schemas (parsed with
// parse-input.ts). A payout's payee is one of bank, momo or vnkash and decides
// the payout method; a payment's method must be one some provider offers
// (the provider modules' route offers).
import { z } from 'zod';
import { hasControlCharacters } from '../domain/text.js';
import { methodsOffered, routeIds, type Direction, type PaymentMethod, type RoutePayee } from '../domain/routing.js';
import { routeOffers } from '../providers/routes.js';
import { expiresInMinutes, idempotencyKey, providerOrderFields } from './order-input.js';

/** A method some provider offers in this direction. */
function offeredMethod(direction: Direction) {
  return z.custom<PaymentMethod>().superRefine((method, ctx) => {
    const offered = methodsOffered(routeOffers, direction);
    if (!offered.includes(method)) {
      ctx.addIssue({ code: 'custom', message: `method: no provider offers ${method} ${direction === 'IN' ? 'collection' : 'payouts'} (offered: ${offered.join(', ')})` });
    }
  });
}

/** Optional free text of at most `max` characters, absent as undefined. */
const optionalText = (field: string, max: number) =>
  z
    .string()
    .nullish()
    .refine((value) => value == null || (value.length <= max && !hasControlCharacters(value)), `${field}: at most ${max} characters, no control characters`)
    .transform((value) => value ?? undefined);

const payeeText = (path: string) =>
  z
    .string()
    .transform((value) => value.trim())
    .refine((value) => value !== '' && value.length <= 128 && !hasControlCharacters(value), `${path}: 1–128 characters, no control characters`);

const bankPayee = z.object({ bankCode: payeeText('payee.bank.bankCode'), accountNumber: payeeText('payee.bank.accountNumber'), accountName: payeeText('payee.bank.accountName') });
const momoPayee = z.object({
  phone: payeeText('payee.momo.phone').refine((phone) => /^0\d{9}$/.test(phone), 'payee.momo.phone: a Vietnamese mobile number, 10 digits starting with 0'),
  name: payeeText('payee.momo.name'),
});
const vnKashPayee = z.object({ account: payeeText('payee.vnkash.account') });

/** Exactly one of bank, momo, vnkash: the payout method and the payee as the routes take it. */
export const paymentPayee = z
  .object({ bank: bankPayee.nullish(), momo: momoPayee.nullish(), vnkash: vnKashPayee.nullish() })
  .superRefine((given, ctx) => {
    if ([given.bank, given.momo, given.vnkash].filter(Boolean).length !== 1) ctx.addIssue({ code: 'custom', message: 'payee: exactly one of bank, momo, vnkash' });
  })
  .transform(({ bank, momo, vnkash }): { method: PaymentMethod; payee: RoutePayee } => {
    if (bank) return { method: 'BANK_TRANSFER', payee: { ...bank, bankCode: bank.bankCode.toUpperCase() } };
    if (momo) return { method: 'MOMO', payee: { bankCode: 'MOMO', accountNumber: momo.phone, accountName: momo.name } };
    return { method: 'VNKASH', payee: { bankCode: 'VNKASH', accountNumber: vnkash!.account, accountName: vnkash!.account } };
  });

const { amount } = providerOrderFields;

export const paymentCommand = z.object({
  amount,
  idempotencyKey,
  method: offeredMethod('IN'),
  expiresInMinutes,
  description: optionalText('description', 255),
  merchantReference: optionalText('merchantReference', 128),
  payerIp: optionalText('payerIp', 64),
});

export const payoutCommand = z.object({
  amount,
  idempotencyKey,
  payee: paymentPayee,
  description: optionalText('description', 255),
  merchantReference: optionalText('merchantReference', 128),
});

/** routePreview: a payout names its payee, a payment its method. */
export const routePreviewCommand = z
  .object({
    direction: z.custom<Direction>(),
    amount: z.bigint().refine((value) => value > 0n, 'amount must be positive'),
    method: z.custom<PaymentMethod>().nullish(),
    payee: paymentPayee.nullish(),
  })
  .superRefine((input, ctx) => {
    if (input.direction === 'OUT' && !input.payee) ctx.addIssue({ code: 'custom', path: ['payee'], message: 'payee: needed for a payout' });
    if (input.direction === 'IN') {
      if (!input.method) ctx.addIssue({ code: 'custom', path: ['method'], message: 'method: needed for a payment' });
      else {
        const checked = offeredMethod('IN').safeParse(input.method);
        if (!checked.success) ctx.addIssue({ code: 'custom', path: ['method'], message: checked.error.issues[0]!.message });
      }
    }
  })
  .transform((input): { method: PaymentMethod; payee?: RoutePayee } => (input.direction === 'OUT' ? input.payee! : { method: input.method! }));

/** setRoutingRules: no more rules than there are routes. */
export const routingRules = <Rule>() =>
  z.array(z.custom<Rule>()).refine((rules) => rules.length <= routeIds.length, { message: `rules: at most ${routeIds.length}`, path: ['rules'] });

/** createPaymentLink: the amount and texts (the link's lifetime and URLs are the link service's rules). */
export const paymentLinkCommand = z.object({
  amount,
  description: optionalText('description', 255),
  merchantReference: optionalText('merchantReference', 128),
});
