// The typed failures of the one payment API (createPayment, createPayout,
// routing rules). Each says that nothing was done, or which order holds what was.
import { PublicError } from './public-error.js';

/** No route can carry this payment: every reason is listed. */
export class NoRouteError extends PublicError {
  override readonly name = 'NoRouteError';
  readonly publicCode = 'NO_ROUTE';
  constructor(
    message: string,
    /** Each route considered and why it was not taken. */
    readonly reasons: { route: string; reason: string }[],
  ) {
    super(message);
  }
}

/**
 * Every candidate refused definitively before any money could move. The order
 * is kept, FAILED, with every attempt; a new key is needed to try again.
 */
export class AllRoutesRefusedError extends PublicError {
  override readonly name = 'AllRoutesRefusedError';
  readonly publicCode = 'ALL_ROUTES_REFUSED';
  constructor(
    readonly orderId: string,
    message: string,
  ) {
    super(message);
  }
}

/** The provider account's circuit is open: nothing was sent. */
export class CircuitOpenError extends PublicError {
  override readonly name = 'CircuitOpenError';
  readonly publicCode = 'CIRCUIT_OPEN';
  constructor(
    readonly provider: string,
    readonly retryAfter: Date,
  ) {
    super(`${provider} failed repeatedly; its circuit is open until ${retryAfter.toISOString()}`);
  }
}
