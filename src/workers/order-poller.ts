// Polls orders that are not final yet, expires collecting orders past their
// expiry, and retries callbacks that were recorded but not applied. Each
// instance claims its rows with FOR UPDATE SKIP LOCKED, so several instances
// never do the same work twice.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import type { Orders } from '../services/orders.js';
import type { OrderTransitions } from '../services/order-transitions.js';
import type { CallbackInbox } from '../services/callback-inbox.js';
import type { Idempotency } from '../services/idempotency.js';
import { directionOf, type OrderKind } from '../providers/types.js';
import { isFinal, type OrderStatus } from '../domain/order-status.js';
import { PeriodicWorker } from './periodic.js';

export interface PollerOptions {
  /** Time between two looks at the same order. */
  intervalMs: number;
  /** Time between two passes. */
  tickMs: number;
  batchSize: number;
}

const ACTOR = 'worker:poller';

export class OrderPoller extends PeriodicWorker {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly orders: Orders,
    private readonly transitions: OrderTransitions,
    private readonly inbox: CallbackInbox,
    private readonly idempotency: Idempotency,
    logger: Logger,
    private readonly options: PollerOptions,
  ) {
    super(logger, 'order-poller', options.tickMs);
  }

  /** Claims due orders and settles each; returns how many it claimed. */
  async pass(): Promise<number> {
    const interval = `${this.options.intervalMs} milliseconds`;
    // BANK_TRANSFER orders are settled by statement matching, not by a provider status query.
    const due = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE "Order" SET "nextPollAt" = now() + ${interval}::interval
      WHERE "id" IN (
        SELECT "id" FROM "Order"
        WHERE "status" IN ('PENDING', 'PROCESSING') AND "nextPollAt" <= now() AND "kind" <> 'BANK_TRANSFER'
        ORDER BY "nextPollAt" LIMIT ${this.options.batchSize} FOR UPDATE SKIP LOCKED)
      RETURNING "id"`;
    for (const { id } of due) {
      if (this.stopping) break;
      await this.settle(id).catch((error) => this.logger.warn({ orderId: id, err: (error as Error).message }, 'could not poll an order; will try again'));
    }
    const expired = await this.expireUnpolled();
    await this.purgeExpiredKeys();
    return due.length + expired + (await this.inbox.retryFailed());
  }

  private async settle(orderId: string) {
    const order = await this.prisma.order.findUnique({ where: { id: orderId } });
    if (!order || isFinal(order.status as OrderStatus)) return;
    await this.orders.reconcile(order, 'POLL', ACTOR);
    const after = await this.prisma.order.findUniqueOrThrow({ where: { id: orderId }, select: { status: true } });
    // Expire only after the provider has just said "not paid": never over money that arrived.
    if (this.shouldExpire(order, after.status as OrderStatus)) {
      await this.transitions.transition({ orderId, to: 'EXPIRED', cause: 'EXPIRY', actor: ACTOR, note: 'not paid before expiresAt (provider confirmed still pending)' });
    }
  }

  private shouldExpire(order: { kind: string; expiresAt: Date | null }, status: OrderStatus) {
    return directionOf[order.kind as OrderKind] === 'IN' && order.expiresAt !== null && order.expiresAt <= new Date() && (status === 'PENDING' || status === 'PROCESSING');
  }

  private lastPurge = 0;

  /** Idempotency keys past IDEMPOTENCY_TTL_HOURS are forgotten (once a minute is plenty). */
  private async purgeExpiredKeys() {
    if (Date.now() - this.lastPurge < 60_000) return;
    this.lastPurge = Date.now();
    const { count } = await this.idempotency.purgeExpired();
    if (count) this.logger.info({ count }, 'forgot expired idempotency keys');
  }

  /** Local-only orders (bank transfers matched against statements) expire without a provider query. */
  private async expireUnpolled(): Promise<number> {
    const stale = await this.prisma.order.findMany({
      where: { kind: 'BANK_TRANSFER', status: 'PENDING', expiresAt: { lte: new Date() } },
      select: { id: true },
      take: this.options.batchSize,
    });
    for (const { id } of stale) await this.transitions.transition({ orderId: id, to: 'EXPIRED', cause: 'EXPIRY', actor: ACTOR, note: 'not paid before expiresAt' });
    return stale.length;
  }
}
