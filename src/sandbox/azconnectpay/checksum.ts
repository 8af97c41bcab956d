// The provider's side of the Checksum, written again on purpose (the
// connector's signer is not imported: a wrong signer would pass its own tests).
// Document: hex HMAC-MD5 with the private key over
//   cash-in:  JSON.stringify({amount, request_id, type, callback: callback || ""})
//   cash-out: the fields request_id, type, amount, account, bank_code, bank_fullname, callback, in that order.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmacMd5Hex(key: string, message: string): string {
  return createHmac('md5', key).update(Buffer.from(message, 'utf8')).digest('hex');
}

export function cashInBodyToSign(body: Record<string, unknown>): string {
  return JSON.stringify({ amount: body.amount, request_id: body.request_id, type: body.type, callback: body.callback || '' });
}

export function cashOutBodyToSign(body: Record<string, unknown>): string {
  return JSON.stringify({
    request_id: body.request_id,
    type: body.type,
    amount: body.amount,
    account: body.account,
    // A MoMo cash-out may leave bank_code out; sign it as "" rather than drop the key.
    bank_code: body.bank_code ?? '',
    bank_fullname: body.bank_fullname,
    callback: body.callback || '',
  });
}

/** Constant-time comparison of two texts (API keys are case-sensitive). */
export function sameText(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.trim(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Hex digests compare case-insensitively. */
export function sameHex(expected: string, given: string): boolean {
  return sameText(expected.toLowerCase(), given.trim().toLowerCase());
}
