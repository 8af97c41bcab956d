// Typed provider failures. Connectors throw only these (a provider's own
// refinements, like API Ngân hàng's expired package, extend them in its
// folder); the account-level ones at the end are thrown by the services that
// find a merchant's provider account.
import type { ProviderId } from '../domain/order-kind.js';
import { PublicError } from './public-error.js';

export abstract class ProviderError extends PublicError {
  abstract readonly kind: 'refused' | 'unavailable' | 'auth' | 'bad-response' | 'not-supported';
  constructor(
    readonly provider: ProviderId,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The provider answered and said no, with its own code and the document's
 * meaning of it. `retryable` is true where the document implies trying later
 * can work (maintenance, lost bank connection, a stale nonce).
 */
export class ProviderRefusedError extends ProviderError {
  override readonly kind = 'refused';
  override readonly name = 'ProviderRefusedError';
  readonly publicCode = 'PROVIDER_REFUSED';
  constructor(
    provider: ProviderId,
    /** The provider's own code as text: "3", "422", "success:false" … */
    readonly code: string,
    /** The document's meaning (English), or the provider's message. */
    message: string,
    readonly options: { retryable?: boolean; providerMessage?: string; httpStatus?: number } = {},
  ) {
    super(provider, message);
  }
  get retryable() {
    return this.options.retryable ?? false;
  }
}

/**
 * No usable answer: network error, timeout, 5xx. `outcomeUnknown` is true when
 * a money-moving request may have reached the provider: its outcome must be
 * settled by a status query, never by sending it again.
 */
export class ProviderUnavailableError extends ProviderError {
  override readonly kind = 'unavailable';
  override readonly name = 'ProviderUnavailableError';
  readonly publicCode = 'PROVIDER_UNAVAILABLE';
  constructor(
    provider: ProviderId,
    message: string,
    readonly outcomeUnknown: boolean,
    options?: { cause?: unknown },
  ) {
    super(provider, message, options);
  }
}

/** Our credentials were refused (bad key, bad signature, expired package…). */
export class ProviderAuthError extends ProviderError {
  override readonly kind = 'auth';
  override readonly name = 'ProviderAuthError';
  readonly publicCode = 'PROVIDER_AUTH';
  constructor(provider: ProviderId, message: string, readonly code?: string) {
    super(provider, message);
  }
}

/** The provider answered something its document does not allow (kept for the log, never guessed at, never shown to a caller). */
export class ProviderBadResponseError extends ProviderError {
  override readonly kind = 'bad-response';
  override readonly name = 'ProviderBadResponseError';
  readonly publicCode = 'PROVIDER_BAD_RESPONSE';
  /** The start of the answer (connectors remove our secrets first), for the log line of a masked error. */
  readonly body: string;
  constructor(provider: ProviderId, message: string, body: string) {
    super(provider, message);
    this.body = body.slice(0, 2000);
  }
}

/** The provider has no such operation (e.g. cancelling an AZConnectPay cash-in). */
export class ProviderNotSupportedError extends ProviderError {
  override readonly kind = 'not-supported';
  override readonly name = 'ProviderNotSupportedError';
  readonly publicCode = 'PROVIDER_NOT_SUPPORTED';
}

/**
 * The merchant has no (enabled, usable) account with the provider, and is not
 * a sandbox merchant. Its GraphQL name is the class name.
 */
export class ProviderNotConfiguredError extends PublicError {
  override readonly name: string = 'ProviderNotConfiguredError';
  readonly publicCode: string = 'PROVIDER_NOT_CONFIGURED';
  constructor(
    readonly provider: ProviderId,
    detail?: string,
  ) {
    super(detail ?? `no ${provider} account is configured for this merchant`);
  }
}

/**
 * The same fact for API Ngân hàng's account-level calls (bank accounts,
 * statements, the account's own reads), which answer it as a type of their own
 * with no fields (BankProviderNotConfiguredError in GraphQL).
 */
export class BankProviderNotConfiguredError extends ProviderNotConfiguredError {
  override readonly name = 'BankProviderNotConfiguredError';
  override readonly publicCode = 'BANK_PROVIDER_NOT_CONFIGURED';
  constructor() {
    super('APINGANHANG', 'no API Ngân hàng account is configured for this merchant');
  }
}

/** API Ngân hàng answered 403: the member's API package has expired. Renewing it (renewBankPackage) is the way out. */
export class BankPackageExpiredError extends PublicError {
  override readonly name = 'BankPackageExpiredError';
  readonly publicCode = 'BANK_PACKAGE_EXPIRED';
  constructor(
    message: string,
    /** API Ngân hàng's own words. */
    readonly providerMessage?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
