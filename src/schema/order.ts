// Orders: the Order and OrderEvent types, their queries, the mutations that
// create and steer them, and the subscriptions that stream their changes.
import { liveStream } from './live-stream.js';
import { filterText } from './filter-text.js';
import { builder, requireMerchant, selection, type Context } from './builder.js';
import { ProviderEnum } from './enums.js';
import type { CreateOrderCommand } from '../services/orders.js';
import { orderStatuses } from '../domain/order-status.js';
import { hasControlCharacters } from '../domain/text.js';
import { orderKinds, type OrderKind, type ProviderId } from '../providers/types.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { OrderChanged } from '../pubsub.js';
import { readableOrder, watchOrderAccess, type OrderWatch } from './order-access.js';
import { ConcurrentUpdateError, NotFoundError, ValidationError, ProviderAuthError, ProviderNotSupportedError, ProviderRefusedError, ProviderUnavailableError, IdempotencyConflictError, IdempotencyKeyReusedError, ProviderNotConfiguredError } from '../errors/index.js';
import { isUuid } from '../domain/ids.js';

export const OrderKindEnum = builder.enumType('OrderKind', {
  values: orderKinds,
  description: 'CASH_IN/CASH_OUT: AZConnectPay. HUB_PAYIN/HUB_PAYOUT: API Ngân hàng Payment Hub. DEPOSIT/WITHDRAWAL/TRANSFER: VNKash. BANK_TRANSFER: verified against your bank statement.',
});
export const OrderStatusEnum = builder.enumType('OrderStatus', {
  values: orderStatuses,
  description: 'PENDING → PROCESSING → SUCCEEDED | FAILED | EXPIRED | CANCELLED. NEEDS_REVIEW: money arrived, but not as expected (see reviewReason); a human settles it.',
});
export const EventCauseEnum = builder.enumType('EventCause', { values: ['API', 'CALLBACK', 'POLL', 'MATCH', 'EXPIRY', 'MANUAL'] as const });

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

const createErrors = [ValidationError, ProviderRefusedError, ProviderUnavailableError, ProviderNotSupportedError, ProviderAuthError, ProviderNotConfiguredError, IdempotencyKeyReusedError, IdempotencyConflictError, ConcurrentUpdateError];

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
      return scope && isUuid(scope.id) ? ctx.prisma.order.findFirst({ ...selection(query), where: scope }) : null;
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

// ---- mutations ----------------------------------------------------------

const PayeeInput = builder.inputType('PayeeInput', {
  fields: (t) => ({
    accountNumber: t.string({ required: true, description: 'Bank account number, card number, or MoMo phone.' }),
    accountName: t.string({ required: true }),
    bankCode: t.string({ required: true, description: "In the provider's vocabulary (VCB, MOMO, ACB, CTG, CARD …)." }),
  }),
});

const commonFields = (t: PothosInputFieldBuilder) => ({
  amount: t.field({ type: 'BigInt', required: true, description: 'Whole đồng.' }),
  idempotencyKey: t.string({ required: true, description: 'Your key for this operation: retrying with it never creates a second order.' }),
  merchantReference: t.string({ required: false, description: 'Your own order number, searchable.' }),
  description: t.string({ required: false }),
});
type PothosInputFieldBuilder = Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0];

const CashInMethod = builder.enumType('CashInMethod', { values: ['BANK', 'MOMO'] as const });
const GatewayEnum = builder.enumType('HubGateway', { values: ['SHARKPAY', 'WOWPAY'] as const });
const VnKashPayment = builder.enumType('VnKashPayment', { values: ['ACB', 'CTG', 'DAB', 'VCB', 'CARD'] as const });

