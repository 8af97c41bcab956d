// The calling merchant and its API keys.
import { builder, requireMerchant, selection } from './builder.js';
import { parseInput } from '../validation/parse-input.js';
import { apiKeyCommand } from '../validation/settings-input.js';
import { MAX_KEY_LIFETIME_MINUTES } from '../services/api-keys.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { existingId } from './ids.js';

export const MerchantType = builder.prismaObject('Merchant', {
  description: 'A business using paygraph. Every record belongs to one merchant.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    sandbox: t.exposeBoolean('sandbox', { description: 'True when its providers are the built-in simulators.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    apiKeys: t.relation('apiKeys', { query: { orderBy: { createdAt: 'asc' } } }),
  }),
});

export const ApiKeyType = builder.prismaObject('ApiKey', {
  description: 'A secret API key. The key itself is shown once, at creation; only its prefix is kept in clear.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: 'When the key stops working by itself (null: until revoked).' }),
  }),
});

const CreatedApiKey = builder
  .objectRef<{ apiKeyId: string; secret: string }>('CreatedApiKey')
  .implement({
    fields: (t) => ({
      secret: t.exposeString('secret', { description: 'The key. Store it now: it is never shown again.' }),
      apiKey: t.prismaField({
        type: 'ApiKey',
        resolve: (query, parent, _args, ctx) => ctx.prisma.apiKey.findUniqueOrThrow({ ...selection(query), where: { id: parent.apiKeyId } }),
      }),
    }),
  });

builder.queryField('merchant', (t) =>
  t.prismaField({
    type: 'Merchant',
    description: 'The merchant whose API key made this request.',
    authScopes: { merchant: true },
    resolve: (query, _root, _args, ctx) => ctx.prisma.merchant.findUniqueOrThrow({ ...selection(query), where: { id: requireMerchant(ctx) } }),
  }),
);

builder.mutationField('createApiKey', (t) =>
  t.field({
    type: CreatedApiKey,
    authScopes: { merchant: true },
    errors: { types: [ValidationError] },
    args: {
      name: t.arg.string({ required: true }),
      expiresInMinutes: t.arg.int({ required: false, description: `A short-lived key (a console session, temporary access): refused after this many minutes, 1 to ${MAX_KEY_LIFETIME_MINUTES}. Its open WebSocket connections close then. Default: until revoked.` }),
    },
    resolve: async (_root, { name, expiresInMinutes }, ctx) => {
      const merchantId = requireMerchant(ctx);
      const command = parseInput(apiKeyCommand(MAX_KEY_LIFETIME_MINUTES), { name, expiresInMinutes });
      const expiresAt = command.expiresInMinutes == null ? null : new Date(Date.now() + command.expiresInMinutes * 60_000);
      const { key, record } = await ctx.services.apiKeys.create(merchantId, command.name, expiresAt);
      return { apiKeyId: record.id, secret: key };
    },
  }),
);

builder.mutationField('revokeApiKey', (t) =>
  t.prismaField({
    type: 'ApiKey',
    description: 'Revokes one of your keys; requests with it fail from now on.',
    authScopes: { merchant: true },
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      const merchantId = requireMerchant(ctx);
      const keyId = existingId('ApiKey', id);
      if (!(await ctx.services.apiKeys.revoke(merchantId, keyId))) throw new NotFoundError('ApiKey', keyId);
      return ctx.prisma.apiKey.findUniqueOrThrow({ ...selection(query), where: { id: keyId } });
    },
  }),
);
