import { describe, expect, it } from 'vitest';
import { buildSignedString, isValidNonce, phpUrlEncode, signVnKash } from '../../../src/providers/vnkash/signing.js';
import { canonicalString, decodeFormPairs, expectedSignature, nonceInHundredths, phpUrlEncodeSim } from '../../../src/sandbox/vnkash/signature.js';

const secret = 's3cr3t-VNKASH';
const bankLookup = 'account=0102030405&payment=DAB&Nonce=1700000000000';

describe('VNKash signing (known answers computed outside the project)', () => {
  it('signs with hex HMAC-SHA512 of the parameter string by default', () => {
    // printf '%s' 'account=0102030405&payment=DAB&Nonce=1700000000000' | openssl dgst -sha512 -hmac 's3cr3t-VNKASH'
    const expected = '987825876de5a98811b1df7b3e9c5ceddff49d03a1ac9244aeb03aa8ffa77cd93c5b106a54a06cbf0fcf23373ba44ebef54bcdd408779d22a2239a7e705ee72c';
    const signed = buildSignedString(
      [
        ['account', '0102030405'],
        ['payment', 'DAB'],
      ],
      '1700000000000',
    );
    expect(signed).toBe(bankLookup);
    expect(signVnKash(signed, secret, 'hmac-sha512')).toBe(expected);
    expect(expectedSignature(bankLookup, secret, 'hmac-sha512')).toBe(expected);
  });

  it('signs with plain SHA-512 of string + secret when switched to sha512-concat', () => {
    // printf '%s' 'account=0102030405&payment=DAB&Nonce=1700000000000s3cr3t-VNKASH' | openssl dgst -sha512
    const expected = '0662894a2b27b51aa27f611c3f5637827935ca68e6005b29b721f3b81e0b83c9f7082292df0cbe6cfa8bf2ceb8236c4f72a5f913113a6dcc06c80afe345c1b25';
    expect(signVnKash(bankLookup, secret, 'sha512-concat')).toBe(expected);
    expect(expectedSignature(bankLookup, secret, 'sha512-concat')).toBe(expected);
  });

  it('form-encodes values like PHP urlencode inside the signed body', () => {
    // python3 -c "from urllib.parse import quote_plus as q; import hmac,hashlib
    //   p=[('account','buyer@example.vn'),('amount','100000'),('currency','VND'),('memo','Mua Hàng Online 100% (*)!'),('Nonce','1700000000001')]
    //   s='&'.join(q(k,safe='')+'='+q(v,safe='') for k,v in p); print(s); print(hmac.new(b's3cr3t-VNKASH', s.encode(), hashlib.sha512).hexdigest())"
    const body = 'account=buyer%40example.vn&amount=100000&currency=VND&memo=Mua+H%C3%A0ng+Online+100%25+%28%2A%29%21&Nonce=1700000000001';
    const expected = 'fe5704a59107cd9520e39e7f354c34e5e4b4fe0d3fd3b18303772fc8321d3650192516365e3796253093b6f5ff4bbba17a30d2fb519f09f994851cc11c5692be';
    const signed = buildSignedString(
      [
        ['account', 'buyer@example.vn'],
        ['amount', '100000'],
        ['currency', 'VND'],
        ['memo', 'Mua Hàng Online 100% (*)!'],
      ],
      '1700000000001',
    );
    expect(signed).toBe(body);
    expect(signVnKash(signed, secret, 'hmac-sha512')).toBe(expected);
    // The simulator re-encodes what it decoded and lands on the same bytes.
    expect(canonicalString(decodeFormPairs(body)!)).toBe(body);
  });

  it('encodes a tilde as %7E the way PHP does (unlike encodeURIComponent)', () => {
    // python3 -c "s='a~b c*é'; print(''.join(c if (c.isascii() and c.isalnum()) or c in '-_.' else ('+' if c==' ' else ''.join('%%%02X'%b for b in c.encode())) for c in s))"
    expect(phpUrlEncode('a~b c*é')).toBe('a%7Eb+c%2A%C3%A9');
    expect(phpUrlEncodeSim('a~b c*é')).toBe('a%7Eb+c%2A%C3%A9');
  });

  it('accepts only nonces from 0.01 to 99999999999999.99 with at most two decimals', () => {
    for (const good of ['0.01', '1', '1700000000000', '99999999999999.99', '12.5']) {
      expect(isValidNonce(good)).toBe(true);
      expect(nonceInHundredths(good)).not.toBeNull();
    }
    for (const bad of ['0', '0.00', '100000000000000', '1.234', '-1', '1e5', '']) {
      expect(isValidNonce(bad)).toBe(false);
      expect(nonceInHundredths(bad)).toBeNull();
    }
    expect(nonceInHundredths('12.5')).toBe(1250n);
  });
});