const CreateCashInInput = builder.inputType('CreateCashInInput', {
  fields: (t) => ({
    ...commonFields(t),
    method: t.field({ type: CashInMethod, required: true }),
    expiresInMinutes: t.int({ required: false }),
  }),
});
const CreateCashOutInput = builder.inputType('CreateCashOutInput', {
  fields: (t) => ({ ...commonFields(t), method: t.field({ type: CashInMethod, required: true }), payee: t.field({ type: PayeeInput, required: true }) }),
});
const CreateHubPayinInput = builder.inputType('CreateHubPayinInput', {
  fields: (t) => ({
    ...commonFields(t),
    gateway: t.field({ type: GatewayEnum, required: true }),
    channel: t.string({ required: false, description: 'WowPay: momo, zalo, bankcard, bankcard_qr, bankcard_free.' }),
    payerIp: t.string({ required: false }),
    expiresInMinutes: t.int({ required: false }),
  }),
});
const CreateHubPayoutInput = builder.inputType('CreateHubPayoutInput', {
  fields: (t) => ({ ...commonFields(t), gateway: t.field({ type: GatewayEnum, required: true }), payee: t.field({ type: PayeeInput, required: true }) }),
});
const CreateVnKashDepositInput = builder.inputType('CreateVnKashDepositInput', {
  fields: (t) => ({ ...commonFields(t), payment: t.field({ type: VnKashPayment, required: true }), expiresInMinutes: t.int({ required: false }) }),
});
const CreateVnKashWithdrawalInput = builder.inputType('CreateVnKashWithdrawalInput', {
  fields: (t) => ({ ...commonFields(t), payee: t.field({ type: PayeeInput, required: true }) }),
});
const CreateVnKashTransferInput = builder.inputType('CreateVnKashTransferInput', {
  fields: (t) => ({ ...commonFields(t), account: t.string({ required: true, description: 'Phone number or e-mail of the VNKash user.' }) }),
});

function actorOf(ctx: Context) {
  return ctx.caller.kind === 'merchant' ? `api-key:${ctx.caller.apiKeyId}` : 'anonymous';
}

interface CommonInput {
  amount: bigint;
  idempotencyKey: string;
  merchantReference?: string | null;
  description?: string | null;
}

function checkCommon(input: CommonInput) {
  if (input.amount <= 0n) throw new ValidationError('amount must be a positive whole number of đồng', 'amount');
  if (input.amount > 100_000_000_000n) throw new ValidationError('amount is larger than any provider accepts', 'amount');
  if (!/^[\x21-\x7e]{1,255}$/.test(input.idempotencyKey)) throw new ValidationError('idempotencyKey: 1–255 printable ASCII characters, no spaces', 'idempotencyKey');
  if (input.merchantReference && (input.merchantReference.length > 128 || hasControlCharacters(input.merchantReference))) throw new ValidationError('merchantReference: at most 128 characters, no control characters', 'merchantReference');
  if (input.description && (input.description.length > 255 || hasControlCharacters(input.description))) throw new ValidationError('description: at most 255 characters, no control characters', 'description');
}

function checkPayee(payee: PayeeShape) {
  for (const field of ['accountNumber', 'accountName', 'bankCode'] as const) {
    const value = payee[field].trim();
    if (!value || value.length > 128 || hasControlCharacters(value)) throw new ValidationError(`payee.${field}: 1–128 characters, no control characters`, `payee.${field}`);
  }
  return { accountNumber: payee.accountNumber.trim(), accountName: payee.accountName.trim(), bankCode: payee.bankCode.trim().toUpperCase() };
}

function checkExpiry(minutes: number | null | undefined) {
  if (minutes != null && (minutes < 1 || minutes > 7 * 24 * 60)) throw new ValidationError('expiresInMinutes: 1 to 10080', 'expiresInMinutes');
  return minutes ?? undefined;
}

function defineCreate<Input extends CommonInput>(
  name: string,
  description: string,
  inputType: Parameters<typeof builder.inputType>[0] extends string ? ReturnType<typeof builder.inputType> : never,
  toCommand: (input: Input) => Omit<CreateOrderCommand, 'merchantId' | 'actor' | 'idempotencyKey' | 'amount' | 'merchantReference' | 'description'>,
) {
  builder.mutationField(name, (t) =>
    t.prismaField({
      type: 'Order',
      description,
      authScopes: { merchant: true },
      errors: { types: createErrors },
      args: { input: t.arg({ type: inputType, required: true }) },
      resolve: async (query, _root, args, ctx) => {
        const input = args.input as unknown as Input;
        checkCommon(input);
        const { orderId } = await ctx.services.orders.create({
          merchantId: requireMerchant(ctx),
          actor: actorOf(ctx),
          idempotencyKey: input.idempotencyKey,
          amount: input.amount,
          merchantReference: input.merchantReference ?? undefined,
          description: input.description ?? undefined,
          ...toCommand(input),
        });
        return ctx.prisma.order.findUniqueOrThrow({ ...selection(query), where: { id: orderId } });
      },
    }),
  );
}

defineCreate<typeof CreateCashInInput.$inferInput>('createCashIn', 'Collect money through AZConnectPay (bank transfer or MoMo). The order carries the payment instructions.', CreateCashInInput as never, (input) => ({
  provider: 'AZCONNECTPAY',
  kind: 'CASH_IN',
  method: input.method.toLowerCase(),
  expiresInMinutes: checkExpiry(input.expiresInMinutes),
}));

