// Payment links: a hosted checkout URL for an amount (createPaymentLink,
// paymentLink); the payer chooses a method on the page (src/checkout/payment-link.ts).
import { builder, requireMerchant } from './builder.js';
import { ValidationError } from '../errors/index.js';
import { idOrNull } from './ids.js';
import { parseInput } from '../validation/parse-input.js';
import { paymentLinkCommand } from '../validation/payment-input.js';

// ---- payment links -------------------------------------------------------------------

interface PaymentLinkShape {
  id: string;
  url: string | null;
  amount: bigint;
  description: string | null;
  expiresAt: Date;
  orderId: string | null;
}

const PaymentLinkType = builder.objectRef<PaymentLinkShape>('PaymentLink').implement({
  description: 'A hosted checkout link: the payer opens `url`, chooses among the methods routable now, and pays the one order the link makes.',
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.exposeString('url', { nullable: true, description: 'Shown once, at creation: the token inside is the payer’s only access.' }),
    amount: t.expose('amount', { type: 'BigInt' }),
    description: t.exposeString('description', { nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'After it a link that made no order opens no more.' }),
    orderId: t.exposeString('orderId', { nullable: true, description: 'The order the payer’s choice made.' }),
  }),
});

const CreatePaymentLinkInput = builder.inputType('CreatePaymentLinkInput', {
  fields: (t) => ({
    amount: t.field({ type: 'BigInt', required: true, description: 'Whole đồng.' }),
    description: t.string({ required: false, description: 'What the payer pays for (shown on the page).' }),
    merchantReference: t.string({ required: false }),
    expiresInMinutes: t.int({ required: false, description: '1 to 10080; default ORDER_TTL_MINUTES. The order made from it expires with the link.' }),
    returnUrl: t.string({ required: false }),
    cancelUrl: t.string({ required: false }),
  }),
});

builder.mutationField('createPaymentLink', (t) =>
  t.field({
    type: PaymentLinkType,
    description: 'A hosted checkout URL for an amount: the payer needs no key; when several methods are routable the page lets the payer choose one, then shows that provider’s instructions and live status.',
    authScopes: { merchant: true },
    errors: { types: [ValidationError] },
    args: { input: t.arg({ type: CreatePaymentLinkInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const command = parseInput(paymentLinkCommand, input);
      const { link, url } = await ctx.services.paymentLinks.create({
        merchantId: requireMerchant(ctx),
        amount: command.amount,
        description: command.description,
        merchantReference: command.merchantReference,
        expiresInMinutes: input.expiresInMinutes ?? undefined,
        returnUrl: input.returnUrl ?? undefined,
        cancelUrl: input.cancelUrl ?? undefined,
      });
      return { ...link, url };
    },
  }),
);

builder.queryField('paymentLink', (t) =>
  t.field({
    type: PaymentLinkType,
    nullable: true,
    description: 'One of your payment links (its url is not shown again).',
    authScopes: { merchant: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const linkId = idOrNull(id);
      if (!linkId) return null;
      const link = await ctx.prisma.paymentLink.findFirst({ where: { id: linkId, merchantId: requireMerchant(ctx) } });
      return link ? { ...link, url: null } : null;
    },
  }),
);
