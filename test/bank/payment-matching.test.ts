// The matching rules, without I/O: normalization, code search, and what a
// statement line does to the orders it names.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  containsCode,
  decideMatch,
  isTransferCode,
  matchNote,
  newTransferCode,
  normalizeForMatching,
  outcomeFor,
  TRANSFER_CODE_ALPHABET,
  TRANSFER_CODE_LENGTH,
  transferCodeCandidates,
  type CandidateOrder,
} from '../../src/domain/payment-matching.js';
import { orderStatuses, type OrderStatus } from '../../src/domain/order-status.js';

const order = (overrides: Partial<CandidateOrder> = {}): CandidateOrder => ({ id: 'o1', code: 'PGAB3K7QMN', amount: 150_000n, status: 'PENDING', ...overrides });
const line = (text: string, amount = 150_000n, direction: 'IN' | 'OUT' = 'IN') => ({ text, amount: direction === 'IN' ? amount : -amount, direction });

describe('transfer codes', () => {
  it('are PG plus 8 characters a payer cannot misread (no 0/O, 1/I/L)', () => {
    for (let i = 0; i < 200; i++) {
      const code = newTransferCode();
      expect(code).toMatch(/^PG[A-Z2-9]{8}$/);
      expect(code.slice(2)).not.toMatch(/[01ILO]/);
      expect(isTransferCode(code)).toBe(true);
    }
    expect(TRANSFER_CODE_ALPHABET).not.toMatch(/[01ILO]/);
    expect(new Set(TRANSFER_CODE_ALPHABET).size).toBe(TRANSFER_CODE_ALPHABET.length);
  });

  it('use every letter of the alphabet at every position (the picker decides)', () => {
    const last = TRANSFER_CODE_ALPHABET.length - 1;
    expect(newTransferCode(() => 0)).toBe('PG' + TRANSFER_CODE_ALPHABET[0]!.repeat(8));
    expect(newTransferCode(() => last)).toBe('PG' + TRANSFER_CODE_ALPHABET[last]!.repeat(8));
  });

  it('are told apart from look-alikes', () => {
    expect(isTransferCode('PGAB3K7QMN')).toBe(true);
    expect(isTransferCode('PGAB3K7QM')).toBe(false);
    expect(isTransferCode('PGAB3K7QMNX')).toBe(false);
    expect(isTransferCode('XXAB3K7QMN')).toBe(false);
    expect(isTransferCode('PGAB3K7QM0')).toBe(false);
    expect(isTransferCode('pgab3k7qmn')).toBe(false);
  });
});

describe('normalization', () => {
  it.each([
    ['Chuyển tiền đơn hàng', 'CHUYENTIENDONHANG'],
    ['ĐẶNG THỊ Ư', 'DANGTHIU'],
    ['thanh toán pg-ab3k 7qmn.', 'THANHTOANPGAB3K7QMN'],
    ['MBVCB.1234567.PGAB3K7QMN.CT tu 0123 toi 0368', 'MBVCB1234567PGAB3K7QMNCTTU0123TOI0368'],
    ['  ', ''],
    ['Ơn giời, cậu đây rồi!', 'ONGIOICAUDAYROI'],
  ])('%j → %j', (text, expected) => {
    expect(normalizeForMatching(text)).toBe(expected);
  });

  it('handles precomposed and decomposed Vietnamese alike', () => {
    const precomposed = 'Nguyễn Văn Đức';
    expect(normalizeForMatching(precomposed.normalize('NFD'))).toBe(normalizeForMatching(precomposed.normalize('NFC')));
    expect(normalizeForMatching(precomposed)).toBe('NGUYENVANDUC');
  });

  it('only ever yields A–Z and 0–9', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => /^[A-Z0-9]*$/.test(normalizeForMatching(text))));
  });
});

