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
}

export class ApiKeys {
  /** `pubsub`: where revocations are announced, so open connections close on every instance. */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pubsub?: AppPubSub,
  ) {}

  /** Creates a key; the returned `key` is the only time it is ever visible. */
  async create(merchantId: string, name = 'default') {
    const key = generateApiKey();
    const record = await this.prisma.apiKey.create({
      data: { merchantId, name, prefix: key.slice(0, SHOWN_PREFIX_LENGTH), secretHash: hashApiKey(key) },
    });
    return { key, record };
  }

  /** Resolves a presented key to its merchant, or null (unknown, malformed or revoked). */
  async authenticate(presented: string): Promise<AuthenticatedKey | null> {
    if (!hasSecretTokenShape(presented, KEY_PREFIX)) return null;
    const hash = hashApiKey(presented);
    const record = await this.prisma.apiKey.findUnique({
      where: { secretHash: hash },
      select: { id: true, merchantId: true, secretHash: true, revokedAt: true },
    });
    if (!record || record.revokedAt || !sameHash(record.secretHash, hash)) return null;
    return { apiKeyId: record.id, merchantId: record.merchantId };
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
