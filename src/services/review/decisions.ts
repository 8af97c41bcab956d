// What a person's review decision writes, without I/O: which outcomes are
// allowed from which state, which amounts must be given, and how a bank line
// tied by hand moves its order (the statement matcher's own rule,
// outcomeFor, plus a late payment for a closed order). Unit-tested in
// test/review/decisions.test.ts.
import { outcomeFor } from '../../domain/payment-matching.js';
import type { OrderStatus } from '../../domain/order-status.js';
import { hasControlCharacters } from '../../domain/text.js';
import { ValidationError, ReviewRefusedError } from '../../errors/index.js';

export const reviewOutcomes = ['SUCCEEDED', 'FAILED'] as const;
export type ReviewOutcome = (typeof reviewOutcomes)[number];

export const NOTE_MAX_LENGTH = 1000;
/** The largest amount any order accepts (createX refuses more). */
const MAX_AMOUNT = 100_000_000_000n;

/** A decision says why: the note is required, kept on the event (or the bank line), and shown to the next person. */
export function checkNote(note: string): string {
  const trimmed = note.trim();
  if (!trimmed || trimmed.length > NOTE_MAX_LENGTH || hasControlCharacters(trimmed)) {
    throw new ValidationError(`note: 1–${NOTE_MAX_LENGTH} characters saying why, no control characters`, 'note');
  }
  return trimmed;
}

function checkAmount(value: bigint, field: string) {
  if (value <= 0n || value > MAX_AMOUNT) throw new ValidationError(`${field} must be a positive whole number of đồng`, field);
}

/** A flag on a SUCCEEDED order or charge (a contradicting report): the status never changes, so SUCCEEDED is the only answer. */
function closeFlag(entity: string, input: { outcome: ReviewOutcome }, figures: Record<string, bigint | null | undefined>) {
  if (input.outcome === 'FAILED') throw new ReviewRefusedError('FINAL_STATUS', `the ${entity} is SUCCEEDED, which never changes: its flag can only be closed as SUCCEEDED`, 'SUCCEEDED');
  const given = Object.entries(figures).find(([, value]) => value != null);
  if (given) throw new ValidationError(`${given[0]}: closing the flag of a SUCCEEDED ${entity} changes no figure; leave it out`, given[0]);
  return { kind: 'close-flag' } as const;
}

// ---- orders ------------------------------------------------------------------

export interface OrderUnderReview {
  status: OrderStatus;
  amount: bigint;
  settledAmount: bigint | null;
  reviewOpenedAt: Date | null;
}

export type OrderResolution =
  /** `settledAmount` undefined: the column stays as it is. */
  | { kind: 'settle'; to: ReviewOutcome; settledAmount?: bigint | null }
  | { kind: 'close-flag' };

export function orderResolution(order: OrderUnderReview, input: { outcome: ReviewOutcome; settledAmount?: bigint | null }): OrderResolution {
  if (order.status === 'SUCCEEDED' && order.reviewOpenedAt) return closeFlag('order', input, { settledAmount: input.settledAmount });
  if (order.status !== 'NEEDS_REVIEW') throw new ReviewRefusedError('NOT_IN_REVIEW', `the order is ${order.status}, not waiting for a person`, order.status);
  if (input.outcome === 'FAILED') {
    if (input.settledAmount != null) throw new ValidationError('settledAmount: a FAILED order keeps no money; leave it out', 'settledAmount');
    return { kind: 'settle', to: 'FAILED' };
  }
  if (input.settledAmount == null) {
    // Accepting money that differs from the order's amount needs the person to say how much is accepted.
    if (order.settledAmount !== null && order.settledAmount !== order.amount) {
      throw new ValidationError(`settledAmount: ${order.settledAmount} đ arrived for ${order.amount} đ expected; say how much is accepted as settled`, 'settledAmount');
    }
    return { kind: 'settle', to: 'SUCCEEDED' };
  }
  checkAmount(input.settledAmount, 'settledAmount');
  // The column holds what moved when it differs from amount (null: the amount itself).
  return { kind: 'settle', to: 'SUCCEEDED', settledAmount: input.settledAmount === order.amount ? null : input.settledAmount };
}

// ---- card charges ------------------------------------------------------------------