defineCreate<typeof CreateCashOutInput.$inferInput>('createCashOut', 'Pay money out through AZConnectPay (bank or MoMo; at least 100 000 đồng).', CreateCashOutInput as never, (input) => ({
  provider: 'AZCONNECTPAY',
  kind: 'CASH_OUT',
  method: input.method.toLowerCase(),
  payee: checkPayee(input.payee),
}));

defineCreate<typeof CreateHubPayinInput.$inferInput>('createHubPayin', 'Collect money through the API Ngân hàng Payment Hub (SharkPay or WowPay).', CreateHubPayinInput as never, (input) => ({
  provider: 'APINGANHANG',
  kind: 'HUB_PAYIN',
  gateway: input.gateway === 'SHARKPAY' ? 'sharkpay' : 'wowpay',
  method: input.channel ?? undefined,
  clientIp: input.payerIp ?? undefined,
  expiresInMinutes: checkExpiry(input.expiresInMinutes),
}));

defineCreate<typeof CreateHubPayoutInput.$inferInput>('createHubPayout', 'Pay money out through the API Ngân hàng Payment Hub.', CreateHubPayoutInput as never, (input) => ({
  provider: 'APINGANHANG',
  kind: 'HUB_PAYOUT',
  gateway: input.gateway === 'SHARKPAY' ? 'sharkpay' : 'wowpay',
  payee: checkPayee(input.payee),
}));

defineCreate<typeof CreateVnKashDepositInput.$inferInput>('createVnKashDeposit', 'Collect money into the VNKash wallet by bank transfer.', CreateVnKashDepositInput as never, (input) => ({
  provider: 'VNKASH',
  kind: 'DEPOSIT',
  method: input.payment,
  expiresInMinutes: checkExpiry(input.expiresInMinutes),
}));

defineCreate<typeof CreateVnKashWithdrawalInput.$inferInput>('createVnKashWithdrawal', 'Withdraw from the VNKash wallet to a bank account or card.', CreateVnKashWithdrawalInput as never, (input) => ({
  provider: 'VNKASH',
  kind: 'WITHDRAWAL',
  payee: checkPayee(input.payee),
  method: input.payee.bankCode.toUpperCase(),
}));

defineCreate<typeof CreateVnKashTransferInput.$inferInput>('createVnKashTransfer', 'Send money from the VNKash wallet to another VNKash user.', CreateVnKashTransferInput as never, (input) => {
  const account = input.account.trim();
  if (!account || account.length > 128 || hasControlCharacters(account)) throw new ValidationError('account: a phone number or e-mail', 'account');
  return { provider: 'VNKASH', kind: 'TRANSFER', payee: { accountNumber: account, accountName: account, bankCode: 'VNKASH' } };
});

builder.mutationField('refreshOrder', (t) =>
  t.prismaField({
    type: 'Order',
    description: 'Asks the provider for the status now and applies it.',
    authScopes: { merchant: true },
    errors: { types: [NotFoundError, ProviderRefusedError, ProviderUnavailableError, ProviderNotSupportedError, ConcurrentUpdateError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      if (!isUuid(String(id))) throw new NotFoundError('Order', String(id));
      const orderId = await ctx.services.orders.refresh(requireMerchant(ctx), String(id), actorOf(ctx));
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
      if (!isUuid(String(id))) throw new NotFoundError('Order', String(id));
      const orderId = await ctx.services.orders.cancel(requireMerchant(ctx), String(id), actorOf(ctx));
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
        listen: () => ctx.services.pubsub.subscribe('order:changed', orderId),
        initial: async () => {
          // Checked after listening: a token revoked in between is refused here, or ends the stream below.
          access = await watchOrderAccess(ctx, orderId);
          const owned = access.scope && isUuid(orderId) && (await ctx.prisma.order.findFirst({ where: access.scope, select: { id: true, merchantId: true, status: true } }));
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
          if (filter?.provider?.length && !filter.provider.includes(order.provider as ProviderId)) return false;
          return !(filter?.kind?.length && !filter.kind.includes(order.kind as OrderKind));
        },
      });
    },
    resolve: (query, change, _args, ctx) => ctx.prisma.orderEvent.findUniqueOrThrow({ ...selection(query), where: { id: (change as OrderChanged).eventId } }),
  }),
);
