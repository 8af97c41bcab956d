// Bank transfer orders are paid by the payer typing the order's transfer code
// into the transfer description. This file decides, without I/O, whether a
// bank statement line pays an order:
//
// - Both texts are normalized (Vietnamese diacritics stripped, đ → d,
//   upper case, everything but A–Z and 0–9 dropped), because banks and payers
//   add spaces, dots and dashes ("PG AB3K-7QMN"), lower-case it, or prefix
//   their own references ("MBVCB.123.PGAB3K7QMN.CT tu ...").
// - Only money in can pay (direction IN).
// - Exact amount → SUCCEEDED; a different amount → NEEDS_REVIEW (UNDERPAID /
//   OVERPAID), the amount received kept beside the amount expected.
// - One line pays at most one order. When a description holds the codes of
//   several orders, the line pays the only one of them that is open and asks
//   exactly that amount; if that does not single one out, it pays none and
//   stays unmatched with a note (a human decides: guessing could credit the
//   wrong customer).
// - A line naming an order that is no longer open (already paid, under
//   review, expired, cancelled) is linked to it as an EXTRA payment: it is
//   shown on the order, but never changes the order (a final status never
//   moves, and a review is settled by a human).
import { randomInt } from 'node:crypto';
import { statusForAmount, type OrderStatus, type ReviewReason } from './order-status.js';

/** Codes start with this, so they are easy to find in a description and to tell apart from the bank's own text. */
export const TRANSFER_CODE_PREFIX = 'PG';
/** No 0/O, 1/I/L: what a payer reads off a screen and types on a phone keyboard comes out the same. */
export const TRANSFER_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** 31^8 ≈ 8.5·10^11 codes: collisions are retried on the unique index, guesses are hopeless. */
export const TRANSFER_CODE_RANDOM_LENGTH = 8;
export const TRANSFER_CODE_LENGTH = TRANSFER_CODE_PREFIX.length + TRANSFER_CODE_RANDOM_LENGTH;

/** A new code such as "PGK7M2QX9A". `pick(n)` returns an integer in [0, n): crypto by default, injectable for tests. */
export function newTransferCode(pick: (n: number) => number = (n) => randomInt(0, n)): string {
  let code = TRANSFER_CODE_PREFIX;
  for (let i = 0; i < TRANSFER_CODE_RANDOM_LENGTH; i++) code += TRANSFER_CODE_ALPHABET[pick(TRANSFER_CODE_ALPHABET.length)];
  return code;
}

export function isTransferCode(text: string): boolean {
  if (text.length !== TRANSFER_CODE_LENGTH || !text.startsWith(TRANSFER_CODE_PREFIX)) return false;
  return [...text.slice(TRANSFER_CODE_PREFIX.length)].every((c) => TRANSFER_CODE_ALPHABET.includes(c));
}

/**
 * "Chuyển tiền đơn pg-ab3k 7qmn" → "CHUYENTIENDONPGAB3K7QMN". Diacritics are
 * removed by Unicode decomposition; đ/Đ is a letter of its own (no
 * decomposition), so it is mapped by hand.
 */
