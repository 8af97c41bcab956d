// The answers of the account, statement and service operations. Documented
// shapes are strict about the documented fields; the shapes the document does
// not show (marked "assumed") accept what the sandbox sends and tolerate the
// rest, because the real answer may differ.
import { z } from 'zod';
import { transactionWireSchema } from './transaction.js';
import { optionalText, wireDong, wireEpochSeconds, wireFlag, wireId, wireInstant } from './wire.js';

const ok = z.literal(true);

const userWire = z.object({
  id: wireId,
  username: z.string(),
  email: z.string().nullish(),
  level: z.union([z.string(), z.number()]).nullish(),
  money: wireDong,
  time_momo: wireEpochSeconds.nullish(),
  id_telegram: z.union([z.number(), z.string()]).nullish(),
});

export const loginAnswerSchema = z.object({ success: ok, token: z.string().min(1), user: userWire });
export type LoginAnswer = z.output<typeof loginAnswerSchema>;
export type UserWire = z.output<typeof userWire>;

// `data.token` is documented on the profile answer; it is a credential, so it is parsed but never returned.
export const profileAnswerSchema = z.object({ success: ok, data: userWire.extend({ token: z.string().optional() }) });

export const simpleAnswerSchema = z.object({ success: ok, message: z.string().optional() });

export const accountWireSchema = z.object({
  id: wireId,
  bank_code: z.string(),
  account_number: z.union([z.string(), z.number()]).transform(String),
  holder_name: z.string().nullish(),
  balance: wireDong.nullish(),
  active: wireFlag,
});
export const accountListAnswerSchema = z.object({ success: ok, data: z.array(accountWireSchema) });
/** Assumed: the document does not show the add-account answer; we expect the new account. */
export const addAccountAnswerSchema = z.object({ success: ok, message: z.string().optional(), data: accountWireSchema.partial({ active: true, balance: true }) });

export const connectAnswerSchema = z.discriminatedUnion('step', [
  z.object({ success: ok, step: z.literal('otp_required'), message: z.string().default('') }),
  z.object({ success: ok, step: z.literal('done'), message: z.string().optional(), data: z.object({ id: wireId, bank_code: z.string() }) }),
]);

export const transactionListAnswerSchema = z.object({
  success: ok,
  data: z.array(transactionWireSchema),
  pagination: z.object({ page: z.coerce.number().int(), limit: z.coerce.number().int(), total: z.coerce.number().int(), total_pages: z.coerce.number().int() }),
  totals: z.object({ total_in: wireDong, total_out: wireDong, net: wireDong }),
});
/** Assumed: `data` is one transaction in the list's shape. */
export const transactionDetailAnswerSchema = z.object({ success: ok, data: transactionWireSchema });

const periodTotals = z.object({ total_in: wireDong, total_out: wireDong, net: wireDong, count: z.coerce.number().int().optional() });
/** Assumed shape: totals per period plus the 5 latest transactions. */
export const dashboardSummaryAnswerSchema = z.object({
  success: ok,
  data: z.object({ today: periodTotals, week: periodTotals, month: periodTotals, quarter: periodTotals, recent: z.array(transactionWireSchema).default([]) }),
});
/** Assumed shape: one point per day (30 days) and an allocation by category. */
export const dashboardChartsAnswerSchema = z.object({
  success: ok,
  data: z.object({
    daily: z.array(z.object({ date: z.string(), total_in: wireDong, total_out: wireDong })),
    categories: z.array(z.object({ name: z.string(), total_in: wireDong.default(0), total_out: wireDong.default(0) })).default([]),
  }),
});

/** Assumed shape of the package status. */
export const extensionAnswerSchema = z.object({
  success: ok,
  data: z.object({ expires_at: wireEpochSeconds.nullish(), price_per_month: wireDong, days_left: z.coerce.number().int(), money: wireDong.optional() }),
});
/** Assumed shape of a renewal's answer. */
export const renewAnswerSchema = z.object({
  success: ok,
  message: z.string().optional(),
  data: z.object({ months: z.coerce.number().int(), charged: wireDong, money: wireDong, expires_at: wireEpochSeconds }),
});
/** Assumed shape of the deposit page's data. */
export const depositAnswerSchema = z.object({
  success: ok,
  data: z.object({
    money: wireDong,
    min_deposit: wireDong,
    transfer: z
      .object({ bank_code: z.string(), account_number: z.union([z.string(), z.number()]).transform(String), holder_name: z.string().nullish(), content: z.string().nullish() })
      .optional(),
    history: z.array(z.object({ id: wireId, amount: wireDong, status: z.union([z.string(), z.number()]).transform(String).optional(), created_at: wireInstant.nullish() })).default([]),
  }),
});

export const siteSettingsAnswerSchema = z.object({
  success: ok,
  data: z.object({
    title: z.string(),
    description: optionalText,
    logo: optionalText,
    hotline: optionalText,
    link_facebook: optionalText,
    link_zalo: optionalText,
  }),
});

export const packagesAnswerSchema = z.object({
  success: ok,
  data: z.array(z.object({ id: wireId, bank_code: z.string(), name: z.string(), price: wireDong, features: z.string().nullish(), active: wireFlag })),
});

/** Assumed shape of one notification. */
export const notificationsAnswerSchema = z.object({
  success: ok,
  data: z.array(
    z.object({
      id: wireId,
      title: z.string().nullish(),
      message: z.string().nullish(),
      is_read: wireFlag.optional(),
      created_at: wireInstant.nullish(),
    }),
  ),
});
