// Reading the merchant's event feed: pages after a cursor (`events`), and the
// order timeline from a cursor on (`orderEvents(after)`), which listens for
// new positions first, then reads what was missed, then streams — each event
// once, in feed order, whatever arrives while it reads.
import { Repeater } from 'graphql-yoga';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { AppPubSub, OrderChanged } from '../pubsub.js';
import { GraphQLError } from 'graphql';
import { decodeFeedCursor, type WebhookEventType } from '../domain/event-feed.js';
import { eventDocument, type EventDocument } from './documents.js';

export const MAX_FEED_PAGE = 500;

export interface FeedPageRequest {
  after?: string | null;
  first?: number | null;
  types?: readonly WebhookEventType[] | null;
  objectId?: string | null;
}

export interface FeedItem {
  position: bigint;
  document: EventDocument;
}

/** A bad argument of a feed read (a query or a subscription: a GraphQL error, not a typed result). */
export const badFeedArgument = (message: string, field: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });

export function parseFeedCursor(cursor: string, field = 'after'): bigint {
  const position = decodeFeedCursor(cursor);
  if (position === null) throw badFeedArgument(`${field}: not a cursor of the event feed`, field);
  return position;
}

export class EventFeed {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pubsub: AppPubSub,
  ) {}

  /** Up to `first` events after the cursor, oldest first, and whether more follow. */
  async page(merchantId: string, request: FeedPageRequest): Promise<{ items: FeedItem[]; hasNextPage: boolean }> {
    const first = request.first ?? 50;
    if (!Number.isInteger(first) || first < 0 || first > MAX_FEED_PAGE) throw badFeedArgument(`first: 0 to ${MAX_FEED_PAGE}`, 'first');
    const after = request.after ? parseFeedCursor(request.after) : -1n;
    const rows = await this.prisma.feedEvent.findMany({
      where: {
        merchantId,
        position: { gt: after },
        ...(request.types?.length ? { type: { in: [...request.types] } } : {}),
        ...(request.objectId ? { objectId: request.objectId } : {}),
      },
      orderBy: { position: 'asc' },
      take: first + 1,
      select: { position: true, id: true, type: true, occurredAt: true, data: true },
    });
    return { items: rows.slice(0, first).map((row) => ({ position: row.position, document: eventDocument(row) })), hasNextPage: rows.length > first };
  }

  /** The position of the merchant's latest event (-1 with none). */
  async head(merchantId: string): Promise<bigint> {
    const last = await this.prisma.feedEvent.findFirst({ where: { merchantId }, orderBy: { position: 'desc' }, select: { position: true } });
    return last?.position ?? -1n;
  }

  /** The merchant's order events after the cursor, then every new one as the feed receives it. */
  followOrderEvents(merchantId: string, cursor: string): Repeater<OrderChanged> {
    const after = parseFeedCursor(cursor);
    const { prisma, pubsub } = this;
    return new Repeater<OrderChanged>(async (push, stop) => {
      const appended = pubsub.subscribe('feed:appended', merchantId)[Symbol.asyncIterator]();
      let stopped = false;
      void stop.then(() => {
        stopped = true;
        void appended.return?.();
      });
      let last = after;
      let woken = appended.next(); // listening before the first read
      const batch = 200;
      while (!stopped) {
        const rows = await prisma.orderEvent.findMany({
          where: { merchantId, feedPosition: { gt: last } },
          orderBy: { feedPosition: 'asc' },
          take: batch,
          select: { id: true, orderId: true, toStatus: true, createdAt: true, feedPosition: true },
        });
        for (const row of rows) {
          if (stopped) break;
          await push({ orderId: row.orderId, merchantId, eventId: row.id, status: row.toStatus, at: row.createdAt.toISOString() });
          last = row.feedPosition!;
        }
        if (rows.length === batch) continue;
        const next = await Promise.race([woken, stop.then(() => null)]);
        if (!next || next.done) break;
        woken = appended.next();
      }
    });
  }
}
