// Two small jobs of their own, each on its own loop: retrying inbound
// callbacks that were recorded but not applied (the inbox), and forgetting
// idempotency keys past IDEMPOTENCY_TTL_HOURS. Both are safe with several
// instances running (the inbox claims rows with FOR UPDATE SKIP LOCKED; a
// purge is a guarded DELETE).
import type { Logger } from '../logger.js';
import type { CallbackInbox } from '../services/callback-inbox.js';
import type { Idempotency } from '../services/idempotency.js';
import { PeriodicWorker } from './periodic.js';

export class CallbackRetryJob extends PeriodicWorker {
  constructor(
    private readonly inbox: CallbackInbox,
    logger: Logger,
    options: { tickMs: number },
  ) {
    super(logger, 'callback-retry', options.tickMs);
  }

  /** Callbacks applied on this pass. */
  pass(): Promise<number> {
    return this.inbox.retryFailed();
  }
}

/** Once a minute is plenty: an expired key only stops being replayed, it holds nothing up. */
export const IDEMPOTENCY_PURGE_EVERY_MS = 60_000;

export class IdempotencyPurgeJob extends PeriodicWorker {
  constructor(
    private readonly idempotency: Idempotency,
    logger: Logger,
  ) {
    super(logger, 'idempotency-purge', IDEMPOTENCY_PURGE_EVERY_MS);
  }

  /** Always 0: one DELETE takes every expired key, so there is never a backlog to run again for. */
  async pass(): Promise<number> {
    const { count } = await this.idempotency.purgeExpired();
    if (count) this.logger.info({ count }, 'forgot expired idempotency keys');
    return 0;
  }
}
