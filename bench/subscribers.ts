// Many graphql-ws subscribers, one connection each, each on its own order:
// orderUpdated(id). Records when each first saw a status, in this process's
// clock (the same clock that stamps the callbacks' POSTs).
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

const ORDER_UPDATED = 'subscription Bench($id: ID!) { orderUpdated(id: $id) { id status } }';

export interface Subscriber {
  orderId: string;
  /** performance.now() when a message with this status first arrived. */
  seen: Map<string, number>;
  errors: unknown[];
}

export interface SubscriberSet {
  subscribers: Subscriber[];
  /** Resolves once every subscriber has seen `status` (or rejects after timeoutMs with the count that did). */
  allSeen(status: string, timeoutMs: number): Promise<void>;
  countSeen(status: string): number;
  close(): Promise<void>;
}

export async function openSubscribers(targets: { url: string; orderId: string }[], apiKey: string, { batch = 100 } = {}): Promise<SubscriberSet> {
  const clients: Client[] = [];
  const disposers: (() => void)[] = [];
  const subscribers: Subscriber[] = [];
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());

  for (let i = 0; i < targets.length; i += batch) {
    // Connect in batches and wait for each first message (the current state): the subscription is live.
    await Promise.all(
      targets.slice(i, i + batch).map(
        ({ url, orderId }) =>
          new Promise<void>((resolve, reject) => {
            const client = createClient({
              url: url.replace(/^http/, 'ws') + '/graphql',
              webSocketImpl: WebSocket,
              connectionParams: { authorization: `Bearer ${apiKey}` },
              retryAttempts: 0,
              lazy: true,
            });
            clients.push(client);
            const subscriber: Subscriber = { orderId, seen: new Map(), errors: [] };
            subscribers.push(subscriber);
            let first = true;
            disposers.push(
              client.subscribe<{ orderUpdated: { id: string; status: string } }>(
                { query: ORDER_UPDATED, variables: { id: orderId } },
                {
                  next: (message) => {
                    const now = performance.now();
                    const status = message.data?.orderUpdated.status;
                    if (message.errors || !status) subscriber.errors.push(message.errors);
                    else if (!subscriber.seen.has(status)) subscriber.seen.set(status, now);
                    if (first) {
                      first = false;
                      if (message.errors) reject(new Error(JSON.stringify(message.errors)));
                      else resolve();
                    }
                    notify();
                  },
                  error: (error) => {
                    subscriber.errors.push(error);
                    if (first) reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
                    notify();
                  },
                  complete: () => {},
                },
              ),
            );
          }),
      ),
    );
  }

  const countSeen = (status: string) => subscribers.filter((s) => s.seen.has(status)).length;
  return {
    subscribers,
    countSeen,
    allSeen(status, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (countSeen(status) === subscribers.length) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`${countSeen(status)} of ${subscribers.length} subscribers saw ${status} within ${timeoutMs} ms`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    async close() {
      disposers.forEach((dispose) => dispose());
      await Promise.all(clients.map((client) => client.dispose()));
    },
  };
}
