// The decision table, row by row: one case per row (a row without a case
// fails the last test), then the rules as properties over every input.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decide, decisionTable, evidenceOf, ruleText, type Decision, type DecisionInput, type Evidence } from '../../src/domain/decision-policy.js';
import { judgeTransition, orderStatuses } from '../../src/domain/order-status.js';

const base: DecisionInput = { subject: 'collect', status: 'PENDING', expected: 100_000n, evidence: { kind: 'pending' }, trust: 'evidence', cause: 'POLL', pastDeadline: false };
const input = (over: Partial<DecisionInput>): DecisionInput => ({ ...base, ...over });

type Case = [name: string, input: DecisionInput, expected: Decision];

const cases: Case[] = [
  ['an unsigned callback claiming success is confirmed first', input({ trust: 'claim', cause: 'CALLBACK', evidence: { kind: 'moved', amount: 100_000n } }), { kind: 'confirm', rule: 'claim-is-confirmed-first' }],
  ['a person accepts an order under review', input({ status: 'NEEDS_REVIEW', cause: 'MANUAL', evidence: { kind: 'person', outcome: 'SUCCEEDED' } }), { kind: 'move', to: 'SUCCEEDED', rule: 'person-settles-a-review' }],
  ['a person cancels an unpaid order', input({ cause: 'MANUAL', evidence: { kind: 'person', outcome: 'CANCELLED' } }), { kind: 'move', to: 'CANCELLED', rule: 'person-cancels-an-open-order' }],
  [
    'a person cannot fail a succeeded order',
    input({ status: 'SUCCEEDED', cause: 'MANUAL', evidence: { kind: 'person', outcome: 'FAILED' } }),
    { kind: 'refuse', why: 'a SUCCEEDED order cannot be moved to FAILED by hand', rule: 'person-cannot-override' },
  ],
  ['no answer before the deadline changes nothing', input({ evidence: { kind: 'unreachable' } }), { kind: 'keep', rule: 'no-answer-teaches-nothing' }],
  ['a second bank line for a paid order flags the line', input({ status: 'SUCCEEDED', cause: 'MATCH', evidence: { kind: 'moved', amount: 100_000n } }), { kind: 'flag-payment', reason: 'DUPLICATE_PAYMENT', rule: 'second-payment-is-flagged' }],
  ['success reported again on a succeeded order', input({ status: 'SUCCEEDED', cause: 'CALLBACK', evidence: { kind: 'moved', amount: 100_000n } }), { kind: 'keep', rule: 'success-confirmed-again' }],
  ['a failure word about a succeeded order flags it, status kept', input({ status: 'SUCCEEDED', cause: 'CALLBACK', evidence: { kind: 'failure-word' } }), { kind: 'flag', reason: 'CONTRADICTED', rule: 'success-contradicted' }],
  ['an unknown value about a succeeded order is recorded', input({ status: 'SUCCEEDED', evidence: { kind: 'unknown' } }), { kind: 'record', rule: 'success-with-unknown-word-recorded' }],
  ['money reported on an order under review is recorded for the person', input({ status: 'NEEDS_REVIEW', evidence: { kind: 'moved', amount: 1n } }), { kind: 'record', rule: 'review-sees-the-report' }],
  ['pending about an order under review adds nothing', input({ status: 'NEEDS_REVIEW', evidence: { kind: 'pending' } }), { kind: 'keep', rule: 'review-ignores-pending' }],
  [
    'money arriving on an expired collection: late payment',
    input({ status: 'EXPIRED', cause: 'CALLBACK', evidence: { kind: 'moved', amount: 100_000n } }),
    { kind: 'move', to: 'NEEDS_REVIEW', reason: 'LATE_PAYMENT', settledAmount: 100_000n, rule: 'late-payment' },
  ],
  ['an unknown value about a failed order is recorded', input({ status: 'FAILED', evidence: { kind: 'unknown' } }), { kind: 'record', rule: 'closed-with-unknown-word-recorded' }],
  ['pending about an expired order agrees with it', input({ status: 'EXPIRED', evidence: { kind: 'pending' } }), { kind: 'keep', rule: 'closed-stays-closed' }],
  ['the amount asked arrived: succeeded', input({ evidence: { kind: 'moved', amount: 100_000n } }), { kind: 'move', to: 'SUCCEEDED', rule: 'paid-in-full' }],
  [
    'less than asked arrived: review, underpaid',
    input({ evidence: { kind: 'moved', amount: 90_000n } }),
    { kind: 'move', to: 'NEEDS_REVIEW', reason: 'UNDERPAID', settledAmount: 90_000n, rule: 'paid-another-amount' },
  ],
  ['a documented refusal fails a payout', input({ subject: 'payout', cause: 'API', evidence: { kind: 'refused' } }), { kind: 'move', to: 'FAILED', rule: 'documented-refusal-fails' }],
  ['a failure word closes a collection', input({ evidence: { kind: 'failure-word' } }), { kind: 'move', to: 'FAILED', rule: 'failure-word-closes-collection' }],
  ['an expiry word expires a collection', input({ evidence: { kind: 'expiry-word' } }), { kind: 'move', to: 'EXPIRED', rule: 'expiry-word-closes-collection' }],
  [
    'a failure word on a payout goes to review, never FAILED',
    input({ subject: 'payout', status: 'PROCESSING', evidence: { kind: 'failure-word' } }),
    { kind: 'move', to: 'NEEDS_REVIEW', reason: 'PROVIDER_STATUS_UNKNOWN', rule: 'undocumented-word-on-money-out-to-review' },
  ],
  ['inconsistent card reports go to review', input({ subject: 'card', evidence: { kind: 'inconsistent' } }), { kind: 'move', to: 'NEEDS_REVIEW', reason: 'CONTRADICTED', rule: 'inconsistent-to-review' }],
  ['the provider says it is processing', input({ subject: 'payout', evidence: { kind: 'pending', processing: true } }), { kind: 'move', to: 'PROCESSING', rule: 'provider-is-processing' }],
  ['an unknown value before the deadline is kept raw', input({ evidence: { kind: 'unknown' } }), { kind: 'keep', rule: 'not-yet' }],
  ['unpaid at the deadline: expired', input({ cause: 'EXPIRY', pastDeadline: true, evidence: { kind: 'pending' } }), { kind: 'move', to: 'EXPIRED', rule: 'unpaid-at-deadline-expires' }],
  ['a payout the provider does not know at the deadline: failed', input({ subject: 'payout', cause: 'EXPIRY', pastDeadline: true, evidence: { kind: 'not-found' } }), { kind: 'move', to: 'FAILED', rule: 'not-created-at-deadline-fails' }],
  [
    'a payout still pending at the deadline: review',
    input({ subject: 'payout', status: 'PROCESSING', cause: 'EXPIRY', pastDeadline: true, evidence: { kind: 'pending', processing: true } }),
    { kind: 'move', to: 'NEEDS_REVIEW', reason: 'UNCONFIRMED_OUTCOME', rule: 'unconfirmed-at-deadline-to-review' },
  ],
  [
    'an unknown value at the deadline: review, never expired',
    input({ cause: 'EXPIRY', pastDeadline: true, evidence: { kind: 'unknown' } }),
    { kind: 'move', to: 'NEEDS_REVIEW', reason: 'PROVIDER_STATUS_UNKNOWN', rule: 'unknown-at-deadline-to-review' },
  ],
];

