// The document's one signature, used for the submit, the check and the
// callback alike: md5(partner_key + code + serial), lower-case hex.
// It covers neither the status nor the amount (see judge.ts for why that matters).
import { createHash, timingSafeEqual } from 'node:crypto';

export function cardSign(partnerKey: string, code: string, serial: string): string {
  return createHash('md5').update(partnerKey + code + serial, 'utf8').digest('hex');
}

/** Constant-time comparison of a received sign with the expected one (lower-case hex). */
export function cardSignMatches(partnerKey: string, code: string, serial: string, received: string): boolean {
  const expected = Buffer.from(cardSign(partnerKey, code, serial), 'utf8');
  const given = Buffer.from(received, 'utf8');
  // timingSafeEqual needs equal lengths; a different length is a mismatch and leaks only the length of an md5.
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}