export interface CardChargeUnderReview {
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'NEEDS_REVIEW';
  declaredValue: bigint;
  realValue: bigint | null;
  reviewOpenedAt: Date | null;
}

export interface CardChargeSettlement {
  status: ReviewOutcome;
  realValue: bigint | null;
  amountReceived: bigint | null;
  valueMismatch: boolean;
}

export type CardChargeResolution = { kind: 'settle'; columns: CardChargeSettlement } | { kind: 'close-flag' };

export function cardChargeResolution(
  charge: CardChargeUnderReview,
  input: { outcome: ReviewOutcome; realValue?: bigint | null; amountReceived?: bigint | null },
): CardChargeResolution {
  if (charge.status === 'SUCCEEDED' && charge.reviewOpenedAt) return closeFlag('card charge', input, { amountReceived: input.amountReceived, realValue: input.realValue });
  if (charge.status !== 'NEEDS_REVIEW') throw new ReviewRefusedError('NOT_IN_REVIEW', `the card charge is ${charge.status}, not waiting for a person`, charge.status);
  if (input.outcome === 'FAILED') {
    const given = input.amountReceived != null ? 'amountReceived' : input.realValue != null ? 'realValue' : null;
    if (given) throw new ValidationError(`${given}: a FAILED charge credits nothing; leave it out`, given);
    return { kind: 'settle', columns: { status: 'FAILED', realValue: null, amountReceived: null, valueMismatch: false } };
  }
  if (input.amountReceived == null) throw new ValidationError('amountReceived: how much the provider credited for this card', 'amountReceived');
  const realValue = input.realValue ?? charge.realValue ?? charge.declaredValue;
  checkAmount(realValue, 'realValue');
  checkAmount(input.amountReceived, 'amountReceived');
  if (input.amountReceived > realValue) throw new ValidationError(`amountReceived: at most the card's face value (${realValue} đ)`, 'amountReceived');
  return { kind: 'settle', columns: { status: 'SUCCEEDED', realValue, amountReceived: input.amountReceived, valueMismatch: realValue !== charge.declaredValue } };
}

// ---- bank lines tied by hand -------------------------------------------------------

export interface LineToTie {
  direction: 'IN' | 'OUT';
  amount: bigint;
  matchedOrderId: string | null;
  matchCheckedAt: Date | null;
}

/** Whether a person may tie this line to an order at all. */
export function checkLineCanBeTied(line: LineToTie): void {
  if (line.direction !== 'IN' || line.amount <= 0n) throw new ReviewRefusedError('NOT_INCOMING', 'the line is money going out: it pays no order');
  if (line.matchedOrderId) throw new ReviewRefusedError('ALREADY_MATCHED', 'the line is already tied to an order');
  // The matcher may be about to link it: tying it now could race the matcher's own decision.
  if (!line.matchCheckedAt) throw new ReviewRefusedError('STILL_MATCHING', 'the statement matcher has not finished with this line yet; try again in a moment');
}

export type ManualMatch =
  | { to: 'SUCCEEDED' }
  | { to: 'NEEDS_REVIEW'; reason: 'UNDERPAID' | 'OVERPAID' | 'LATE_PAYMENT'; received: bigint };

/** What tying `line` to `order` does to the order: as the statement matcher would, and a closed order goes to review as a late payment. */
export function manualMatchOf(order: { kind: string; amount: bigint; status: OrderStatus }, line: { amount: bigint }): ManualMatch {
  if (order.kind !== 'BANK_TRANSFER') throw new ReviewRefusedError('NOT_BANK_TRANSFER', `the order is a ${order.kind} order: only bank-transfer orders are paid by lines of your statement`, order.status);
  const outcome = outcomeFor(order, line);
  if (outcome.kind === 'settle') return outcome.to === 'SUCCEEDED' ? { to: 'SUCCEEDED' } : { to: 'NEEDS_REVIEW', reason: outcome.reason, received: outcome.received };
  if (outcome.reason === 'ALREADY_SETTLED') {
    throw new ReviewRefusedError('ORDER_SETTLED', `the order is ${order.status}: it already has its payment; close the line's review with a note (a refund, a top-up) instead`, order.status);
  }
  return { to: 'NEEDS_REVIEW', reason: 'LATE_PAYMENT', received: line.amount };
}
