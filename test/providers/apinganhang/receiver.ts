// A tiny merchant-side HTTP server for tests: every request that reaches it is
// turned into an InboundCallback, handed to `reply`, and recorded; tests await
// `nth(n)` instead of sleeping.
import type { CallbackReply, InboundCallback } from '../../../src/providers/types.js';
import { startInboundServer } from '../../support/inbound-server.js';

export interface Receiver {
  url: string;
  received: InboundCallback[];
  /** Resolves with the n-th request (1-based) once it has arrived. */
  nth(n: number): Promise<InboundCallback>;
  close(): Promise<void>;
}

export async function startReceiver(reply: (callback: InboundCallback) => CallbackReply): Promise<Receiver> {
  const received: InboundCallback[] = [];
  const waiters: { n: number; resolve: (callback: InboundCallback) => void }[] = [];
  const server = await startInboundServer({
    handle: reply,
    afterReply: (callback) => {
      received.push(callback);
      for (const waiter of waiters.filter((w) => w.n <= received.length)) {
        waiter.resolve(received[waiter.n - 1]!);
        waiters.splice(waiters.indexOf(waiter), 1);
      }
    },
  });
  return {
    url: server.url,
    received,
    nth: (n) => (received.length >= n ? Promise.resolve(received[n - 1]!) : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: server.close,
  };
}
