// The one place an order's status changes. Whatever the cause (API answer,
// callback, poll, match, expiry, a human), the report is read as evidence and
// decided by the domain's decision table (domain/decision-policy.ts); the
// decision is written with its event in one transaction guarded by the status
// it was decided on, and published after the commit. A decision taken on a
// status that changed meanwhile is taken again on the new one.
// Kept whole (over 300 lines) because it is the one writer of order status:
// every path that changes an order must be readable side by side.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { directionOf, type OrderKind, type StatusReport } from '../providers/types.js';
import { judgeTransition, isFinal, type OrderStatus, type ReviewReason } from '../domain/order-status.js';
import { decide, evidenceOf, ruleText, type Decision, type DecisionCause, type Evidence, type Subject } from '../domain/decision-policy.js';
import type { AppPubSub, OrderChanged } from '../pubsub.js';
import type { Logger } from '../logger.js';
import { observe } from '../observability.js';
import { ConcurrentUpdateError, isContention } from '../errors/index.js';

export type EventCause = DecisionCause;

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
  /** The reason a review is opened with, when `to` is NEEDS_REVIEW. */
  reviewReason?: ReviewReason;
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

/** What a report (or a person) asks of an order, for the decision table. */
export interface DecideRequest {
  orderId: string;
  evidence: Evidence;
  /** `claim`: an unsigned report; the table answers "confirm" and nothing is written. */
  trust?: 'evidence' | 'claim';
  cause: EventCause;
  actor: string;
  /** The order's deadline has passed (the poller says so). */
  pastDeadline?: boolean;
  rawStatus?: string;
  payload?: unknown;
  /** Replaces the decision row's words in the event note. */
  note?: string;
  /** Columns written with whatever the decision writes (provider reference, fee …). */
  changes?: Prisma.OrderUpdateManyMutationInput;
}

export type DecideOutcome =
  | { kind: 'applied'; decision: Decision; from: OrderStatus; to: OrderStatus; eventId: string }
  /** An event was written without a status change (a contradiction recorded, a review flag). */
  | { kind: 'recorded'; decision: Decision; status: OrderStatus; eventId: string }
  /** Nothing but the raw value (and `changes`) written. */
  | { kind: 'kept'; decision: Decision; status: OrderStatus }
  /** The table wants a status query first (an unsigned claim), or it is a second payment for the caller to flag. */
  | { kind: 'deferred'; decision: Extract<Decision, { kind: 'confirm' | 'flag-payment' }>; status: OrderStatus }
  | { kind: 'refused'; decision: Extract<Decision, { kind: 'refuse' }>; status: OrderStatus };

/** Which column of the decision table an order's kind reads. */
export const subjectOf = (kind: OrderKind): Subject => (directionOf[kind] === 'OUT' ? 'payout' : 'collect');

/** JSON-safe copy of a provider payload: bigints become strings. */
export function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v))) as Prisma.InputJsonValue;
}

/** The columns a report carries beside its status. */
export function reportColumns(report: StatusReport): Prisma.OrderUpdateManyMutationInput {
  return {
    ...(report.providerReference ? { providerReference: report.providerReference } : {}),
    ...(report.fee !== undefined ? { fee: report.fee } : {}),
  };
}

const ATTEMPTS = 5;

