// The review queue and the decisions a person takes on it (GraphQL, CLI).
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { AppPubSub } from '../../pubsub.js';
import type { OrderTransitions } from '../order-transitions.js';
import { ReviewActions } from './actions.js';
import { ReviewQueue } from './queue.js';

export function createReviewServices(prisma: PrismaClient, pubsub: AppPubSub, transitions: OrderTransitions) {
  return { queue: new ReviewQueue(prisma), actions: new ReviewActions(prisma, pubsub, transitions) };
}

export type ReviewServices = ReturnType<typeof createReviewServices>;
