// The review queue: orders, card charges and bank lines that wait for a
// person, oldest first, and the decisions a person takes on them (resolve,
// tie a line to an order, close a line's review). Each item type is a Prisma
// variant of its model, so the underlying object and its relations load with
// the page (no query per item).
import { queryFromInfo } from '@pothos/plugin-prisma';
import { resolveCursorConnection, type ResolveCursorConnectionArgs } from '@pothos/plugin-relay';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { builder, requireMerchant, selection, type Context } from './builder.js';
import { actorOf } from './actor.js';
import type { ReviewReason } from '../domain/order-status.js';
import { reviewItemKinds, type ReviewItemKind, type ReviewPosition, type ReviewSelections } from '../services/review/queue.js';
import { reviewOutcomes } from '../services/review/decisions.js';
import { NotFoundError, ValidationError, ReviewRefusedError } from '../errors/index.js';

export const ReviewReasonEnum = builder.enumType('ReviewReason', {
  description: 'Why a person must look at an order, a card charge or a bank line.',
  values: {
    UNDERPAID: { description: 'Less money arrived than the order asked for (settledAmount < amount).' },
    OVERPAID: { description: 'More money arrived than the order asked for.' },
    LATE_PAYMENT: { description: 'Money arrived for an order that was already EXPIRED, FAILED or CANCELLED.' },
    UNCONFIRMED_OUTCOME: { description: 'The deadline passed and the provider never confirmed the outcome either way.' },
    PROVIDER_STATUS_UNKNOWN: { description: "The provider's last word is a value its documents do not show (kept raw in rawStatus / providerStatus)." },
    CONTRADICTED: { description: 'A report contradicts a final state: a SUCCEEDED order or charge keeps its status and is flagged.' },
    UNMATCHED_PAYMENT: { description: 'Incoming money that names an order code but could not be tied to one order.' },
    DUPLICATE_PAYMENT: { description: 'A second payment for an order that another payment already settled.' },
  } satisfies Record<ReviewReason, { description: string }>,
});

export const ReviewItemKindEnum = builder.enumType('ReviewItemKind', {
  values: reviewItemKinds,
  description: 'ORDER (OrderReview), CARD_CHARGE (CardChargeReview), BANK_TRANSACTION (TransactionReview: a line of your bank statement).',
});

const ReviewOutcomeEnum = builder.enumType('ReviewOutcome', {
  values: reviewOutcomes,
  description: 'What a person decides: SUCCEEDED (the money is accepted) or FAILED (it is not; nothing is credited).',
});

// ---- the items -----------------------------------------------------------------------

/** The columns every reviewable row has. */
interface ReviewableRow {
  id: string;
  reviewReason: string | null;
  reviewOpenedAt: Date | null;
}

/** Which kind each row of a page is (the three models share the review columns, not a discriminator). */
const kindOfRow = new WeakMap<object, ReviewItemKind>();
const typeNameOfKind: Record<ReviewItemKind, string> = { ORDER: 'OrderReview', CARD_CHARGE: 'CardChargeReview', BANK_TRANSACTION: 'TransactionReview' };

const ReviewItem = builder.interfaceRef<ReviewableRow>('ReviewItem').implement({
  description: 'Something that waits for a person, with the reason and since when. The implementation says what it is and carries the amounts a decision needs.',
  resolveType: (row) => typeNameOfKind[kindOfRow.get(row)!],
  fields: (t) => ({
    id: t.exposeID('id', { description: "The order's, card charge's or bank line's own id." }),
    kind: t.field({ type: ReviewItemKindEnum, resolve: (row) => kindOfRow.get(row)! }),
    reason: t.field({ type: ReviewReasonEnum, resolve: (row) => row.reviewReason as ReviewReason }),
    openedAt: t.field({ type: 'DateTime', description: 'Since when it waits (the queue is oldest first).', resolve: (row) => row.reviewOpenedAt! }),
  }),
});

builder.prismaObject('Order', {
  variant: 'OrderReview',
  interfaces: [ReviewItem],
  description: 'An order that waits for a person: in NEEDS_REVIEW, or SUCCEEDED and flagged. Resolve it with resolveOrder.',
  fields: (t) => ({
    expectedAmount: t.expose('amount', { type: 'BigInt', description: 'What the order asked for.' }),
    settledAmount: t.expose('settledAmount', { type: 'BigInt', nullable: true, description: 'What arrived, when it differs from expectedAmount.' }),
    order: t.variant('Order'),
  }),
});

builder.prismaObject('CardCharge', {
  variant: 'CardChargeReview',
  interfaces: [ReviewItem],
  description: 'A card charge that waits for a person: in NEEDS_REVIEW, or SUCCEEDED and flagged. Resolve it with resolveCardCharge.',
  fields: (t) => ({
    declaredValue: t.expose('declaredValue', { type: 'BigInt', description: 'The face value declared at submission.' }),
    realValue: t.expose('realValue', { type: 'BigInt', nullable: true, description: "The card's real face value, when the provider said." }),
    amountReceived: t.expose('amountReceived', { type: 'BigInt', nullable: true, description: 'What the provider credited, when it said.' }),
    cardCharge: t.variant('CardCharge'),
  }),
});

