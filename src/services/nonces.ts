// Nonces from the database: one row per key, bumped atomically, so every
// instance and every restart sees a strictly larger value. Starting from the
// clock (ms) keeps them growing even if the table is ever lost.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { NonceSource } from '../providers/nonce.js';

export function createDatabaseNonceSource(prisma: PrismaClient): NonceSource {
  return {
    async next(key) {
      const rows = await prisma.$queryRaw<{ value: bigint }[]>`
        INSERT INTO "ProviderNonce" ("key", "value") VALUES (${key}, ${BigInt(Date.now())})
        ON CONFLICT ("key") DO UPDATE SET "value" = GREATEST("ProviderNonce"."value" + 1, EXCLUDED."value")
        RETURNING "value"`;
      return String(rows[0]!.value);
    },
  };
}
