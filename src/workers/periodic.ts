// The loop every background worker runs: a pass, then a pause (none when the
// pass found work, so a backlog drains at once), until stopped. A failed pass
// is logged and the loop goes on; stop() waits for the pass in progress.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import { observe } from '../observability.js';

export abstract class PeriodicWorker {
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;

  protected constructor(
    protected readonly logger: Logger,
    private readonly workerName: string,
    private readonly tickMs: number,
  ) {}

  /** One pass; returns how much work it did. */
  abstract pass(): Promise<number>;

  protected get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  start() {
    this.running ??= this.loop();
  }

  async stop() {
    this.abort.abort();
    await this.running;
  }

  private async loop() {
    while (!this.stopping) {
      let worked = 0;
      try {
        worked = await observe.workerPass(this.workerName, () => this.pass());
      } catch (error) {
        if (this.stopping) return;
        this.logger.error({ err: error, worker: this.workerName }, 'worker pass failed');
      }
      if (worked > 0) continue;
      await sleep(this.tickMs, undefined, { signal: this.abort.signal }).catch(() => {});
    }
  }
}
