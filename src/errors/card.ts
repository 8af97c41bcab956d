// A card the provider refused (statuses 3, 4, 100): the charge exists, FAILED.
import type { CardFailure, CardFailureCode } from '../domain/card-failure.js';
import { PublicError } from './public-error.js';

export class CardRefusedError extends PublicError {
  override readonly name = 'CardRefusedError';
  readonly publicCode = 'CARD_REFUSED';
  /** Which refusal it is (GraphQL CardFailureCode). */
  readonly code: CardFailureCode;
  readonly retryable: boolean;
  readonly providerStatus: number;
  readonly providerMessage: string;
  constructor(
    failure: CardFailure,
    readonly cardChargeId: string,
  ) {
    super(failure.meaning);
    this.code = failure.code;
    this.retryable = failure.retryable;
    this.providerStatus = failure.providerStatus;
    this.providerMessage = failure.providerMessage;
  }
}
