// The operator's overview: money moved in a period per provider and method,
// and the review queue's age. Aggregates only; the console draws them.
import { builder, requireMerchant } from './builder.js';
import { ProviderEnum } from './enums.js';
import { OrderKindEnum } from './order.js';
import { MAX_MONEY_FLOW_DAYS, vietnamToday, type MoneyFlow, type MoneyFlowGroup, type ReviewAgeBucket, type ReviewQueueAge } from '../services/dashboard.js';
import { ValidationError } from '../errors/index.js';
import { parseInput } from '../validation/parse-input.js';
import { moneyFlowWindow } from '../validation/settings-input.js';

const MoneyDirectionEnum = builder.enumType('MoneyDirection', { values: ['IN', 'OUT'] as const, description: 'IN: money to the merchant. OUT: money paid out.' });

const MoneyFlowGroupType = builder.objectRef<MoneyFlowGroup>('MoneyFlowGroup').implement({
  description: 'Settled money of one provider, order kind, method and gateway in the period.',
  fields: (t) => ({
    direction: t.field({ type: MoneyDirectionEnum, resolve: (g) => g.direction }),
    provider: t.field({ type: ProviderEnum, resolve: (g) => g.provider }),
    kind: t.field({ type: OrderKindEnum, nullable: true, description: 'Null for card charges.', resolve: (g) => g.kind }),
    method: t.exposeString('method', { nullable: true, description: "The order's method (bank, momo, a Hub channel, a VNKash payment); a card charge's telco." }),
    gateway: t.exposeString('gateway', { nullable: true, description: 'sharkpay or wowpay for Payment Hub orders.' }),
    count: t.exposeInt('count', { description: 'How many orders or card charges.' }),
    amount: t.field({ type: 'BigInt', description: 'Whole đồng: what was accepted as settled (settledAmount when it differs from amount); for card charges, what the provider credited.', resolve: (g) => g.amount }),
  }),
});

const MoneyFlowType = builder.objectRef<MoneyFlow>('MoneyFlow').implement({
  description: 'Orders and card charges that reached SUCCEEDED in [from, to), by when they completed. Bank lines no order claimed are not in it (they wait in the review queue).',
  fields: (t) => ({
    from: t.expose('from', { type: 'DateTime' }),
    to: t.expose('to', { type: 'DateTime' }),
    groups: t.field({ type: [MoneyFlowGroupType], description: 'IN first, then OUT; largest amount first.', resolve: (f) => f.groups }),
    totalIn: t.field({ type: 'BigInt', resolve: (f) => f.totalIn }),
    totalOut: t.field({ type: 'BigInt', resolve: (f) => f.totalOut }),
  }),
});

builder.queryField('moneyFlow', (t) =>
  t.field({
    type: MoneyFlowType,
    description: `Money in and out per provider and method in [from, to) (default: today in Vietnam time, UTC+7); at most ${MAX_MONEY_FLOW_DAYS} days.`,
    authScopes: { merchant: true },
    errors: { types: [ValidationError] },
    args: {
      from: t.arg({ type: 'DateTime', required: false }),
      to: t.arg({ type: 'DateTime', required: false }),
    },
    resolve: (_root, args, ctx) => {
      const merchantId = requireMerchant(ctx);
      const today = vietnamToday();
      const from = args.from ?? (args.to ? new Date(args.to.getTime() - 24 * 60 * 60 * 1000) : today.from);
      const to = args.to ?? (args.from ? new Date(args.from.getTime() + 24 * 60 * 60 * 1000) : today.to);
      return ctx.services.dashboard.moneyFlow(merchantId, parseInput(moneyFlowWindow(MAX_MONEY_FLOW_DAYS), { from, to }));
    },
  }),
);

const ReviewAgeBucketType = builder.objectRef<ReviewAgeBucket>('ReviewAgeBucket').implement({
  description: 'Items that have waited at least minMinutes and less than maxMinutes.',
  fields: (t) => ({
    minMinutes: t.exposeInt('minMinutes'),
    maxMinutes: t.exposeInt('maxMinutes', { nullable: true, description: 'Null: no upper bound (the oldest bucket).' }),
    orders: t.exposeInt('orders'),
    cardCharges: t.exposeInt('cardCharges'),
    bankTransactions: t.exposeInt('bankTransactions'),
    count: t.int({ resolve: (b) => b.orders + b.cardCharges + b.bankTransactions }),
  }),
});

const ReviewQueueAgeType = builder.objectRef<ReviewQueueAge>('ReviewQueueAge').implement({
  description: 'How long your review queue has waited.',
  fields: (t) => ({
    total: t.exposeInt('total'),
    oldestOpenedAt: t.expose('oldestOpenedAt', { type: 'DateTime', nullable: true }),
    buckets: t.field({ type: [ReviewAgeBucketType], description: 'Under 1 hour, 1–4 hours, 4–24 hours, 1–3 days, 3 days or more: always all five.', resolve: (a) => a.buckets }),
  }),
});

builder.queryField('reviewQueueAge', (t) =>
  t.field({
    type: ReviewQueueAgeType,
    description: 'The review queue by age and kind (see reviewQueue for the items).',
    authScopes: { merchant: true },
    resolve: (_root, _args, ctx) => ctx.services.dashboard.reviewQueueAge(requireMerchant(ctx)),
  }),
);
