// Bearer secrets we hand out (API keys, client tokens): a kind prefix plus 40
// base62 characters, stored only as a sha256 hash. One home, so both kinds
// stay equally strong and are hashed the same way.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const SECRET_BODY_LENGTH = 40;

/** `prefix` followed by 40 uniformly random base62 characters (~238 bits). */
export function generateSecretToken(prefix: string): string {
  // Rejection sampling keeps every character uniform.
  let out = '';
  while (out.length < SECRET_BODY_LENGTH) {
    for (const byte of randomBytes(48)) {
      if (byte < 248 && out.length < SECRET_BODY_LENGTH) out += BASE62[byte % 62];
    }
  }
  return prefix + out;
}

export const hashSecretToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** True when `presented` has this prefix and the right length (cheap check before any lookup). */
export const hasSecretTokenShape = (presented: string, prefix: string) =>
  presented.startsWith(prefix) && presented.length === prefix.length + SECRET_BODY_LENGTH;

/** Constant-time comparison of two hex hashes (the lookup is by hash already; this keeps it so if the index ever changes). */
export const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
