// The document's status table, mapped exhaustively. Adding a status to
// `documentedCardStatuses` fails to compile until describeCardStatus handles it;
// a status outside the table maps to null with the raw payload kept (never
// guessed into "pending").
import { maskSecret } from './mask.js';
import type { CardChargeReport, CardChargeStatus } from './report.js';
import type { CardPayload } from './schemas.js';

export const documentedCardStatuses = [1, 2, 3, 4, 99, 100] as const;
export type DocumentedCardStatus = (typeof documentedCardStatuses)[number];

export function isDocumentedCardStatus(value: number): value is DocumentedCardStatus {
  return (documentedCardStatuses as readonly number[]).includes(value);
}

export interface CardStatusMeaning {
  status: CardChargeStatus;
  valueMismatch: boolean;
  retryable: boolean;
  /** The document's meaning, in English. */
  meaning: string;
}

export function describeCardStatus(status: DocumentedCardStatus): CardStatusMeaning {
  switch (status) {
    case 1:
      return { status: 'SUCCEEDED', valueMismatch: false, retryable: false, meaning: 'card accepted at the declared face value' };
    case 2:
      return { status: 'SUCCEEDED', valueMismatch: true, retryable: false, meaning: 'card accepted, but its real face value differs from the declared one' };
    case 3:
      return { status: 'FAILED', valueMismatch: false, retryable: false, meaning: 'bad card (invalid, already used or wrong code/serial)' };
    case 4:
      return { status: 'FAILED', valueMismatch: false, retryable: true, meaning: 'the provider is under maintenance; the card can be submitted again later' };
    case 99:
      return { status: 'PENDING', valueMismatch: false, retryable: false, meaning: 'card waiting to be processed' };
    case 100:
      return { status: 'FAILED', valueMismatch: false, retryable: false, meaning: 'card submission failed; the reason is in the message' };
    default: {
      const unhandled: never = status;
      throw new Error(`unhandled card status ${String(unhandled)}`);
    }
  }
}

const secretFields = ['code', 'serial', 'sign', 'callback_sign'] as const;

/** The payload with bearer secrets masked, other fields as received. */
export function maskPayload(payload: Record<string, unknown>): Record<string, unknown> {
  const masked: Record<string, unknown> = { ...payload };
  for (const field of secretFields) {
    const value = masked[field];
    if (value !== undefined && value !== null) masked[field] = maskSecret(String(value));
  }
  return masked;
}

/** Builds the unified report from a validated payload and the object it was parsed from. */
export function toCardReport(payload: CardPayload, original: Record<string, unknown>): CardChargeReport {
  const known = isDocumentedCardStatus(payload.status) ? describeCardStatus(payload.status) : null;
  const succeeded = known?.status === 'SUCCEEDED';
  return {
    status: known?.status ?? null,
    valueMismatch: known?.valueMismatch ?? false,
    retryable: known?.retryable ?? false,
    providerStatus: payload.status,
    message: payload.message,
    requestId: payload.request_id,
    transId: payload.trans_id,
    telco: payload.telco,
    declaredValue: payload.declared_value,
    // "Mệnh giá thực của thẻ": only card_value is the real face value; value is "mệnh giá tính tiền", what is charged on.
    realValue: payload.card_value,
    chargedValue: payload.value,
    amount: succeeded ? payload.amount : undefined,
    raw: maskPayload(original),
  };
}
