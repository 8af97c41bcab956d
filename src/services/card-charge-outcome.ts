// Pure pieces of the card-charge service: what a provider report writes on a
// charge, when a "duplicate" is in fact a replay with other figures, and how
// a card is bound to its row when sealed. No I/O; unit-tested in
// test/cards/card-charge-outcome.test.ts.
import type { CardChargeReport, CardChargeState, CardChargeStatus, CardFailure } from '../providers/card/index.js';
import { cardFailureOf, redactSecrets } from '../providers/card/index.js';

/** The charge columns the judge and these helpers read. */
export interface CardChargeFacts {
  requestId: string;
  transId: string | null;
  declaredValue: bigint;
  status: CardChargeStatus | 'NEEDS_REVIEW';
  providerStatus: number | null;
  amountReceived: bigint | null;
}

export function judgeStateOf(charge: CardChargeFacts): CardChargeState {
  return { requestId: charge.requestId, transId: charge.transId, declaredValue: charge.declaredValue, status: charge.status };
}

/**
 * Associated data for a sealed card: a sealed {code, serial} copied onto
 * another charge (or merchant) will not open there.
 */
export const sealedCardAad = (merchantId: string, requestId: string) => `card-charge:${merchantId}:${requestId}`;

/** The provider's text, with the card's code and serial masked (a provider may echo them in a message). */
export function providerMessageOf(report: Pick<CardChargeReport, 'message'>, card: { code: string; serial: string }): string {
  return redactSecrets(report.message, [card.code, card.serial]);
}

export interface SettlementColumns {
  status: 'SUCCEEDED' | 'FAILED';
  providerStatus: number;
  providerMessage: string;
  valueMismatch: boolean;
  realValue: bigint | null;
  amountReceived: bigint | null;
  transId?: string;
}

/**
 * What a final report writes on a PENDING charge. The report has been judged
 * already (ids, forward-only, amounts): this only maps fields. A status 1
 * without a real value is worth what was declared (that is what 1 means); a
 * status 2 without card_value has no real value we know (null), only the
 * value charged on and the amount received.
 */
export function settlementOf(charge: Pick<CardChargeFacts, 'declaredValue'>, report: CardChargeReport, to: 'SUCCEEDED' | 'FAILED', card: { code: string; serial: string }): SettlementColumns {
  const succeeded = to === 'SUCCEEDED';
  return {
    status: to,
    providerStatus: report.providerStatus,
    providerMessage: providerMessageOf(report, card),
    valueMismatch: succeeded && report.valueMismatch,
    realValue: succeeded ? (report.realValue ?? (report.valueMismatch ? null : charge.declaredValue)) : null,
    amountReceived: succeeded ? (report.amount ?? null) : null,
    ...(report.transId !== undefined ? { transId: report.transId } : {}),
  };
}

/**
 * The judge calls a report about an already-final charge with the same
 * unified status a duplicate. A resend of the same event never gets here (the
 * inbox drops it by its event key), so a "duplicate" that names another
 * provider status or another amount received is a replay with altered values:
 * it still changes nothing, but it is recorded as refused, not as a resend.
 * Returns why, or null when the figures agree.
 */
export function replayConflict(charge: Pick<CardChargeFacts, 'status' | 'providerStatus' | 'amountReceived'>, report: CardChargeReport): string | null {
  if (report.status !== charge.status) return null;
  if (charge.providerStatus !== null && report.providerStatus !== charge.providerStatus) {
    return `status ${report.providerStatus} differs from the recorded ${charge.providerStatus}`;
  }
  if (charge.status === 'SUCCEEDED' && report.amount !== undefined && charge.amountReceived !== null && report.amount !== charge.amountReceived) {
    return `amount ${report.amount} differs from the ${charge.amountReceived} recorded`;
  }
  return null;
}

/**
 * Why a stored FAILED charge failed (code, retryable), read back from its
 * provider status with the connector's own mapping; null when not failed.
 */
export function storedFailureOf(charge: { status: CardChargeStatus | 'NEEDS_REVIEW'; providerStatus: number | null; providerMessage: string | null }): CardFailure | null {
  if (charge.status !== 'FAILED' || charge.providerStatus === null) return null;
  return cardFailureOf({ status: 'FAILED', valueMismatch: false, retryable: false, providerStatus: charge.providerStatus, message: charge.providerMessage ?? '', raw: {} });
}
