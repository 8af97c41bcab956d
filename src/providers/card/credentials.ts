// The merchant's settings for one card-charging provider, validated once at
// the edge. Such providers run on many domains with the same API, so the base
// URL is always configured (e.g. https://thecao.example/chargingws/v2).
import { z } from 'zod';
import { parsePositiveDong } from '../../domain/money.js';
import { buildCardRules, defaultTelcos, type CardRules } from './card-rules.js';

const telcoName = z.string().regex(/^[A-Z0-9_]{2,32}$/, 'telco names are upper-case letters, digits or _');
const dong = z.union([z.number(), z.string(), z.bigint()]).transform((value, ctx) => {
  try {
    return parsePositiveDong(value);
  } catch {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'a face value is a positive whole number of đồng' });
    return z.NEVER;
  }
});
const fieldShape = z
  .object({ charset: z.enum(['digits', 'alnum']), minLength: z.number().int().min(1), maxLength: z.number().int().max(64) })
  .refine((shape) => shape.minLength <= shape.maxLength, 'minLength must not exceed maxLength');

export const cardCredentialsSchema = z.object({
  /** Up to and including /chargingws/v2; the connector posts to exactly this URL. */
  baseUrl: z.string().url(),
  partnerId: z.string().min(1),
  partnerKey: z.string().min(1),
  /** Telcos this merchant accepts; the provider's list is the upper bound. */
  telcos: z.array(telcoName).nonempty().default([...defaultTelcos]),
  /** Face values per telco, overriding the defaults in card-rules.ts. */
  faceValues: z.record(telcoName, z.array(dong).nonempty()).optional(),
  /** Code/serial shape per telco, overriding the defaults in card-rules.ts. */
  cardShapes: z.record(telcoName, z.object({ code: fieldShape, serial: fieldShape })).optional(),
  /**
   * `command=check` is not in the document (it is common in this API family).
   * Turn it off for a provider that lacks it: check() then answers "not supported".
   */
  checkEnabled: z.boolean().default(true),
  /**
   * The document allows GET or POST. POST keeps the card code out of URLs,
   * and so out of proxy and access logs.
   */
  submitMethod: z.enum(['POST', 'GET']).default('POST'),
});

export type CardCredentialsInput = z.input<typeof cardCredentialsSchema>;
export type CardCredentials = z.output<typeof cardCredentialsSchema>;

/** Parses credentials; the error names the bad fields, never their values (the key is a secret). */
export function parseCardCredentials(input: unknown): CardCredentials {
  const result = cardCredentialsSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new Error(`invalid card-charging credentials: ${problems.join('; ')}`);
}

export function cardRulesOf(credentials: CardCredentials): CardRules {
  return buildCardRules({ telcos: credentials.telcos, faceValues: credentials.faceValues, cardShapes: credentials.cardShapes });
}
