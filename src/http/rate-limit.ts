// Fixed-window rate limits per API key and per client IP. In memory for one
// instance; shared through Redis (INCR + PEXPIRE) when REDIS_URL is set, so a
// client cannot multiply its allowance by the number of instances.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface RateLimitRule {
  /** Requests allowed per window; 0 turns the rule off. */
  limit: number;
  windowMs: number;
}

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; rule: string };

export interface RateLimiter {
  check(keys: { rule: string; key: string; limit: RateLimitRule }[]): Promise<RateLimitVerdict>;
}

export function createMemoryRateLimiter(now = () => Date.now()): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  return {
    async check(keys) {
      const at = now();
      for (const { rule, key, limit } of keys) {
        if (limit.limit <= 0) continue;
        const id = `${rule}:${key}`;
        let window = windows.get(id);
        if (!window || window.resetAt <= at) {
          window = { count: 0, resetAt: at + limit.windowMs };
          windows.set(id, window);
        }
        if (++window.count > limit.limit) return { allowed: false, retryAfterSeconds: Math.ceil((window.resetAt - at) / 1000), rule };
      }
      if (windows.size > 100_000) for (const [id, w] of windows) if (w.resetAt <= at) windows.delete(id);
      return { allowed: true };
    },
  };
}

export function createRedisRateLimiter(redis: Redis, prefix = 'paygraph:ratelimit:'): RateLimiter {
  return {
    async check(keys) {
      for (const { rule, key, limit } of keys) {
        if (limit.limit <= 0) continue;
        const id = `${prefix}${rule}:${key}`;
        const [[, count], [, ttl]] = (await redis.multi().incr(id).pttl(id).exec()) as [[null, number], [null, number]];
        if (ttl < 0) await redis.pexpire(id, limit.windowMs);
        if (count > limit.limit) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((ttl < 0 ? limit.windowMs : ttl) / 1000)), rule };
      }
      return { allowed: true };
    },
  };
}

/** The key a caller is limited by: a hash of its bearer credential (never the credential itself). */
export function credentialKey(authorization: string | undefined): string | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
  return token ? createHash('sha256').update(token).digest('hex').slice(0, 32) : undefined;
}
