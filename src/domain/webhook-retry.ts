// When a failed webhook delivery is tried again, when it is given up, and when
// an endpoint that keeps failing is disabled. Pure; the delivery worker
// (src/webhooks/delivery-worker.ts) applies it.

export interface RetryPolicy {
  /** Delay after the first failure; it doubles with each failure after that. */
  baseMs: number;
  /** The longest wait between two attempts. */
  maxDelayMs: number;
  /** A delivery is retried while it is younger than this (at least three days by default). */
  retryForMs: number;
  /** An endpoint whose every attempt has failed for this long is disabled. */
  disableAfterMs: number;
}

/**
 * Wait before the next attempt after `failedAttempts` failures: exponential,
 * capped, with "equal jitter" (half fixed, half random) so that deliveries
 * failing together spread out but never retry sooner than half the schedule.
 */
export function retryDelayMs(failedAttempts: number, policy: Pick<RetryPolicy, 'baseMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.min(Math.max(failedAttempts - 1, 0), 40));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/**
 * When to try again after a failed attempt, or null to give up. A delivery is
 * given up only by an attempt that fails once it is older than the retry
 * period, so the attempts always span at least that period.
 */
export function nextAttemptAfterFailure(createdAt: Date, failedAttempts: number, now: Date, policy: RetryPolicy, random: () => number = Math.random): Date | null {
  if (now.getTime() - createdAt.getTime() >= policy.retryForMs) return null;
  return new Date(now.getTime() + retryDelayMs(failedAttempts, policy, random));
}

/** True when an endpoint failing since `failingSince` should now be disabled. */
export function shouldDisableEndpoint(failingSince: Date | null, now: Date, policy: Pick<RetryPolicy, 'disableAfterMs'>): boolean {
  return failingSince !== null && now.getTime() - failingSince.getTime() >= policy.disableAfterMs;
}
