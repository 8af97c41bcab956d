// Polls orders that are not final yet and closes them at their deadline
// (callback retries and idempotency purging are their own jobs:
// housekeeping.ts). Each instance claims
// its rows with FOR UPDATE SKIP LOCKED, so several instances never do the
// same work twice. What a poll's answer does (and what the deadline does) is
// the decision table's call (domain/decision-policy.ts): past its deadline an
// order is closed on the provider's positive "unpaid / not found", and goes
// to a person otherwise — nothing stays open for ever.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import type { Orders } from '../services/orders.js';
import type { OrderTransitions } from '../services/order-transitions.js';
import { isFinal, type OrderStatus } from '../domain/order-status.js';
import { PeriodicWorker } from './periodic.js';

export interface PollerOptions {
  /** Time between two looks at the same order. */
  intervalMs: number;
  /** Time between two passes. */
  tickMs: number;
  batchSize: number;
  /** PAYOUT_DEADLINE_MINUTES, for orders made before deadlines were stored. */
  payoutDeadlineMinutes: number;
}

export const POLLER_ACTOR = 'worker:poller';

export class OrderPoller extends PeriodicWorker {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly orders: Orders,
    private readonly transitions: OrderTransitions,
    logger: Logger,
    private readonly options: PollerOptions,
  ) {
    super(logger, 'order-poller', options.tickMs);
  }

  /** Claims due orders and settles each; returns how much work it did. */
  async pass(): Promise<number> {
    const interval = `${this.options.intervalMs} milliseconds`;
    const payoutDeadline = `${this.options.payoutDeadlineMinutes} minutes`;
    // Due: its next poll has come, or its deadline has passed and nothing is scheduled (a poll that was switched off).
    // BANK_TRANSFER orders are settled by statement matching, not by a provider status query.
    const due = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE "Order" SET "nextPollAt" = now() + ${interval}::interval
      WHERE "id" IN (
        SELECT "id" FROM "Order"
        WHERE "status" IN ('PENDING', 'PROCESSING') AND "kind" <> 'BANK_TRANSFER'
          AND ("nextPollAt" <= now()
            OR ("nextPollAt" IS NULL AND COALESCE("expiresAt", "deadlineAt", "createdAt" + ${payoutDeadline}::interval) <= now()))
        ORDER BY "nextPollAt" NULLS FIRST LIMIT ${this.options.batchSize} FOR UPDATE SKIP LOCKED)
      RETURNING "id"`;
    for (const { id } of due) {
      if (this.stopping) break;
      await this.pollOrder(id).catch((error) => this.logger.warn({ orderId: id, err: (error as Error).message }, 'could not poll an order; will try again'));
    }
    const closed = await this.closeOwnOrders();
    return due.length + closed;
  }

  /** One status query, decided with the deadline in mind (cause EXPIRY once it has passed). */
  private async pollOrder(orderId: string) {
    const order = await this.prisma.order.findUnique({ where: { id: orderId } });
    if (!order || isFinal(order.status as OrderStatus) || order.status === 'NEEDS_REVIEW') return;
    const pastDeadline = this.orders.pastDeadline(order);
    await this.orders.reconcile(order, pastDeadline ? 'EXPIRY' : 'POLL', POLLER_ACTOR, { pastDeadline });
  }

  /**
   * Our own orders (bank transfers matched against statements) have no
   * provider to ask: past their deadline with no matching line, they expire
   * (a transfer that still arrives is a late payment: the order goes to review).
   */
  private async closeOwnOrders(): Promise<number> {
    const now = new Date();
    const stale = await this.prisma.order.findMany({
      where: { kind: 'BANK_TRANSFER', status: { in: ['PENDING', 'PROCESSING'] }, OR: [{ expiresAt: { lte: now } }, { expiresAt: null, deadlineAt: { lte: now } }] },
      select: { id: true },
      take: this.options.batchSize,
    });
    let closed = 0;
    for (const { id } of stale) {
      await this.transitions
        .decide({ orderId: id, evidence: { kind: 'pending' }, cause: 'EXPIRY', actor: POLLER_ACTOR, pastDeadline: true, note: 'no transfer matched before the deadline' })
        .then(() => closed++)
        .catch((error) => this.logger.warn({ orderId: id, err: (error as Error).message }, 'could not close a bank-transfer order; will try again'));
    }
    return closed;
  }
}
