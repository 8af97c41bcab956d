// How paygraph decides what a report does to an order or a card charge. One
// table, read top to bottom, first matching row wins; every cause goes
// through it: the provider's answer to our own call (API), a callback (a
// claim, or evidence when its signature covers the status), a status query
// (POLL), a bank line (MATCH), the deadline (EXPIRY) and a person (MANUAL).
//
// The rules it encodes (providers.md, "Revised readings"):
// - A final status is taken automatically only on evidence: a value the
//   provider documents, or its own answer to our call (a status query).
//   Values the documents do not show are kept raw and never make a final
//   status by themselves.
// - Money coming in may be closed on a failure-like word (if money turns up
//   later, the late-payment row catches it). For money going out, anything
//   short of documented success or documented refusal ends in NEEDS_REVIEW:
//   a payout wrongly marked failed invites a second payout.
// - Nothing stays open for ever: past its deadline, "unpaid / not created /
//   not found" closes an order; anything else goes to a person with a reason.
// - No report is dropped without a trace; SUCCEEDED never changes.
// Pure: no I/O. Each row is unit-tested (test/unit/decision-policy.test.ts).
// One file on purpose (over 300 lines): the table is read top to bottom, and
// splitting it would hide which row wins.
import type { OrderStatus, ReviewReason } from './order-status.js';

/**
 * What is being decided about. `collect`: money coming in through a provider
 * (a payer pays). `payout`: money going out. `card`: a scratch card charged
 * (money in, but the provider holds the card while it says "pending", so
 * "pending" at the deadline is not a positive "unpaid").
 */
export type Subject = 'collect' | 'payout' | 'card';

export const decisionCauses = ['API', 'CALLBACK', 'POLL', 'MATCH', 'EXPIRY', 'MANUAL'] as const;
export type DecisionCause = (typeof decisionCauses)[number];

/** What a report says, once read against the provider's documents. */
export type Evidence =
  /** Money moved: a documented success, the provider's own answer that it succeeded, a bank line. */
  | { kind: 'moved'; amount?: bigint }
  /** A documented refusal (an error code from the provider's table, card statuses 3/4/100): nothing moved. */
  | { kind: 'refused' }
  /** A failure-like word the documents do not show (FAILED, ERROR, CANCEL…, REJECTED). */
  | { kind: 'failure-word' }
  /** An expiry-like word the documents do not show (EXPIRED). */
  | { kind: 'expiry-word' }
  /** The provider says not yet (a documented pending value, or a pending-like word); `processing` when it says it is working on it. */
  | { kind: 'pending'; processing?: boolean }
  /** The provider positively says it has no such order (its documented "not found" answer). */
  | { kind: 'not-found' }
  /** A value the documents do not show and no word we can read: kept raw. */
  | { kind: 'unknown' }
  /** No usable answer (network, timeout, 5xx, an answer in no documented shape). */
  | { kind: 'unreachable' }
  /** Two reports about the same charge that cannot both be true, confirmed by a status query. */
  | { kind: 'inconsistent' }
  /** A person's decision. */
  | { kind: 'person'; outcome: 'SUCCEEDED' | 'FAILED' | 'CANCELLED' };

export type EvidenceKind = Evidence['kind'];

export interface DecisionInput {
  subject: Subject;
  status: OrderStatus;
  /** What the order asked for (collect, payout); a card's amounts are checked by its own judge. */
  expected?: bigint;
  evidence: Evidence;
  /** `claim`: an unsigned callback (or one whose status the signature does not cover): a hint, never applied as such. */
  trust: 'evidence' | 'claim';
  cause: DecisionCause;
  /** The order's deadline has passed. */
  pastDeadline: boolean;
}

export type Decision =
  /** Ask the provider (status query) and decide on its answer instead. */
  | { kind: 'confirm'; rule: RuleId }
  /** Change the status (one event), opening a review with `reason` when `to` is NEEDS_REVIEW. */
  | { kind: 'move'; to: OrderStatus; reason?: ReviewReason; settledAmount?: bigint; rule: RuleId }
  /** Keep the status, record an event with the report, and open a review with `reason`. */
  | { kind: 'flag'; reason: ReviewReason; rule: RuleId }
  /** A second payment for an order another payment settled: the order stays; the payment is flagged. */
  | { kind: 'flag-payment'; reason: 'DUPLICATE_PAYMENT'; rule: RuleId }
  /** Keep the status, record an event with the report (a contradiction, or news a person should see). */
  | { kind: 'record'; rule: RuleId }
  /** Nothing to decide: the raw value is kept on the order, nothing else changes. */
  | { kind: 'keep'; rule: RuleId }
  /** A person asked for something the table does not allow. */
  | { kind: 'refuse'; why: string; rule: RuleId };

