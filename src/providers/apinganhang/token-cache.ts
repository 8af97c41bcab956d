// Tokens do not expire (the document: only a logout or an admin reset ends
// one), so a login is worth keeping. The cache is keyed by a hash of base URL,
// username AND password: a merchant whose stored password is wrong must never
// ride on a token another merchant obtained for the same username.
import { createHash } from 'node:crypto';

export interface TokenCache {
  get(key: string): string | undefined;
  set(key: string, token: string): void;
  /** Forget `key`'s token, but only if it is still `token` (a concurrent call may have replaced it). */
  drop(key: string, token: string): void;
}

export function createMemoryTokenCache(): TokenCache {
  const tokens = new Map<string, string>();
  return {
    get: (key) => tokens.get(key),
    set: (key, token) => void tokens.set(key, token),
    drop: (key, token) => {
      if (tokens.get(key) === token) tokens.delete(key);
    },
  };
}

/** Shared by every client in this process unless one is handed its own. */
export const sharedTokenCache: TokenCache = createMemoryTokenCache();

export function tokenCacheKey(baseUrl: string, username: string, password: string): string {
  return createHash('sha256').update(`${baseUrl}\u0000${username}\u0000${password}`).digest('hex');
}
