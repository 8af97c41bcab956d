// The error classes of src/errors as GraphQL types, from one table: each is
// an object type implementing Error, for the result unions of mutations and
// fields (plugin-errors). The classes themselves live in src/errors; a
// mutation lists the ones it can end in. Unexpected errors stay masked.
import { builder } from './builder.js';
import { CardFailureCodeEnum, GatewayEnum, ProviderEnum, ReviewRefusalCodeEnum, RouteEnum } from './enums.js';
import type { RouteId } from '../domain/routing.js';
import {
  BankPackageExpiredError,
  BankProviderNotConfiguredError,
  CardRefusedError,
  ConcurrentUpdateError,
  IdempotencyConflictError,
  IdempotencyKeyReusedError,
  NotFoundError,
  ProviderAuthError,
  ProviderNotConfiguredError,
  ProviderNotSupportedError,
  ProviderRefusedError,
  ProviderUnavailableError,
  ReviewRefusedError,
  ValidationError,
  NoRouteError,
  AllRoutesRefusedError,
  CircuitOpenError,
  HubGatewayTestFailedError,
  BankStatementExportTooLargeError,
  ProviderBadResponseError,
  publicErrorTypes,
  type PublicErrorCode,
} from '../errors/index.js';

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'An expected failure: the operation did nothing.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

/** Set by a use case on the error it throws once its order or card charge exists (not a constructor argument). */
const orderIdOf = (e: Error) => (e as { orderId?: string }).orderId ?? null;
const cardChargeIdOf = (e: Error) => (e as { cardChargeId?: string }).cardChargeId ?? null;

/** The codes registered below; the check at the end keeps the table and src/errors in step. */
const registered = new Set<PublicErrorCode>();
const common = <T extends Error>(code: PublicErrorCode, type: abstract new (...args: never[]) => T) => {
  registered.add(code);
  return { interfaces: [ErrorInterface], isTypeOf: (value: unknown) => value instanceof type };
};

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  ...common('NOT_FOUND', NotFoundError),
  fields: (t) => ({
    entity: t.exposeString('entity'),
    id: t.exposeString('id'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input was refused before anything was done.',
  ...common('VALIDATION', ValidationError),
  fields: (t) => ({
    field: t.exposeString('field', { nullable: true, description: 'The input field at fault, as a dotted path.' }),
  }),
});

builder.objectType(ConcurrentUpdateError, {
  name: 'ConcurrentUpdateError',
  description: 'Another change to the same order or charge won the race (or the database was too busy): nothing was done. Retry shortly; it is safe.',
  ...common('CONCURRENT_UPDATE', ConcurrentUpdateError),
  fields: (t) => ({
    code: t.exposeString('code'),
    retryable: t.exposeBoolean('retryable'),
  }),
});

builder.objectType(ProviderRefusedError, {
  name: 'ProviderRefusedError',
  description: 'The provider answered and refused; nothing moved.',
  ...common('PROVIDER_REFUSED', ProviderRefusedError),
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum, resolve: (e) => e.provider }),
    code: t.exposeString('code', { description: "The provider's own code." }),
    retryable: t.boolean({ resolve: (e) => e.retryable }),
    orderId: t.string({ nullable: true, resolve: orderIdOf }),
  }),
});

builder.objectType(ProviderUnavailableError, {
  name: 'ProviderUnavailableError',
  description:
    'The provider could not be reached or broke. When outcomeUnknown is true the order exists and the request may have reached the provider: it is settled by status queries, never re-sent; watch orderId.',
  ...common('PROVIDER_UNAVAILABLE', ProviderUnavailableError),
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum, resolve: (e) => e.provider }),
    outcomeUnknown: t.exposeBoolean('outcomeUnknown'),
    orderId: t.string({ nullable: true, resolve: orderIdOf }),
    cardChargeId: t.id({
      nullable: true,
      description: 'For a card submission whose outcome is unknown: the PENDING charge, settled by check (watch cardChargeUpdated).',
      resolve: cardChargeIdOf,
    }),
  }),
});

