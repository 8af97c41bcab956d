// Known-answer tests for the Checksum, with vectors computed outside the project.
import { describe, expect, it } from 'vitest';
import { azConnectPayChecksum, cashInSigningString, cashOutSigningString } from '../../../src/providers/azconnectpay/index.js';
import { cashInBodyToSign, cashOutBodyToSign, hmacMd5Hex } from '../../../src/sandbox/azconnectpay/index.js';

const KEY = 'test-private-key';

const vectors = [
  {
    name: 'cash-in with a callback (the document example)',
    kind: 'cash-in' as const,
    fields: { amount: 10000, request_id: '112233445566111', type: 'bank', callback: 'https://example.com/callback' },
    signed: '{"amount":10000,"request_id":"112233445566111","type":"bank","callback":"https://example.com/callback"}',
    // printf '%s' '{"amount":10000,"request_id":"112233445566111","type":"bank","callback":"https://example.com/callback"}' | openssl dgst -md5 -hmac 'test-private-key'
    hex: '4905d7e4c01d7790264d3e2fdec549ed',
  },
  {
    name: 'cash-in without a callback signs callback as ""',
    kind: 'cash-in' as const,
    fields: { amount: 50000, request_id: 'momo001', type: 'momo' },
    signed: '{"amount":50000,"request_id":"momo001","type":"momo","callback":""}',
    // printf '%s' '{"amount":50000,"request_id":"momo001","type":"momo","callback":""}' | openssl dgst -md5 -hmac 'test-private-key'
    hex: '6bf64ea9be1ba4fb827fab2cd8f4cd3c',
  },
  {
    name: 'cash-out to a bank (the document example)',
    kind: 'cash-out' as const,
    fields: { request_id: 'hatay001', type: 'bank', amount: 100000, account: '321321321321', bank_code: 'VCB', bank_fullname: 'NGUYEN VAN A', callback: 'https://example.com/cashout-callback' },
    signed:
      '{"request_id":"hatay001","type":"bank","amount":100000,"account":"321321321321","bank_code":"VCB","bank_fullname":"NGUYEN VAN A","callback":"https://example.com/cashout-callback"}',
    // printf '%s' '{"request_id":"hatay001","type":"bank","amount":100000,"account":"321321321321","bank_code":"VCB","bank_fullname":"NGUYEN VAN A","callback":"https://example.com/cashout-callback"}' | openssl dgst -md5 -hmac 'test-private-key'
    hex: '28fb8d371727db0d9342b576dfe30944',
  },
  {
    name: 'cash-out to MoMo with a Vietnamese name (UTF-8 bytes, not escapes)',
    kind: 'cash-out' as const,
    fields: { request_id: 'momo-out-7', type: 'momo', amount: 250000, account: '0912345678', bank_code: 'MOMO', bank_fullname: 'NGUYỄN VĂN A' },
    signed: '{"request_id":"momo-out-7","type":"momo","amount":250000,"account":"0912345678","bank_code":"MOMO","bank_fullname":"NGUYỄN VĂN A","callback":""}',
    // printf '%s' '{"request_id":"momo-out-7","type":"momo","amount":250000,"account":"0912345678","bank_code":"MOMO","bank_fullname":"NGUYỄN VĂN A","callback":""}' | openssl dgst -md5 -hmac 'test-private-key'
    // (same hex from: python3 -c 'import hmac,hashlib; print(hmac.new(b"test-private-key", "<string>".encode(), hashlib.md5).hexdigest())')
    hex: '546f0eed405478b91db5ec1cc3b9a09b',
  },
];

describe('AZConnectPay Checksum (HMAC-MD5 hex)', () => {
  for (const vector of vectors) {
    it(`the connector signs ${vector.name} as openssl does`, () => {
      const signed = vector.kind === 'cash-in' ? cashInSigningString(vector.fields as never) : cashOutSigningString(vector.fields as never);
      expect(signed).toBe(vector.signed);
      expect(azConnectPayChecksum(KEY, signed)).toBe(vector.hex);
    });
    it(`the simulator checks ${vector.name} against the same vector`, () => {
      const signed = vector.kind === 'cash-in' ? cashInBodyToSign(vector.fields) : cashOutBodyToSign(vector.fields);
      expect(signed).toBe(vector.signed);
      expect(hmacMd5Hex(KEY, signed)).toBe(vector.hex);
    });
  }

  it('puts the keys in the document order whatever order the caller used', () => {
    const signed = cashInSigningString({ callback: 'https://x.test/cb', type: 'bank', request_id: 'r1', amount: 1 } as never);
    expect(Object.keys(JSON.parse(signed))).toEqual(['amount', 'request_id', 'type', 'callback']);
  });

  it('changes the checksum when the amount is signed as a string instead of a number', () => {
    const asNumber = azConnectPayChecksum(KEY, cashInSigningString({ amount: 10000, request_id: '112233445566111', type: 'bank', callback: 'https://example.com/callback' }));
    const asString = azConnectPayChecksum(KEY, '{"amount":"10000","request_id":"112233445566111","type":"bank","callback":"https://example.com/callback"}');
    expect(asNumber).toBe('4905d7e4c01d7790264d3e2fdec549ed');
    expect(asString).not.toBe(asNumber);
  });
});