describe('finding a code in a description', () => {
  it.each([
    'PGAB3K7QMN',
    'pgab3k7qmn',
    'PG AB3K 7QMN',
    'PG-AB3K-7QMN',
    'thanh toan PG.AB3K.7QMN don hang',
    'CT DEN:123456 PGAB3K7QMN NGUYEN VAN A chuyen tien',
    'pgAB3k7QmN-',
    'PGĀB3K7QMN', // a diacritic slipped onto a letter of the code
  ])('finds it in %j', (description) => {
    expect(containsCode(description, 'PGAB3K7QMN')).toBe(true);
    expect(transferCodeCandidates(description)).toContain('PGAB3K7QMN');
  });

  it.each(['PGAB3K7QM', 'PGAB3K7QMM', 'PG AB3K', '', 'AB3K7QMN', 'P GAB3K7QM'])('does not find it in %j', (description) => {
    expect(containsCode(description, 'PGAB3K7QMN')).toBe(false);
    expect(transferCodeCandidates(description)).not.toContain('PGAB3K7QMN');
  });

  it('lists every code-shaped window, overlapping ones included', () => {
    expect(transferCodeCandidates('PGPGAB3K7QMN and pg zz99 yyxx')).toEqual(['PGPGAB3K7Q', 'PGAB3K7QMN', 'PGZZ99YYXX']);
    expect(transferCodeCandidates('no code here')).toEqual([]);
  });

  it('finds a code wherever it sits and however it is spaced (property)', () => {
    const codeArb = fc.array(fc.constantFrom(...TRANSFER_CODE_ALPHABET), { minLength: 8, maxLength: 8 }).map((chars) => 'PG' + chars.join(''));
    fc.assert(
      fc.property(codeArb, fc.string(), fc.string(), fc.array(fc.constantFrom(' ', '-', '.', '/', '_'), { maxLength: 10 }), fc.boolean(), (code, before, after, separators, lower) => {
        let spaced = '';
        [...code].forEach((char, i) => (spaced += char + (separators[i] ?? '')));
        const description = `${before} ${lower ? spaced.toLowerCase() : spaced} ${after}`;
        return containsCode(description, code) && transferCodeCandidates(description).includes(code);
      }),
    );
  });

  it('never accepts an empty code', () => {
    expect(containsCode('anything', '')).toBe(false);
    expect(containsCode('anything', '--')).toBe(false);
    expect(TRANSFER_CODE_LENGTH).toBe(10);
  });
});

