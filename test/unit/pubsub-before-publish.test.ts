// The pubsub's beforePublish hook (what the response cache moves its epochs in):
// a message goes out only once its hook is done, and messages keep their order
// even when an earlier hook takes longer than a later one.
import { describe, expect, it } from 'vitest';
import { createAppPubSub, type BeforePublish, type OrderChanged } from '../../src/pubsub.js';

const change = (orderId: string): OrderChanged => ({ orderId, merchantId: 'm1', eventId: `e-${orderId}`, status: 'SUCCEEDED', at: '2026-11-30T00:00:00.000Z' });

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
}

describe('publishing behind a beforePublish hook', () => {
  it('sends a message at once when the hook returns nothing', () => {
    const { pubsub } = createAppPubSub(undefined, undefined, () => undefined);
    const heard: string[] = [];
    pubsub.events.addEventListener('merchant:orders:m1', (event) => heard.push((event as CustomEvent<OrderChanged>).detail.orderId));
    pubsub.publish('merchant:orders', 'm1', change('o1'));
    expect(heard).toEqual(['o1']);
  });

  it('holds each message until its hook is done, in the order they were published, whatever the hooks do', async () => {
    const hooks = [deferred(), deferred(), deferred()];
    const seen: string[] = [];
    let call = 0;
    const beforePublish: BeforePublish = (channel, args) => {
      seen.push(`${channel}:${(args[1] as OrderChanged).orderId}`);
      return hooks[call++]!.promise;
    };
    const { pubsub } = createAppPubSub(undefined, undefined, beforePublish);
    const heard: string[] = [];
    pubsub.events.addEventListener('merchant:orders:m1', (event) => heard.push((event as CustomEvent<OrderChanged>).detail.orderId));

    pubsub.publish('merchant:orders', 'm1', change('o1'));
    pubsub.publish('merchant:orders', 'm1', change('o2'));
    pubsub.publish('merchant:orders', 'm1', change('o3'));
    // Each hook started at once, with its channel and arguments.
    expect(seen).toEqual(['merchant:orders:o1', 'merchant:orders:o2', 'merchant:orders:o3']);

    hooks[1]!.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard).toEqual([]); // o2 is ready, but o1 is not out yet

    hooks[0]!.reject(new Error('Redis down')); // a failed hook still lets its message out
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard).toEqual(['o1', 'o2']);

    hooks[2]!.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard).toEqual(['o1', 'o2', 'o3']);

    // Once nothing waits, a message whose hook returns nothing goes out at once again.
    call = 0;
    hooks[0] = { promise: undefined as never, resolve() {}, reject() {} };
    pubsub.publish('merchant:orders', 'm1', change('o4'));
    expect(heard).toEqual(['o1', 'o2', 'o3', 'o4']);
  });
});
