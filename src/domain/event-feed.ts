// The event catalogue of the merchant's feed and webhooks, and which events a
// recorded change means. Pure: the sequencer (src/webhooks/sequencer.ts) asks
// here for every committed row it turns into feed events.

export const webhookEventTypes = [
  'order.created',
  'order.updated',
  'order.succeeded',
  'order.failed',
  'order.expired',
  'order.needs_review',
  'card_charge.updated',
  'bank_transaction.received',
  'bank_transaction.matched',
  'review.opened',
  'review.resolved',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** Sent by sendTestWebhook only; never part of the feed, sent whatever the endpoint subscribed to. */
export const TEST_EVENT_TYPE = 'webhook.test';

export const isWebhookEventType = (value: string): value is WebhookEventType => (webhookEventTypes as readonly string[]).includes(value);

/** The GraphQL enum name of each type (order.needs_review → ORDER_NEEDS_REVIEW). */
export const eventTypeEnumName = (type: WebhookEventType) => type.replace('.', '_').toUpperCase();

/** What an order event row records: its creation (from null), a status change, or an event without one (from = to). */
export interface OrderChange {
  fromStatus: string | null;
  toStatus: string;
}

const finalOrderEvents: Partial<Record<string, WebhookEventType>> = {
  SUCCEEDED: 'order.succeeded',
  FAILED: 'order.failed',
  EXPIRED: 'order.expired',
  NEEDS_REVIEW: 'order.needs_review',
};

/**
 * The order events one timeline row makes, most general first: order.created
 * for the first row; otherwise order.updated for every change (a status
 * change, or an event recorded without one, such as a contradicting report),
 * plus the outcome's own type when the status changed into it.
 */
export function orderEventTypes(change: OrderChange): WebhookEventType[] {
  if (change.fromStatus === null) return ['order.created'];
  const types: WebhookEventType[] = ['order.updated'];
  const outcome = change.fromStatus !== change.toStatus ? finalOrderEvents[change.toStatus] : undefined;
  if (outcome) types.push(outcome);
  return types;
}

/** Where a review stands on the feed: the review the object has now against the one last announced. */
export function reviewEventType(current: Date | null, announced: Date | null): 'review.opened' | 'review.resolved' | null {
  if (current && (!announced || current.getTime() !== announced.getTime())) return 'review.opened';
  if (!current && announced) return 'review.resolved';
  return null;
}

/** A review is named by what it is about and when it opened (reopening makes a new review). */
export const reviewId = (subjectId: string, openedAt: Date) => `rev_${subjectId.replace(/-/g, '')}_${openedAt.getTime()}`;

// ---- cursors ------------------------------------------------------------

const CURSOR_PREFIX = 'feed:';

/** The opaque cursor of a feed position (what `events(after)` and `orderEvents(after)` take). */
export function encodeFeedCursor(position: bigint): string {
  return Buffer.from(`${CURSOR_PREFIX}${position}`).toString('base64url');
}

/** The position behind a cursor, or null when it is not one of ours. */
export function decodeFeedCursor(cursor: string): bigint | null {
  if (cursor.length > 64) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX)) return null;
  const digits = text.slice(CURSOR_PREFIX.length);
  return /^\d{1,19}$/.test(digits) ? BigInt(digits) : null;
}
