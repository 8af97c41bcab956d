// Zod building blocks for the provider's values: PHP answers print integers
// as numbers or digit strings, amounts possibly as "100.000", times as
// Vietnam local time or epoch seconds.
import { z } from 'zod';
import { parseDong } from '../../domain/money.js';
import { parseVietnamTime } from '../../domain/time.js';

export const wireId = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

export const wireDong = z.union([z.number(), z.string(), z.bigint()]).transform((value, ctx) => {
  try {
    return parseDong(value);
  } catch (error) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
    return z.NEVER;
  }
});

export const wireEpochSeconds = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]).transform((seconds) => new Date(seconds * 1000));

export const wireVietnamTime = z.string().transform((text, ctx) => {
  const instant = parseVietnamTime(text);
  if (!instant) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not a Vietnam local time: ${JSON.stringify(text)}` });
    return z.NEVER;
  }
  return instant;
});

/** Epoch seconds or a Vietnam local time: the undocumented answers may use either. */
export const wireInstant = z.union([wireEpochSeconds, wireVietnamTime]);

/** 1/0, "1"/"0" or true/false. */
export const wireFlag = z.union([z.boolean(), z.literal(0), z.literal(1), z.literal('0'), z.literal('1')]).transform((value) => value === true || value === 1 || value === '1');

/** null, "" and absent all mean "none". */
export const optionalText = z
  .string()
  .nullish()
  .transform((value) => (value === null || value === undefined || value === '' ? undefined : value));
