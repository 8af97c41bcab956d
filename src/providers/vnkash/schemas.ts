// The shapes VNKash answers, as the document shows them. Amounts come as
// numbers (370000) or strings ("200000.00"); both go through parseDong so a
// fractional đồng is a bad response, never rounded. Dates are Vietnam time.
import { z } from 'zod';
import { parseDong } from '../../domain/money.js';
import { parseVietnamTime } from '../../domain/time.js';

const dong = z.union([z.number(), z.string()]).transform((value, context) => {
  try {
    return parseDong(value);
  } catch (error) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
    return z.NEVER;
  }
});

const vietnamTime = z.string().transform((value, context) => {
  const parsed = parseVietnamTime(value);
  if (!parsed) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: `not a Vietnam date: ${value}` });
    return z.NEVER;
  }
  return parsed;
});

/** Ids arrive as numbers in the document; kept as text (they are references, not quantities). */
const reference = z.union([z.number().int(), z.string().min(1)]).transform(String);

/** {"error": N}: the number may come as text from a loosely typed server. */
export const errorBodySchema = z.object({ error: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]) });

export const balanceSchema = z
  .array(
    z.object({
      code: z.string(),
      name: z.string(),
      sign: z.string(),
      decimal: z.union([z.string(), z.number()]).transform(String),
      balance: dong,
    }),
  );
export type VnKashBalance = z.output<typeof balanceSchema>[number];

export const nameSchema = z.object({ account: z.union([z.string(), z.number()]).transform(String), name: z.string() });
export type VnKashName = z.output<typeof nameSchema>;

export const bankSchema = z.object({ payment: z.string(), account: z.union([z.string(), z.number()]).transform(String), name: z.string() });
export type VnKashBankAccount = z.output<typeof bankSchema>;

export const depositSchema = z.object({
  success: z.literal(true),
  deposit: z.object({
    id: reference,
    payee: z.union([z.string(), z.number()]).transform(String),
    name: z.string(),
    description: z.string(),
  }),
});
export type VnKashDeposit = z.output<typeof depositSchema>['deposit'];

export const historyRowSchema = z.object({
  batch: z.union([z.string(), z.number()]).transform(String),
  source: z.string(),
  type: z.string(),
  currency: z.string(),
  amount: dong,
  fee: dong,
  /** An object in the document ({"index": 1}); its keys are not described. */
  description: z.union([z.record(z.unknown()), z.string(), z.null()]).optional(),
  date: vietnamTime,
});
export const historySchema = z.array(historyRowSchema);
export type VnKashHistoryRow = z.output<typeof historyRowSchema>;

export const withdrawSchema = z.object({
  success: z.literal(true),
  withdrawal: z.object({
    id: reference,
    amount: dong,
    currency: z.string(),
    payment: z.string(),
    account: z.union([z.string(), z.number()]).transform(String),
    name: z.string(),
  }),
});
export type VnKashWithdrawal = z.output<typeof withdrawSchema>['withdrawal'];

export const transferSchema = z.object({
  date: vietnamTime,
  memo: z.string(),
  currency: z.string(),
  amount: dong,
  account: z.union([z.string(), z.number()]).transform(String),
  batch: z.union([z.string().min(1), z.number()]).transform(String),
  fee: dong,
});
export type VnKashTransfer = z.output<typeof transferSchema>;