builder.objectType(ProviderNotSupportedError, {
  name: 'ProviderNotSupportedError',
  description: 'The provider has no such operation.',
  ...common('PROVIDER_NOT_SUPPORTED', ProviderNotSupportedError),
  fields: (t) => ({ provider: t.field({ type: ProviderEnum, resolve: (e) => e.provider }) }),
});

builder.objectType(ProviderAuthError, {
  name: 'ProviderAuthError',
  description: 'The provider refused our credentials for this merchant (key, signature, IP allow-list, expired package…). Fix the provider account.',
  ...common('PROVIDER_AUTH', ProviderAuthError),
  fields: (t) => ({ provider: t.field({ type: ProviderEnum, resolve: (e) => e.provider }), code: t.string({ nullable: true, resolve: (e) => e.code ?? null }) }),
});

builder.objectType(ProviderNotConfiguredError, {
  name: 'ProviderNotConfiguredError',
  description: 'This merchant has no (enabled) account with the provider: set one with setProviderAccount.',
  ...common('PROVIDER_NOT_CONFIGURED', ProviderNotConfiguredError),
  // Its API Ngân hàng refinement is a type of its own (below).
  isTypeOf: (e) => e instanceof ProviderNotConfiguredError && !(e instanceof BankProviderNotConfiguredError),
  fields: (t) => ({ provider: t.field({ type: ProviderEnum, resolve: (e) => e.provider }) }),
});

builder.objectType(BankProviderNotConfiguredError, {
  name: 'BankProviderNotConfiguredError',
  description: 'This merchant has no API Ngân hàng account configured.',
  ...common('BANK_PROVIDER_NOT_CONFIGURED', BankProviderNotConfiguredError),
  fields: () => ({}),
});

builder.objectType(BankPackageExpiredError, {
  name: 'BankPackageExpiredError',
  description: 'API Ngân hàng refused the call because your API package has expired (its HTTP 403). Renew it (renewBankPackage), then try again.',
  ...common('BANK_PACKAGE_EXPIRED', BankPackageExpiredError),
  fields: (t) => ({ providerMessage: t.exposeString('providerMessage', { nullable: true, description: "API Ngân hàng's own words." }) }),
});

builder.objectType(IdempotencyKeyReusedError, {
  name: 'IdempotencyKeyReusedError',
  description: 'This idempotency key was used before with a different input. Use a new key for a new operation.',
  ...common('IDEMPOTENCY_KEY_REUSED', IdempotencyKeyReusedError),
  fields: (t) => ({ key: t.exposeString('key') }),
});

builder.objectType(IdempotencyConflictError, {
  name: 'IdempotencyConflictError',
  description: 'A request with this idempotency key is still in progress. Retry later with the same key.',
  ...common('IDEMPOTENCY_CONFLICT', IdempotencyConflictError),
  fields: (t) => ({ key: t.exposeString('key') }),
});

builder.objectType(CardRefusedError, {
  name: 'CardRefusedError',
  description: 'The provider refused the card. The charge exists (FAILED, see cardChargeId); nothing was credited.',
  ...common('CARD_REFUSED', CardRefusedError),
  fields: (t) => ({
    code: t.field({ type: CardFailureCodeEnum, resolve: (e) => e.code }),
    retryable: t.exposeBoolean('retryable', { description: 'True for PROVIDER_MAINTENANCE: the same card can be submitted again later.' }),
    providerStatus: t.exposeInt('providerStatus'),
    providerMessage: t.exposeString('providerMessage', { description: "The provider's own message (the reason of a SUBMISSION_REJECTED)." }),
    // Nullable like ProviderUnavailableError.cardChargeId, so a client can select both in one query (same response shape); always set here.
    cardChargeId: t.exposeID('cardChargeId', { nullable: true }),
  }),
});

