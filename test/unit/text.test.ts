import { describe, expect, it } from 'vitest';
import { containsControlCharacters, hasControlCharacters } from '../../src/domain/text.js';

describe('text we store', () => {
  it('refuses NUL and other control characters, keeps Vietnamese, tabs and newlines', () => {
    expect(hasControlCharacters('Cửa hàng Hoa\tTầng 2\nHà Nội')).toBe(false);
    expect(hasControlCharacters('a\u0000b')).toBe(true);
    expect(hasControlCharacters('\u001b[31m')).toBe(true);
    expect(hasControlCharacters('\u007f')).toBe(true);
  });
  it('looks inside objects, arrays and keys', () => {
    expect(containsControlCharacters({ a: ['x', { b: 'ok' }] })).toBe(false);
    expect(containsControlCharacters({ a: ['x', { b: 'n\u0000' }] })).toBe(true);
    expect(containsControlCharacters({ ['k\u0001']: 1 })).toBe(true);
  });
});

describe('references', () => {
  it('are 1–128 printable ASCII characters without spaces', async () => {
    const { isReference } = await import('../../src/domain/text.js');
    expect(isReference('PGMWWJUOF12AB')).toBe(true);
    for (const bad of ['', ' ', 'a b', 'x\u0000', 'Đơn1', 'x'.repeat(129)]) expect(isReference(bad)).toBe(false);
  });
});
