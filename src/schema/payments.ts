// The one payment API: createPayment / createPayout (routed, with failover),
// the routing rules, routePreview, providerHealth, and each order's attempts.
import { builder, requireMerchant } from './builder.js';
import { ErrorInterface } from './errors.js';
import { ValidationError } from '../errors/index.js';
import { idOrNull } from './ids.js';
import { actorOf } from './actor.js';
import { parseInput } from '../validation/parse-input.js';
import { paymentCommand, paymentLinkCommand, payoutCommand, routePreviewCommand, routingRules } from '../validation/payment-input.js';
import { ProviderEnum, RouteEnum } from './enums.js';
import { OrderType } from './order.js';
import { ConcurrentUpdateError } from '../errors/index.js';
import { paymentMethods, type Direction, type PaymentMethod, type RouteId } from '../domain/routing.js';
import { ProviderBadResponseError, ProviderUnavailableError } from '../errors/index.js';
import { IdempotencyConflictError, IdempotencyKeyReusedError } from '../errors/index.js';
import { MAX_CLIENT_TOKEN_TTL_MINUTES } from '../services/client-tokens.js';
import { AllRoutesRefusedError, CircuitOpenError, NoRouteError } from '../errors/index.js';
import type { AccountHealth } from '../services/payments/provider-health.js';

