// Why a telco card charge failed, as a client can act on it: the provider's
// statuses 3, 4 and 100, each with a stable code (the card provider maps its
// statuses to these; GraphQL's CardFailureCode lists them).

export const cardFailureCodes = ['CARD_INVALID', 'PROVIDER_MAINTENANCE', 'SUBMISSION_REJECTED'] as const;
export type CardFailureCode = (typeof cardFailureCodes)[number];

export interface CardFailure {
  code: CardFailureCode;
  providerStatus: 3 | 4 | 100;
  /** The document's meaning, in English. */
  meaning: string;
  /** The provider's own message (status 100 puts its reason there). */
  providerMessage: string;
  retryable: boolean;
}
