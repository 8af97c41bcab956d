// The one shape of every subscription: listen first, then read, then stream.
// Subscribing before the read means a change that lands between the two
// arrives (twice at worst, which a client already handles as "the same state
// again"), never zero times.
import { Repeater } from 'graphql-yoga';

export interface LiveStreamOptions<T> {
  /** The live source, subscribed to before anything is read. */
  listen: () => AsyncIterable<T>;
  /**
   * The current state, read after listening: the first messages. Throwing
   * (NotFoundError …) ends the subscription with that error and nothing sent.
   */
  initial?: () => Promise<readonly T[]>;
  /** Whether a live value is sent; 'end' ends the subscription (access lost). */
  keep?: (value: T) => boolean | 'end' | Promise<boolean | 'end'>;
  /** Asked once the first messages are out: ends the subscription early, with the promise's value as its error (a revoked client token). */
  endWhen?: () => Promise<unknown>;
  /** Runs once when the subscription ends, however it ends. */
  onEnd?: () => void;
}

export function liveStream<T>(options: LiveStreamOptions<T>): Repeater<T> {
  return new Repeater<T>(async (push, stop) => {
    const source = options.listen()[Symbol.asyncIterator]();
    let next = source.next();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      options.onEnd?.();
      void source.return?.();
    };
    void stop.then(end);
    try {
      for (const value of (await options.initial?.()) ?? []) await push(value);
    } catch (error) {
      end();
      stop(error);
      return;
    }
    if (options.endWhen) void options.endWhen().then((reason) => stop(reason));
    const stopped = stop.then(() => ({ done: true as const, value: undefined }));
    while (!ended) {
      const result = await Promise.race([next, stopped]);
      if (result.done || ended) break;
      const verdict = options.keep ? await options.keep(result.value) : true;
      if (verdict === 'end') break;
      if (verdict) await push(result.value);
      next = source.next();
    }
    stop();
  });
}
