// Why a person's review action was refused. One error type with a code a
// console can act on; the action changed nothing.
import { PublicError } from './public-error.js';

export const reviewRefusalCodes = [
  /** Not (or no longer) waiting for a person: someone else resolved it, or it never needed one. */
  'NOT_IN_REVIEW',
  /** A SUCCEEDED order or charge keeps its status: a flag on it can only be closed as SUCCEEDED. */
  'FINAL_STATUS',
  /** The bank line is already tied to an order. */
  'ALREADY_MATCHED',
  /** The bank line is money going out: it pays nothing. */
  'NOT_INCOMING',
  /** The statement matcher has not finished with the line yet; try again in a moment. */
  'STILL_MATCHING',
  /** Only bank-transfer orders are paid by lines of your own statement. */
  'NOT_BANK_TRANSFER',
  /** The order already has its payment (SUCCEEDED, or under review): close the line's review with a note instead. */
  'ORDER_SETTLED',
  /** The decision policy does not let this order take a payment now. */
  'ORDER_CLOSED',
  /** The order changed while the decision was being written; read it again. */
  'ORDER_CHANGED',
] as const;
export type ReviewRefusalCode = (typeof reviewRefusalCodes)[number];

export class ReviewRefusedError extends PublicError {
  override readonly name = 'ReviewRefusedError';
  readonly publicCode = 'REVIEW_REFUSED';
  constructor(
    readonly code: ReviewRefusalCode,
    message: string,
    /** The status of the order or card charge as it is now, when there is one. */
    readonly status: string | null = null,
  ) {
    super(message);
  }
}