describe('the decision table', () => {
  it.each(cases)('%s', (_name, given, expected) => {
    expect(decide(given)).toEqual(expected);
  });

  it('has a case for every row, and every row is reachable by its case', () => {
    const covered = new Set(cases.map(([, , expected]) => expected.rule));
    expect(decisionTable.map((row) => row.id).filter((id) => !covered.has(id))).toEqual([]);
  });
});

const evidences: fc.Arbitrary<Evidence> = fc.oneof(
  fc.record({ kind: fc.constant('moved' as const), amount: fc.option(fc.bigInt({ min: 1n, max: 300_000n }), { nil: undefined }) }).map((e) => (e.amount === undefined ? { kind: 'moved' as const } : e)),
  fc.constantFrom<Evidence>(
    { kind: 'refused' },
    { kind: 'failure-word' },
    { kind: 'expiry-word' },
    { kind: 'pending' },
    { kind: 'pending', processing: true },
    { kind: 'not-found' },
    { kind: 'unknown' },
    { kind: 'unreachable' },
    { kind: 'inconsistent' },
  ),
);
const inputs: fc.Arbitrary<DecisionInput> = fc.record({
  subject: fc.constantFrom('collect' as const, 'payout' as const, 'card' as const),
  status: fc.constantFrom(...orderStatuses),
  expected: fc.constant(100_000n),
  evidence: evidences,
  trust: fc.constantFrom('evidence' as const, 'claim' as const),
  cause: fc.constantFrom('API' as const, 'CALLBACK' as const, 'POLL' as const, 'MATCH' as const, 'EXPIRY' as const),
  pastDeadline: fc.boolean(),
});

