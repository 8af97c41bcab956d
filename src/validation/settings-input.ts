// What a client may send to the merchant's own settings and reads (API keys,
// provider accounts, the money-flow window, the bank package, VNKash
// look-ups), said once as zod command schemas parsed with parse-input.ts.
// Limits owned by a service are passed in, so this layer imports none.
import { z } from 'zod';
import { containsControlCharacters, hasControlCharacters } from '../domain/text.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** createApiKey: a name, and an optional lifetime of 1 to `maxLifetimeMinutes`. */
export const apiKeyCommand = (maxLifetimeMinutes: number) =>
  z.object({
    name: z
      .string()
      .refine((name) => name.trim() !== '' && name.length <= 100 && !hasControlCharacters(name), 'name: 1–100 characters, no control characters')
      .transform((name) => name.trim()),
    expiresInMinutes: z
      .number()
      .nullish()
      .refine((minutes) => minutes == null || (minutes >= 1 && minutes <= maxLifetimeMinutes), `expiresInMinutes: 1 to ${maxLifetimeMinutes}`),
  });

/** moneyFlow: `to` after `from`, at most `maxDays` apart. */
export const moneyFlowWindow = (maxDays: number) =>
  z.object({ from: z.date(), to: z.date() }).superRefine(({ from, to }, ctx) => {
    if (to <= from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to: must be after from' });
    else if (to.getTime() - from.getTime() > maxDays * DAY_MS) ctx.addIssue({ code: 'custom', path: ['to'], message: `to: at most ${maxDays} days after from` });
  });

/** renewBankPackage: 1 to 12 months. */
export const packageMonths = z.number().refine((months) => Number.isInteger(months) && months >= 1 && months <= 12, { message: 'months: 1 to 12', path: ['months'] });

/** Provider settings are flat, with a few small maps (card shapes: telco → field → rule). */
const MAX_VALUES_NESTING = 8;

/** Iterative, so any input is measured without recursion. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (!current || typeof current !== 'object') continue;
    if (depth >= limit) return true;
    for (const inner of Object.values(current)) stack.push([inner, depth + 1]);
  }
  return false;
}

/** setProviderAccount's values: an object of field names to values, not deeply nested, no control characters. */
export const providerAccountValues = z
  .unknown()
  .superRefine((values, ctx) => {
    const refuse = (message: string) => ctx.addIssue({ code: 'custom', path: ['values'], message, fatal: true });
    if (!values || typeof values !== 'object' || Array.isArray(values)) return refuse('values: an object of field names to values');
    // Before any recursive walk: 5 000 nested arrays would overflow the stack of one.
    if (nestedDeeperThan(values, MAX_VALUES_NESTING)) return refuse(`values: nested deeper than ${MAX_VALUES_NESTING} levels`);
    if (containsControlCharacters(values)) return refuse('values: no control characters');
  })
  .transform((values) => values as Record<string, unknown>);

/** vnKashLookupName: a phone number or e-mail, trimmed. */
export const vnKashUserAccount = z
  .string()
  .refine((account) => account.trim() !== '' && account.length <= 128 && !hasControlCharacters(account), { message: 'account: a phone number or e-mail', path: ['account'] })
  .transform((account) => account.trim());

/** vnKashLookupBankAccount: 4–32 digits, trimmed. */
export const vnKashBankAccountNumber = z
  .string()
  .transform((account) => account.trim())
  .refine((account) => /^\d{4,32}$/.test(account), { message: 'account: 4–32 digits', path: ['account'] });