describe('what a line does to an order', () => {
  it('pays an open order of exactly that amount', () => {
    expect(decideMatch(line('thanh toan PGAB3K7QMN'), [order()])).toEqual({ kind: 'link', orderId: 'o1', outcome: { kind: 'settle', to: 'SUCCEEDED' } });
    expect(decideMatch(line('PGAB3K7QMN'), [order({ status: 'PROCESSING' })])).toMatchObject({ kind: 'link', outcome: { to: 'SUCCEEDED' } });
  });

  it('sends an underpaid order to review with both amounts', () => {
    expect(decideMatch(line('PGAB3K7QMN', 100_000n), [order()])).toEqual({
      kind: 'link',
      orderId: 'o1',
      outcome: { kind: 'settle', to: 'NEEDS_REVIEW', reason: 'UNDERPAID', expected: 150_000n, received: 100_000n },
    });
  });

  it('sends an overpaid order to review with both amounts', () => {
    expect(decideMatch(line('PGAB3K7QMN', 150_001n), [order()])).toEqual({
      kind: 'link',
      orderId: 'o1',
      outcome: { kind: 'settle', to: 'NEEDS_REVIEW', reason: 'OVERPAID', expected: 150_000n, received: 150_001n },
    });
  });

  it('never lets money out pay an order', () => {
    expect(decideMatch(line('PGAB3K7QMN', 150_000n, 'OUT'), [order()])).toEqual({ kind: 'unmatched', reason: 'OUTGOING' });
    expect(decideMatch({ direction: 'IN', amount: 0n, text: 'PGAB3K7QMN' }, [order()])).toEqual({ kind: 'unmatched', reason: 'OUTGOING' });
  });

  it('leaves a line without a known code unmatched', () => {
    expect(decideMatch(line('chuyen tien an trua'), [order()])).toEqual({ kind: 'unmatched', reason: 'NO_CODE' });
    expect(decideMatch(line('PGAB3K7QMN'), [])).toEqual({ kind: 'unmatched', reason: 'NO_CODE' });
  });

  it('ignores candidates whose code the line does not carry', () => {
    expect(decideMatch(line('PGAB3K7QMN'), [order({ id: 'other', code: 'PGZZZZZZZZ' })])).toEqual({ kind: 'unmatched', reason: 'NO_CODE' });
  });

  it.each([
    ['SUCCEEDED', 'ALREADY_SETTLED'],
    ['NEEDS_REVIEW', 'ALREADY_SETTLED'],
    ['EXPIRED', 'ORDER_CLOSED'],
    ['CANCELLED', 'ORDER_CLOSED'],
    ['FAILED', 'ORDER_CLOSED'],
  ] as const)('links a line naming a %s order as an extra payment (%s), whatever the amount', (status, reason) => {
    for (const amount of [150_000n, 1n, 999_999n]) {
      expect(decideMatch(line('PGAB3K7QMN', amount), [order({ status })])).toEqual({ kind: 'link', orderId: 'o1', outcome: { kind: 'extra', reason } });
    }
  });

  describe('with two candidate orders in one description', () => {
    const a = order({ id: 'a', code: 'PGAAAAAAAA', amount: 100_000n });
    const b = order({ id: 'b', code: 'PGBBBBBBBB', amount: 200_000n });
    const text = 'PGAAAAAAAA PGBBBBBBBB';

    it('pays the one open order asking exactly that amount', () => {
      expect(decideMatch(line(text, 200_000n), [a, b])).toEqual({ kind: 'link', orderId: 'b', outcome: { kind: 'settle', to: 'SUCCEEDED' } });
      expect(decideMatch(line(text, 100_000n), [a, b])).toEqual({ kind: 'link', orderId: 'a', outcome: { kind: 'settle', to: 'SUCCEEDED' } });
    });

    it('pays none when no amount singles one out', () => {
      expect(decideMatch(line(text, 150_000n), [a, b])).toEqual({ kind: 'unmatched', reason: 'AMBIGUOUS', orderIds: ['a', 'b'] });
      const same = { ...b, amount: 100_000n };
      expect(decideMatch(line(text, 100_000n), [a, same])).toEqual({ kind: 'unmatched', reason: 'AMBIGUOUS', orderIds: ['a', 'b'] });
    });

    it('does not count a closed order as the exact one', () => {
      expect(decideMatch(line(text, 200_000n), [a, { ...b, status: 'SUCCEEDED' }])).toEqual({ kind: 'unmatched', reason: 'AMBIGUOUS', orderIds: ['a', 'b'] });
    });

    it('explains an ambiguous line', () => {
      const note = matchNote({ kind: 'unmatched', reason: 'AMBIGUOUS', orderIds: ['a', 'b'] });
      expect(note).toMatch(/ambiguous/);
      expect(note).toContain('a, b');
    });
  });

  it('decides every status exhaustively: open statuses settle, the others are extras', () => {
    for (const status of orderStatuses as readonly OrderStatus[]) {
      const outcome = outcomeFor({ amount: 10n, status }, { amount: 10n });
      expect(outcome.kind).toBe(status === 'PENDING' || status === 'PROCESSING' ? 'settle' : 'extra');
    }
  });

  it('settles exactly when the amounts are equal (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 11n }), fc.bigInt({ min: 1n, max: 10n ** 11n }), (expected, paid) => {
        const outcome = outcomeFor({ amount: expected, status: 'PENDING' }, { amount: paid });
        if (outcome.kind !== 'settle') return false;
        if (paid === expected) return outcome.to === 'SUCCEEDED';
        return outcome.to === 'NEEDS_REVIEW' && outcome.reason === (paid < expected ? 'UNDERPAID' : 'OVERPAID') && outcome.received === paid && outcome.expected === expected;
      }),
    );
  });

  it('notes extras and nothing for plain outcomes', () => {
    expect(matchNote({ kind: 'extra', reason: 'ALREADY_SETTLED', orderStatus: 'SUCCEEDED' })).toMatch(/extra payment.*SUCCEEDED/);
    expect(matchNote({ kind: 'extra', reason: 'ORDER_CLOSED', orderStatus: 'EXPIRED' })).toMatch(/extra payment.*EXPIRED/);
    expect(matchNote({ kind: 'unmatched', reason: 'NO_CODE' })).toBeNull();
    expect(matchNote({ kind: 'unmatched', reason: 'OUTGOING' })).toBeNull();
    expect(matchNote({ kind: 'link', orderId: 'x', outcome: { kind: 'settle', to: 'SUCCEEDED' } })).toBeNull();
  });
});
