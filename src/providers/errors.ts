// Typed provider failures. Connectors throw only these; services turn them
// into GraphQL results a client can act on.
import type { ProviderId } from './types.js';

export abstract class ProviderError extends Error {
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
  constructor(provider: ProviderId, message: string, readonly code?: string) {
    super(provider, message);
  }
}

/** The provider answered something its document does not allow (kept for the log, never guessed at, never shown to a caller). */
export class ProviderBadResponseError extends ProviderError {
  override readonly kind = 'bad-response';
  override readonly name = 'ProviderBadResponseError';
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
}
