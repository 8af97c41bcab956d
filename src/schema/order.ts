// Orders: the Order and OrderEvent types, their queries, the mutations that
// steer them (creating one: order-create.ts), and the subscriptions that
// stream their changes.
import { liveStream } from './live-stream.js';
import { filterText } from './filter-text.js';
import { builder, requireMerchant, selection } from './builder.js';
import { ProviderEnum } from './enums.js';
import { orderStatuses } from '../domain/order-status.js';
import { orderKinds } from '../domain/order-kind.js';
import { decisionCauses } from '../domain/decision-policy.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { OrderChanged } from '../pubsub.js';
import { readableOrder, watchOrderAccess, type OrderWatch } from './order-access.js';
import { actorOf } from './actor.js';
import { ConcurrentUpdateError, NotFoundError, ValidationError, ProviderNotSupportedError, ProviderRefusedError, ProviderUnavailableError } from '../errors/index.js';
import { existingId, idOrNull } from './ids.js';

export const OrderKindEnum = builder.enumType('OrderKind', {
  values: orderKinds,
  description: 'CASH_IN/CASH_OUT: AZConnectPay. HUB_PAYIN/HUB_PAYOUT: API Ngân hàng Payment Hub. DEPOSIT/WITHDRAWAL/TRANSFER: VNKash. BANK_TRANSFER: verified against your bank statement.',
});
export const OrderStatusEnum = builder.enumType('OrderStatus', {
  values: orderStatuses,
  description: 'PENDING → PROCESSING → SUCCEEDED | FAILED | EXPIRED | CANCELLED. NEEDS_REVIEW: money arrived, but not as expected (see reviewReason); a human settles it.',
});
export const EventCauseEnum = builder.enumType('EventCause', { values: decisionCauses });

interface InstructionsShape {
  bankCode?: string;
  bankName?: string;
  accountNumber?: string;
  accountName?: string;
  amount?: string;
  transferContent?: string;
  qrData?: string;
  qrImage?: string;
  deepLink?: string;
  phone?: string;
  payUrl?: string;
  expiresAt?: string;
}

const PaymentInstructions = builder.objectRef<InstructionsShape>('PaymentInstructions').implement({
  description: 'What a checkout shows the payer. Each provider fills what it has.',
  fields: (t) => ({
    bankCode: t.exposeString('bankCode', { nullable: true }),
    bankName: t.exposeString('bankName', { nullable: true }),
    accountNumber: t.exposeString('accountNumber', { nullable: true }),
    accountName: t.exposeString('accountName', { nullable: true }),
    amount: t.field({ type: 'BigInt', nullable: true, resolve: (i) => (i.amount === undefined ? null : BigInt(i.amount)) }),
    transferContent: t.exposeString('transferContent', { nullable: true, description: 'The exact text the payer must put in the transfer description.' }),
    qrData: t.exposeString('qrData', { nullable: true, description: 'QR payload (VietQR/EMVCo or MoMo) to render.' }),
    qrImage: t.exposeString('qrImage', { nullable: true, description: "The provider's QR image (data: or https URL)." }),
    deepLink: t.exposeString('deepLink', { nullable: true, description: 'Opens the MoMo app on a phone.' }),
    phone: t.exposeString('phone', { nullable: true }),
    payUrl: t.exposeString('payUrl', { nullable: true }),
    expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => (i.expiresAt ? new Date(i.expiresAt) : null) }),
  }),
});

interface PayeeShape {
  accountNumber: string;
  accountName: string;
  bankCode: string;
}
const PayeeType = builder.objectRef<PayeeShape>('Payee').implement({
  fields: (t) => ({
    accountNumber: t.exposeString('accountNumber'),
    accountName: t.exposeString('accountName'),
    bankCode: t.exposeString('bankCode'),
  }),
});

