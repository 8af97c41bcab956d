// VNKash signs "k1=v1&k2=v2&Nonce=<nonce>", and that same string is the POST
// body. Decision on encoding: each key and value is encoded the way PHP's
// urlencode()/http_build_query() does (the provider ships PHP samples and
// reads the body as a form): A–Z a–z 0–9 - _ . stay, a space becomes "+",
// every other UTF-8 byte becomes %XX in upper case (so "~" is "%7E").
// Signing the exact body bytes means the signature and the body can never drift.
import { createHash, createHmac } from 'node:crypto';
import type { VnKashSignatureAlgorithm } from './credentials.js';

export type VnKashParams = ReadonlyArray<readonly [string, string]>;

/** PHP urlencode(): the form encoding the provider decodes. */
export function phpUrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** The signed string and POST body: parameters in the given order, then Nonce. */
export function buildSignedString(params: VnKashParams, nonce: string): string {
  return [...params, ['Nonce', nonce] as const].map(([key, value]) => `${phpUrlEncode(key)}=${phpUrlEncode(value)}`).join('&');
}

/** The SIGNATURE header: lower-case hex. */
export function signVnKash(signedString: string, secretKey: string, algorithm: VnKashSignatureAlgorithm): string {
  switch (algorithm) {
    case 'hmac-sha512':
      return createHmac('sha512', secretKey).update(signedString, 'utf8').digest('hex');
    case 'sha512-concat':
      return createHash('sha512').update(signedString + secretKey, 'utf8').digest('hex');
  }
}

/** Nonce range from the document: 0.01 to 99999999999999.99, at most two decimals. */
const nonceShape = /^\d{1,14}(\.\d{1,2})?$/;

export function isValidNonce(nonce: string): boolean {
  return nonceShape.test(nonce) && Number(nonce) >= 0.01;
}
