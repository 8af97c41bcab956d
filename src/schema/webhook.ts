// Webhook endpoints, their deliveries and the delivery log, and the mutations
// that manage them (src/webhooks/endpoints.ts does the work).
import { builder, requireMerchant, selection } from './builder.js';
import { eventTypeEnumName, isWebhookEventType, webhookEventTypes, type WebhookEventType } from '../domain/event-feed.js';
import { eventDocument } from '../webhooks/documents.js';
import { DEFAULT_ROTATION_GRACE_HOURS, MAX_ROTATION_GRACE_HOURS } from '../webhooks/endpoints.js';
import { idOrNull } from './ids.js';
import { NotFoundError, ValidationError } from '../errors/index.js';

const eventTypeDescriptions: Record<WebhookEventType, string> = {
  'order.created': 'An order was created.',
  'order.updated': 'Any change of an order after its creation: every status change, and events recorded without one (a contradicting report, a review flag).',
  'order.succeeded': 'An order became SUCCEEDED (sent with order.updated).',
  'order.failed': 'An order became FAILED (sent with order.updated).',
  'order.expired': 'An order became EXPIRED (sent with order.updated).',
  'order.needs_review': 'An order became NEEDS_REVIEW: a person must decide (sent with order.updated and review.opened).',
  'card_charge.updated': 'A card charge was submitted or changed.',
  'bank_transaction.received': 'A new bank statement line was imported.',
  'bank_transaction.matched': 'A bank statement line was tied to an order (by its transfer code, or by hand).',
  'review.opened': 'An order, card charge or bank line now needs a person (with the reason).',
  'review.resolved': 'A review was closed.',
};

export const WebhookEventTypeEnum = builder.enumType('WebhookEventType', {
  description: 'The events of the feed and of webhooks. The wire name (the document\'s "type") is the lower-case dotted form: ORDER_NEEDS_REVIEW is "order.needs_review".',
  values: Object.fromEntries(webhookEventTypes.map((type) => [eventTypeEnumName(type), { value: type, description: `"${type}": ${eventTypeDescriptions[type]}` }])) as Record<string, { value: WebhookEventType }>,
});

const DeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  values: {
    PENDING: { description: 'Waiting for its next attempt (or for its endpoint to be enabled again).' },
    DELIVERED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'Every attempt failed for the whole retry period; redeliverWebhook sends it again.' },
  } as const,
});

builder.prismaObject('WebhookEndpoint', {
  description: 'A URL of your backend that receives signed webhooks (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature).',
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.exposeString('url'),
    description: t.exposeString('description', { nullable: true }),
    eventTypes: t.field({ type: [WebhookEventTypeEnum], select: { eventTypes: true }, resolve: (endpoint) => endpoint.eventTypes.filter(isWebhookEventType) }),
    enabled: t.exposeBoolean('enabled'),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
    disabledReason: t.exposeString('disabledReason', { nullable: true, description: 'Why it is disabled: by you, or because every delivery kept failing (WEBHOOK_DISABLE_AFTER_HOURS) — with the last failure.' }),
    failingSince: t.expose('failingSince', { type: 'DateTime', nullable: true, description: 'The first failed attempt since the last success (null while healthy).' }),
    lastFailure: t.exposeString('lastFailure', { nullable: true }),
    secretHint: t.string({ select: { secretHint: true }, description: 'The last characters of the signing secret (the secret itself is shown once).', resolve: (endpoint) => `…${endpoint.secretHint}` }),
    previousSecretExpiresAt: t.expose('previousSecretExpiresAt', { type: 'DateTime', nullable: true, description: 'After a rotation, until when the previous secret signs too.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deliveries: t.relatedConnection('deliveries', {
      cursor: 'id',
      description: 'The delivery log, newest first.',
      args: { status: t.arg({ type: DeliveryStatusEnum, required: false }) },
      query: (args) => ({ where: args.status ? { status: args.status } : {}, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    }),
  }),
});

