// The typed event bus behind subscriptions: in-memory by default, Redis when
// REDIS_URL is set so that an event published on one instance reaches
// subscribers on every instance. Services publish only after their commit.
import { createPubSub, type PubSub } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';

/** What travels on the bus: ids and the new status, never secrets. Subscribers re-read what they show. */
export interface OrderChanged {
  orderId: string;
  merchantId: string;
  eventId: string;
  status: string;
  at: string;
}

export type PubSubChannels = {
  /** One order's changes: orderUpdated(id). */
  'order:changed': [orderId: string, payload: OrderChanged];
  /** Every order change of one merchant: orderEvents(filter). */
  'merchant:orders': [merchantId: string, payload: OrderChanged];
};

export type AppPubSub = PubSub<PubSubChannels>;

export interface PubSubHandle {
  pubsub: AppPubSub;
  kind: 'memory' | 'redis';
  close(): Promise<void>;
}

export function createAppPubSub(redisUrl?: string): PubSubHandle {
  if (!redisUrl) return { pubsub: createPubSub<PubSubChannels>(), kind: 'memory', close: async () => {} };
  const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const eventTarget = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient });
  return {
    pubsub: createPubSub<PubSubChannels>({ eventTarget: eventTarget as never }),
    kind: 'redis',
    async close() {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}