type Open = 'PENDING' | 'PROCESSING';
const isOpen = (status: OrderStatus): status is Open => status === 'PENDING' || status === 'PROCESSING';
const isClosedUnpaid = (status: OrderStatus) => status === 'FAILED' || status === 'EXPIRED' || status === 'CANCELLED';
const is = (input: DecisionInput, ...kinds: EvidenceKind[]) => kinds.includes(input.evidence.kind);
const movedAmount = (input: DecisionInput) => (input.evidence.kind === 'moved' ? input.evidence.amount : undefined);
/** The amount agrees with the order's (or nothing to compare). */
const amountAgrees = (input: DecisionInput) => {
  const amount = movedAmount(input);
  return amount === undefined || input.expected === undefined || amount === input.expected;
};

interface Row {
  id: string;
  /** In words, for the README and for people reading a decision in an event note. */
  says: string;
  when(input: DecisionInput): boolean;
  then(input: DecisionInput): DistributiveOmit<Decision, 'rule'>;
}
type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;

/** The table. Order matters: the first row whose `when` holds decides. */
export const decisionTable = [
  // ---- who is speaking --------------------------------------------------------
  {
    id: 'claim-is-confirmed-first',
    says: 'An unsigned report (or one whose status the signature does not cover) is a hint: ask the provider, decide on its answer.',
    when: (i) => i.trust === 'claim' && i.evidence.kind !== 'person',
    then: () => ({ kind: 'confirm' }),
  },
  {
    id: 'person-settles-a-review',
    says: 'A person takes an order out of review: succeeded or failed.',
    when: (i) => i.evidence.kind === 'person' && i.status === 'NEEDS_REVIEW' && i.evidence.outcome !== 'CANCELLED',
    then: (i) => ({ kind: 'move', to: (i.evidence as { outcome: 'SUCCEEDED' | 'FAILED' }).outcome }),
  },
  {
    id: 'person-cancels-an-open-order',
    says: 'A person cancels an order nobody has paid yet (our own orders, or where the provider allows).',
    when: (i) => i.evidence.kind === 'person' && isOpen(i.status) && i.evidence.outcome === 'CANCELLED',
    then: () => ({ kind: 'move', to: 'CANCELLED' }),
  },
  {
    id: 'person-cannot-override',
    says: 'Anything else a person asks is refused: a person settles reviews and cancels open orders, and never reverses a final status.',
    when: (i) => i.evidence.kind === 'person',
    then: (i) => ({ kind: 'refuse', why: `a ${i.status} order cannot be moved to ${(i.evidence as { outcome: string }).outcome} by hand` }),
  },
  {
    id: 'no-answer-teaches-nothing',
    says: 'No usable answer changes nothing, except on an open order past its deadline.',
    when: (i) => is(i, 'unreachable') && !(isOpen(i.status) && i.pastDeadline),
    then: () => ({ kind: 'keep' }),
  },
  // ---- a second payment ---------------------------------------------------------
  {
    id: 'second-payment-is-flagged',
    says: 'A bank line for an order another payment already settled (or sent to review) leaves the order alone; the line goes to review as a duplicate payment.',
    when: (i) => i.cause === 'MATCH' && is(i, 'moved') && (i.status === 'SUCCEEDED' || i.status === 'NEEDS_REVIEW'),
    then: () => ({ kind: 'flag-payment', reason: 'DUPLICATE_PAYMENT' }),
  },
  // ---- SUCCEEDED never changes ----------------------------------------------------
  {
    id: 'success-confirmed-again',
    says: 'A succeeded order reported succeeded again (same amount): nothing to do.',
    when: (i) => i.status === 'SUCCEEDED' && is(i, 'moved') && amountAgrees(i),
    then: () => ({ kind: 'keep' }),
  },
  {
    id: 'success-contradicted',
    says: 'A report that contradicts a succeeded order (another amount, a refusal, a failure or expiry word, pending, not found, inconsistent) keeps SUCCEEDED, is recorded, and flags the order for review.',
    when: (i) => i.status === 'SUCCEEDED' && is(i, 'moved', 'refused', 'failure-word', 'expiry-word', 'pending', 'not-found', 'inconsistent'),
    then: () => ({ kind: 'flag', reason: 'CONTRADICTED' }),
  },
  {
    id: 'success-with-unknown-word-recorded',
    says: 'An undocumented value about a succeeded order is recorded with its raw payload; the status stays.',
    when: (i) => i.status === 'SUCCEEDED',
    then: () => ({ kind: 'record' }),
  },
  // ---- under review: a person decides ----------------------------------------------
  {
    id: 'review-sees-the-report',
    says: 'A report about an order under review is recorded for the person deciding; nothing moves on its own.',
    when: (i) => i.status === 'NEEDS_REVIEW' && !is(i, 'pending'),
    then: () => ({ kind: 'record' }),
  },
  {
    id: 'review-ignores-pending',
    says: 'A "still pending" about an order under review adds nothing.',
    when: (i) => i.status === 'NEEDS_REVIEW',
    then: () => ({ kind: 'keep' }),
  },
  // ---- closed without money ----------------------------------------------------------
  {
    id: 'late-payment',
    says: 'Money that moves for an expired, failed or cancelled order sends it to review: late payment (money in), contradicted (money out).',
    when: (i) => isClosedUnpaid(i.status) && is(i, 'moved'),
    then: (i) => ({ kind: 'move', to: 'NEEDS_REVIEW', reason: i.subject === 'payout' ? 'CONTRADICTED' : 'LATE_PAYMENT', settledAmount: movedAmount(i) }),
  },
  {
    id: 'closed-with-unknown-word-recorded',
    says: 'An undocumented value, or inconsistent reports, about a closed order are recorded with the raw payload; the status stays.',
    when: (i) => isClosedUnpaid(i.status) && is(i, 'unknown', 'inconsistent'),
    then: () => ({ kind: 'record' }),
  },
  {
    id: 'closed-stays-closed',
    says: 'Pending, refused, failure, expiry or not found about an order closed without money agrees with it: nothing to do.',
    when: (i) => isClosedUnpaid(i.status),
    then: () => ({ kind: 'keep' }),
  },
  // ---- open orders ---------------------------------------------------------------------
  {
    id: 'paid-in-full',
    says: 'Money moved, the amount asked (or none stated): succeeded.',
    when: (i) => is(i, 'moved') && amountAgrees(i),
    then: () => ({ kind: 'move', to: 'SUCCEEDED' }),
  },
  {
    id: 'paid-another-amount',
    says: 'Money moved, another amount than asked: review, underpaid or overpaid, both amounts kept.',
    when: (i) => is(i, 'moved'),
    then: (i) => {
      const amount = movedAmount(i)!;
      return { kind: 'move', to: 'NEEDS_REVIEW', reason: amount < i.expected! ? 'UNDERPAID' : 'OVERPAID', settledAmount: amount };
    },
  },
  {
    id: 'documented-refusal-fails',
    says: 'A documented refusal: nothing moved, failed.',
    when: (i) => is(i, 'refused'),
    then: () => ({ kind: 'move', to: 'FAILED' }),
  },
  {
    id: 'failure-word-closes-collection',
    says: 'Money coming in, a failure-like word the documents do not show: failed (a later payment is caught as late payment).',
    when: (i) => is(i, 'failure-word') && i.subject === 'collect',
    then: () => ({ kind: 'move', to: 'FAILED' }),
  },
  {
    id: 'expiry-word-closes-collection',
    says: 'Money coming in, an expiry-like word the documents do not show: expired.',
    when: (i) => is(i, 'expiry-word') && i.subject === 'collect',
    then: () => ({ kind: 'move', to: 'EXPIRED' }),
  },
  {
    id: 'undocumented-word-on-money-out-to-review',
    says: 'Money going out (or a card), a failure or expiry word the documents do not show: review (provider status unknown), never failed by guess.',
    when: (i) => is(i, 'failure-word', 'expiry-word'),
    then: () => ({ kind: 'move', to: 'NEEDS_REVIEW', reason: 'PROVIDER_STATUS_UNKNOWN' }),
  },
  {
    id: 'inconsistent-to-review',
    says: 'Reports that stay inconsistent after a status query: review (contradicted), never left pending.',
    when: (i) => is(i, 'inconsistent'),
    then: () => ({ kind: 'move', to: 'NEEDS_REVIEW', reason: 'CONTRADICTED' }),
  },
  {
    id: 'provider-is-processing',
    says: 'Before the deadline, the provider says it is working on a pending order: processing.',
    when: (i) => !i.pastDeadline && i.evidence.kind === 'pending' && i.evidence.processing === true && i.status === 'PENDING',
    then: () => ({ kind: 'move', to: 'PROCESSING' }),
  },
  {
    id: 'not-yet',
    says: 'Before the deadline, pending, not found (a provider may not show a new order yet), an undocumented value or no answer: wait, raw value kept.',
    when: (i) => !i.pastDeadline,
    then: () => ({ kind: 'keep' }),
  },
  {
    id: 'unpaid-at-deadline-expires',
    says: 'Money coming in, past the deadline, the provider says pending (unpaid) or not found: expired.',
    when: (i) => i.subject === 'collect' && is(i, 'pending', 'not-found'),
    then: () => ({ kind: 'move', to: 'EXPIRED' }),
  },
  {
    id: 'not-created-at-deadline-fails',
    says: 'Money going out (or a card), past the deadline, the provider says it has no such order: failed (nothing was created).',
    when: (i) => is(i, 'not-found'),
    then: () => ({ kind: 'move', to: 'FAILED' }),
  },
  {
    id: 'unconfirmed-at-deadline-to-review',
    says: 'Money going out (or a card) still pending past the deadline, or no answer at the deadline: review (unconfirmed outcome).',
    when: (i) => is(i, 'pending', 'unreachable'),
    then: () => ({ kind: 'move', to: 'NEEDS_REVIEW', reason: 'UNCONFIRMED_OUTCOME' }),
  },
  {
    id: 'unknown-at-deadline-to-review',
    says: 'Past the deadline, the last word is a value the documents do not show: review (provider status unknown), never expired.',
    when: (i) => is(i, 'unknown'),
    then: () => ({ kind: 'move', to: 'NEEDS_REVIEW', reason: 'PROVIDER_STATUS_UNKNOWN' }),
  },
] as const satisfies readonly Row[];

