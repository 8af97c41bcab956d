// Every failure a client can act on, in one place. Plain classes outside
// GraphQL: services, connectors and the CLI throw them; schema/errors.ts only
// registers them as GraphQL types; replay.ts stores and revives them for
// idempotency keys. Anything else thrown is unexpected, masked and logged.
import { ConcurrentUpdateError } from './concurrency.js';
import { CardRefusedError } from './card.js';
import { IdempotencyConflictError, IdempotencyKeyReusedError } from './idempotency.js';
import {
  BankPackageExpiredError,
  BankProviderNotConfiguredError,
  ProviderAuthError,
  ProviderBadResponseError,
  ProviderNotConfiguredError,
  ProviderNotSupportedError,
  ProviderRefusedError,
  ProviderUnavailableError,
} from './provider.js';
import { NotFoundError, ValidationError } from './request.js';
import { ReviewRefusedError } from './review.js';
import { AllRoutesRefusedError, CircuitOpenError, NoRouteError } from './payments.js';
import { BankStatementExportTooLargeError, HubGatewayTestFailedError } from './provider-operations.js';

export { PublicError } from './public-error.js';
export { NotFoundError, ValidationError } from './request.js';
export { ConcurrentUpdateError, isContention, isUniqueViolation } from './concurrency.js';
export {
  ProviderError,
  ProviderRefusedError,
  ProviderUnavailableError,
  ProviderAuthError,
  ProviderBadResponseError,
  ProviderNotSupportedError,
  ProviderNotConfiguredError,
  BankProviderNotConfiguredError,
  BankPackageExpiredError,
} from './provider.js';
export { IdempotencyKeyReusedError, IdempotencyConflictError } from './idempotency.js';
export { CardRefusedError } from './card.js';
export { ReviewRefusedError, reviewRefusalCodes, type ReviewRefusalCode } from './review.js';
export { AllRoutesRefusedError, CircuitOpenError, NoRouteError } from './payments.js';
export { BankStatementExportTooLargeError, HubGatewayTestFailedError } from './provider-operations.js';

/**
 * The table of public errors, by public code. A code, once given, keeps its
 * meaning: stored idempotency results name it. ProviderBadResponseError reaches
 * a caller only from createPayment/createPayout (the order that holds the unknown outcome);
 * elsewhere it is masked and logged.
 */
export const publicErrorTypes = {
  NOT_FOUND: NotFoundError,
  VALIDATION: ValidationError,
  CONCURRENT_UPDATE: ConcurrentUpdateError,
  PROVIDER_REFUSED: ProviderRefusedError,
  PROVIDER_UNAVAILABLE: ProviderUnavailableError,
  PROVIDER_AUTH: ProviderAuthError,
  PROVIDER_BAD_RESPONSE: ProviderBadResponseError,
  PROVIDER_NOT_SUPPORTED: ProviderNotSupportedError,
  PROVIDER_NOT_CONFIGURED: ProviderNotConfiguredError,
  BANK_PROVIDER_NOT_CONFIGURED: BankProviderNotConfiguredError,
  BANK_PACKAGE_EXPIRED: BankPackageExpiredError,
  IDEMPOTENCY_KEY_REUSED: IdempotencyKeyReusedError,
  IDEMPOTENCY_CONFLICT: IdempotencyConflictError,
  CARD_REFUSED: CardRefusedError,
  REVIEW_REFUSED: ReviewRefusedError,
  NO_ROUTE: NoRouteError,
  ALL_ROUTES_REFUSED: AllRoutesRefusedError,
  CIRCUIT_OPEN: CircuitOpenError,
  HUB_GATEWAY_TEST_FAILED: HubGatewayTestFailedError,
  BANK_STATEMENT_EXPORT_TOO_LARGE: BankStatementExportTooLargeError,
} as const;

export type PublicErrorCode = keyof typeof publicErrorTypes;
