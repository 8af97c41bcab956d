// Idempotency keys, as the HTTP Idempotency-Key draft describes them: the first
// request with a key does the work; a retry after it finished gets the same
// result replayed; a retry while it is in flight waits for it (then gets a
// conflict if it is still running); the same key with a different input is
// refused. The unique (merchant, key) row is the lock, so it holds across
// instances sharing one database. The lock is a lease: a claim whose process
// died before it created anything is released after CLAIM_LEASE_MS, not kept
// for the key's whole lifetime; once something exists (the order, the card
// charge), the key stays tied to it and a retry is handed that.
import { createHash } from 'node:crypto';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { IdempotencyConflictError, IdempotencyKeyReusedError } from '../errors/index.js';
import type { StoredError } from '../errors/replay.js';
import { isUniqueViolation } from '../errors/index.js';

/** What the first request answered: an order, or a typed error to replay (errors/replay.ts). */
export type StoredResult = { kind: 'order'; orderId: string } | { kind: 'error'; error: StoredError };

export type Claim =
  | { kind: 'claimed'; recordId: string }
  | { kind: 'replay'; result: StoredResult };

/** Stable hash of an input: keys sorted, bigints as strings, undefined dropped. */
export function hashInput(operation: string, input: unknown): string {
  const canonical = (value: unknown): unknown => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([, v]) => v !== undefined && v !== null)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => [k, canonical(v)]),
      );
    }
    return value;
  };
  return createHash('sha256').update(JSON.stringify([operation, canonical(input)])).digest('hex');
}

export interface IdempotencyOptions {
  ttlHours: number;
  /** How long a retry waits for an in-flight first request before answering "conflict". */
  waitMs?: number;
  /** How long a claim that created nothing yet is held before it counts as abandoned (its process died). */
  claimLeaseMs?: number;
}

/**
 * Between the claim and the row it creates (order, card charge) a request
 * only reads its account and validates: a minute is far longer than that
 * takes, so a claim older than this with nothing attached belongs to a
 * process that died.
 */
export const CLAIM_LEASE_MS = 60_000;


const STALE_IN_PROGRESS_MS = 120_000;

export class Idempotency {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: IdempotencyOptions,
  ) {}

  async claim(merchantId: string, key: string, operation: string, input: unknown): Promise<Claim> {
    const requestHash = hashInput(operation, input);
    const deadline = Date.now() + (this.options.waitMs ?? 15_000);
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      try {
        const record = await this.prisma.idempotencyKey.create({
          data: { merchantId, key, operation, requestHash, expiresAt: new Date(Date.now() + this.options.ttlHours * 3_600_000) },
          select: { id: true },
        });
        return { kind: 'claimed', recordId: record.id };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const existing = await this.prisma.idempotencyKey.findUnique({ where: { merchantId_key: { merchantId, key } } });
      if (!existing) continue; // expired and removed between our two statements: claim again
      if (existing.expiresAt < new Date()) {
        await this.prisma.idempotencyKey.deleteMany({ where: { id: existing.id, expiresAt: { lt: new Date() } } });
        continue;
      }
      if (existing.requestHash !== requestHash) throw new IdempotencyKeyReusedError(key);
      if (existing.state === 'COMPLETED' && existing.result) return { kind: 'replay', result: existing.result as StoredResult };
      if (!existing.orderId && Date.now() - existing.createdAt.getTime() > (this.options.claimLeaseMs ?? CLAIM_LEASE_MS)) {
        // Its process died before creating anything (a crash between the claim and the insert): release it, claim again.
        await this.prisma.idempotencyKey.deleteMany({ where: { id: existing.id, state: 'IN_PROGRESS', orderId: null } });
        continue;
      }
      // The first request died after creating its order (a crash between two
      // steps): the order exists and reconciliation settles it, so hand it out.
      if (existing.orderId && Date.now() - existing.createdAt.getTime() > STALE_IN_PROGRESS_MS) {
        return { kind: 'replay', result: { kind: 'order', orderId: existing.orderId } };
      }
      if (Date.now() > deadline) throw new IdempotencyConflictError(key);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  async complete(recordId: string, result: StoredResult, orderId?: string) {
    await this.prisma.idempotencyKey.update({
      where: { id: recordId },
      data: { state: 'COMPLETED', result: result as unknown as Prisma.InputJsonValue, orderId },
    });
  }

  /** Links the key to what it created (an order, a card charge) as soon as that row exists. */
  async attachOrder(recordId: string, orderId: string) {
    await this.prisma.idempotencyKey.update({ where: { id: recordId }, data: { orderId } });
  }

  /** The first request failed before any effect: free the key so a retry can do the work. */
  async release(recordId: string) {
    await this.prisma.idempotencyKey.deleteMany({ where: { id: recordId, state: 'IN_PROGRESS' } });
  }

  /** Housekeeping for the worker. */
  purgeExpired(now = new Date()) {
    return this.prisma.idempotencyKey.deleteMany({ where: { expiresAt: { lt: now } } });
  }
}