const PaymentMethodEnum = builder.enumType('PaymentMethod', {
  values: paymentMethods,
  description:
    'How money moves, the union of what the providers offer. Collecting: BANK_TRANSFER (AZConnectPay, VNKash deposit, your own bank account), MOMO (AZConnectPay, WowPay), ZALOPAY, BANK_QR, BANK_CARD (WowPay), GATEWAY_PAGE (SharkPay: the payer pays on its page). Payouts: BANK_TRANSFER, MOMO, VNKASH (a VNKash wallet).',
});
const DirectionEnum = builder.enumType('PaymentDirection', { values: ['IN', 'OUT'] as const, description: 'IN: collecting from a payer. OUT: paying someone.' });

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
const PaymentPayeeInput = builder.inputType('PaymentPayeeInput', {
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

// ---- routing rules -----------------------------------------------------------------

interface RuleShape {
  route: RouteId;
  enabled: boolean;
  minAmount?: bigint | null;
  maxAmount?: bigint | null;
  position: number;
}

const RoutingRuleType = builder.objectRef<RuleShape>('RoutingRule').implement({
  fields: (t) => ({
    route: t.field({ type: RouteEnum, resolve: (r) => r.route }),
    enabled: t.exposeBoolean('enabled'),
    minAmount: t.field({ type: 'BigInt', nullable: true, resolve: (r) => r.minAmount ?? null }),
    maxAmount: t.field({ type: 'BigInt', nullable: true, resolve: (r) => r.maxAmount ?? null }),
    position: t.exposeInt('position', { description: 'Tried in this order, from 0.' }),
  }),
});

const RoutingRuleList = builder.objectRef<{ direction: Direction; method: PaymentMethod; rules: RuleShape[] }>('RoutingRuleList').implement({
  description: 'Your ordered routes for one direction and method. A method without a list uses the default order: every configured route offering it, as listed in the Route enum.',
  fields: (t) => ({
    direction: t.field({ type: DirectionEnum, resolve: (l) => l.direction }),
    method: t.field({ type: PaymentMethodEnum, resolve: (l) => l.method }),
    rules: t.field({ type: [RoutingRuleType], resolve: (l) => l.rules }),
  }),
});

builder.queryField('routingRules', (t) =>
  t.field({
    type: [RoutingRuleList],
    description: 'The routing rules you set, per direction and method.',
    authScopes: { merchant: true },
    resolve: (_root, _args, ctx) => ctx.services.routing.rules(requireMerchant(ctx)),
  }),
);

const RoutingRuleInput = builder.inputType('RoutingRuleInput', {
  fields: (t) => ({
    route: t.field({ type: RouteEnum, required: true }),
    enabled: t.boolean({ required: false, description: 'Default true.' }),
    minAmount: t.field({ type: 'BigInt', required: false }),
    maxAmount: t.field({ type: 'BigInt', required: false }),
  }),
});

builder.mutationField('setRoutingRules', (t) =>
  t.field({
    type: RoutingRuleList,
    description: 'Replaces your ordered routes for one direction and method (an empty list: back to the default order). Checked first: on a ValidationError nothing changed.',
    authScopes: { merchant: true },
    errors: { types: [ValidationError] },
    args: {
      direction: t.arg({ type: DirectionEnum, required: true }),
      method: t.arg({ type: PaymentMethodEnum, required: true }),
      rules: t.arg({ type: [RoutingRuleInput], required: true }),
    },
    resolve: (_root, args, ctx) => {
      const rules = parseInput(routingRules<(typeof args.rules)[number]>(), args.rules);
      return ctx.services.routing.setRules(
        requireMerchant(ctx),
        args.direction,
        args.method,
        rules.map((r) => ({ route: r.route, enabled: r.enabled ?? true, minAmount: r.minAmount ?? null, maxAmount: r.maxAmount ?? null })),
      );
    },
  }),
);

// ---- preview and health ------------------------------------------------------------

const RouteDecisionType = builder.objectRef<{ route: RouteId; accepted: boolean; reason: string }>('RouteDecision').implement({
  fields: (t) => ({ route: t.field({ type: RouteEnum, resolve: (d) => d.route }), accepted: t.exposeBoolean('accepted'), reason: t.exposeString('reason') }),
});

const RoutePreviewType = builder.objectRef<{ chosen: RouteId | null; candidates: RouteId[]; decisions: { route: RouteId; accepted: boolean; reason: string }[]; source: string }>('RoutePreview').implement({
  fields: (t) => ({
    chosen: t.field({ type: RouteEnum, nullable: true, description: 'The route createPayment/createPayout would try first now.', resolve: (p) => p.chosen }),
    candidates: t.field({ type: [RouteEnum], description: 'Every route it would try, in order (failover).', resolve: (p) => p.candidates }),
    decisions: t.field({ type: [RouteDecisionType], description: 'Every route considered and why it was taken or not.', resolve: (p) => p.decisions }),
    source: t.exposeString('source', { description: 'rules, default or pin.' }),
  }),
});

const RoutePreviewInput = builder.inputType('RoutePreviewInput', {
  fields: (t) => ({
    direction: t.field({ type: DirectionEnum, required: true }),
    amount: t.field({ type: 'BigInt', required: true }),
    method: t.field({ type: PaymentMethodEnum, required: false, description: 'For IN (payouts take it from the payee).' }),
    payee: t.field({ type: PaymentPayeeInput, required: false, description: 'For OUT.' }),
    provider: t.field({ type: RouteEnum, required: false }),
  }),
});

builder.queryField('routePreview', (t) =>
  t.field({
    type: RoutePreviewType,
    description: 'Which provider a payment or payout would go to now, and why each other one would not. Changes nothing.',
    authScopes: { merchant: true },
    errors: { types: [ValidationError] },
    args: { input: t.arg({ type: RoutePreviewInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { method, payee } = parseInput(routePreviewCommand, input);
      const plan = await ctx.services.routing.plan(requireMerchant(ctx), { direction: input.direction, method, amount: input.amount, payee, pin: input.provider ?? undefined });
      return { chosen: plan.candidates[0] ?? null, candidates: plan.candidates, decisions: plan.decisions, source: plan.source };
    },
  }),
);

const HealthSampleType = builder.objectRef<AccountHealth['samples'][number]>('ProviderCallSample').implement({
  fields: (t) => ({ at: t.expose('at', { type: 'DateTime' }), operation: t.exposeString('operation', { description: 'create or status (a status query).' }), outcome: t.exposeString('outcome', { description: 'success, refused (the provider answered no), failure (no usable answer).' }), latencyMs: t.exposeInt('latencyMs') }),
});

const ProviderHealthType = builder.objectRef<AccountHealth>('ProviderHealth').implement({
  description: `Your account at one provider, as this instance called it (creates and status queries): recent outcomes and latency, and its circuit, which createPayment/createPayout go through (opens after CIRCUIT_FAILURE_THRESHOLD consecutive failed creates; one trial call after CIRCUIT_HALF_OPEN_AFTER_MS).`,
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum, resolve: (h) => h.provider }),
    circuit: t.exposeString('circuit', { description: 'closed, open (skipped by routing), half-open (one trial call allowed).' }),
    openUntil: t.expose('openUntil', { type: 'DateTime', nullable: true }),
    consecutiveFailures: t.exposeInt('consecutiveFailures', { description: 'Failed creates in a row through the circuit.' }),
    recent: t.field({ type: [HealthSampleType], description: 'Newest first (at most 50).', resolve: (h) => h.samples }),
    successRate: t.float({ nullable: true, description: 'Share of recent calls with a usable answer (success or refusal).', resolve: (h) => (h.samples.length ? h.samples.filter((s) => s.outcome !== 'failure').length / h.samples.length : null) }),
    medianLatencyMs: t.int({ nullable: true, resolve: (h) => median(h.samples.map((s) => s.latencyMs)) }),
  }),
});

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

builder.queryField('providerHealth', (t) =>
  t.field({
    type: [ProviderHealthType],
    description: 'Health of your provider accounts that this instance has called (creates and status queries).',
    authScopes: { merchant: true },
    resolve: (_root, _args, ctx) => ctx.services.providerHealth.describe(requireMerchant(ctx)),
  }),
);

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
