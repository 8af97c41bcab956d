// Client tokens: issued by a merchant for one order, handed to a frontend (the
// checkout page) that reads that order and follows it. See order-access.ts.
import { builder, requireMerchant, selection } from './builder.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { existingId } from './ids.js';

export const ClientTokenType = builder.prismaObject('ClientToken', {
  description: 'A short-lived, revocable token that reads one order and follows its updates, for a frontend. The token itself is shown once.',
  fields: (t) => ({
    id: t.exposeID('id'),
    orderId: t.exposeID('orderId'),
    prefix: t.exposeString('prefix', { description: 'The first characters of the token, to tell tokens apart.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    returnUrl: t.exposeString('returnUrl', { nullable: true, description: 'Where the checkout page sends the payer back once the order is final.' }),
    cancelUrl: t.exposeString('cancelUrl', { nullable: true, description: 'Where the checkout page sends a payer who gives up before paying.' }),
  }),
});

const CreatedClientToken = builder
  .objectRef<{ tokenId: string; token: string; expiresAt: Date; checkoutUrl: string }>('CreatedClientToken')
  .implement({
    fields: (t) => ({
      id: t.exposeID('tokenId', { description: 'Pass to revokeClientToken.' }),
      token: t.exposeString('token', { description: 'Send as "Authorization: Bearer <token>". Shown this once.' }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
      checkoutUrl: t.exposeString('checkoutUrl', { description: 'The hosted checkout page for this order, token included: send the payer there.' }),
      clientToken: t.prismaField({
        type: 'ClientToken',
        resolve: (query, parent, _args, ctx) => ctx.prisma.clientToken.findUniqueOrThrow({ ...selection(query), where: { id: parent.tokenId } }),
      }),
    }),
  });

builder.mutationField('createClientToken', (t) =>
  t.field({
    type: CreatedClientToken,
    description: 'Issues a client token for one of your orders: it reads that order and subscribes to its updates, nothing else.',
    authScopes: { merchant: true },
    errors: { types: [NotFoundError, ValidationError] },
    args: {
      orderId: t.arg.id({ required: true }),
      ttlMinutes: t.arg.int({ required: false, description: 'Lifetime, 1 to 1440 minutes (default: CLIENT_TOKEN_TTL_MINUTES, 60).' }),
      returnUrl: t.arg.string({
        required: false,
        description: 'A page of your shop the checkout offers ("back to the shop") once the order is final: https (http://localhost… outside production). Read the order\'s status there; the URL proves nothing.',
      }),
      cancelUrl: t.arg.string({ required: false, description: 'A page of your shop for a payer who gives up before paying; same rules as returnUrl.' }),
    },
    resolve: async (_root, { orderId, ttlMinutes, returnUrl, cancelUrl }, ctx) => {
      const merchantId = requireMerchant(ctx);
      const { token, record, checkoutUrl } = await ctx.services.clientTokens.create(merchantId, existingId('Order', orderId), { ttlMinutes: ttlMinutes ?? undefined }, { returnUrl, cancelUrl });
      return { tokenId: record.id, token, expiresAt: record.expiresAt, checkoutUrl };
    },
  }),
);

builder.mutationField('revokeClientToken', (t) =>
  t.prismaField({
    type: 'ClientToken',
    description: 'Revokes a client token now: its requests fail and its open subscriptions end.',
    authScopes: { merchant: true },
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      const merchantId = requireMerchant(ctx);
      const tokenId = existingId('ClientToken', id);
      if (!(await ctx.services.clientTokens.revoke(merchantId, tokenId))) throw new NotFoundError('ClientToken', tokenId);
      return ctx.prisma.clientToken.findUniqueOrThrow({ ...selection(query), where: { id: tokenId } });
    },
  }),
);
