// Unsigned callbacks (or callbacks whose signature does not cover the status)
// are hints: all they may do is make us ask the provider. Two limits keep a
// flood of them (forged or not) from becoming a flood of status queries:
// a rate limit per route and source address, and at most one status query per
// subject (order, card charge) at a time in this process — hints that arrive
// while a query is in flight share its answer.
import type { RateLimiter, RateLimitRule } from '../http/rate-limit.js';

export class HintGate {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly limiter: RateLimiter,
    private readonly rule: RateLimitRule,
  ) {}

  /** Whether a hint from `sourceIp` on `route` may trigger a status query now; else how long to wait. */
  async admit(route: string, sourceIp: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
    const verdict = await this.limiter.check([{ rule: `callback-hints:${route}`, key: sourceIp, limit: this.rule }]);
    return verdict.allowed ? { allowed: true } : { allowed: false, retryAfterSeconds: verdict.retryAfterSeconds };
  }

  /**
   * Runs `query` for `subject` unless one is already running, in which case
   * its result is shared. `shared` tells a caller that another hint asked.
   */
  async once<T>(subject: string, query: () => Promise<T>): Promise<{ result: T; shared: boolean }> {
    const running = this.inFlight.get(subject) as Promise<T> | undefined;
    if (running) return { result: await running, shared: true };
    const started = query().finally(() => this.inFlight.delete(subject));
    this.inFlight.set(subject, started);
    return { result: await started, shared: false };
  }
}
