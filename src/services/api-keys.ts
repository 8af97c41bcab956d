// Merchant API keys: random, shown once, stored as a sha256 hash, listed by
// prefix, revocable. A key is `pg_sk_` followed by 40 base62 characters.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.js';

const KEY_PREFIX = 'pg_sk_';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 8;

export function generateApiKey(): string {
  // Rejection sampling keeps every character uniform.
  let out = '';
  while (out.length < 40) {
    for (const byte of randomBytes(48)) {
      if (byte < 248 && out.length < 40) out += BASE62[byte % 62];
    }
  }
  return KEY_PREFIX + out;
}

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

export interface AuthenticatedKey {
  apiKeyId: string;
  merchantId: string;
}

export class ApiKeys {
  constructor(private readonly prisma: PrismaClient) {}

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
    if (!presented.startsWith(KEY_PREFIX) || presented.length !== KEY_PREFIX.length + 40) return null;
    const hash = hashApiKey(presented);
    const record = await this.prisma.apiKey.findUnique({
      where: { secretHash: hash },
      select: { id: true, merchantId: true, secretHash: true, revokedAt: true },
    });
    // The lookup is by hash already; the constant-time compare keeps it so if the index ever changes.
    if (!record || record.revokedAt || !timingSafeEqual(Buffer.from(record.secretHash), Buffer.from(hash))) return null;
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
    return result.count === 1;
  }
}