builder.prismaObject('WebhookDelivery', {
  description: 'One event to one endpoint: retried with exponential backoff until delivered or given up, with the same webhook-id on every attempt.',
  fields: (t) => ({
    id: t.exposeID('id'),
    eventId: t.exposeString('eventId', { description: 'The webhook-id header, and the event id in the feed.' }),
    eventType: t.exposeString('eventType'),
    status: t.expose('status', { type: DeliveryStatusEnum }),
    attemptCount: t.exposeInt('attemptCount'),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true }),
    lastResponseStatus: t.exposeInt('lastResponseStatus', { nullable: true }),
    lastError: t.exposeString('lastError', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    payload: t.field({
      type: 'JSON',
      description: 'The event document sent (the body of each attempt).',
      select: { testDocument: true, feedEvent: { select: { id: true, type: true, occurredAt: true, data: true } } },
      resolve: (delivery) => (delivery.feedEvent ? eventDocument(delivery.feedEvent) : delivery.testDocument),
    }),
    attempts: t.relation('attempts', { description: 'Every attempt, first first.', query: { orderBy: { number: 'asc' } } }),
    endpoint: t.relation('endpoint'),
  }),
});

builder.prismaObject('WebhookAttempt', {
  description: 'One HTTP request of a delivery.',
  fields: (t) => ({
    number: t.exposeInt('number'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    durationMs: t.exposeInt('durationMs'),
    responseStatus: t.exposeInt('responseStatus', { nullable: true, description: 'Null when no HTTP answer came (see error).' }),
    responseBody: t.exposeString('responseBody', { nullable: true, description: 'The first 1 KiB of the answer.' }),
    error: t.exposeString('error', { nullable: true, description: 'Refused address, timeout, connection error.' }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true, description: 'When the next attempt was scheduled (null: delivered or given up).' }),
  }),
});

const WebhookEndpointWithSecret = builder.objectRef<{ endpointId: string; secret: string }>('WebhookEndpointWithSecret').implement({
  fields: (t) => ({
    secret: t.exposeString('secret', { description: 'The whsec_… signing secret. Shown this once: store it now.' }),
    endpoint: t.prismaField({ type: 'WebhookEndpoint', resolve: (query, parent, _args, ctx) => ctx.prisma.webhookEndpoint.findUniqueOrThrow({ ...selection(query), where: { id: parent.endpointId } }) }),
  }),
});

const DeletedWebhookEndpoint = builder.objectRef<{ id: string }>('DeletedWebhookEndpoint').implement({ fields: (t) => ({ id: t.exposeID('id') }) });

// ---- queries -----------------------------------------------------------------

builder.queryField('webhookEndpoints', (t) =>
  t.prismaField({
    type: ['WebhookEndpoint'],
    description: 'Your webhook endpoints, oldest first.',
    authScopes: { merchant: true },
    resolve: (query, _root, _args, ctx) => ctx.prisma.webhookEndpoint.findMany({ ...query, where: { merchantId: requireMerchant(ctx) }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
  }),
);

builder.queryField('webhookEndpoint', (t) =>
  t.prismaField({
    type: 'WebhookEndpoint',
    nullable: true,
    authScopes: { merchant: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) =>
      idOrNull(id) ? ctx.prisma.webhookEndpoint.findFirst({ ...selection(query), where: { id: String(id), merchantId: requireMerchant(ctx) } }) : null,
  }),
);

builder.queryField('webhookDelivery', (t) =>
  t.prismaField({
    type: 'WebhookDelivery',
    nullable: true,
    authScopes: { merchant: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) =>
      idOrNull(id) ? ctx.prisma.webhookDelivery.findFirst({ ...selection(query), where: { id: String(id), merchantId: requireMerchant(ctx) } }) : null,
  }),
);

// ---- mutations ---------------------------------------------------------------

const CreateWebhookEndpointInput = builder.inputType('CreateWebhookEndpointInput', {
  fields: (t) => ({
    url: t.string({ required: true, description: 'https:// and a public address (http:// only to loopback, in development and the sandbox).' }),
    eventTypes: t.field({ type: [WebhookEventTypeEnum], required: true }),
    description: t.string({ required: false }),
  }),
});

const UpdateWebhookEndpointInput = builder.inputType('UpdateWebhookEndpointInput', {
  fields: (t) => ({
    url: t.string({ required: false }),
    eventTypes: t.field({ type: [WebhookEventTypeEnum], required: false }),
    description: t.string({ required: false }),
    enabled: t.boolean({ required: false, description: 'true enables a disabled endpoint again: deliveries held meanwhile go out.' }),
  }),
});

builder.mutationField('createWebhookEndpoint', (t) =>
  t.field({
    type: WebhookEndpointWithSecret,
    description: 'Adds a webhook endpoint. Its signing secret is in the answer, this once.',
    authScopes: { merchant: true },
    errors: { types: [ValidationError] },
    args: { input: t.arg({ type: CreateWebhookEndpointInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { endpoint, secret } = await ctx.services.webhooks.endpoints.create(requireMerchant(ctx), { url: input.url, eventTypes: input.eventTypes, description: input.description });
      return { endpointId: endpoint.id, secret };
    },
  }),
);

builder.mutationField('updateWebhookEndpoint', (t) =>
  t.prismaField({
    type: 'WebhookEndpoint',
    authScopes: { merchant: true },
    errors: { types: [NotFoundError, ValidationError] },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateWebhookEndpointInput, required: true }) },
    resolve: async (query, _root, { id, input }, ctx) => {
      const endpoint = await ctx.services.webhooks.endpoints.update(requireMerchant(ctx), String(id), input);
      return ctx.prisma.webhookEndpoint.findUniqueOrThrow({ ...selection(query), where: { id: endpoint.id } });
    },
  }),
);

builder.mutationField('disableWebhookEndpoint', (t) =>
  t.prismaField({
    type: 'WebhookEndpoint',
    description: 'Stops deliveries to the endpoint (pending ones wait until it is enabled again).',
    authScopes: { merchant: true },
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      const endpoint = await ctx.services.webhooks.endpoints.disable(requireMerchant(ctx), String(id));
      return ctx.prisma.webhookEndpoint.findUniqueOrThrow({ ...selection(query), where: { id: endpoint.id } });
    },
  }),
);

