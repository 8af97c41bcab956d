// The one payment API: createPayment / createPayout (routed, with failover)
// and each order's attempts. The routing rules, routePreview and
// providerHealth: routing.ts; payment links: payment-links.ts.
import { builder, requireMerchant } from './builder.js';
import { actorOf } from './actor.js';
import { PaymentMethodEnum, ProviderEnum, RouteEnum } from './enums.js';
import { OrderType } from './order.js';
import { parseInput } from '../validation/parse-input.js';
import { paymentCommand, payoutCommand } from '../validation/payment-input.js';
import type { PaymentMethod, RouteId } from '../domain/routing.js';
import { MAX_CLIENT_TOKEN_TTL_MINUTES } from '../services/client-tokens.js';
import {
  AllRoutesRefusedError,
  ConcurrentUpdateError,
  IdempotencyConflictError,
  IdempotencyKeyReusedError,
  NoRouteError,
  ProviderBadResponseError,
  ProviderUnavailableError,
  ValidationError,
} from '../errors/index.js';

// ---- errors (their types: errors.ts) ----------------------------------------------

const paymentErrors = [ValidationError, NoRouteError, AllRoutesRefusedError, ProviderUnavailableError, ProviderBadResponseError, IdempotencyKeyReusedError, IdempotencyConflictError, ConcurrentUpdateError];

// ---- attempts on orders ------------------------------------------------------

