// The typed event bus behind subscriptions: in-memory by default, Redis when
// REDIS_URL is set so that an event published on one instance reaches
// subscribers on every instance. Services publish only after their commit.
import { createRequire } from 'node:module';
import { createPubSub, Repeater, type PubSub } from 'graphql-yoga';
import type { Logger } from './logger.js';
import { connectRedis, reportRedisOutages } from './redis.js';

// The Redis event target is loaded only with REDIS_URL, like the client (see redis.ts).
const require = createRequire(import.meta.url);

/** What travels on the bus: ids and the new status, never secrets. Subscribers re-read what they show. */
export interface OrderChanged {
  orderId: string;
  merchantId: string;
  eventId: string;
  status: string;
  at: string;
}

/** A card charge changed (created, settled): cardChargeUpdated(id). Ids and status only: never the card. */
export interface CardChargeChanged {
  cardChargeId: string;
  merchantId: string;
  eventId: string;
  status: string;
  at: string;
}

/** A bank statement line was imported (by poll or webhook) and matched: transactionReceived(accountId). */
export interface BankTransactionReceived {
  bankTransactionId: string;
  merchantId: string;
  bankAccountId: string | null;
}

/** The feed sequencer committed events of one merchant, up to this position (orderEvents(after) reads on). */
export interface FeedAppended {
  merchantId: string;
  position: string;
}

/** A client token was revoked: its open subscriptions end (clientToken:revoked). */
export interface ClientTokenRevoked {
  tokenId: string;
  orderId: string;
}

export type PubSubChannels = {
  /** One order's changes: orderUpdated(id). */
  'order:changed': [orderId: string, payload: OrderChanged];
  /** Every order change of one merchant: orderEvents(filter). */
  'merchant:orders': [merchantId: string, payload: OrderChanged];
  /** One card charge's changes: cardChargeUpdated(id). */
  'cardCharge:changed': [cardChargeId: string, payload: CardChargeChanged];
  /** Every new bank statement line of one merchant: transactionReceived(accountId). */
  'merchant:bank-transactions': [merchantId: string, payload: BankTransactionReceived];
  /** One client token was revoked: subscriptions opened with it end. */
  'clientToken:revoked': [tokenId: string, payload: ClientTokenRevoked];
  /** New events in one merchant's feed (src/webhooks/sequencer.ts). */
  'feed:appended': [merchantId: string, payload: FeedAppended];
  /** An API key was revoked: every instance closes the WebSocket connections opened with it. */
  'apiKey:revoked': [payload: { apiKeyId: string }];
};

/** The event target under the pubsub: a topic is `channel:id` (yoga's naming), a message is a CustomEvent carrying the payload. */
export interface BusEvents {
  addEventListener(topic: string, listener: (event: Event) => void): void;
  removeEventListener(topic: string, listener: (event: Event) => void): void;
}

/** yoga's typed pubsub, and the event target under it (for FanOut, which listens once per id). */
export type AppPubSub = PubSub<PubSubChannels> & { readonly events: BusEvents };

export interface PubSubHandle {
  pubsub: AppPubSub;
  kind: 'memory' | 'redis';
  close(): Promise<void>;
}

/**
 * Runs before a message goes out, with its channel and arguments; when it returns a promise, that message and
 * every later one wait for it (in order). The response cache moves a merchant's epoch here, so whoever hears
 * of a change can no longer be answered from before it.
 */
export type BeforePublish = (channel: keyof PubSubChannels, args: unknown[]) => void | Promise<void>;

export function createAppPubSub(redisUrl?: string, logger?: Pick<Logger, 'warn' | 'info'>, beforePublish?: BeforePublish): PubSubHandle {
  if (!redisUrl) {
    const events = new EventTarget();
    const pubsub = Object.assign(createPubSub<PubSubChannels>({ eventTarget: events as never }), { events });
    return { pubsub: withBeforePublish(pubsub, beforePublish), kind: 'memory', close: async () => {} };
  }
  const { createRedisEventTarget } = require('@graphql-yoga/redis-event-target') as typeof import('@graphql-yoga/redis-event-target');
  const publishClient = connectRedis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscribeClient = connectRedis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  if (logger) {
    reportRedisOutages(publishClient, logger, 'pubsub-publish');
    reportRedisOutages(subscribeClient, logger, 'pubsub-subscribe');
  }
  const eventTarget = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient });
  return {
    pubsub: withBeforePublish(Object.assign(createPubSub<PubSubChannels>({ eventTarget: eventTarget as never }), { events: eventTarget as unknown as BusEvents }), beforePublish),
    kind: 'redis',
    async close() {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}

function withBeforePublish(pubsub: AppPubSub, beforePublish: BeforePublish | undefined): AppPubSub {
  if (!beforePublish) return pubsub;
  const publish = pubsub.publish.bind(pubsub) as (channel: keyof PubSubChannels, ...args: unknown[]) => void;
  /** The last message still waiting: a later one goes out after it, whatever its own hook returned. */
  let waiting: Promise<void> | undefined;
  const publishInOrder = (channel: keyof PubSubChannels, ...args: unknown[]) => {
    const before = beforePublish(channel, args);
    if (!before && !waiting) return publish(channel, ...args);
    const sent = Promise.all([waiting, before]).then(
      () => publish(channel, ...args),
      () => publish(channel, ...args),
    );
    waiting = sent;
    void sent.finally(() => {
      if (waiting === sent) waiting = undefined;
    });
  };
  return Object.assign(pubsub, { publish: publishInOrder as AppPubSub['publish'] });
}

/**
 * One bus listener per id, shared by every follower of that id in this process: a thousand subscribers of
 * one order cost one listener on the event target (and one Redis channel), not a thousand, and a follower
 * costs a callback in a set rather than an iterator of its own.
 */
export class FanOut<K extends keyof PubSubChannels> {
  private readonly topics = new Map<string, { listeners: Set<(value: PubSubChannels[K][1]) => void>; handler: (event: Event) => void }>();

  constructor(
    private readonly pubsub: AppPubSub,
    private readonly channel: K,
  ) {}

  /** Calls `listener` with each message about `id`, from now on (listening when this returns), until the returned function is called. */
  listen(id: string, listener: (value: PubSubChannels[K][1]) => void): () => void {
    const topic = `${this.channel}:${id}`;
    let entry = this.topics.get(topic);
    if (!entry) {
      const listeners = new Set<(value: PubSubChannels[K][1]) => void>();
      const handler = (event: Event) => {
        for (const each of [...listeners]) each((event as CustomEvent<PubSubChannels[K][1]>).detail);
      };
      entry = { listeners, handler };
      this.topics.set(topic, entry);
      this.pubsub.events.addEventListener(topic, handler);
    }
    const { listeners, handler } = entry;
    const own = (value: PubSubChannels[K][1]) => listener(value);
    listeners.add(own);
    return () => {
      if (!listeners.delete(own) || listeners.size > 0) return;
      this.topics.delete(topic);
      this.pubsub.events.removeEventListener(topic, handler);
    };
  }

  /** The messages about `id` as a stream (for liveStream): listening from its first `next()` until it is returned. */
  subscribe(id: string): AsyncIterable<PubSubChannels[K][1]> {
    return new Repeater<PubSubChannels[K][1]>(async (push, stop) => {
      const unlisten = this.listen(id, (value) => void push(value));
      await stop;
      unlisten();
    });
  }

  /** How many ids are listened to (tests, metrics). */
  get size(): number {
    return this.topics.size;
  }
}
