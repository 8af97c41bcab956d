// The edges of matching a statement line to an order: code-shaped windows
// only, an outgoing line never pays, a negative amount is a magnitude, an
// ambiguous line names its orders in a stable order, and each note says why.
import { describe, expect, it } from 'vitest';
import { decideMatch, matchNote, outcomeFor, transferCodeCandidates } from '../../src/domain/payment-matching.js';

describe('matching edges', () => {
  it('offers only windows that are whole transfer codes', () => {
    expect(transferCodeCandidates('PGABCD2345 and PGABCD1234 and PGAB')).toEqual(['PGABCD2345']);
    expect(transferCodeCandidates('xx PGABCDEFGI')).toEqual([]);
  });

  it('never lets an outgoing line pay, even one naming an order with its amount', () => {
    const order = { id: 'o1', code: 'PGABCD2345', amount: 100n, status: 'PENDING' as const };
    expect(decideMatch({ direction: 'OUT', amount: 100n, text: 'PGABCD2345' }, [order])).toEqual({ kind: 'unmatched', reason: 'OUTGOING' });
  });

  it('reads a negative line amount as what was received', () => {
    expect(outcomeFor({ amount: 100n, status: 'PENDING' }, { amount: -100n })).toEqual({ kind: 'settle', to: 'SUCCEEDED' });
    expect(outcomeFor({ amount: 100n, status: 'PENDING' }, { amount: -60n })).toEqual({ kind: 'settle', to: 'NEEDS_REVIEW', reason: 'UNDERPAID', expected: 100n, received: 60n });
  });

  it('names the orders of an ambiguous line sorted, whatever order they were found in', () => {
    const orders = ['o3', 'o1', 'o2'].map((id, i) => ({ id, code: `PGABCD234${i + 5}`, amount: 100n, status: 'PENDING' as const }));
    const decision = decideMatch({ direction: 'IN', amount: 90n, text: 'PGABCD2345 PGABCD2346 PGABCD2347' }, orders);
    expect(decision).toEqual({ kind: 'unmatched', reason: 'AMBIGUOUS', orderIds: ['o1', 'o2', 'o3'] });
    expect(matchNote(decision)).toBe('ambiguous: the description names 3 orders (o1, o2, o3) and the amount does not single one out');
  });

  it('says whether an extra payment came after the order was settled or closed', () => {
    expect(matchNote({ kind: 'extra', reason: 'ALREADY_SETTLED', orderStatus: 'SUCCEEDED' })).toBe('extra payment: the order was already SUCCEEDED when this transfer was matched');
    expect(matchNote({ kind: 'extra', reason: 'ORDER_CLOSED', orderStatus: 'EXPIRED' })).toBe('extra payment: the order was EXPIRED when this transfer arrived; refund or settle it by hand');
    expect(matchNote({ kind: 'unmatched', reason: 'NO_CODE' })).toBeNull();
    expect(matchNote({ kind: 'link', orderId: 'o1', outcome: { kind: 'settle', to: 'SUCCEEDED' } })).toBeNull();
  });
});