describe('the edges the rows hinge on', () => {
  it.each<[string, DecisionInput, Partial<Decision>]>([
    ['a person cancels an order the provider is processing', input({ status: 'PROCESSING', cause: 'MANUAL', evidence: { kind: 'person', outcome: 'CANCELLED' } }), { kind: 'move', to: 'CANCELLED' }],
    ['a person cannot cancel an order under review', input({ status: 'NEEDS_REVIEW', cause: 'MANUAL', evidence: { kind: 'person', outcome: 'CANCELLED' } }), { kind: 'refuse', rule: 'person-cannot-override' }],
    ['a success that states no amount is paid in full', input({ evidence: { kind: 'moved' } }), { kind: 'move', to: 'SUCCEEDED', rule: 'paid-in-full' }],
    ['any amount pays an order that asked none', input({ expected: undefined, evidence: { kind: 'moved', amount: 90_000n } }), { kind: 'move', to: 'SUCCEEDED', rule: 'paid-in-full' }],
    ['more than asked: review, overpaid', input({ evidence: { kind: 'moved', amount: 110_000n } }), { kind: 'move', to: 'NEEDS_REVIEW', reason: 'OVERPAID', settledAmount: 110_000n }],
  ])('%s', (_name, given, expected) => {
    expect(decide(given)).toMatchObject(expected);
  });

  it('gives each rule in words', () => {
    for (const row of decisionTable) expect(ruleText(row.id)).toBe(row.says);
  });
});

describe('the rules, over every input', () => {
  it('decides every input, and every move is an allowed transition', () => {
    fc.assert(
      fc.property(inputs, (given) => {
        const decision = decide(given);
        if (decision.kind === 'move') expect(judgeTransition(given.status, decision.to).kind).toBe('apply');
      }),
    );
  });

  it('never changes SUCCEEDED', () => {
    fc.assert(
      fc.property(inputs, (given) => {
        expect(decide({ ...given, status: 'SUCCEEDED' }).kind).not.toBe('move');
      }),
    );
  });

  it('never applies a claim: it is confirmed first', () => {
    fc.assert(
      fc.property(inputs, (given) => {
        expect(decide({ ...given, trust: 'claim' }).kind).toBe('confirm');
      }),
    );
  });

  it('never fails money going out except on a documented refusal or the provider not knowing it at the deadline', () => {
    fc.assert(
      fc.property(inputs, (given) => {
        const decision = decide({ ...given, subject: 'payout', trust: 'evidence' });
        if (decision.kind === 'move' && decision.to === 'FAILED') {
          expect(given.evidence.kind === 'refused' || (given.evidence.kind === 'not-found' && given.pastDeadline)).toBe(true);
        }
      }),
    );
  });

  it('never expires an order on an undocumented value', () => {
    fc.assert(
      fc.property(inputs, (given) => {
        expect(decide({ ...given, trust: 'evidence', evidence: { kind: 'unknown' } })).not.toMatchObject({ kind: 'move', to: 'EXPIRED' });
      }),
    );
  });

  it('leaves nothing open past the deadline', () => {
    fc.assert(
      fc.property(inputs, (given) => {
        const decision = decide({ ...given, trust: 'evidence', pastDeadline: true, status: given.status === 'PROCESSING' ? 'PROCESSING' : 'PENDING' });
        expect(decision.kind).toBe('move');
        expect(['PENDING', 'PROCESSING']).not.toContain((decision as { to: string }).to);
      }),
    );
  });

  it('opens a review with a reason whenever it sends an order to review', () => {
    fc.assert(
      fc.property(inputs, (given) => {
        const decision = decide(given);
        if (decision.kind === 'move' && decision.to === 'NEEDS_REVIEW') expect(decision.reason).toBeTruthy();
      }),
    );
  });
});

describe('reading a report as evidence', () => {
  it.each([
    [{ status: 'SUCCEEDED' as const, amount: 5n }, { kind: 'moved', amount: 5n }],
    [{ status: 'SUCCEEDED' as const }, { kind: 'moved' }],
    [{ status: 'FAILED' as const }, { kind: 'failure-word' }],
    [{ status: 'FAILED' as const, documented: true }, { kind: 'refused' }],
    [{ status: 'CANCELLED' as const }, { kind: 'failure-word' }],
    [{ status: 'EXPIRED' as const }, { kind: 'expiry-word' }],
    [{ status: 'PENDING' as const }, { kind: 'pending' }],
    [{ status: 'PROCESSING' as const }, { kind: 'pending', processing: true }],
    [{ status: null }, { kind: 'unknown' }],
    [{ status: null, notFound: true }, { kind: 'not-found' }],
    [{ status: 'EXPIRED' as const, documented: true }, { kind: 'refused' }],
  ])('%o is %o', (report, evidence) => {
    // Strict: a success without an amount carries no `amount` key at all.
    expect(evidenceOf(report)).toStrictEqual(evidence);
  });
});
