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

export class ApiKeys {
  /** `pubsub`: where revocations are announced, so open connections close on every instance. */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pubsub?: AppPubSub,
  ) {}

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
    const record = await this.prisma.apiKey.findUnique({
      where: { secretHash: hash },
      select: { id: true, merchantId: true, secretHash: true, revokedAt: true, expiresAt: true },
    });
    if (!record || record.revokedAt || !sameHash(record.secretHash, hash)) return null;
    if (record.expiresAt && record.expiresAt.getTime() <= Date.now()) return null;
    return { apiKeyId: record.id, merchantId: record.merchantId, expiresAt: record.expiresAt };
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
    if (result.count === 1) this.pubsub?.publish('apiKey:revoked', { apiKeyId });
    return result.count === 1;
  }
}
