import { describe, it, expect } from 'vitest';
import { cardSign, cardSignMatches } from '../../../src/providers/card/index.js';
import { providerSign } from '../../../src/sandbox/card/signing.js';

// Vectors computed outside the project code:
const vectors = [
  {
    // printf '%s' 'sandbox-partner-key312821445892982' '10004783347874' | openssl dgst -md5
    key: 'sandbox-partner-key',
    code: '312821445892982',
    serial: '10004783347874',
    sign: '8082da943b6b9e4488614be705b0f7c3',
  },
  {
    // printf '%s' 'e2a5c1f0b7d94c3a664196324427089801001443088' | openssl dgst -md5
    key: 'e2a5c1f0b7d94c3a',
    code: '664196324427',
    serial: '089801001443088', // leading zero kept: serials are text, not numbers
    sign: '55297192ca143ad50fc2714b6638bb47',
  },
  {
    // python3 -c "import hashlib;print(hashlib.md5(b'test-key-\xc3\xa9'+b'ZX1234567'+b'AB1234567890').hexdigest())"
    key: 'test-key-é', // UTF-8 bytes of the key
    code: 'ZX1234567',
    serial: 'AB1234567890',
    sign: '6a51a61b670d9fd5fc6f34a5435afedd',
  },
];

describe('card sign md5(partner_key + code + serial)', () => {
  it.each(vectors)('signs $code/$serial as openssl does', ({ key, code, serial, sign }) => {
    expect(cardSign(key, code, serial)).toBe(sign);
  });

  it.each(vectors)('the simulator signs $code/$serial the same way, independently', ({ key, code, serial, sign }) => {
    expect(providerSign(key, code, serial)).toBe(sign);
  });

  it('accepts the matching lower-case sign and refuses any other', () => {
    const { key, code, serial, sign } = vectors[0]!;
    expect(cardSignMatches(key, code, serial, sign)).toBe(true);
    expect(cardSignMatches(key, code, serial, sign.toUpperCase())).toBe(false);
    expect(cardSignMatches(key, code, serial, sign.slice(0, -1) + (sign.endsWith('3') ? '4' : '3'))).toBe(false);
    expect(cardSignMatches(key, code, serial, sign.slice(0, 10))).toBe(false);
    expect(cardSignMatches(key, code, serial, '')).toBe(false);
    expect(cardSignMatches('other-key', code, serial, sign)).toBe(false);
  });

  it('signs without a separator, so moving the split between code and serial keeps the sign (a weakness the per-telco shapes narrow)', () => {
    expect(cardSign('k', '12', '345')).toBe(cardSign('k', '123', '45'));
  });
});
