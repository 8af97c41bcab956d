// Webhooks and the event feed, wired once per app instance (issue 15).
//
//   sequencer.ts        committed change rows → feed events + deliveries (one transaction)
//   feed.ts             reading the feed: events(after), orderEvents(after)
//   endpoints.ts        the merchant's endpoints, secrets, test events, redelivery
//   delivery-worker.ts  sends due deliveries, logs attempts, retries, disables
//   sender.ts           one signed request (standardwebhooks), guarded and timed
//   url-guard.ts        https, public addresses only, checked on the address connected to
//   documents.ts        the event documents
//   cli.ts              `paygraph webhook …`
// Pure rules live in src/domain/event-feed.ts and src/domain/webhook-retry.ts.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { AppPubSub } from '../pubsub.js';
import type { Logger } from '../logger.js';
import type { Config } from '../config.js';
import type { SealedBox } from '../services/sealed-box.js';
import type { RetryPolicy } from '../domain/webhook-retry.js';
import { FeedSequencer } from './sequencer.js';
import { EventFeed } from './feed.js';
import { WebhookEndpoints } from './endpoints.js';
import { WebhookDeliveryWorker } from './delivery-worker.js';
import { WebhookSender } from './sender.js';
import { WakeableLoop } from './loop.js';
import type { AddressPolicy } from './url-guard.js';

/** The channel the migration's triggers notify when a change commits. */
export const FEED_CHANNEL = 'paygraph_feed';

export interface WebhookDeps {
  prisma: PrismaClient;
  pubsub: AppPubSub;
  logger: Logger;
  config: Config;
  sealedBox: SealedBox;
}

export function addressPolicy(config: Config): AddressPolicy {
  return { allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK ?? config.NODE_ENV !== 'production' };
}

export function retryPolicy(config: Config): RetryPolicy {
  return {
    baseMs: config.WEBHOOK_RETRY_BASE_MS,
    maxDelayMs: config.WEBHOOK_RETRY_MAX_DELAY_MS,
    retryForMs: config.WEBHOOK_RETRY_FOR_HOURS * 3_600_000,
    disableAfterMs: config.WEBHOOK_DISABLE_AFTER_HOURS * 3_600_000,
  };
}

export function createWebhookServices(deps: WebhookDeps) {
  const { prisma, pubsub, logger, config } = deps;
  const policy = addressPolicy(config);
  let deliveryLoop: WakeableLoop | undefined;
  let sequencerLoop: WakeableLoop | undefined;
  const endpoints = new WebhookEndpoints(prisma, deps.sealedBox, { policy, wakeDelivery: () => deliveryLoop?.wake() });
  const feed = new EventFeed(prisma, pubsub);
  const sequencer = new FeedSequencer(prisma, pubsub, logger, { batchSize: 200, onDeliveries: () => deliveryLoop?.wake() });
  const sender = new WebhookSender({ policy, connectTimeoutMs: config.WEBHOOK_CONNECT_TIMEOUT_MS, responseTimeoutMs: config.WEBHOOK_RESPONSE_TIMEOUT_MS });
  const deliveryWorker = new WebhookDeliveryWorker(prisma, endpoints, sender, retryPolicy(config), logger, {
    maxInFlight: 64,
    leaseMs: config.WEBHOOK_CONNECT_TIMEOUT_MS + config.WEBHOOK_RESPONSE_TIMEOUT_MS + 30_000,
    onRetryScheduled: (at) => deliveryLoop?.wakeAt(at),
    onCapacity: () => deliveryLoop?.wake(),
  });
  let unlisten: (() => Promise<void>) | undefined;

  return {
    endpoints,
    feed,
    sequencer,
    deliveryWorker,
    /**
     * Starts the sequencer and the delivery worker. `listen` (the database's
     * LISTEN) wakes the sequencer at each commit; both loops also poll, so a
     * lost notification only delays.
     */
    async startWorkers(listen?: (channel: string, listener: () => void) => Promise<() => Promise<void>>) {
      sequencerLoop = new WakeableLoop(logger, 'feed-sequencer', 1_000, () => sequencer.pass());
      deliveryLoop = new WakeableLoop(logger, 'webhook-delivery', 1_000, () => deliveryWorker.pass());
      if (listen) {
        unlisten = await listen(FEED_CHANNEL, () => {
          sequencer.hint();
          sequencerLoop?.wake();
        }).catch((error: Error) => {
          logger.warn({ err: error.message }, 'could not LISTEN for feed changes: the sequencer polls every second');
          return undefined;
        });
      }
      sequencerLoop.start();
      deliveryLoop.start();
    },
    async stopWorkers() {
      await unlisten?.();
      await sequencerLoop?.stop();
      await deliveryLoop?.stop();
      await deliveryWorker.drain(Math.min(config.SHUTDOWN_GRACE_MS, config.WEBHOOK_RESPONSE_TIMEOUT_MS));
      sender.close();
    },
  };
}

export type WebhookServices = ReturnType<typeof createWebhookServices>;
