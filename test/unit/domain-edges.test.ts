// The edges of the pure domain rules: each error says why, each boundary is on
// the right side, each anchor holds. (Written to kill what mutation testing
// showed the other unit tests let through.)
import { describe, expect, it } from 'vitest';
import { dongToNumber, formatDong, MoneyFormatError, parseDong, parsePositiveDong } from '../../src/domain/money.js';
import { formatVietnamDate, formatVietnamTime, parseVietnamTime } from '../../src/domain/time.js';
import { containsControlCharacters, hasControlCharacters, isReference } from '../../src/domain/text.js';

const reason = (input: unknown, parse: (value: unknown) => bigint = parseDong) => {
  try {
    parse(input);
  } catch (error) {
    expect(error).toBeInstanceOf(MoneyFormatError);
    expect((error as MoneyFormatError).name).toBe('MoneyFormatError');
    expect((error as MoneyFormatError).input).toBe(input);
    return (error as Error).message;
  }
  throw new Error(`${String(input)} was accepted`);
};

describe('money: why an amount is refused', () => {
  it('names the reason and the input', () => {
    expect(reason(Number.NaN)).toBe('not a whole number of đồng (not finite): null');
    expect(reason(Infinity)).toBe('not a whole number of đồng (not finite): null');
    expect(reason(1.5)).toBe('not a whole number of đồng (fractional): 1.5');
    expect(reason(2 ** 60)).toBe(`not a whole number of đồng (beyond exact range): ${2 ** 60}`);
    expect(reason(true)).toBe('not a whole number of đồng (not a number or string): true');
    expect(reason('abc')).toBe('not a whole number of đồng (malformed): "abc"');
    expect(reason(0n, parsePositiveDong)).toBe('not a whole number of đồng (not positive): "0"');
    expect(reason('-5', parsePositiveDong)).toBe('not a whole number of đồng (not positive): "-5"');
  });

  it('tells a fraction from garbage', () => {
    for (const fraction of ['1.5', '12.55', '-1.5', '.5', '1.50', ' 3.25 ']) expect(reason(fraction), fraction).toMatch(/\(fractional\)/);
    for (const garbage of ['x1.5', '1.5x', '1.5.5x', '1..5', '1.', '-', '']) expect(reason(garbage), garbage).toMatch(/\(malformed\)/);
  });

  it('converts to a JSON number exactly up to the safe range, and refuses past it', () => {
    expect(dongToNumber(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(dongToNumber(BigInt(Number.MIN_SAFE_INTEGER))).toBe(Number.MIN_SAFE_INTEGER);
    expect(() => dongToNumber(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toThrow('beyond exact range');
    expect(() => dongToNumber(BigInt(Number.MIN_SAFE_INTEGER) - 1n)).toThrow('beyond exact range');
  });

  it('formats zero and negatives for people', () => {
    expect(formatDong(0n)).toBe('0 ₫');
    expect(formatDong(-1_500_000n)).toBe('-1.500.000 ₫');
    expect(formatDong(999n)).toBe('999 ₫');
  });
});

describe('Vietnam time: what is a valid provider time', () => {
  const at = (text: string) => parseVietnamTime(text)?.toISOString() ?? null;

  it('accepts each field at its limits, in both shapes, with or without seconds, around spaces', () => {
    expect(at('01/01/2026 00:00:00')).toBe('2025-12-31T17:00:00.000Z');
    expect(at('31/12/2026 23:59:59')).toBe('2026-12-31T16:59:59.000Z');
    expect(at('2026-01-01 23:59')).toBe('2026-01-01T16:59:00.000Z');
    expect(at('2026-01-01T07:00:00')).toBe('2026-01-01T00:00:00.000Z');
    expect(at('  15/04/2026 09:30  ')).toBe('2026-04-15T02:30:00.000Z');
    expect(at(' 2026-04-15 09:30:00\n')).toBe('2026-04-15T02:30:00.000Z');
  });

  it('refuses a field past its limit, a day the month lacks, and anything around the time', () => {
    for (const text of [
      '15/00/2026 09:30', '15/13/2026 09:30', '00/04/2026 09:30', '32/04/2026 09:30', '31/04/2026 09:30', '29/02/2026 09:30',
      '15/04/2026 24:00', '15/04/2026 09:60', '15/04/2026 09:30:60', '2026-04-15 09:60:00', '2026-04-15 09:30:60',
      'x15/04/2026 09:30', '15/04/2026 09:30x', 'x2026-04-15 09:30:00', '2026-04-15 09:30:00x', '2026-04-15', '',
    ]) expect(at(text), text).toBeNull();
  });

  it('formats an instant in Vietnam’s calendar', () => {
    expect(formatVietnamTime(new Date('2026-04-14T17:00:00Z'))).toBe('2026-04-15 00:00:00');
    expect(formatVietnamDate(new Date('2026-04-14T16:59:59Z'))).toBe('2026-04-14');
  });
});

describe('text: control characters and references', () => {
  it('finds a control character in any string, key or element, however deep', () => {
    expect(containsControlCharacters(['ok', 'bad\u0000'])).toBe(true);
    expect(containsControlCharacters(['ok', 'fine'])).toBe(false);
    expect(containsControlCharacters({ ['k\u0007']: 'v' })).toBe(true);
    expect(containsControlCharacters({ a: 'ok', b: { c: ['x', 'y\u001f'] } })).toBe(true);
    expect(containsControlCharacters({ a: 'ok', b: 'fine' })).toBe(false);
    expect(containsControlCharacters({})).toBe(false);
    expect(containsControlCharacters(['\u0001'].join(''))).toBe(true);
    for (const value of [null, undefined, 0, 1, true, false]) expect(containsControlCharacters(value)).toBe(false);
    expect(hasControlCharacters('tab\there')).toBe(false);
    expect(hasControlCharacters('del\u007f')).toBe(true);
  });

  it('takes short printable ASCII as a reference, nothing else', () => {
    expect(isReference('PG-ABC_123')).toBe(true);
    expect(isReference('x'.repeat(128))).toBe(true);
    for (const value of ['', 'x'.repeat(129), 'with space', 'đơn', 'a\nb']) expect(isReference(value), value).toBe(false);
  });
});
