// The one place an order's status changes: whatever the cause (API answer,
// callback, poll, match, expiry, a human), the change goes through
// `transition`, which asks the domain whether it is allowed, writes the order
// and its event in one transaction guarded by the status it read, and
// publishes after the commit.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { directionOf, type OrderKind, type StatusReport } from '../providers/types.js';
import { judgeTransition, settle, isFinal, type OrderStatus, type ReviewReason } from '../domain/order-status.js';
import type { AppPubSub, OrderChanged } from '../pubsub.js';
import type { Logger } from '../logger.js';
import { observe } from '../observability.js';

export type EventCause = 'API' | 'CALLBACK' | 'POLL' | 'MATCH' | 'EXPIRY' | 'MANUAL';

export interface TransitionRequest {
  orderId: string;
  to: OrderStatus;
  cause: EventCause;
  /** Who caused it: api-key:<id>, callback:<provider>@<ip>, worker:<name>, manual:<api key id>. */
  actor: string;
  rawStatus?: string;
  payload?: unknown;
  note?: string;
  /** Other columns to write with the change (provider reference, settled amount, …). */
  changes?: Prisma.OrderUpdateManyMutationInput;
  /**
   * Only from this status, the one the caller decided on (a person's review decision):
   * from any other, 'stale' (recordEvent: StaleOrderError) and nothing is written.
   * recordEvent closing a review also requires the review to be still open.
   */
  expectedFrom?: OrderStatus;
  /** Writes that commit with the change or not at all (a bank line tied by hand); throwing rolls the change back. */
  alongside?: (tx: Prisma.TransactionClient) => Promise<void>;
}

/** recordEvent with `expectedFrom`: the order is no longer as the caller saw it; nothing was written. */
export class StaleOrderError extends Error {
  override readonly name = 'StaleOrderError';
  constructor(readonly orderId: string) {
    super(`order ${orderId} changed since it was read`);
  }
}

export type TransitionOutcome =
  | { kind: 'applied'; from: OrderStatus; to: OrderStatus; eventId: string }
  | { kind: 'noop'; status: OrderStatus }
  | { kind: 'refused'; from: OrderStatus; to: OrderStatus; reason: string }
  /** Not in `expectedFrom` (any more): nothing written. */
  | { kind: 'stale'; status: OrderStatus };

/** A report of "succeeded" for money coming in is checked against the amount expected. */
export function targetForReport(order: { kind: OrderKind; amount: bigint }, report: StatusReport): { to: OrderStatus; reviewReason?: ReviewReason } | null {
  if (report.status === null) return null;
  if (report.status === 'SUCCEEDED' && directionOf[order.kind] === 'IN') {
    const verdict = settle(order.amount, report.amount);
    return { to: verdict.status, reviewReason: verdict.reason };
  }
  return { to: report.status };
}

/** JSON-safe copy of a provider payload: bigints become strings. */
export function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v))) as Prisma.InputJsonValue;
}

