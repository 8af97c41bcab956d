// Telco card charges: the CardCharge and CardChargeEvent types, submitting a
// card, reading and refreshing charges, and the subscription that streams one
// charge's changes. The card's code and serial are never exposed: only their
// last four characters (maskedCode, maskedSerial).
import { liveStream } from './live-stream.js';
import { filterText } from './filter-text.js';
import { builder, requireMerchant, selection } from './builder.js';
import { EventCauseEnum } from './order.js';
import { CardFailureCodeEnum } from './enums.js';
import { actorOf } from './actor.js';
import { storedFailureOf } from '../services/card-charge-outcome.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { CardChargeChanged } from '../pubsub.js';
import { NotFoundError, ValidationError, ProviderNotSupportedError, ProviderRefusedError, ProviderUnavailableError, IdempotencyConflictError, IdempotencyKeyReusedError, CardRefusedError, ConcurrentUpdateError } from '../errors/index.js';
import { existingId, idOrNull } from './ids.js';
import { parseInput } from '../validation/parse-input.js';
import { submitCardChargeCommand } from '../validation/card-input.js';

const cardChargeStatuses = ['PENDING', 'SUCCEEDED', 'FAILED', 'NEEDS_REVIEW'] as const;

export const CardChargeStatusEnum = builder.enumType('CardChargeStatus', {
  values: cardChargeStatuses,
  description: 'PENDING → SUCCEEDED | FAILED | NEEDS_REVIEW, never back to PENDING. A SUCCEEDED charge may carry valueMismatch (the card was worth another face value). NEEDS_REVIEW: no final word could be had by the deadline; a person decides.',
});