builder.prismaObject('OrderAttempt', {
  description: 'One provider a routed order was sent to (or would have been), in order.',
  fields: (t) => ({
    route: t.field({ type: RouteEnum, resolve: (a) => a.route as RouteId }),
    provider: t.expose('provider', { type: ProviderEnum }),
    requestId: t.exposeString('requestId', { description: 'The request id sent to this provider.' }),
    outcome: t.exposeString('outcome', { description: 'ACCEPTED, REFUSED (the provider said no: nothing moved), NOT_SENT (circuit open, no account, or the provider’s rules refuse it), UNKNOWN (no usable answer: settled by status queries, never re-sent elsewhere), SENDING (in flight).' }),
    errorName: t.exposeString('errorName', { nullable: true }),
    code: t.exposeString('code', { nullable: true, description: "The provider's code, or why it was not sent (circuit-open, not-sent …)." }),
    message: t.exposeString('message', { nullable: true }),
    latencyMs: t.exposeInt('latencyMs', { nullable: true }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.prismaObjectFields('Order', (t) => ({
  paymentMethod: t.field({ type: PaymentMethodEnum, nullable: true, description: 'The method asked of createPayment/createPayout.', select: { paymentMethod: true }, resolve: (o) => (o.paymentMethod as PaymentMethod | null) ?? null }),
  attempts: t.relation('attempts', {
    description: 'Each provider createPayment/createPayout tried, oldest first (empty for provider-specific creates).',
    authScopes: { merchant: true },
    query: { orderBy: [{ startedAt: 'asc' }, { id: 'asc' }] },
  }),
}));

// ---- inputs ------------------------------------------------------------------

const CreatePaymentInput = builder.inputType('CreatePaymentInput', {
  fields: (t) => ({
    amount: t.field({ type: 'BigInt', required: true, description: 'Whole đồng.' }),
    method: t.field({ type: PaymentMethodEnum, required: true }),
    idempotencyKey: t.string({ required: true, description: 'Retrying with it never creates a second order nor a second create at any provider.' }),
    description: t.string({ required: false }),
    merchantReference: t.string({ required: false }),
    expiresInMinutes: t.int({ required: false, description: 'Default ORDER_TTL_MINUTES.' }),
    returnUrl: t.string({ required: false, description: 'Where the checkout page sends the payer once the order is final (see createClientToken).' }),
    cancelUrl: t.string({ required: false, description: 'Where the checkout page sends a payer who gives up.' }),
    provider: t.field({ type: RouteEnum, required: false, description: 'Pin one route: no routing, no failover.' }),
    payerIp: t.string({ required: false }),
  }),
});

const BankPayeeInput = builder.inputType('BankPayeeInput', {
  fields: (t) => ({
    bankCode: t.string({ required: true, description: "The bank's code (VCB, ACB, CTG …)." }),
    accountNumber: t.string({ required: true }),
    accountName: t.string({ required: true }),
  }),
});
const MomoPayeeInput = builder.inputType('MomoPayeeInput', { fields: (t) => ({ phone: t.string({ required: true }), name: t.string({ required: true }) }) });
const VnKashPayeeInput = builder.inputType('VnKashPayeeInput', { fields: (t) => ({ account: t.string({ required: true, description: 'Phone number or e-mail of the VNKash user.' }) }) });
export const PaymentPayeeInput = builder.inputType('PaymentPayeeInput', {
  description: 'Exactly one of bank, momo, vnkash: it decides the payout method (BANK_TRANSFER, MOMO, VNKASH).',
  fields: (t) => ({
    bank: t.field({ type: BankPayeeInput, required: false }),
    momo: t.field({ type: MomoPayeeInput, required: false }),
    vnkash: t.field({ type: VnKashPayeeInput, required: false }),
  }),
});

const CreatePayoutInput = builder.inputType('CreatePayoutInput', {
  fields: (t) => ({
    amount: t.field({ type: 'BigInt', required: true, description: 'Whole đồng.' }),
    payee: t.field({ type: PaymentPayeeInput, required: true }),
    idempotencyKey: t.string({ required: true }),
    description: t.string({ required: false }),
    merchantReference: t.string({ required: false }),
    provider: t.field({ type: RouteEnum, required: false, description: 'Pin one route: no routing, no failover.' }),
  }),
});

// ---- mutations -----------------------------------------------------------------

interface PaymentCreatedShape {
  orderId: string;
  checkoutUrl: string | null;
}

const PaymentCreated = builder.objectRef<PaymentCreatedShape>('PaymentCreated').implement({
  fields: (t) => ({
    order: t.field({ type: OrderType, resolve: (p, _args, ctx) => ctx.prisma.order.findUniqueOrThrow({ where: { id: p.orderId } }) }),
    checkoutUrl: t.exposeString('checkoutUrl', { nullable: true, description: 'The hosted checkout page for the payer (a client token inside; returnUrl/cancelUrl applied). Null for payouts. Each call (a replay too) gives a fresh token.' }),
  }),
});

builder.mutationField('createPayment', (t) =>
  t.field({
    type: PaymentCreated,
    description: 'Collect money by a method; your routing rules (or the default order) choose the provider. A provider that refuses before any money can move is replaced by the next one under the same key; after an unknown outcome (a timeout) the order stays with that provider and is settled by status queries.',
    authScopes: { merchant: true },
    errors: { types: paymentErrors },
    args: { input: t.arg({ type: CreatePaymentInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const merchantId = requireMerchant(ctx);
      const command = parseInput(paymentCommand, input);
      const { expiresInMinutes } = command;
      // The shop URLs are checked before anything is created (the client token's own rules).
      const links = { returnUrl: input.returnUrl ?? undefined, cancelUrl: input.cancelUrl ?? undefined };
      ctx.services.clientTokens.checkLinks(links);
      const { orderId } = await ctx.services.payments.create({
        merchantId,
        actor: actorOf(ctx),
        idempotencyKey: command.idempotencyKey,
        direction: 'IN',
        method: command.method,
        amount: command.amount,
        description: command.description,
        merchantReference: command.merchantReference,
        expiresInMinutes,
        pin: input.provider ?? undefined,
        clientIp: command.payerIp,
      });
      // The checkout link lives as long as the order can be paid (within a client token's limit).
      const ttlMinutes = expiresInMinutes === undefined ? undefined : Math.min(expiresInMinutes, MAX_CLIENT_TOKEN_TTL_MINUTES);
      const { checkoutUrl } = await ctx.services.clientTokens.create(merchantId, orderId, { ttlMinutes }, links);
      return { orderId, checkoutUrl };
    },
  }),
);

builder.mutationField('createPayout', (t) =>
  t.field({
    type: PaymentCreated,
    description: "Pay someone: a bank account, a MoMo phone or a VNKash wallet. Routed and failed over like createPayment, within each provider's documented minimums and payee rules.",
    authScopes: { merchant: true },
    errors: { types: paymentErrors },
    args: { input: t.arg({ type: CreatePayoutInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const command = parseInput(payoutCommand, input);
      const { orderId } = await ctx.services.payments.create({
        merchantId: requireMerchant(ctx),
        actor: actorOf(ctx),
        idempotencyKey: command.idempotencyKey,
        direction: 'OUT',
        ...command.payee,
        amount: command.amount,
        description: command.description,
        merchantReference: command.merchantReference,
        pin: input.provider ?? undefined,
      });
      return { orderId, checkoutUrl: null };
    },
  }),
);
