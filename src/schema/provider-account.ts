// A merchant's provider accounts: settings readable, secrets write-only (a read
// shows only whether each is set and, for long ones, its last four characters).
import { builder, requireMerchant } from './builder.js';
import { ProviderEnum } from './enums.js';
import { containsControlCharacters } from '../domain/text.js';
import { ValidationError } from '../errors/index.js';

interface ProviderAccountShape {
  provider: (typeof ProviderEnum.$inferType);
  enabled: boolean;
  settings: Record<string, unknown>;
  secrets: { name: string; isSet: boolean; hint: string | null }[];
  updatedAt: Date;
}

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

const SecretHint = builder.objectRef<ProviderAccountShape['secrets'][number]>('SecretHint').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    isSet: t.exposeBoolean('isSet'),
    hint: t.exposeString('hint', { nullable: true, description: 'The last four characters ("…a1b2") of a secret of 12 or more characters; "…" for a shorter one.' }),
  }),
});

const ProviderAccount = builder.objectRef<ProviderAccountShape>('ProviderAccount').implement({
  description: "A merchant's credentials with one provider.",
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum, resolve: (a) => a.provider }),
    enabled: t.exposeBoolean('enabled'),
    settings: t.field({ type: 'JSON', description: 'Non-secret settings (base URL, merchant numbers, allow-lists …).', resolve: (a) => a.settings }),
    secrets: t.field({ type: [SecretHint], resolve: (a) => a.secrets }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryField('providerAccounts', (t) =>
  t.field({
    type: [ProviderAccount],
    authScopes: { merchant: true },
    resolve: (_root, _args, ctx) => ctx.services.providerAccounts.describe(requireMerchant(ctx)),
  }),
);

builder.mutationField('setProviderAccount', (t) =>
  t.field({
    type: ProviderAccount,
    description:
      "Saves a provider account. `values` holds settings and secrets by the connector's field names (see each provider's README); secret fields are sealed (AES-256-GCM) and never returned; an empty secret keeps the stored one.",
    authScopes: { merchant: true },
    errors: { types: [ValidationError] },
    args: {
      provider: t.arg({ type: ProviderEnum, required: true }),
      values: t.arg({ type: 'JSON', required: true }),
      enabled: t.arg.boolean({ required: false }),
    },
    resolve: async (_root, { provider, values, enabled }, ctx) => {
      if (!values || typeof values !== 'object' || Array.isArray(values)) throw new ValidationError('values: an object of field names to values', 'values');
      // Before any recursive walk: 5 000 nested arrays would overflow the stack of one.
      if (nestedDeeperThan(values, MAX_VALUES_NESTING)) throw new ValidationError(`values: nested deeper than ${MAX_VALUES_NESTING} levels`, 'values');
      if (containsControlCharacters(values)) throw new ValidationError('values: no control characters', 'values');
      const merchantId = requireMerchant(ctx);
      await ctx.services.providerAccounts.set(merchantId, provider, values as Record<string, unknown>, enabled ?? true);
      const described = await ctx.services.providerAccounts.describe(merchantId);
      return described.find((account) => account.provider === provider)!;
    },
  }),
);
