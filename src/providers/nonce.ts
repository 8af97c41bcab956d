// Strictly increasing nonces (VNKash signs every call with one that must grow
// for each key). The server's source is the database (src/services/nonces.ts),
// shared by every instance and kept across restarts.

export interface NonceSource {
  /** The next nonce for `key`: larger than every one handed out before, as a decimal string. */
  next(key: string): Promise<string>;
}

/** In-process only: for tests and the standalone sandbox client. */
export function createMemoryNonceSource(start = Date.now()): NonceSource {
  const last = new Map<string, number>();
  return {
    async next(key) {
      const value = Math.max((last.get(key) ?? 0) + 1, start);
      last.set(key, value);
      return String(value);
    },
  };
}
