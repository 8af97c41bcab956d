// The typed event bus behind subscriptions: in-memory by default, Redis when
// REDIS_URL is set so that an event published on one instance reaches
// subscribers on every instance. Services publish only after their commit.
import { createPubSub, type PubSub } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { Logger } from './logger.js';

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

export type AppPubSub = PubSub<PubSubChannels>;

export interface PubSubHandle {
  pubsub: AppPubSub;
  kind: 'memory' | 'redis';
  close(): Promise<void>;
}

export function createAppPubSub(redisUrl?: string, logger?: Pick<Logger, 'warn' | 'info'>): PubSubHandle {
  if (!redisUrl) return { pubsub: createPubSub<PubSubChannels>(), kind: 'memory', close: async () => {} };
  const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  if (logger) {
    reportRedisOutages(publishClient, logger, 'pubsub-publish');
    reportRedisOutages(subscribeClient, logger, 'pubsub-subscribe');
  }
  const eventTarget = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient });
  return {
    pubsub: createPubSub<PubSubChannels>({ eventTarget: eventTarget as never }),
    kind: 'redis',
    async close() {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}

/**
 * An ioredis client with no `error` listener prints "[ioredis] Unhandled error
 * event" and a stack trace at every failed reconnection. One warning per outage
 * instead, and one line when it is over (ioredis reconnects by itself).
 */
export function reportRedisOutages(client: Redis, logger: Pick<Logger, 'warn' | 'info'>, role: string) {
  let down = false;
  client.on('error', (error: NodeJS.ErrnoException) => {
    if (down) return;
    down = true;
    logger.warn({ redis: role, reason: error.code ?? error.message }, 'Redis unreachable; reconnecting');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info({ redis: role }, 'Redis reachable again');
  });
}

/**
 * One bus subscription per id, shared by every follower of that id in this process: a thousand
 * subscribers of one order cost one listener on the bus (and one Redis channel), not a thousand, and
 * a follower costs a callback in a set rather than an iterator of its own.
 */
export class FanOut<T> {
  private readonly topics = new Map<string, { listeners: Set<(value: T) => void>; source: AsyncIterator<T> }>();

  constructor(private readonly open: (id: string) => AsyncIterable<T>) {}

  /** Calls `listener` with each message about `id`, from now on (the bus is listened to before this returns), until the returned function is called. */
  listen(id: string, listener: (value: T) => void): () => void {
    let topic = this.topics.get(id);
    if (!topic) {
      const source = this.open(id)[Symbol.asyncIterator]();
      const created = { listeners: new Set<(value: T) => void>(), source };
      this.topics.set(id, created);
      topic = created;
      // The first next() registers the bus listener synchronously; later messages reach every listener of the moment.
      void (async () => {
        for (let next = await source.next(); !next.done; next = await source.next()) for (const each of [...created.listeners]) each(next.value);
      })();
    }
    const listeners = topic.listeners;
    const own = (value: T) => listener(value);
    listeners.add(own);
    return () => {
      if (!listeners.delete(own) || listeners.size > 0 || this.topics.get(id)?.listeners !== listeners) return;
      this.topics.delete(id);
      void topic.source.return?.();
    };
  }

  /** How many ids have a bus subscription open (tests, metrics). */
  get size(): number {
    return this.topics.size;
  }
}
