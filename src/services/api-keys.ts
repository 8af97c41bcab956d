// Merchant API keys: random, shown once, stored as a sha256 hash, listed by
// prefix, revocable. A key is `pg_sk_` followed by 40 base62 characters.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { AppPubSub } from '../pubsub.js';
import { generateSecretToken, hashSecretToken, hasSecretTokenShape, sameHash } from './secret-tokens.js';

const KEY_PREFIX = 'pg_sk_';
const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 8;

export const generateApiKey = (): string => generateSecretToken(KEY_PREFIX);

export const hashApiKey = hashSecretToken;

export interface AuthenticatedKey {
  apiKeyId: string;
  merchantId: string;
  /** When the key stops working by itself (null: until revoked). */
  expiresAt: Date | null;
}

/** The longest lifetime a key created with one may have: short-lived keys are for sessions and temporary access. */
export const MAX_KEY_LIFETIME_MINUTES = 7 * 24 * 60;

export interface ApiKeyCacheOptions {
  /**
   * How long a key found valid is trusted without asking the database again. Revocations arrive through
   * the pubsub at once; this only bounds how long a revocation lost on the bus (a Redis outage) could go unseen.
   */
  ttlMs?: number;
  /** At most this many keys are remembered (the oldest forgotten first). */
  maxEntries?: number;
  /** The clock (tests move it past an expiry). */
  now?: () => number;
}

export class ApiKeys {
  /**
   * Valid keys by secret hash, so a request does not cost a database round trip for its key. Only while
   * this instance hears revocations (followRevocations); never a refusal (unknown keys always ask the database).
   */
  private readonly cache = new Map<string, { key: AuthenticatedKey; until: number }>();
  /** Counts revocations heard: a lookup that started before one must not cache what it read. */
  private revocationsHeard = 0;
  private following = 0;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  /** `pubsub`: where revocations are announced, so open connections close and cached keys are forgotten on every instance. */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pubsub?: AppPubSub,
    cache: ApiKeyCacheOptions = {},
  ) {
    this.ttlMs = cache.ttlMs ?? 60_000;
    this.maxEntries = cache.maxEntries ?? 10_000;
    this.now = cache.now ?? (() => Date.now());
  }

  /**
   * Listens for revocations announced by any instance and, while listening, caches valid keys.
   * Returns the function that stops both.
   */
  followRevocations(): () => Promise<void> {
    if (!this.pubsub) throw new Error('followRevocations needs the pubsub revocations are announced on');
    const revocations = this.pubsub.subscribe('apiKey:revoked')[Symbol.asyncIterator]();
    this.following++;
    void (async () => {
      for (let next = await revocations.next(); !next.done; next = await revocations.next()) this.forget(next.value.apiKeyId);
    })();
    return async () => {
      if (--this.following === 0) this.cache.clear();
      await revocations.return?.();
    };
  }

  /** Drops a key from the cache (it was revoked, here or on another instance). */
  private forget(apiKeyId: string) {
    this.revocationsHeard++;
    for (const [hash, entry] of this.cache) if (entry.key.apiKeyId === apiKeyId) this.cache.delete(hash);
  }

  /** Creates a key; the returned `key` is the only time it is ever visible. `expiresAt`: refused after it (a console session). */
  async create(merchantId: string, name = 'default', expiresAt: Date | null = null) {
    const key = generateApiKey();
    const record = await this.prisma.apiKey.create({
      data: { merchantId, name, prefix: key.slice(0, SHOWN_PREFIX_LENGTH), secretHash: hashApiKey(key), expiresAt },
    });
    return { key, record };
  }

  /** Resolves a presented key to its merchant, or null (unknown, malformed, revoked or expired). */
  async authenticate(presented: string): Promise<AuthenticatedKey | null> {
    if (!hasSecretTokenShape(presented, KEY_PREFIX)) return null;
    const hash = hashApiKey(presented);
    const now = this.now();
    const cached = this.cache.get(hash);
    if (cached) {
      if (cached.until > now && !expired(cached.key, now)) return cached.key;
      this.cache.delete(hash);
      if (expired(cached.key, now)) return null;
    }
    const heardBefore = this.revocationsHeard;
    const record = await this.prisma.apiKey.findUnique({
      where: { secretHash: hash },
      select: { id: true, merchantId: true, secretHash: true, revokedAt: true, expiresAt: true },
    });
    if (!record || record.revokedAt || !sameHash(record.secretHash, hash)) return null;
    const key = { apiKeyId: record.id, merchantId: record.merchantId, expiresAt: record.expiresAt };
    if (expired(key, this.now())) return null;
    if (this.following > 0 && this.revocationsHeard === heardBefore) {
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(hash, { key, until: now + this.ttlMs });
    }
    return key;
  }

  list(merchantId: string) {
    return this.prisma.apiKey.findMany({ where: { merchantId }, orderBy: { createdAt: 'asc' } });
  }

  /** Revokes a key of this merchant; false when no such key belongs to it. */
  async revoke(merchantId: string, apiKeyId: string): Promise<boolean> {
    const result = await this.prisma.apiKey.updateMany({
      where: { id: apiKeyId, merchantId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (result.count === 1) {
      // Here at once (the bus may deliver later, or not at all without followers); everywhere else through the bus.
      this.forget(apiKeyId);
      this.pubsub?.publish('apiKey:revoked', { apiKeyId });
    }
    return result.count === 1;
  }
}

const expired = (key: AuthenticatedKey, now: number) => key.expiresAt !== null && key.expiresAt.getTime() <= now;
