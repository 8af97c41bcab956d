// Statuses 3, 4 and 100 are expected failures a GraphQL client can act on.
// The submit returns them as reports (the charge exists with a final state);
// these helpers give each a stable public code and the document's meaning.
import { ProviderRefusedError } from '../../errors/index.js';
import type { CardFailure, CardFailureCode } from '../../domain/card-failure.js';
import type { CardChargeReport } from './report.js';
import { describeCardStatus } from './status.js';

export type { CardFailure, CardFailureCode };

/** The failure a report describes, or null when it is not a failure (succeeded, pending, unknown). */
export function cardFailureOf(report: CardChargeReport): CardFailure | null {
  const failure = (code: CardFailureCode, providerStatus: 3 | 4 | 100): CardFailure => {
    const { meaning, retryable } = describeCardStatus(providerStatus);
    return { code, providerStatus, meaning, providerMessage: report.message, retryable };
  };
  switch (report.providerStatus) {
    case 3:
      return failure('CARD_INVALID', 3);
    case 4:
      return failure('PROVIDER_MAINTENANCE', 4);
    case 100:
      return failure('SUBMISSION_REJECTED', 100);
    default:
      // 1, 2, 99 are not failures; an undocumented status is unknown, not a failure.
      return null;
  }
}

/** The same failure as the shared typed error, for code paths that throw. */
export function cardRefusalOf(report: CardChargeReport): ProviderRefusedError | null {
  const failure = cardFailureOf(report);
  if (!failure) return null;
  return new ProviderRefusedError('CARD', String(failure.providerStatus), failure.meaning, {
    retryable: failure.retryable,
    providerMessage: failure.providerMessage,
  });
}

/** A card rejected before it left us (bad telco, face value or shape). Never holds the code or serial. */
export class CardInputError extends Error {
  override readonly name = 'CardInputError';
  constructor(readonly issues: readonly { field: string; code: string; message: string }[]) {
    super(`card refused before submission: ${issues.map((issue) => issue.message).join('; ')}`);
  }
}