builder.objectType(ReviewRefusedError, {
  name: 'ReviewRefusedError',
  description: 'The review decision was refused; nothing changed.',
  ...common('REVIEW_REFUSED', ReviewRefusedError),
  fields: (t) => ({
    code: t.field({ type: ReviewRefusalCodeEnum, resolve: (e) => e.code }),
    status: t.exposeString('status', { nullable: true, description: 'The status of the order or card charge now, when there is one.' }),
  }),
});

const RouteReason = builder.objectRef<{ route: string; reason: string }>('RouteReason').implement({
  fields: (t) => ({ route: t.field({ type: RouteEnum, resolve: (r) => r.route as RouteId }), reason: t.exposeString('reason') }),
});

builder.objectType(NoRouteError, {
  name: 'NoRouteError',
  description: 'No configured provider can carry this payment (method, amount, payee, rules, circuits): nothing was created. `reasons` says why for each route.',
  ...common('NO_ROUTE', NoRouteError),
  fields: (t) => ({ reasons: t.field({ type: [RouteReason], resolve: (e) => e.reasons }) }),
});

builder.objectType(AllRoutesRefusedError, {
  name: 'AllRoutesRefusedError',
  description: 'Every candidate provider refused before any money could move. The order is kept, FAILED, with its attempts; use a new idempotency key to try again.',
  ...common('ALL_ROUTES_REFUSED', AllRoutesRefusedError),
  // Nullable like every other error's orderId, so one selection can ask them all.
  fields: (t) => ({ orderId: t.exposeString('orderId', { nullable: true }) }),
});

builder.objectType(CircuitOpenError, {
  name: 'CircuitOpenError',
  description: 'The provider failed repeatedly and its circuit is open until retryAfter: nothing was sent.',
  ...common('CIRCUIT_OPEN', CircuitOpenError),
  fields: (t) => ({ provider: t.exposeString('provider'), retryAfter: t.string({ resolve: (e) => e.retryAfter.toISOString() }) }),
});

builder.objectType(ProviderBadResponseError, {
  name: 'ProviderUnreadableAnswerError',
  description: 'The provider answered something its document does not allow: the outcome is unknown, so the order (orderId) stays with that provider and its status query settles it.',
  ...common('PROVIDER_BAD_RESPONSE', ProviderBadResponseError),
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum, resolve: (e) => e.provider }),
    orderId: t.string({ nullable: true, resolve: (e) => (e as { orderId?: string }).orderId ?? null }),
  }),
});

builder.objectType(HubGatewayTestFailedError, {
  name: 'HubGatewayTestFailedError',
  description: 'The Payment Hub tried your gateway settings and they did not work. Fix them (saveHubSettings) and test again.',
  ...common('HUB_GATEWAY_TEST_FAILED', HubGatewayTestFailedError),
  fields: (t) => ({
    gateway: t.field({ type: GatewayEnum, resolve: (e) => e.gateway }),
    mode: t.string({ nullable: true, resolve: (e) => e.mode }),
    providerMessage: t.exposeString('providerMessage', { nullable: true, description: "The Hub's own words (Vietnamese)." }),
  }),
});

builder.objectType(BankStatementExportTooLargeError, {
  name: 'BankStatementExportTooLargeError',
  description: "API Ngân hàng's export is larger than paygraph returns at once (limitBytes): narrow the filter.",
  ...common('BANK_STATEMENT_EXPORT_TOO_LARGE', BankStatementExportTooLargeError),
  fields: (t) => ({ bytes: t.exposeInt('bytes'), limitBytes: t.exposeInt('limitBytes') }),
});

// Every public error has its GraphQL type (a provider's unreadable answer reaches a caller only where a use case lists it: createPayment, createPayout).
const unregistered = Object.keys(publicErrorTypes).filter((code) => !registered.has(code as PublicErrorCode));
if (unregistered.length > 0) throw new Error(`public errors without a GraphQL type: ${unregistered.join(', ')}`);
