// The shapes of AZConnectPay's answers (document examples), validated at the
// edge. Amounts stay as given (number or string) and go through parseDong;
// identifiers may arrive as numbers from a loosely typed server and are read as text.
import { z } from 'zod';

const text = z.union([z.string(), z.number()]).transform(String);
const amount = z.union([z.number(), z.string()]);

/** `{success:false, message}`: the document's only error shape. */
export const failureSchema = z.object({
  success: z.literal(false),
  message: z.string().optional(),
});

/** Create cash-in, common part; `results` depends on the type asked for. */
export const cashInCreatedSchema = z.object({
  success: z.literal(true),
  request_id: text,
  amount,
  // `true` means "accepted" (the document); a string would be a status name.
  status: z.union([z.boolean(), z.string()]),
  message: z.string().optional(),
  results: z.record(z.unknown()),
  qr_link: z.string().optional(),
  deep_link: z.string().optional(),
});
export type CashInCreated = z.infer<typeof cashInCreatedSchema>;

// What a payer needs is required (where to send, what to write); the rest is optional.
export const cashInBankResultsSchema = z.object({
  account: text.pipe(z.string().min(1)),
  account_name: z.string().optional(),
  amount: amount.optional(),
  bank: z.string().optional(),
  bank_code: z.string().optional(),
  content: z.string().min(1),
  qr_data: z.string().optional(),
  qr_img: z.string().optional(),
});
export type CashInBankResults = z.infer<typeof cashInBankResultsSchema>;

export const cashInMomoResultsSchema = z.object({
  amount: amount.optional(),
  content: z.string().min(1),
  deep_link: z.string().optional(),
  name: z.string().optional(),
  phone: text.pipe(z.string().min(1)),
  qr_data: z.string().optional(),
  qr_img: z.string().optional(),
});
export type CashInMomoResults = z.infer<typeof cashInMomoResultsSchema>;

export const cashOutCreatedSchema = z.object({
  success: z.literal(true),
  request_id: text,
  amount,
  status: z.string(),
  message: z.string().optional(),
  results: z.unknown().optional(),
});
export type CashOutCreated = z.infer<typeof cashOutCreatedSchema>;

/**
 * Both status endpoints. The document's cash-out example has no fee_amount
 * (providers.md says "the same plus type"): it is optional for both.
 * created_at / updated_at are "..." in the document: their format is unknown,
 * so they are kept raw and not parsed.
 */
export const statusAnswerSchema = z.object({
  success: z.literal(true),
  request_id: text,
  amount,
  fee_amount: amount.nullish(),
  status: z.string(),
  type: z.string().optional(),
  created_at: z.unknown().optional(),
  updated_at: z.unknown().optional(),
});
export type StatusAnswer = z.infer<typeof statusAnswerSchema>;

export const banksAnswerSchema = z.object({
  success: z.literal(true),
  data: z.array(z.object({ code: text.pipe(z.string().min(1)), name: z.string() })),
});
export type BanksAnswer = z.infer<typeof banksAnswerSchema>;
