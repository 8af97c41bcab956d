import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { finalStatuses, isFinal, judgeTransition, orderStatuses, statusForAmount } from '../../src/domain/order-status.js';

describe('order status transitions', () => {
  it('never lets a final status move, except to review when money turns up after all (late payment)', () => {
    for (const from of finalStatuses) {
      for (const to of orderStatuses) {
        const verdict = judgeTransition(from, to);
        const lateToReview = from !== 'SUCCEEDED' && to === 'NEEDS_REVIEW' && verdict.kind === 'apply';
        expect(verdict.kind === 'refuse' || (verdict.kind === 'noop' && from === to) || lateToReview).toBe(true);
      }
    }
    expect(judgeTransition('SUCCEEDED', 'NEEDS_REVIEW').kind).toBe('refuse');
    expect(judgeTransition('EXPIRED', 'SUCCEEDED')).toEqual({ kind: 'refuse', reason: 'EXPIRED is final; SUCCEEDED would regress it (only money arriving late sends it to review)' });
  });

  it('takes a repeated report as a no-op', () => {
    for (const status of orderStatuses) expect(judgeTransition(status, status)).toEqual({ kind: 'noop' });
  });

  it('moves pending and processing forward to any outcome', () => {
    for (const to of ['SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELLED', 'NEEDS_REVIEW'] as const) {
      expect(judgeTransition('PENDING', to).kind).toBe('apply');
      expect(judgeTransition('PROCESSING', to).kind).toBe('apply');
    }
    expect(judgeTransition('PENDING', 'PROCESSING').kind).toBe('apply');
  });

  it('refuses to go back from processing to pending', () => {
    expect(judgeTransition('PROCESSING', 'PENDING')).toEqual({ kind: 'refuse', reason: 'PROCESSING → PENDING is not an allowed transition' });
  });

  it('calls final exactly the statuses no report may move', () => {
    expect(orderStatuses.filter(isFinal)).toEqual(['SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELLED']);
  });

  it('lets a review end only in success or failure', () => {
    expect(judgeTransition('NEEDS_REVIEW', 'SUCCEEDED').kind).toBe('apply');
    expect(judgeTransition('NEEDS_REVIEW', 'FAILED').kind).toBe('apply');
    expect(judgeTransition('NEEDS_REVIEW', 'PENDING').kind).toBe('refuse');
    expect(judgeTransition('NEEDS_REVIEW', 'EXPIRED').kind).toBe('refuse');
  });

  it('reaches a final status at most once along any path of reports that no person settles', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...orderStatuses), { maxLength: 30 }), (reports) => {
        let status: (typeof orderStatuses)[number] = 'PENDING';
        let finals = 0;
        for (const report of reports) {
          // Only a person takes an order out of review (cause MANUAL): a path of reports stops there.
          if (status === 'NEEDS_REVIEW') break;
          if (judgeTransition(status, report).kind === 'apply') {
            status = report;
            if (isFinal(status)) finals++;
          }
        }
        expect(finals).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('never leaves SUCCEEDED along any path', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...orderStatuses), { maxLength: 30 }), (reports) => {
        let status: (typeof orderStatuses)[number] = 'SUCCEEDED';
        for (const report of reports) if (judgeTransition(status, report).kind === 'apply') status = report;
        expect(status).toBe('SUCCEEDED');
      }),
    );
  });
});

describe('settling money that arrived', () => {
  it('succeeds on the exact amount or when the provider gives none', () => {
    expect(statusForAmount(100000n, 100000n)).toEqual({ status: 'SUCCEEDED' });
    expect(statusForAmount(100000n, undefined)).toEqual({ status: 'SUCCEEDED' });
  });
  it('sends under- and overpayment to review with the reason', () => {
    expect(statusForAmount(100000n, 90000n)).toEqual({ status: 'NEEDS_REVIEW', reason: 'UNDERPAID' });
    expect(statusForAmount(100000n, 150000n)).toEqual({ status: 'NEEDS_REVIEW', reason: 'OVERPAID' });
  });
});