builder.prismaObject('BankTransaction', {
  variant: 'TransactionReview',
  interfaces: [ReviewItem],
  description: 'Money in on your statement that no order could claim, or a second payment of a settled order. Tie it with matchBankTransaction, or close it with closeBankTransactionReview.',
  fields: (t) => ({
    amount: t.expose('amount', { type: 'BigInt', description: 'The line amount.' }),
    description: t.exposeString('description', { description: 'The transfer description, where the payer wrote (or forgot) the order code.' }),
    transactionTime: t.expose('transactionTime', { type: 'DateTime' }),
    transaction: t.variant('BankTransaction'),
  }),
});

// The review columns on the objects themselves (after a decision, reviewOpenedAt is null and the reason stays).
builder.prismaObjectField('Order', 'reviewOpenedAt', (t) => t.expose('reviewOpenedAt', { type: 'DateTime', nullable: true, description: 'Set while the order waits for a person (see reviewQueue).' }));
builder.prismaObjectFields('CardCharge', (t) => ({
  reviewReason: t.expose('reviewReason', { type: ReviewReasonEnum, nullable: true }),
  reviewOpenedAt: t.expose('reviewOpenedAt', { type: 'DateTime', nullable: true, description: 'Set while the charge waits for a person (see reviewQueue).' }),
}));
builder.prismaObjectFields('BankTransaction', (t) => ({
  reviewReason: t.expose('reviewReason', { type: ReviewReasonEnum, nullable: true }),
  reviewOpenedAt: t.expose('reviewOpenedAt', { type: 'DateTime', nullable: true, description: 'Set while the line waits for a person (see reviewQueue).' }),
  reviewedBy: t.exposeString('reviewedBy', { nullable: true, description: 'Who settled the line by hand: api-key:<id>, cli:<user>.' }),
  reviewedAt: t.expose('reviewedAt', { type: 'DateTime', nullable: true }),
  reviewNote: t.exposeString('reviewNote', { nullable: true, description: 'Why, in their words.' }),
}));

// ---- the queue ---------------------------------------------------------------------

const ReviewFilterInput = builder.inputType('ReviewFilter', {
  fields: (t) => ({
    kind: t.field({ type: [ReviewItemKindEnum], required: false }),
    reason: t.field({ type: [ReviewReasonEnum], required: false }),
  }),
});

const CURSOR_PREFIX = 'review:';

function cursorOf(row: ReviewableRow): string {
  return Buffer.from(`${CURSOR_PREFIX}${row.reviewOpenedAt!.toISOString()}|${row.id}`).toString('base64url');
}