export const OrderType = builder.prismaObject('Order', {
  description: 'One movement of money through one provider.',
  fields: (t) => ({
    id: t.exposeID('id'),
    provider: t.expose('provider', { type: ProviderEnum }),
    kind: t.expose('kind', { type: OrderKindEnum }),
    direction: t.string({ description: 'IN (money to the merchant) or OUT.', select: { kind: true }, resolve: (o) => (['CASH_OUT', 'HUB_PAYOUT', 'WITHDRAWAL', 'TRANSFER'].includes(o.kind) ? 'OUT' : 'IN') }),
    method: t.exposeString('method', { nullable: true }),
    gateway: t.exposeString('gateway', { nullable: true }),
    amount: t.expose('amount', { type: 'BigInt' }),
    fee: t.expose('fee', { type: 'BigInt', nullable: true }),
    settledAmount: t.expose('settledAmount', { type: 'BigInt', nullable: true, description: 'What the provider says moved, when it differs from amount.' }),
    currency: t.exposeString('currency'),
    merchantReference: t.exposeString('merchantReference', { nullable: true }),
    requestId: t.exposeString('requestId', { description: 'Our id for this order at the provider.' }),
    providerReference: t.exposeString('providerReference', { nullable: true }),
    status: t.expose('status', { type: OrderStatusEnum }),
    rawStatus: t.exposeString('rawStatus', { nullable: true, description: "The provider's last status, verbatim." }),
    reviewReason: t.exposeString('reviewReason', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    instructions: t.field({ type: PaymentInstructions, nullable: true, select: { instructions: true }, resolve: (o) => (o.instructions as InstructionsShape | null) ?? null }),
    payee: t.field({ type: PayeeType, nullable: true, select: { payee: true }, resolve: (o) => (o.payee as PayeeShape | null) ?? null }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    events: t.relation('events', { description: 'The timeline, oldest first.', query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } }),
  }),
});

export const OrderEventType = builder.prismaObject('OrderEvent', {
  description: 'One change of an order, with its cause.',
  fields: (t) => ({
    id: t.exposeID('id'),
    fromStatus: t.expose('fromStatus', { type: OrderStatusEnum, nullable: true }),
    toStatus: t.expose('toStatus', { type: OrderStatusEnum }),
    cause: t.expose('cause', { type: EventCauseEnum }),
    actor: t.exposeString('actor', { description: 'Who caused it: api-key:<id>, callback:<route>@<ip>, worker:<name>.' }),
    rawStatus: t.exposeString('rawStatus', { nullable: true }),
    payload: t.expose('payload', { type: 'JSON', nullable: true, description: 'The provider payload behind the change (secrets removed).' }),
    note: t.exposeString('note', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    order: t.relation('order'),
  }),
});

// ---- queries ------------------------------------------------------------

const OrderFilter = builder.inputType('OrderFilter', {
  fields: (t) => ({
    status: t.field({ type: [OrderStatusEnum], required: false }),
    provider: t.field({ type: [ProviderEnum], required: false }),
    kind: t.field({ type: [OrderKindEnum], required: false }),
    createdAfter: t.field({ type: 'DateTime', required: false }),
    createdBefore: t.field({ type: 'DateTime', required: false }),
    updatedAfter: t.field({ type: 'DateTime', required: false, description: 'Orders changed after this time (what changed since your backend last looked; the event feed gives the exact changes).' }),
    reference: t.string({ required: false, description: 'Matches your merchantReference (contains, any case), our requestId or the provider reference (exact).' }),
  }),
});

type OrderFilterShape = typeof OrderFilter.$inferInput;

export function orderWhere(merchantId: string, filter: OrderFilterShape | null | undefined): Prisma.OrderWhereInput {
  const where: Prisma.OrderWhereInput = { merchantId };
  if (!filter) return where;
  if (filter.status?.length) where.status = { in: filter.status };
  if (filter.provider?.length) where.provider = { in: filter.provider };
  if (filter.kind?.length) where.kind = { in: filter.kind };
  if (filter.createdAfter || filter.createdBefore) where.createdAt = { gte: filter.createdAfter ?? undefined, lt: filter.createdBefore ?? undefined };
  if (filter.updatedAfter) where.updatedAt = { gt: filter.updatedAfter };
  if (filter.reference) {
    const reference = filterText(filter.reference, 'reference');
    where.OR = [
      { merchantReference: { contains: reference, mode: 'insensitive' } },
      { requestId: reference },
      { providerReference: reference },
    ];
  }
  return where;
}

builder.queryField('order', (t) =>
  t.prismaField({
    type: 'Order',
    nullable: true,
    description: 'One of your orders (null when there is none with this id). A client token reads its own order only.',
    authScopes: { orderReader: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      const scope = await readableOrder(ctx, String(id));
      return scope && idOrNull(scope.id) ? ctx.prisma.order.findFirst({ ...selection(query), where: scope }) : null;
    },
  }),
);

builder.queryField('orders', (t) =>
  t.prismaConnection({
    type: 'Order',
    cursor: 'id',
    description: 'Your orders, newest first.',
    authScopes: { merchant: true },
    defaultSize: 20,
    maxSize: 100,
    args: { filter: t.arg({ type: OrderFilter, required: false }) },
    resolve: (query, _root, { filter }, ctx) =>
      ctx.prisma.order.findMany({ ...query, where: orderWhere(requireMerchant(ctx), filter), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
  }),
);

// ---- mutations (creating an order: order-create.ts) ---------------------

builder.mutationField('refreshOrder', (t) =>
  t.prismaField({
    type: 'Order',
    description: 'Asks the provider for the status now and applies it.',
    authScopes: { merchant: true },
    errors: { types: [NotFoundError, ProviderRefusedError, ProviderUnavailableError, ProviderNotSupportedError, ConcurrentUpdateError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      const orderId = await ctx.services.orders.refresh(requireMerchant(ctx), existingId('Order', id), actorOf(ctx));
      return ctx.prisma.order.findUniqueOrThrow({ ...selection(query), where: { id: orderId } });
    },
  }),
);

builder.mutationField('cancelOrder', (t) =>
  t.prismaField({
    type: 'Order',
    description: 'Cancels an order where that is possible: a bank-transfer order not yet paid; provider orders where the provider has a cancel (none of the current ones documents one: ProviderNotSupportedError).',
    authScopes: { merchant: true },
    errors: { types: [NotFoundError, ValidationError, ProviderRefusedError, ProviderUnavailableError, ProviderNotSupportedError, ConcurrentUpdateError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      const orderId = await ctx.services.orders.cancel(requireMerchant(ctx), existingId('Order', id), actorOf(ctx));
      return ctx.prisma.order.findUniqueOrThrow({ ...selection(query), where: { id: orderId } });
    },
  }),
);

// ---- subscriptions ------------------------------------------------------

builder.subscriptionField('orderUpdated', (t) =>
  t.prismaField({
    type: 'Order',
    description: "One order's changes. The first message is its current state, so a late subscriber misses nothing. A client token follows its own order only, and the subscription ends when the token is revoked or expires.",
    authScopes: { orderReader: true },
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_root, { id }, ctx) => {
      const orderId = String(id);
      let access: OrderWatch | undefined;
      return liveStream<OrderChanged>({
        // One bus listener per order, shared by its subscribers (FanOut).
        listen: () => ctx.services.orderChanges.subscribe(orderId),
        initial: async () => {
          // Checked after listening: a token revoked in between is refused here, or ends the stream below.
          access = await watchOrderAccess(ctx, orderId);
          const owned = access.scope && idOrNull(orderId) && (await ctx.prisma.order.findFirst({ where: access.scope, select: { id: true, merchantId: true, status: true } }));
          if (!owned) throw new NotFoundError('Order', orderId);
          return [{ orderId, merchantId: owned.merchantId, eventId: '', status: owned.status, at: new Date().toISOString() }];
        },
        keep: async () => ((await access!.stillAllowed()) ? true : 'end'),
        // A revoked or expired client token ends the subscription at once, not at the next change.
        endWhen: () => access!.ended,
        onEnd: () => access?.close(),
      });
    },
    resolve: (query, change, _args, ctx) => ctx.prisma.order.findUniqueOrThrow({ ...selection(query), where: { id: (change as OrderChanged).orderId } }),
  }),
);

const OrderEventFilter = builder.inputType('OrderEventFilter', {
  fields: (t) => ({
    status: t.field({ type: [OrderStatusEnum], required: false, description: 'Only changes into these statuses.' }),
    provider: t.field({ type: [ProviderEnum], required: false }),
    kind: t.field({ type: [OrderKindEnum], required: false }),
  }),
});

builder.subscriptionField('orderEvents', (t) =>
  t.prismaField({
    type: 'OrderEvent',
    description:
      "Every change of your orders, as it happens (your backend's live feed). With `after` (an OrderEvent's cursor, or any cursor of the event feed), it first replays every order event after that point, then goes on live, each event once and in feed order: a backend resumes without a gap.",
    authScopes: { merchant: true },
    args: {
      filter: t.arg({ type: OrderEventFilter, required: false }),
      after: t.arg.string({ required: false, description: 'Resume after this cursor (OrderEvent.cursor or Event.cursor).' }),
    },
    subscribe: (_root, { filter, after }, ctx) => {
      const merchantId = requireMerchant(ctx);
      const source = after == null ? ctx.services.pubsub.subscribe('merchant:orders', merchantId) : ctx.services.webhooks.feed.followOrderEvents(merchantId, after);
      const statuses = filter?.status?.length ? new Set<string>(filter.status) : null;
      const needsOrder = Boolean(filter?.provider?.length || filter?.kind?.length);
      return liveStream<OrderChanged>({
        listen: () => source,
        keep: async (change) => {
          if (statuses && !statuses.has(change.status)) return false;
          if (!needsOrder) return true;
          const order = await ctx.prisma.order.findUnique({ where: { id: change.orderId }, select: { provider: true, kind: true } });
          if (!order) return false;
          if (filter?.provider?.length && !filter.provider.includes(order.provider)) return false;
          return !(filter?.kind?.length && !filter.kind.includes(order.kind));
        },
      });
    },
    resolve: (query, change, _args, ctx) => ctx.prisma.orderEvent.findUniqueOrThrow({ ...selection(query), where: { id: (change as OrderChanged).eventId } }),
  }),
);