export function normalizeForMatching(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

/** Whether `text` contains `code`, both normalized. */
export function containsCode(text: string, code: string): boolean {
  const needle = normalizeForMatching(code);
  return needle.length > 0 && normalizeForMatching(text).includes(needle);
}

/**
 * Every code-shaped window of the normalized text: the codes an order could
 * have for `containsCode(text, code)` to hold. The service looks these up by
 * the unique request id instead of scanning every open order.
 */
export function transferCodeCandidates(text: string): string[] {
  const normalized = normalizeForMatching(text);
  const found = new Set<string>();
  for (let at = normalized.indexOf(TRANSFER_CODE_PREFIX); at >= 0; at = normalized.indexOf(TRANSFER_CODE_PREFIX, at + 1)) {
    const window = normalized.slice(at, at + TRANSFER_CODE_LENGTH);
    if (isTransferCode(window)) found.add(window);
  }
  return [...found];
}

export interface StatementLine {
  direction: 'IN' | 'OUT';
  /** Signed đồng (positive in). */
  amount: bigint;
  /** The description, plus any order code the provider named for the line. */
  text: string;
}

export interface CandidateOrder {
  id: string;
  code: string;
  amount: bigint;
  status: OrderStatus;
}

export type ExtraReason = 'ALREADY_SETTLED' | 'ORDER_CLOSED';

/** What a line does to the order it is linked to, given the order as it is now. */
export type MatchOutcome =
  | { kind: 'settle'; to: 'SUCCEEDED' }
  | { kind: 'settle'; to: 'NEEDS_REVIEW'; reason: Extract<ReviewReason, 'UNDERPAID' | 'OVERPAID'>; expected: bigint; received: bigint }
  | { kind: 'extra'; reason: ExtraReason };

export type MatchDecision =
  | { kind: 'link'; orderId: string; outcome: MatchOutcome }
  | { kind: 'unmatched'; reason: 'OUTGOING' | 'NO_CODE' }
  | { kind: 'unmatched'; reason: 'AMBIGUOUS'; orderIds: string[] };

export const isOpen = (status: OrderStatus) => status === 'PENDING' || status === 'PROCESSING';

/** The amount received by a line: its magnitude (an IN line is positive already). */
const received = (line: { amount: bigint }) => (line.amount < 0n ? -line.amount : line.amount);

export function outcomeFor(order: { amount: bigint; status: OrderStatus }, line: { amount: bigint }): MatchOutcome {
  if (!isOpen(order.status)) return { kind: 'extra', reason: order.status === 'SUCCEEDED' || order.status === 'NEEDS_REVIEW' ? 'ALREADY_SETTLED' : 'ORDER_CLOSED' };
  const paid = received(line);
  const verdict = statusForAmount(order.amount, paid);
  if (verdict.status === 'SUCCEEDED') return { kind: 'settle', to: 'SUCCEEDED' };
  return { kind: 'settle', to: 'NEEDS_REVIEW', reason: verdict.reason === 'OVERPAID' ? 'OVERPAID' : 'UNDERPAID', expected: order.amount, received: paid };
}

/**
 * Which order (if any) a line pays. `candidates` may hold more orders than
 * the text names (they are filtered here again), so a caller cannot make a
 * line pay an order whose code it does not carry.
 */
export function decideMatch(line: StatementLine, candidates: readonly CandidateOrder[]): MatchDecision {
  if (line.direction !== 'IN' || line.amount <= 0n) return { kind: 'unmatched', reason: 'OUTGOING' };
  const named = candidates.filter((order) => containsCode(line.text, order.code));
  if (named.length === 0) return { kind: 'unmatched', reason: 'NO_CODE' };
  if (named.length === 1) {
    const order = named[0]!;
    return { kind: 'link', orderId: order.id, outcome: outcomeFor(order, line) };
  }
  const exact = named.filter((order) => isOpen(order.status) && order.amount === received(line));
  if (exact.length === 1) return { kind: 'link', orderId: exact[0]!.id, outcome: { kind: 'settle', to: 'SUCCEEDED' } };
  return { kind: 'unmatched', reason: 'AMBIGUOUS', orderIds: named.map((order) => order.id).sort() };
}

/** The note kept on a line that was linked as an extra, or left unmatched on purpose. */
export function matchNote(decision: MatchDecision | { kind: 'extra'; reason: ExtraReason; orderStatus: OrderStatus }): string | null {
  switch (decision.kind) {
    case 'extra':
      return decision.reason === 'ALREADY_SETTLED'
        ? `extra payment: the order was already ${decision.orderStatus} when this transfer was matched`
        : `extra payment: the order was ${decision.orderStatus} when this transfer arrived; refund or settle it by hand`;
    case 'link':
      return null;
    case 'unmatched':
      switch (decision.reason) {
        case 'OUTGOING':
        case 'NO_CODE':
          return null;
        case 'AMBIGUOUS':
          return `ambiguous: the description names ${decision.orderIds.length} orders (${decision.orderIds.join(', ')}) and the amount does not single one out`;
        default: {
          const unhandled: never = decision;
          return unhandled;
        }
      }
    default: {
      const unhandled: never = decision;
      return unhandled;
    }
  }
}