function positionOf(cursor: string | undefined): ReviewPosition | undefined {
  if (cursor === undefined) return undefined;
  const match = /^review:(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\|([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString());
  const openedAt = new Date(match?.[1] ?? NaN);
  if (!match || Number.isNaN(openedAt.getTime())) throw new GraphQLError('not a reviewQueue cursor: pass a cursor this connection returned', { extensions: { code: 'BAD_USER_INPUT' } });
  return { openedAt, id: match[2]! };
}

/** Pothos' planned selection for each item type, so the underlying objects and their relations load with the page. */
function selectionsFor(ctx: Context, info: GraphQLResolveInfo): ReviewSelections {
  const at = (typeName: string) => queryFromInfo({ context: ctx, info, typeName, path: ['edges', 'node'] });
  return { order: at('OrderReview'), cardCharge: at('CardChargeReview'), bankTransaction: at('TransactionReview') };
}

builder.queryField('reviewQueue', (t) =>
  t.connection(
    {
      type: ReviewItem,
      description: 'What waits for a person (orders, card charges, bank lines), oldest first; totalCount is the size of the whole (filtered) queue.',
      authScopes: { merchant: true },
      args: { filter: t.arg({ type: ReviewFilterInput, required: false }) },
      resolve: async (_root, args, ctx, info) => {
        const scope = { merchantId: requireMerchant(ctx) };
        const filter = { kinds: args.filter?.kind, reasons: args.filter?.reason };
        const selections = selectionsFor(ctx, info);
        const connection = await resolveCursorConnection(
          { args, defaultSize: 20, maxSize: 100, toCursor: cursorOf },
          async ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) => {
            const entries = await ctx.services.review.queue.page({ scope, filter, after: positionOf(after), before: positionOf(before), limit, newestFirst: inverted }, selections);
            for (const entry of entries) kindOfRow.set(entry.row, entry.kind);
            return entries.map((entry) => entry.row as ReviewableRow);
          },
        );
        return { ...connection, countAll: () => ctx.services.review.queue.count(scope, filter) };
      },
    },
    {
      fields: (c) => ({
        totalCount: c.int({ resolve: (connection) => (connection as unknown as { countAll: () => Promise<number> }).countAll() }),
      }),
    },
  ),
);

// ---- decisions ---------------------------------------------------------------------

/** Whose decision: the caller's merchant, and its API key as the actor. */
const decider = (ctx: Context) => ({ scope: { merchantId: requireMerchant(ctx) }, actor: actorOf(ctx) });
const reviewErrors = [NotFoundError, ValidationError, ReviewRefusedError];
const noteArg = { required: true, description: 'Why: kept on the event (or the bank line) for the next person. 1–1000 characters.' } as const;

builder.mutationField('resolveOrder', (t) =>
  t.prismaField({
    type: 'Order',
    description:
      'Settles an order in NEEDS_REVIEW as SUCCEEDED (the money is accepted; settledAmount is required when what arrived differs from amount) or FAILED. On a SUCCEEDED order that was flagged, SUCCEEDED closes the flag and changes nothing else; FAILED is refused (SUCCEEDED never changes). An event with cause MANUAL, published to orderUpdated and orderEvents.',
    authScopes: { merchant: true },
    errors: { types: reviewErrors },
    args: {
      id: t.arg.id({ required: true }),
      outcome: t.arg({ type: ReviewOutcomeEnum, required: true }),
      settledAmount: t.arg({ type: 'BigInt', required: false, description: 'What is accepted as settled (whole đồng).' }),
      note: t.arg.string(noteArg),
    },
    resolve: async (query, _root, args, ctx) => {
      const { orderId } = await ctx.services.review.actions.resolveOrder({
        ...decider(ctx),
        orderId: String(args.id),
        outcome: args.outcome,
        settledAmount: args.settledAmount,
        note: args.note,
      });
      return ctx.prisma.order.findUniqueOrThrow({ ...selection(query), where: { id: orderId } });
    },
  }),
);

builder.mutationField('resolveCardCharge', (t) =>
  t.prismaField({
    type: 'CardCharge',
    description:
      'Settles a card charge in NEEDS_REVIEW as SUCCEEDED (amountReceived required; realValue when the card was worth another face value) or FAILED. On a flagged SUCCEEDED charge, SUCCEEDED closes the flag. An event with cause MANUAL, published to cardChargeUpdated.',
    authScopes: { merchant: true },
    errors: { types: reviewErrors },
    args: {
      id: t.arg.id({ required: true }),
      outcome: t.arg({ type: ReviewOutcomeEnum, required: true }),
      realValue: t.arg({ type: 'BigInt', required: false, description: "The card's real face value (default: what the provider said, else the declared value)." }),
      amountReceived: t.arg({ type: 'BigInt', required: false, description: 'What the provider credited (required for SUCCEEDED).' }),
      note: t.arg.string(noteArg),
    },
    resolve: async (query, _root, args, ctx) => {
      const { cardChargeId } = await ctx.services.review.actions.resolveCardCharge({
        ...decider(ctx),
        cardChargeId: String(args.id),
        outcome: args.outcome,
        realValue: args.realValue,
        amountReceived: args.amountReceived,
        note: args.note,
      });
      return ctx.prisma.cardCharge.findUniqueOrThrow({ ...selection(query), where: { id: cardChargeId } });
    },
  }),
);

builder.mutationField('matchBankTransaction', (t) =>
  t.prismaField({
    type: 'BankTransaction',
    description:
      "Ties an incoming line of your statement that no order claimed to one of your bank-transfer orders, and moves the order as the statement matcher would (exact amount: SUCCEEDED; another amount: NEEDS_REVIEW, UNDERPAID/OVERPAID; a closed order: a late payment), with cause MANUAL. The line's review closes with your note.",
    authScopes: { merchant: true },
    errors: { types: reviewErrors },
    args: { transactionId: t.arg.id({ required: true }), orderId: t.arg.id({ required: true }), note: t.arg.string(noteArg) },
    resolve: async (query, _root, args, ctx) => {
      const { transactionId } = await ctx.services.review.actions.matchBankTransaction({
        ...decider(ctx),
        transactionId: String(args.transactionId),
        orderId: String(args.orderId),
        note: args.note,
      });
      return ctx.prisma.bankTransaction.findUniqueOrThrow({ ...selection(query), where: { id: transactionId } });
    },
  }),
);

builder.mutationField('closeBankTransactionReview', (t) =>
  t.prismaField({
    type: 'BankTransaction',
    description: "Takes a line out of the review queue without tying it to an order (not a payment for you, refunded, a top-up settled on its order), with your note as the reason.",
    authScopes: { merchant: true },
    errors: { types: reviewErrors },
    args: { transactionId: t.arg.id({ required: true }), note: t.arg.string(noteArg) },
    resolve: async (query, _root, args, ctx) => {
      const { transactionId } = await ctx.services.review.actions.closeBankTransactionReview({
        ...decider(ctx),
        transactionId: String(args.transactionId),
        note: args.note,
      });
      return ctx.prisma.bankTransaction.findUniqueOrThrow({ ...selection(query), where: { id: transactionId } });
    },
  }),
);