builder.mutationField('deleteWebhookEndpoint', (t) =>
  t.field({
    type: DeletedWebhookEndpoint,
    description: 'Deletes the endpoint and its delivery log (the event feed keeps every event).',
    authScopes: { merchant: true },
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => ({ id: await ctx.services.webhooks.endpoints.delete(requireMerchant(ctx), String(id)) }),
  }),
);

builder.mutationField('rotateWebhookSecret', (t) =>
  t.field({
    type: WebhookEndpointWithSecret,
    description: 'A new signing secret, shown once. During the grace period every webhook carries two signatures (new and old), so your backend can switch without losing one.',
    authScopes: { merchant: true },
    errors: { types: [NotFoundError, ValidationError] },
    args: {
      id: t.arg.id({ required: true }),
      gracePeriodHours: t.arg.int({ required: false, description: `How long the old secret keeps signing: 0 to ${MAX_ROTATION_GRACE_HOURS} hours (default ${DEFAULT_ROTATION_GRACE_HOURS}).` }),
    },
    resolve: async (_root, { id, gracePeriodHours }, ctx) => {
      const { endpoint, secret } = await ctx.services.webhooks.endpoints.rotateSecret(requireMerchant(ctx), String(id), gracePeriodHours ?? undefined);
      return { endpointId: endpoint.id, secret };
    },
  }),
);

builder.mutationField('sendTestWebhook', (t) =>
  t.prismaField({
    type: 'WebhookDelivery',
    description: 'Sends a "webhook.test" event to the endpoint now (logged and retried like any delivery; not part of the feed).',
    authScopes: { merchant: true },
    errors: { types: [NotFoundError, ValidationError] },
    args: { endpointId: t.arg.id({ required: true }) },
    resolve: async (query, _root, { endpointId }, ctx) => {
      const delivery = await ctx.services.webhooks.endpoints.sendTest(requireMerchant(ctx), String(endpointId));
      return ctx.prisma.webhookDelivery.findUniqueOrThrow({ ...selection(query), where: { id: delivery.id } });
    },
  }),
);

builder.mutationField('redeliverWebhook', (t) =>
  t.prismaField({
    type: 'WebhookDelivery',
    description: 'Sends a delivery again now, with the same webhook-id.',
    authScopes: { merchant: true },
    errors: { types: [NotFoundError, ValidationError] },
    args: { deliveryId: t.arg.id({ required: true }) },
    resolve: async (query, _root, { deliveryId }, ctx) => {
      const delivery = await ctx.services.webhooks.endpoints.redeliver(requireMerchant(ctx), String(deliveryId));
      return ctx.prisma.webhookDelivery.findUniqueOrThrow({ ...selection(query), where: { id: delivery.id } });
    },
  }),
);
