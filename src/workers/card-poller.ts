// Checks card charges still PENDING (no callback yet, a submit that timed out,
// a callback that could not be confirmed) with command=check. The claim is
// FOR UPDATE SKIP LOCKED in CardCharges.pollDue, so several instances never
// check the same charge at once.
import type { Logger } from '../logger.js';
import type { CardCharges } from '../services/card-charges.js';
import { PeriodicWorker } from './periodic.js';

export interface CardPollerOptions {
  /** Time between two passes when nothing was due. */
  tickMs: number;
  batchSize: number;
}

export class CardChargePoller extends PeriodicWorker {
  constructor(
    private readonly cardCharges: CardCharges,
    logger: Logger,
    private readonly options: CardPollerOptions,
  ) {
    super(logger, 'card-poller', options.tickMs);
  }

  pass(): Promise<number> {
    return this.cardCharges.pollDue(this.options.batchSize, () => this.stopping);
  }
}