export class OrderTransitions {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pubsub: AppPubSub,
    private readonly logger: Logger,
  ) {}

  async transition(request: TransitionRequest): Promise<TransitionOutcome> {
    // Optimistic: the update only lands if the status is still the one judged.
    // A concurrent change makes it miss; read again and judge again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const order = await this.prisma.order.findUniqueOrThrow({ where: { id: request.orderId }, select: { status: true, merchantId: true } });
      const from = order.status as OrderStatus;
      if (request.expectedFrom && from !== request.expectedFrom) return { kind: 'stale', status: from };
      const verdict = judgeTransition(from, request.to);
      if (verdict.kind === 'noop') {
        if (request.changes || request.rawStatus) {
          await this.prisma.order.updateMany({ where: { id: request.orderId, status: from }, data: { ...request.changes, rawStatus: request.rawStatus } });
        }
        return { kind: 'noop', status: from };
      }
      if (verdict.kind === 'refuse') {
        this.logger.warn({ orderId: request.orderId, from, to: request.to, cause: request.cause, actor: request.actor, reason: verdict.reason }, 'refused an order transition');
        return { kind: 'refused', from, to: request.to, reason: verdict.reason };
      }
      const now = new Date();
      const eventId = await this.prisma.$transaction(async (tx) => {
        const updated = await tx.order.updateMany({
          where: { id: request.orderId, status: from },
          data: {
            ...request.changes,
            status: request.to,
            rawStatus: request.rawStatus,
            completedAt: isFinal(request.to) ? now : undefined,
            nextPollAt: isFinal(request.to) || request.to === 'NEEDS_REVIEW' ? null : undefined,
            // Entering review puts the order in the review queue; leaving it (a person decided) takes it out.
            reviewOpenedAt: request.to === 'NEEDS_REVIEW' ? now : from === 'NEEDS_REVIEW' ? null : undefined,
          },
        });
        if (updated.count !== 1) return null;
        await request.alongside?.(tx);
        const event = await tx.orderEvent.create({
          data: {
            orderId: request.orderId,
            merchantId: order.merchantId,
            fromStatus: from,
            toStatus: request.to,
            cause: request.cause,
            actor: request.actor,
            rawStatus: request.rawStatus,
            payload: toJson(request.payload),
            note: request.note,
            createdAt: now,
          },
          select: { id: true },
        });
        return event.id;
      });
      if (!eventId) continue;
      this.publish({ orderId: request.orderId, merchantId: order.merchantId, eventId, status: request.to, at: now.toISOString() });
      observe.orderTransition({ status: request.to, cause: request.cause });
      return { kind: 'applied', from, to: request.to, eventId };
    }
    throw new Error(`order ${request.orderId} kept changing under us; gave up after 5 attempts`);
  }

  /**
   * An event that does not change the status: a report that contradicts a
   * closed order, a flag for review on a SUCCEEDED order, a review closed by a
   * person. Written with the order's current status as both ends, in one
   * transaction with its column changes, and published after the commit.
   */
  async recordEvent(request: Omit<TransitionRequest, 'to'> & { review?: { open: ReviewReason } | { close: true } }): Promise<{ eventId: string; status: OrderStatus }> {
    const now = new Date();
    const { eventId, status, merchantId } = await this.prisma.$transaction(async (tx) => {
      const order = await tx.order.findUniqueOrThrow({ where: { id: request.orderId }, select: { status: true, merchantId: true } });
      const review = request.review === undefined ? {} : 'open' in request.review ? { reviewReason: request.review.open, reviewOpenedAt: now } : { reviewOpenedAt: null };
      const closing = request.review !== undefined && 'close' in request.review;
      const guard = request.expectedFrom ? { status: request.expectedFrom, ...(closing ? { reviewOpenedAt: { not: null } } : {}) } : {};
      const updated = await tx.order.updateMany({ where: { id: request.orderId, ...guard }, data: { ...request.changes, ...review, ...(request.rawStatus ? { rawStatus: request.rawStatus } : {}) } });
      if (updated.count !== 1) throw new StaleOrderError(request.orderId);
      await request.alongside?.(tx);
      const event = await tx.orderEvent.create({
        data: {
          orderId: request.orderId,
          merchantId: order.merchantId,
          fromStatus: order.status,
          toStatus: order.status,
          cause: request.cause,
          actor: request.actor,
          rawStatus: request.rawStatus,
          payload: toJson(request.payload),
          note: request.note,
          createdAt: now,
        },
        select: { id: true },
      });
      return { eventId: event.id, status: order.status as OrderStatus, merchantId: order.merchantId };
    });
    this.publish({ orderId: request.orderId, merchantId, eventId, status, at: now.toISOString() });
    return { eventId, status };
  }

  /** Applies what a provider reported; unknown statuses are kept raw and change nothing. */
  async applyReport(
    order: { id: string; kind: OrderKind; amount: bigint },
    report: StatusReport,
    cause: EventCause,
    actor: string,
    extra: Prisma.OrderUpdateManyMutationInput = {},
  ): Promise<TransitionOutcome | { kind: 'unknown-status'; rawStatus: string }> {
    const target = targetForReport(order, report);
    const changes: Prisma.OrderUpdateManyMutationInput = {
      ...extra,
      ...(report.providerReference ? { providerReference: report.providerReference } : {}),
      ...(report.fee !== undefined ? { fee: report.fee } : {}),
    };
    if (!target) {
      this.logger.warn({ orderId: order.id, rawStatus: report.rawStatus, cause }, 'provider reported a status we do not know; order left as it is');
      await this.prisma.order.update({ where: { id: order.id }, data: { ...changes, rawStatus: report.rawStatus } });
      return { kind: 'unknown-status', rawStatus: report.rawStatus };
    }
    if (report.amount !== undefined && report.amount !== order.amount) changes.settledAmount = report.amount;
    if (target.reviewReason) changes.reviewReason = target.reviewReason;
    return this.transition({
      orderId: order.id,
      to: target.to,
      cause,
      actor,
      rawStatus: report.rawStatus,
      payload: report.raw,
      note: target.reviewReason ? `amount received ${report.amount} differs from ${order.amount} expected (${target.reviewReason})` : undefined,
      changes,
    });
  }

  private publish(message: OrderChanged) {
    this.pubsub.publish('order:changed', message.orderId, message);
    this.pubsub.publish('merchant:orders', message.merchantId, message);
  }
}
