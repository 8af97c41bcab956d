// The unified order status and the only transitions money may take.
// Pure: the services ask here before writing anything.

export const orderStatuses = ['PENDING', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELLED', 'NEEDS_REVIEW'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/** A status a provider can report; NEEDS_REVIEW is ours alone (money arrived, but not as expected). */
export type ProviderReportedStatus = Exclude<OrderStatus, 'NEEDS_REVIEW'>;

export const finalStatuses: ReadonlySet<OrderStatus> = new Set(['SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELLED']);

const allowed: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: ['PROCESSING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELLED', 'NEEDS_REVIEW'],
  PROCESSING: ['SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELLED', 'NEEDS_REVIEW'],
  // A human settles a review: accept the money as payment, or refuse it.
  NEEDS_REVIEW: ['SUCCEEDED', 'FAILED'],
  // SUCCEEDED never changes; a contradiction only flags it (decision-policy.ts).
  SUCCEEDED: [],
  // Closed without money, until money turns up after all: then a person must look (late payment).
  FAILED: ['NEEDS_REVIEW'],
  EXPIRED: ['NEEDS_REVIEW'],
  CANCELLED: ['NEEDS_REVIEW'],
};

export function isFinal(status: OrderStatus): boolean {
  return finalStatuses.has(status);
}

export type TransitionVerdict =
  | { kind: 'apply' }
  /** Already there: a duplicate report, nothing to write. */
  | { kind: 'noop' }
  | { kind: 'refuse'; reason: string };

export function judgeTransition(from: OrderStatus, to: OrderStatus): TransitionVerdict {
  if (from === to) return { kind: 'noop' };
  if (allowed[from].includes(to)) return { kind: 'apply' };
  if (isFinal(from)) return { kind: 'refuse', reason: `${from} is final; ${to} would regress it (only money arriving late sends it to review)` };
  return { kind: 'refuse', reason: `${from} → ${to} is not an allowed transition` };
}

/** Why a person must look at an order, a card charge or a bank line (the Prisma enum ReviewReason mirrors this list). */
export const reviewReasons = [
  'UNDERPAID',
  'OVERPAID',
  'LATE_PAYMENT',
  'UNCONFIRMED_OUTCOME',
  'PROVIDER_STATUS_UNKNOWN',
  'CONTRADICTED',
  'UNMATCHED_PAYMENT',
  'DUPLICATE_PAYMENT',
] as const;
export type ReviewReason = (typeof reviewReasons)[number];

/**
 * What a provider's "succeeded" means for an order, given what it says moved.
 * Exact amount: succeeded. Different amount: review, with the reason.
 */
export function statusForAmount(expected: bigint, received: bigint | undefined): { status: OrderStatus; reason?: ReviewReason } {
  if (received === undefined || received === expected) return { status: 'SUCCEEDED' };
  return { status: 'NEEDS_REVIEW', reason: received < expected ? 'UNDERPAID' : 'OVERPAID' };
}
