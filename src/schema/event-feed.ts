// The merchant's event feed: `events(after, first, filter)` reads the same
// documents the webhooks carry, in the feed's order, after an opaque cursor;
// each order event also shows its cursor, which `orderEvents(after)` takes.
import { builder, requireMerchant } from './builder.js';
import { WebhookEventTypeEnum } from './webhook.js';
import { encodeFeedCursor } from '../domain/event-feed.js';
import type { EventDocument } from '../webhooks/documents.js';
import { badFeedArgument } from '../webhooks/feed.js';

const EventType = builder.objectRef<{ position: bigint; document: EventDocument }>('Event').implement({
  description: 'One event of your feed: the same document ({id, type, timestamp, data}) a webhook carries.',
  fields: (t) => ({
    id: t.string({ description: 'evt_…: the webhook-id of its webhooks.', resolve: (item) => item.document.id }),
    type: t.string({ description: 'order.created, order.updated, … (see WebhookEventType).', resolve: (item) => item.document.type }),
    timestamp: t.field({ type: 'DateTime', description: 'When the change happened.', resolve: (item) => new Date(item.document.timestamp) }),
    data: t.field({ type: 'JSON', description: 'The object as of the event, with its version (a per-object sequence).', resolve: (item) => item.document.data }),
    cursor: t.string({ description: 'Pass as `after` to read what follows this event.', resolve: (item) => encodeFeedCursor(item.position) }),
  }),
});

const EventFilter = builder.inputType('EventFilter', {
  fields: (t) => ({
    types: t.field({ type: [WebhookEventTypeEnum], required: false }),
    objectId: t.string({ required: false, description: 'Only the events of one order, card charge, bank line or review.' }),
  }),
});

builder.queryField('events', (t) =>
  t.connection({
    type: EventType,
    description:
      'Your event feed, oldest first, in a stable order: every event after `after`. A backend that was down passes the last cursor it processed and reads exactly what it missed (pageInfo.endCursor stays the same when nothing is new). Forward only: `last` and `before` are refused.',
    authScopes: { merchant: true },
    args: { filter: t.arg({ type: EventFilter, required: false }) },
    resolve: async (_root, args, ctx) => {
      if (args.last != null || args.before != null) throw badFeedArgument('the feed reads forward only: use first and after', args.last != null ? 'last' : 'before');
      const { items, hasNextPage } = await ctx.services.webhooks.feed.page(requireMerchant(ctx), { after: args.after, first: args.first, types: args.filter?.types, objectId: args.filter?.objectId });
      const edges = items.map((item) => ({ cursor: encodeFeedCursor(item.position), node: item }));
      return {
        edges,
        pageInfo: { hasNextPage, hasPreviousPage: args.after != null, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? args.after ?? null },
      };
    },
  }),
);

builder.queryField('eventFeedHead', (t) =>
  t.string({
    description:
      "The cursor of your latest event (from the start when there is none): pass it as events(after:) or orderEvents(after:) to follow from now on without a gap — read it with your current state (a list of orders), and every change after that state follows.",
    authScopes: { merchant: true },
    resolve: async (_root, _args, ctx) => {
      const head = await ctx.services.webhooks.feed.head(requireMerchant(ctx));
      return encodeFeedCursor(head < 0n ? 0n : head);
    },
  }),
);

builder.prismaObjectField('OrderEvent', 'cursor', (t) =>
  t.string({
    nullable: true,
    select: { feedPosition: true },
    description: 'Its place in the event feed: pass as orderEvents(after:) or events(after:) to resume after it. Null for a few milliseconds after the change, until the feed has it.',
    resolve: (event) => (event.feedPosition === null ? null : encodeFeedCursor(event.feedPosition)),
  }),
);
