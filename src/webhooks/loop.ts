// The loop of the feed sequencer and the delivery worker: a pass, then a pause
// that a wake-up cuts short. src/workers/periodic.ts only sleeps its tick;
// webhooks are measured from commit to delivery, so a commit notification or
// a retry falling due must start the next pass at once.
import type { Logger } from '../logger.js';

export class WakeableLoop {
  private stopped = false;
  private woken = false;
  private running: Promise<void> | undefined;
  private interrupt: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  constructor(
    private readonly logger: Logger,
    private readonly name: string,
    private readonly idleMs: number,
    /** One pass; returns how much it did (a pass that did something is followed by another at once). */
    private readonly pass: () => Promise<number>,
  ) {}

  start() {
    this.running ??= this.loop();
  }

  /** Run a pass as soon as the current one ends. */
  wake() {
    this.woken = true;
    this.interrupt?.();
  }

  /** Run a pass no later than `at` (a retry falling due). */
  wakeAt(at: Date) {
    const when = at.getTime();
    if (this.stopped || when >= this.timerAt) return;
    clearTimeout(this.timer);
    this.timerAt = when;
    this.timer = setTimeout(() => {
      this.timerAt = Infinity;
      this.wake();
    }, Math.max(0, when - Date.now())).unref();
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.interrupt?.();
    await this.running;
  }

  private async loop() {
    while (!this.stopped) {
      this.woken = false;
      let worked = 0;
      try {
        worked = await this.pass();
      } catch (error) {
        if (this.stopped) return;
        this.logger.error({ err: error, worker: this.name }, 'worker pass failed');
      }
      if (worked > 0 || this.woken || this.stopped) continue;
      await new Promise<void>((resolve) => {
        const idle = setTimeout(resolve, this.idleMs);
        this.interrupt = () => {
          clearTimeout(idle);
          resolve();
        };
      });
      this.interrupt = undefined;
    }
  }
}