export type RuleId = (typeof decisionTable)[number]['id'];

export function decide(input: DecisionInput): Decision {
  for (const row of decisionTable as readonly Row[]) {
    if (row.when(input)) return { ...row.then(input), rule: row.id as RuleId } as Decision;
  }
  // Unreachable: the last rows cover every evidence kind on an open order past its deadline.
  throw new Error(`no decision row matches ${JSON.stringify(input, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
}

/** The words a row stands for (for event notes and logs). */
export function ruleText(rule: RuleId): string {
  return decisionTable.find((row) => row.id === rule)!.says;
}

/**
 * A provider report as evidence. `documented`: the provider's documents show
 * this value (only then is a failure a refusal); `notFound`: the provider
 * positively says it has no such order.
 */
export function evidenceOf(report: {
  status: 'PENDING' | 'PROCESSING' | 'SUCCEEDED' | 'FAILED' | 'EXPIRED' | 'CANCELLED' | null;
  documented?: boolean;
  notFound?: boolean;
  amount?: bigint;
}): Evidence {
  if (report.notFound) return { kind: 'not-found' };
  switch (report.status) {
    case null:
      return { kind: 'unknown' };
    case 'SUCCEEDED':
      return report.amount === undefined ? { kind: 'moved' } : { kind: 'moved', amount: report.amount };
    case 'FAILED':
    case 'CANCELLED':
      return report.documented ? { kind: 'refused' } : { kind: 'failure-word' };
    case 'EXPIRED':
      return report.documented ? { kind: 'refused' } : { kind: 'expiry-word' };
    case 'PENDING':
      return { kind: 'pending' };
    case 'PROCESSING':
      return { kind: 'pending', processing: true };
    default: {
      const unhandled: never = report.status;
      throw new Error(`unhandled status ${String(unhandled)}`);
    }
  }
}

/** The review reasons a person can act on, in words (README, review queue). */
export const reviewReasonText: Record<ReviewReason, string> = {
  UNDERPAID: 'less money arrived than the order asked for',
  OVERPAID: 'more money arrived than the order asked for',
  LATE_PAYMENT: 'money arrived for an order that had already expired, failed or been cancelled',
  UNCONFIRMED_OUTCOME: 'the deadline passed and the provider never confirmed the outcome either way',
  PROVIDER_STATUS_UNKNOWN: 'the provider’s last word is a value its documents do not show',
  CONTRADICTED: 'a report contradicts a final status, or two reports cannot both be true',
  UNMATCHED_PAYMENT: 'incoming money names an order code but cannot be tied to one order',
  DUPLICATE_PAYMENT: 'a second payment arrived for an order another payment already settled',
};
