// A merchant's provider accounts: settings readable, secrets write-only (a read
// shows only whether each is set and, for long ones, its last four characters).
import { builder, requireMerchant } from './builder.js';
import { ProviderEnum } from './enums.js';
import { parseInput } from '../validation/parse-input.js';
import { providerAccountValues } from '../validation/settings-input.js';
import { ValidationError } from '../errors/index.js';

interface ProviderAccountShape {
  provider: (typeof ProviderEnum.$inferType);
  enabled: boolean;
  settings: Record<string, unknown>;
  secrets: { name: string; isSet: boolean; hint: string | null }[];
  updatedAt: Date;
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
      const settings = parseInput(providerAccountValues, values);
      const merchantId = requireMerchant(ctx);
      await ctx.services.providerAccounts.set(merchantId, provider, settings, enabled ?? true);
      const described = await ctx.services.providerAccounts.describe(merchantId);
      return described.find((account) => account.provider === provider)!;
    },
  }),
);
