// The event documents ({id, type, timestamp, data}) the feed stores and the
// webhooks carry, built from the rows that recorded each change. The data is
// the object as of the event: its status from the event row itself, its
// other fields as read when the event was sequenced (milliseconds after the
// commit). Money is a string of whole đồng, as in GraphQL. No provider
// payload and no secret: a card shows only its masked code and serial.
import { createHash } from 'node:crypto';
import { directionOf, type OrderKind } from '../providers/types.js';
import { orderEventTypes, reviewId, type WebhookEventType } from '../domain/event-feed.js';
import type { BankLineRow, CardEventRow, OrderEventRow } from './source-rows.js';
import { isUuid } from '../domain/ids.js';

/** A review opened or closed on an order, a card charge or a bank line (read from their review columns). */
export interface ReviewChange {
  subject: 'order' | 'card_charge' | 'bank_transaction';
  subjectId: string;
  merchantId: string;
  type: 'review.opened' | 'review.resolved';
  /** The review's own opening time: the current one when opened, the one announced when resolved. */
  openedAt: Date;
  /** When this change is dated: the opening, or the moment the subject last changed. */
  at: Date;
  reason: string | null;
  /** The subject's status now (orders and card charges). */
  subjectStatus: string | null;
  resolvedBy: string | null;
  note: string | null;
}

/** One event about to enter the feed; its version is given by the sequencer. */
export interface EventDraft {
  id: string;
  type: WebhookEventType;
  merchantId: string;
  objectId: string;
  /** Drafts of one change to one object share a version (order.updated and order.succeeded of one row). */
  change: string;
  occurredAt: Date;
  data: Record<string, unknown>;
}

export interface EventDocument {
  id: string;
  type: string;
  timestamp: string;
  data: unknown;
}

/** Stable ids: re-sequencing the same row after a rolled-back pass makes the same event. */
export const eventId = (source: string, type: string) => `evt_${createHash('sha256').update(`${source}|${type}`).digest('hex').slice(0, 26)}`;

const iso = (value: Date) => value.toISOString();

export function orderData(order: OrderEventRow['order'], event: OrderEventRow) {
  return {
    object: 'order',
    id: order.id,
    status: event.toStatus,
    previousStatus: event.fromStatus,
    kind: order.kind,
    direction: directionOf[order.kind as OrderKind],
    provider: order.provider,
    method: order.method,
    gateway: order.gateway,
    amount: order.amount,
    settledAmount: order.settledAmount,
    fee: order.fee,
    currency: order.currency,
    merchantReference: order.merchantReference,
    requestId: order.requestId,
    providerReference: order.providerReference,
    reviewReason: order.reviewReason,
    expiresAt: order.expiresAt,
    createdAt: order.createdAt,
    completedAt: order.completedAt,
    change: { eventId: event.id, cause: event.cause, note: event.note, rawStatus: event.rawStatus, at: iso(event.createdAt) },
  };
}

export function bankLineData(line: BankLineRow, matchedOrderId: string | null) {
  return {
    object: 'bank_transaction',
    id: line.id,
    bank: line.bank,
    refNo: line.refNo,
    amount: line.amount,
    direction: line.direction,
    description: line.description,
    accountNumber: line.accountNumber,
    bankAccountId: line.bankAccountId,
    balanceAfter: line.balanceAfter,
    transactionTime: line.transactionTime,
    source: line.source,
    matchedOrderId,
    reviewReason: line.reviewReason,
  };
}

/** The bank line an order event names (a match by code, or by hand), if any. */
export function bankLineNamedBy(event: Pick<OrderEventRow, 'bankTransactionId'>): string | null {
  const id = event.bankTransactionId;
  return typeof id === 'string' && isUuid(id) ? id : null;
}

export function orderEventDrafts(event: OrderEventRow, namedLine: BankLineRow | undefined): EventDraft[] {
  const data = orderData(event.order, event);
  const drafts: EventDraft[] = orderEventTypes(event).map((type) => ({
    id: eventId(`OrderEvent:${event.id}`, type),
    type,
    merchantId: event.merchantId,
    objectId: event.orderId,
    change: event.id,
    occurredAt: event.createdAt,
    data,
  }));
  if (namedLine) {
    drafts.push({
      id: eventId(`OrderEvent:${event.id}`, 'bank_transaction.matched'),
      type: 'bank_transaction.matched',
      merchantId: event.merchantId,
      objectId: namedLine.id,
      change: event.id,
      occurredAt: event.createdAt,
      data: { ...bankLineData(namedLine, event.orderId), order: { id: event.orderId, status: event.toStatus, change: { eventId: event.id, cause: event.cause, note: event.note } } },
    });
  }
  return drafts;
}

export function cardEventDrafts(event: CardEventRow): EventDraft[] {
  const charge = event.cardCharge;
  return [
    {
      id: eventId(`CardChargeEvent:${event.id}`, 'card_charge.updated'),
      type: 'card_charge.updated',
      merchantId: charge.merchantId,
      objectId: charge.id,
      change: event.id,
      occurredAt: event.createdAt,
      data: {
        object: 'card_charge',
        id: charge.id,
        status: event.toStatus,
        previousStatus: event.fromStatus,
        telco: charge.telco,
        declaredValue: charge.declaredValue,
        realValue: charge.realValue,
        amountReceived: charge.amountReceived,
        valueMismatch: charge.valueMismatch,
        providerStatus: charge.providerStatus,
        requestId: charge.requestId,
        maskedCode: charge.maskedCode,
        maskedSerial: charge.maskedSerial,
        reviewReason: charge.reviewReason,
        createdAt: charge.createdAt,
        completedAt: charge.completedAt,
        change: { eventId: event.id, cause: event.cause, note: event.note, at: iso(event.createdAt) },
      },
    },
  ];
}

export function bankLineDrafts(line: BankLineRow): EventDraft[] {
  return [
    {
      id: eventId(`BankTransaction:${line.id}`, 'bank_transaction.received'),
      type: 'bank_transaction.received',
      merchantId: line.merchantId,
      objectId: line.id,
      change: `received:${line.id}`,
      occurredAt: line.createdAt,
      data: bankLineData(line, line.matchedOrderId),
    },
  ];
}

export function reviewDrafts(change: ReviewChange): EventDraft[] {
  const id = reviewId(change.subjectId, change.openedAt);
  return [
    {
      id: eventId(`Review:${id}`, change.type),
      type: change.type,
      merchantId: change.merchantId,
      objectId: id,
      change: `${id}:${change.type}`,
      occurredAt: change.at,
      data: {
        object: 'review',
        id,
        subject: { object: change.subject, id: change.subjectId, status: change.subjectStatus },
        reason: change.reason,
        openedAt: iso(change.openedAt),
        resolvedAt: change.type === 'review.resolved' ? iso(change.at) : null,
        resolvedBy: change.resolvedBy,
        note: change.note,
      },
    },
  ];
}

/** The document as the feed returns it and the webhook body carries it. */
export function eventDocument(row: { id: string; type: string; occurredAt: Date; data: unknown }): EventDocument {
  return { id: row.id, type: row.type, timestamp: row.occurredAt.toISOString(), data: row.data };
}
