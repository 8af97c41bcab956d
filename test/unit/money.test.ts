import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dongToNumber, formatDong, MoneyFormatError, parseDong, parsePositiveDong } from '../../src/domain/money.js';

describe('parseDong', () => {
  it.each([
    [100000, 100000n],
    ['100000', 100000n],
    ['200000.00', 200000n],
    ['50000.0', 50000n],
    ['100.000', 100000n],
    ['1.000.000', 1000000n],
    ['1,500,000', 1500000n],
    ['-1000000', -1000000n],
    [' 25000 ', 25000n],
    [0, 0n],
  ])('reads %j as %s đồng', (input, expected) => {
    expect(parseDong(input)).toBe(expected);
  });

  it.each([['1.5'], ['100.50'], [1.5], ['200000.01'], ['abc'], [''], ['1.00.000'], ['1,0000'], [Number.NaN], [Infinity], [null], [{}], ['1e5'], [2 ** 60]])(
    'refuses %j',
    (input) => {
      expect(() => parseDong(input)).toThrow(MoneyFormatError);
    },
  );

  it('passes a bigint through', () => {
    expect(parseDong(12n)).toBe(12n);
  });

  it('refuses zero and negatives where a positive amount is required', () => {
    expect(() => parsePositiveDong('0')).toThrow(MoneyFormatError);
    expect(() => parsePositiveDong(-5)).toThrow(MoneyFormatError);
    expect(parsePositiveDong('100.000')).toBe(100000n);
  });

  it('round-trips every safe integer through every printed form', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        const grouped = String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
        expect(parseDong(n)).toBe(BigInt(n));
        expect(parseDong(String(n))).toBe(BigInt(n));
        expect(parseDong(`${n}.00`)).toBe(BigInt(n));
        expect(parseDong(grouped)).toBe(BigInt(n));
      }),
    );
  });
});

describe('formatting', () => {
  it('prints đồng with dots between thousands', () => {
    expect(formatDong(1500000n)).toBe('1.500.000 ₫');
    expect(formatDong(-999n)).toBe('-999 ₫');
  });
  it('refuses to hand a provider an amount a double cannot hold', () => {
    expect(dongToNumber(100000n)).toBe(100000);
    expect(() => dongToNumber(2n ** 60n)).toThrow(MoneyFormatError);
  });
});