export const CardChargeType = builder.prismaObject('CardCharge', {
  description: 'One telco scratch card submitted for charging.',
  fields: (t) => ({
    id: t.exposeID('id'),
    telco: t.exposeString('telco'),
    declaredValue: t.expose('declaredValue', { type: 'BigInt', description: 'The face value declared at submission (đồng).' }),
    realValue: t.expose('realValue', { type: 'BigInt', nullable: true, description: "The card's real face value, once known; differs from declaredValue when valueMismatch." }),
    amountReceived: t.expose('amountReceived', { type: 'BigInt', nullable: true, description: "What the merchant receives after the provider's discount (and penalty on a mismatch)." }),
    status: t.expose('status', { type: CardChargeStatusEnum }),
    valueMismatch: t.exposeBoolean('valueMismatch', { description: 'Provider status 2: the card was good, but its face value was not the declared one.' }),
    failureCode: t.field({
      type: CardFailureCodeEnum,
      nullable: true,
      description: 'Why a FAILED charge failed.',
      select: { status: true, providerStatus: true, providerMessage: true },
      resolve: (charge) => storedFailureOf(charge)?.code ?? null,
    }),
    retryable: t.boolean({
      description: 'The card can be submitted again later (provider maintenance).',
      select: { status: true, providerStatus: true, providerMessage: true },
      resolve: (charge) => storedFailureOf(charge)?.retryable ?? false,
    }),
    providerStatus: t.exposeInt('providerStatus', { nullable: true, description: "The provider's last status, verbatim (1, 2, 3, 4, 99, 100, or an undocumented one)." }),
    providerMessage: t.exposeString('providerMessage', { nullable: true }),
    requestId: t.exposeString('requestId', { description: 'Our id for this charge at the provider (request_id).' }),
    transId: t.exposeString('transId', { nullable: true, description: "The provider's id (trans_id)." }),
    maskedCode: t.exposeString('maskedCode', { description: 'The card code, last four characters only.' }),
    maskedSerial: t.exposeString('maskedSerial', { description: 'The card serial, last four characters only.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    events: t.relation('events', { description: 'The timeline, oldest first.', query: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } }),
  }),
});

builder.prismaObject('CardChargeEvent', {
  description: 'One change of a card charge, with its cause.',
  fields: (t) => ({
    id: t.exposeID('id'),
    fromStatus: t.expose('fromStatus', { type: CardChargeStatusEnum, nullable: true }),
    toStatus: t.expose('toStatus', { type: CardChargeStatusEnum }),
    cause: t.expose('cause', { type: EventCauseEnum }),
    actor: t.exposeString('actor', { description: 'Who caused it: api-key:<id>, callback:card@<ip>, worker:card-poller.' }),
    providerStatus: t.exposeInt('providerStatus', { nullable: true }),
    payload: t.expose('payload', { type: 'JSON', nullable: true, description: 'The provider payload behind the change (card code, serial and signs masked).' }),
    note: t.exposeString('note', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

// ---- queries ------------------------------------------------------------

const CardChargeFilter = builder.inputType('CardChargeFilter', {
  fields: (t) => ({
    status: t.field({ type: [CardChargeStatusEnum], required: false }),
    telco: t.stringList({ required: false }),
    createdAfter: t.field({ type: 'DateTime', required: false }),
    createdBefore: t.field({ type: 'DateTime', required: false }),
  }),
});

export function cardChargeWhere(merchantId: string, filter: typeof CardChargeFilter.$inferInput | null | undefined): Prisma.CardChargeWhereInput {
  const where: Prisma.CardChargeWhereInput = { merchantId };
  if (!filter) return where;
  if (filter.status?.length) where.status = { in: filter.status };
  if (filter.telco?.length) where.telco = { in: filter.telco.map((telco) => filterText(telco, 'telco').trim().toUpperCase()) };
  if (filter.createdAfter || filter.createdBefore) where.createdAt = { gte: filter.createdAfter ?? undefined, lt: filter.createdBefore ?? undefined };
  return where;
}

builder.queryField('cardCharge', (t) =>
  t.prismaField({
    type: 'CardCharge',
    nullable: true,
    description: 'One of your card charges (null when there is none with this id).',
    authScopes: { merchant: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) =>
      idOrNull(id) ? ctx.prisma.cardCharge.findFirst({ ...selection(query), where: { id: String(id), merchantId: requireMerchant(ctx) } }) : null,
  }),
);

builder.queryField('cardCharges', (t) =>
  t.prismaConnection({
    type: 'CardCharge',
    cursor: 'id',
    description: 'Your card charges, newest first.',
    authScopes: { merchant: true },
    defaultSize: 20,
    maxSize: 100,
    args: { filter: t.arg({ type: CardChargeFilter, required: false }) },
    resolve: (query, _root, { filter }, ctx) =>
      ctx.prisma.cardCharge.findMany({ ...query, where: cardChargeWhere(requireMerchant(ctx), filter), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
  }),
);

// ---- mutations ----------------------------------------------------------

const SubmitCardChargeInput = builder.inputType('SubmitCardChargeInput', {
  fields: (t) => ({
    telco: t.string({ required: true, description: 'VIETTEL, MOBIFONE, VINAPHONE, VIETNAMOBILE, ZING, GATE (as configured for your account).' }),
    code: t.string({ required: true, description: 'The scratched code. Stored sealed, never shown again in full.' }),
    serial: t.string({ required: true }),
    declaredValue: t.field({ type: 'BigInt', required: true, description: "The card's face value as your customer declared it (đồng)." }),
    idempotencyKey: t.string({ required: true, description: 'Your key for this submission: retrying with it never submits the card twice.' }),
  }),
});

builder.mutationField('submitCardCharge', (t) =>
  t.prismaField({
    type: 'CardCharge',
    description:
      'Submits a telco scratch card. Answers the charge (SUCCEEDED, or PENDING until the provider settles it: watch cardChargeUpdated) or a typed error; a refused card is a CardRefusedError.',
    authScopes: { merchant: true },
    errors: { types: [ValidationError, CardRefusedError, ProviderUnavailableError, IdempotencyKeyReusedError, IdempotencyConflictError, ConcurrentUpdateError] },
    args: { input: t.arg({ type: SubmitCardChargeInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const input = parseInput(submitCardChargeCommand, args.input);
      const { cardChargeId } = await ctx.services.cardCharges.submit({
        merchantId: requireMerchant(ctx),
        actor: actorOf(ctx),
        idempotencyKey: input.idempotencyKey,
        telco: input.telco,
        code: input.code,
        serial: input.serial,
        declaredValue: input.declaredValue,
      });
      return ctx.prisma.cardCharge.findUniqueOrThrow({ ...selection(query), where: { id: cardChargeId } });
    },
  }),
);

builder.mutationField('refreshCardCharge', (t) =>
  t.prismaField({
    type: 'CardCharge',
    description: 'Asks the provider for the charge now (command=check) and applies the answer.',
    authScopes: { merchant: true },
    errors: { types: [NotFoundError, ProviderRefusedError, ProviderUnavailableError, ProviderNotSupportedError, ConcurrentUpdateError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      const cardChargeId = await ctx.services.cardCharges.refresh(requireMerchant(ctx), existingId('CardCharge', id), actorOf(ctx));
      return ctx.prisma.cardCharge.findUniqueOrThrow({ ...selection(query), where: { id: cardChargeId } });
    },
  }),
);

// ---- subscriptions ------------------------------------------------------

builder.subscriptionField('cardChargeUpdated', (t) =>
  t.prismaField({
    type: 'CardCharge',
    description: "One card charge's changes. The first message is its current state, so a late subscriber misses nothing.",
    authScopes: { merchant: true },
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_root, { id }, ctx) => {
      const merchantId = requireMerchant(ctx);
      const cardChargeId = String(id);
      return liveStream<CardChargeChanged>({
        listen: () => ctx.services.pubsub.subscribe('cardCharge:changed', cardChargeId),
        initial: async () => {
          const owned = idOrNull(cardChargeId) && (await ctx.prisma.cardCharge.findFirst({ where: { id: cardChargeId, merchantId }, select: { id: true, status: true } }));
          if (!owned) throw new NotFoundError('CardCharge', cardChargeId);
          return [{ cardChargeId, merchantId, eventId: '', status: owned.status, at: new Date().toISOString() }];
        },
      });
    },
    resolve: (query, change, _args, ctx) =>
      ctx.prisma.cardCharge.findFirstOrThrow({ ...selection(query), where: { id: (change as CardChargeChanged).cardChargeId, merchantId: requireMerchant(ctx) } }),
  }),
);
