// The one payload shape the provider speaks: the submit answer, the check
// answer and the callback carry the same fields (the callback adds
// callback_sign, and card_value in its GET form). Numbers may arrive as JSON
// numbers or, in a GET callback, as strings: both are read exactly.
import { z } from 'zod';
import { parseDong } from '../../domain/money.js';

const text = z.union([z.string(), z.number()]).transform(String);

/** An integer status: 99 or "99". Anything else breaks the protocol. */
const statusNumber = z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)]);

/** A whole number of đồng, or null/absent ("value": null while pending). */
const money = z
  .union([z.number(), z.string(), z.null()])
  .optional()
  .transform((value, ctx) => {
    if (value === null || value === undefined || value === '') return undefined;
    try {
      return parseDong(value);
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'not a whole number of đồng' });
      return z.NEVER;
    }
  });

export const cardPayloadSchema = z.object({
  status: statusNumber,
  message: z.union([z.string(), z.null()]).optional().transform((value) => value ?? ''),
  request_id: text.optional(),
  trans_id: z.union([z.string(), z.number(), z.null()]).optional().transform((value) => (value === null || value === undefined || value === '' ? undefined : String(value))),
  telco: z.string().optional(),
  code: text.optional(),
  serial: text.optional(),
  declared_value: money,
  /** "Mệnh giá tính tiền": the face value the provider pays on. */
  value: money,
  /** "Mệnh giá thực của thẻ": the card's real face value (GET callback form). */
  card_value: money,
  /** "Số tiền nhận được": what the merchant receives after the provider's discount. */
  amount: money,
});
export type CardPayload = z.output<typeof cardPayloadSchema>;

export const cardCallbackSchema = cardPayloadSchema.extend({
  code: text,
  serial: text,
  request_id: text,
  callback_sign: z.string().min(1),
});
export type CardCallbackPayload = z.output<typeof cardCallbackSchema>;

/** Where a zod failure went wrong, without echoing any value (payloads hold card codes). */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
