// The merchant's routing rules (routingRules, setRoutingRules), routePreview
// (which provider a payment would go to, and why for each route) and
// providerHealth (recent calls and the circuit of each provider account).
import { builder, requireMerchant } from './builder.js';
import { ValidationError } from '../errors/index.js';
import { parseInput } from '../validation/parse-input.js';
import { routePreviewCommand, routingRules } from '../validation/payment-input.js';
import { DirectionEnum, PaymentMethodEnum, ProviderEnum, RouteEnum } from './enums.js';
import { type Direction, type PaymentMethod, type RouteId } from '../domain/routing.js';
import { PaymentPayeeInput } from './payments.js';
import type { AccountHealth } from '../services/payments/provider-health.js';

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
