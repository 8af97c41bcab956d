// What a verified callback may do to a charge. The callback's signature covers
// only partner_key + code + serial, so anyone who captured one callback for a
// card can replay it with another status or amount and the sign still
// matches. Defences (providers.md §4): the ids must match ours, a charge only
// moves forward (pending → final, never final → other), the amount received
// can never exceed what we declared (nor the value paid on), and, where the
// provider has `command=check`, the final state is confirmed by pulling it.
// Pure: no I/O, so every branch is unit-tested.
import type { CardChargeReport, CardChargeStatus } from './report.js';

export interface CardChargeState {
  /** Ours, sent as request_id. */
  requestId: string;
  /** The provider's trans_id, once known (unknown after a submit that timed out). */
  transId?: string | null;
  /** What we declared (and signed up for). */
  declaredValue: bigint;
  /** The charge's current unified status (NEEDS_REVIEW is ours alone: a person decides). */
  status: CardChargeStatus | 'NEEDS_REVIEW';
}

export type CardCallbackRejection =
  | 'request-id-mismatch'
  | 'trans-id-mismatch'
  | 'unknown-status'
  | 'already-final'
  | 'declared-value-mismatch'
  | 'inconsistent-value'
  | 'missing-amount'
  | 'negative-amount'
  | 'amount-exceeds-declared'
  | 'amount-exceeds-value';

export type CardCallbackJudgement =
  | {
      decision: 'accept';
      to: 'SUCCEEDED' | 'FAILED';
      /** Pull the truth with check() and apply that report instead (the callback's status is unsigned). */
      confirmByCheck: boolean;
      /** The callback told us the trans_id we did not know yet (the submit timed out). */
      adoptTransId?: string;
    }
  /** Nothing to write: the charge is already there, or still pending. Acknowledge the callback. */
  | { decision: 'ignore'; reason: 'duplicate' | 'still-pending'; detail: string }
  /** A claim we refuse to apply: record it with the reason (it may be an attack), acknowledge, change nothing. */
  | { decision: 'reject'; reason: CardCallbackRejection; detail: string };

export interface JudgeOptions {
  /** Whether the provider answers command=check (credentials.checkEnabled). */
  checkEnabled: boolean;
  /**
   * `check`: the report comes from our own pull, so it needs no confirmation;
   * it still goes through every other defence.
   */
  source?: 'callback' | 'check';
}

export function judgeCardCallback(charge: CardChargeState, report: CardChargeReport, options: JudgeOptions = { checkEnabled: true }): CardCallbackJudgement {
  const reject = (reason: CardCallbackRejection, detail: string): CardCallbackJudgement => ({ decision: 'reject', reason, detail });

  if (report.requestId !== charge.requestId) {
    return reject('request-id-mismatch', `the report is about request_id ${report.requestId ?? '(none)'}, the charge is ${charge.requestId}`);
  }
  const knownTransId = charge.transId ?? undefined;
  if (knownTransId !== undefined && report.transId !== knownTransId) {
    return reject('trans-id-mismatch', `the report carries trans_id ${report.transId ?? '(none)'}, the charge has ${knownTransId}`);
  }
  if (report.status === null) {
    return reject('unknown-status', `status ${report.providerStatus} is not in the document; kept raw, nothing applied`);
  }
  if (charge.status !== 'PENDING') {
    if (report.status === charge.status) return { decision: 'ignore', reason: 'duplicate', detail: `the charge is already ${charge.status}` };
    return reject('already-final', `the charge is ${charge.status}; ${report.status} would move it backwards or sideways`);
  }
  if (report.status === 'PENDING') return { decision: 'ignore', reason: 'still-pending', detail: 'the charge is pending and the report says pending' };

  if (report.declaredValue !== undefined && report.declaredValue !== charge.declaredValue) {
    return reject('declared-value-mismatch', `the report says ${report.declaredValue} was declared; we declared ${charge.declaredValue}`);
  }

  if (report.status === 'SUCCEEDED') {
    // card_value (the real face value) comes only with the GET callback form; value is what the provider charges on.
    const realValue = report.realValue;
    if (!report.valueMismatch && realValue !== undefined && realValue !== charge.declaredValue) {
      return reject('inconsistent-value', `status ${report.providerStatus} means "right face value" but the real value is ${realValue}, declared ${charge.declaredValue}`);
    }
    if (!report.valueMismatch && report.chargedValue !== undefined && report.chargedValue !== charge.declaredValue) {
      return reject('inconsistent-value', `status ${report.providerStatus} means "right face value" but it was charged on ${report.chargedValue}, declared ${charge.declaredValue}`);
    }
    // Status 2 is a success with a mismatch whether or not card_value came; only a card_value equal to the declared one contradicts it.
    if (report.valueMismatch && realValue !== undefined && realValue === charge.declaredValue) {
      return reject('inconsistent-value', `status ${report.providerStatus} means "wrong face value" but the real value is the declared ${realValue}`);
    }
    if (report.amount === undefined) return reject('missing-amount', 'a successful card must say what the merchant receives');
    if (report.amount < 0n) return reject('negative-amount', `amount ${report.amount} is negative`);
    if (report.amount > charge.declaredValue) {
      return reject('amount-exceeds-declared', `amount ${report.amount} exceeds the declared value ${charge.declaredValue}`);
    }
    const paidOn = report.chargedValue ?? realValue;
    if (paidOn !== undefined && report.amount > paidOn) {
      return reject('amount-exceeds-value', `amount ${report.amount} exceeds the value paid on ${paidOn}`);
    }
  }

  const adoptTransId = knownTransId === undefined && report.transId !== undefined ? report.transId : undefined;
  return {
    decision: 'accept',
    to: report.status,
    confirmByCheck: options.checkEnabled && (options.source ?? 'callback') === 'callback',
    ...(adoptTransId !== undefined ? { adoptTransId } : {}),
  };
}
