// The simulator's own reading of VNKash's signature, written apart from the
// connector on purpose. The provider (a PHP site) decodes the form body and
// signs http_build_query() of what it decoded, in the order received, so a
// client whose encoding differs from PHP's urlencode fails the check even if
// it signed its own bytes.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type SimSignatureAlgorithm = 'hmac-sha512' | 'sha512-concat';

/** PHP urlencode(), byte by byte: alphanumerics and -_. kept, space → +, the rest %XX. */
export function phpUrlEncodeSim(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.]/.test(char)) out += char;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Decodes a form body into ordered pairs; null when it is not a valid form. */
export function decodeFormPairs(body: string): [string, string][] | null {
  if (body === '') return [];
  const pairs: [string, string][] = [];
  for (const part of body.split('&')) {
    const at = part.indexOf('=');
    const [key, value] = at < 0 ? [part, ''] : [part.slice(0, at), part.slice(at + 1)];
    try {
      pairs.push([decodeURIComponent(key.replace(/\+/g, ' ')), decodeURIComponent(value.replace(/\+/g, ' '))]);
    } catch {
      return null;
    }
  }
  return pairs;
}

export function canonicalString(pairs: [string, string][]): string {
  return pairs.map(([key, value]) => `${phpUrlEncodeSim(key)}=${phpUrlEncodeSim(value)}`).join('&');
}

export function expectedSignature(signed: string, secret: string, algorithm: SimSignatureAlgorithm): string {
  return algorithm === 'hmac-sha512'
    ? createHmac('sha512', secret).update(signed, 'utf8').digest('hex')
    : createHash('sha512').update(signed + secret, 'utf8').digest('hex');
}

export function signatureMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given.trim().toLowerCase(), 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A nonce in hundredths (0.01 → 1n), or null outside 0.01..99999999999999.99 / more than two decimals. */
export function nonceInHundredths(nonce: string | undefined): bigint | null {
  const match = /^(\d{1,14})(?:\.(\d{1,2}))?$/.exec(nonce ?? '');
  if (!match) return null;
  const value = BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  return value >= 1n ? value : null;
}