export class OrderTransitions {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pubsub: AppPubSub,
    private readonly logger: Logger,
  ) {}

  /** Reads a provider report as evidence and decides it (see `decide`). */
  applyReport(
    order: { id: string; kind: OrderKind; amount: bigint },
    report: StatusReport,
    cause: EventCause,
    actor: string,
    options: { pastDeadline?: boolean; note?: string; trust?: 'evidence' | 'claim'; changes?: Prisma.OrderUpdateManyMutationInput } = {},
  ): Promise<DecideOutcome> {
    if (report.status === null && !report.notFound) {
      this.logger.warn({ orderId: order.id, rawStatus: report.rawStatus, cause }, 'provider reported a value its documents do not show; kept raw');
    }
    return this.decide({
      orderId: order.id,
      evidence: evidenceOf(report),
      trust: options.trust,
      cause,
      actor,
      pastDeadline: options.pastDeadline,
      rawStatus: report.rawStatus,
      payload: report.raw,
      note: options.note,
      changes: { ...options.changes, ...reportColumns(report) },
    });
  }

  /** Decides `request.evidence` against the order as it is now, and writes the decision. */
  async decide(request: DecideRequest): Promise<DecideOutcome> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const order = await this.prisma.order.findUniqueOrThrow({ where: { id: request.orderId }, select: { status: true, merchantId: true, kind: true, amount: true, reviewOpenedAt: true } });
      const status = order.status;
      const decision = decide({
        subject: subjectOf(order.kind),
        status,
        expected: order.amount,
        evidence: request.evidence,
        trust: request.trust ?? 'evidence',
        cause: request.cause,
        pastDeadline: request.pastDeadline ?? false,
      });
      const note =
        request.note ??
        (decision.kind === 'move' && decision.settledAmount !== undefined
          ? `${ruleText(decision.rule)} (${decision.settledAmount} received, ${order.amount} expected)`
          : ruleText(decision.rule));
      switch (decision.kind) {
        case 'confirm':
        case 'flag-payment':
          return { kind: 'deferred', decision, status };
        case 'refuse':
          this.logger.warn({ orderId: request.orderId, status, cause: request.cause, actor: request.actor, why: decision.why }, 'refused a decision on an order');
          return { kind: 'refused', decision, status };
        case 'keep': {
          const data = { ...request.changes, ...(request.rawStatus ? { rawStatus: request.rawStatus } : {}) };
          if (Object.keys(data).length > 0) await this.guarded(() => this.prisma.order.updateMany({ where: { id: request.orderId, status }, data }), request.orderId);
          return { kind: 'kept', decision, status };
        }
        case 'move': {
          const written = await this.write(request, order.merchantId, status, decision.to, note, {
            ...request.changes,
            ...(decision.settledAmount !== undefined ? { settledAmount: decision.settledAmount } : {}),
            ...(decision.reason ? { reviewReason: decision.reason } : {}),
          });
          if (!written) continue;
          return { kind: 'applied', decision, from: status, to: decision.to, eventId: written };
        }
        case 'flag':
        case 'record': {
          // A review already open keeps its place in the queue (oldest first).
          const review = decision.kind === 'flag' ? { reviewReason: decision.reason, ...(order.reviewOpenedAt ? {} : { reviewOpenedAt: new Date() }) } : {};
          const written = await this.write(request, order.merchantId, status, status, note, { ...request.changes, ...review });
          if (!written) continue;
          if (decision.kind === 'flag') this.logger.warn({ orderId: request.orderId, status, reason: decision.reason, cause: request.cause }, 'a report contradicts the order; flagged for review');
          return { kind: 'recorded', decision, status, eventId: written };
        }
        default: {
          const unhandled: never = decision;
          throw new Error(`unhandled decision ${JSON.stringify(unhandled)}`);
        }
      }
    }
    throw new ConcurrentUpdateError('order', request.orderId);
  }

  /**
   * A status change asked for by name (a person's decision, our own orders).
   * The domain's transition rules still apply; the decision table is for reports.
   */
  async transition(request: TransitionRequest): Promise<TransitionOutcome> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const order = await this.prisma.order.findUniqueOrThrow({ where: { id: request.orderId }, select: { status: true, merchantId: true } });
      const from = order.status;
      if (request.expectedFrom && from !== request.expectedFrom) return { kind: 'stale', status: from };
      const verdict = judgeTransition(from, request.to);
      if (verdict.kind === 'noop') {
        if (request.changes || request.rawStatus) {
          await this.guarded(() => this.prisma.order.updateMany({ where: { id: request.orderId, status: from }, data: { ...request.changes, rawStatus: request.rawStatus } }), request.orderId);
        }
        return { kind: 'noop', status: from };
      }
      if (verdict.kind === 'refuse') {
        this.logger.warn({ orderId: request.orderId, from, to: request.to, cause: request.cause, actor: request.actor, reason: verdict.reason }, 'refused an order transition');
        return { kind: 'refused', from, to: request.to, reason: verdict.reason };
      }
      const changes = { ...request.changes, ...(request.reviewReason ? { reviewReason: request.reviewReason } : {}) };
      const eventId = await this.write(request, order.merchantId, from, request.to, request.note, changes);
      if (!eventId) continue;
      return { kind: 'applied', from, to: request.to, eventId };
    }
    throw new ConcurrentUpdateError('order', request.orderId);
  }

  /**
   * Writes the order (guarded by `from`) and one event, then publishes. Null
   * when the order is no longer `from` (decide again).
   */
  private async write(
    request: { orderId: string; cause: EventCause; actor: string; rawStatus?: string; payload?: unknown; alongside?: (tx: Prisma.TransactionClient) => Promise<void> },
    merchantId: string,
    from: OrderStatus,
    to: OrderStatus,
    note: string | undefined,
    changes: Prisma.OrderUpdateManyMutationInput,
  ): Promise<string | null> {
    const now = new Date();
    const moves = from !== to;
    const eventId = await this.guarded(
      () =>
        this.prisma.$transaction(async (tx) => {
          const updated = await tx.order.updateMany({
            where: { id: request.orderId, status: from },
            data: {
              ...changes,
              ...(request.rawStatus ? { rawStatus: request.rawStatus } : {}),
              ...(moves
                ? {
                    status: to,
                    completedAt: isFinal(to) ? now : undefined,
                    nextPollAt: isFinal(to) || to === 'NEEDS_REVIEW' ? null : undefined,
                    // Entering review puts the order in the review queue; leaving it (a person decided) takes it out.
                    reviewOpenedAt: to === 'NEEDS_REVIEW' ? now : from === 'NEEDS_REVIEW' ? null : undefined,
                  }
                : {}),
            },
          });
          if (updated.count !== 1) return null;
          await request.alongside?.(tx);
          const event = await tx.orderEvent.create({
            data: {
              orderId: request.orderId,
              merchantId,
              fromStatus: from,
              toStatus: to,
              cause: request.cause,
              actor: request.actor,
              rawStatus: request.rawStatus,
              payload: toJson(request.payload),
              note,
              createdAt: now,
            },
            select: { id: true },
          });
          return event.id;
        }),
      request.orderId,
    );
    if (eventId) {
      this.publish({ orderId: request.orderId, merchantId, eventId, status: to, at: now.toISOString() });
      if (moves) observe.orderTransition({ status: to, cause: request.cause });
    }
    return eventId;
  }

  /** Losing to a busy database is a typed, retryable failure, never "Unexpected error.". */
  private async guarded<T>(work: () => Promise<T>, orderId: string): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isContention(error)) throw new ConcurrentUpdateError('order', orderId, { cause: error });
      throw error;
    }
  }

  /**
   * An event that does not change the status: a report that contradicts a
   * closed order, a flag for review on a SUCCEEDED order, a review closed by a
   * person. Written with the order's current status as both ends, in one
   * transaction with its column changes, and published after the commit.
   */
  async recordEvent(request: Omit<TransitionRequest, 'to'> & { review?: { open: ReviewReason } | { close: true } }): Promise<{ eventId: string; status: OrderStatus }> {
    const now = new Date();
    const { eventId, status, merchantId } = await this.guarded(
      () =>
        this.prisma.$transaction(async (tx) => {
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
          return { eventId: event.id, status: order.status, merchantId: order.merchantId };
        }),
      request.orderId,
    );
    this.publish({ orderId: request.orderId, merchantId, eventId, status, at: now.toISOString() });
    return { eventId, status };
  }

  private publish(message: OrderChanged) {
    this.pubsub.publish('order:changed', message.orderId, message);
    this.pubsub.publish('merchant:orders', message.merchantId, message);
  }
}
