// A person's decisions on the review queue: resolve an order or a card
// charge, tie a bank line to an order by hand, or close a line's review
// without tying it. Each is one transaction guarded by the state the person
// decided on (a second, concurrent decision gets ReviewRefusedError and
// changes nothing), writes an event with cause MANUAL and the person as
// actor, and publishes after the commit. Orders move through
// OrderTransitions, like every other cause.
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import type { AppPubSub } from '../../pubsub.js';
import { StaleOrderError, toJson, type OrderTransitions, type TransitionOutcome } from '../order-transitions.js';
import { cardChargeResolution, checkLineCanBeTied, checkNote, manualMatchOf, orderResolution, type ReviewOutcome } from './decisions.js';
import { scopeWhere, type ReviewScope } from './queue.js';
import { NotFoundError, ReviewRefusedError } from '../../errors/index.js';
import { isUuid } from '../../domain/ids.js';

interface Decision {
  scope: ReviewScope;
  /** Who decides: api-key:<id>, cli:<os user>. */
  actor: string;
  note: string;
}

export interface ResolveOrderCommand extends Decision {
  orderId: string;
  outcome: ReviewOutcome;
  /** What is accepted as settled; required when accepting money that differs from the order's amount. */
  settledAmount?: bigint | null;
}

export interface ResolveCardChargeCommand extends Decision {
  cardChargeId: string;
  outcome: ReviewOutcome;
  realValue?: bigint | null;
  amountReceived?: bigint | null;
}

export interface MatchBankTransactionCommand extends Decision {
  transactionId: string;
  orderId: string;
}

export interface CloseBankTransactionReviewCommand extends Decision {
  transactionId: string;
}


/** Thrown inside a transition's transaction when the bank line changed since it was read: rolls the order back too. */
class LineChanged extends Error {}

export class ReviewActions {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pubsub: AppPubSub,
    private readonly transitions: OrderTransitions,
  ) {}

  async resolveOrder(command: ResolveOrderCommand): Promise<{ orderId: string }> {
    const note = checkNote(command.note);
    const order = await this.findOrder(command.scope, command.orderId);
    const resolution = orderResolution({ ...order, status: order.status }, command);
    const payload = { review: { reason: order.reviewReason, openedAt: order.reviewOpenedAt, outcome: command.outcome, settledAmount: command.settledAmount ?? null, previousSettledAmount: order.settledAmount } };
    if (resolution.kind === 'close-flag') {
      try {
        await this.transitions.recordEvent({ orderId: order.id, cause: 'MANUAL', actor: command.actor, note, payload, expectedFrom: 'SUCCEEDED', review: { close: true } });
      } catch (error) {
        if (!(error instanceof StaleOrderError)) throw error;
        const current = await this.prisma.order.findUniqueOrThrow({ where: { id: order.id }, select: { status: true } });
        throw noLongerInReview('order', current.status);
      }
      return { orderId: order.id };
    }
    const outcome = await this.transitions.transition({
      orderId: order.id,
      to: resolution.to,
      cause: 'MANUAL',
      actor: command.actor,
      note,
      payload,
      expectedFrom: 'NEEDS_REVIEW',
      changes: resolution.settledAmount !== undefined ? { settledAmount: resolution.settledAmount } : {},
    });
    if (outcome.kind !== 'applied') throw noLongerInReview('order', outcome.kind === 'refused' ? outcome.from : outcome.status);
    return { orderId: order.id };
  }

  async resolveCardCharge(command: ResolveCardChargeCommand): Promise<{ cardChargeId: string }> {
    const note = checkNote(command.note);
    const charge = isUuid(command.cardChargeId) ? await this.prisma.cardCharge.findFirst({ where: { id: command.cardChargeId, ...scopeWhere(command.scope) } }) : null;
    if (!charge) throw new NotFoundError('CardCharge', command.cardChargeId);
    const resolution = cardChargeResolution(charge, command);
    const from = charge.status;
    const to = resolution.kind === 'settle' ? resolution.columns.status : from;
    const now = new Date();
    const eventId = await this.prisma.$transaction(async (tx) => {
      // Guarded by the status read and the open review: a concurrent decision makes this miss.
      const updated = await tx.cardCharge.updateMany({
        where: { id: charge.id, status: from, reviewOpenedAt: { not: null } },
        data: { ...(resolution.kind === 'settle' ? { ...resolution.columns, completedAt: now, nextPollAt: null } : {}), reviewOpenedAt: null },
      });
      if (updated.count !== 1) return null;
      const event = await tx.cardChargeEvent.create({
        data: {
          cardChargeId: charge.id,
          fromStatus: from,
          toStatus: to,
          cause: 'MANUAL',
          actor: command.actor,
          note,
          payload: toJson({ review: { reason: charge.reviewReason, openedAt: charge.reviewOpenedAt, outcome: command.outcome, realValue: command.realValue ?? null, amountReceived: command.amountReceived ?? null } }),
          createdAt: now,
        },
        select: { id: true },
      });
      return event.id;
    });
    if (!eventId) {
      const current = await this.prisma.cardCharge.findUniqueOrThrow({ where: { id: charge.id }, select: { status: true } });
      throw noLongerInReview('card charge', current.status);
    }
    this.pubsub.publish('cardCharge:changed', charge.id, { cardChargeId: charge.id, merchantId: charge.merchantId, eventId, status: to, at: now.toISOString() });
    return { cardChargeId: charge.id };
  }

  /**
   * Ties an incoming line that no order claimed to an order of the same
   * merchant, and moves the order as the statement matcher would, in the
   * same transaction that closes the line's review.
   */
  async matchBankTransaction(command: MatchBankTransactionCommand): Promise<{ transactionId: string; orderId: string }> {
    const note = checkNote(command.note);
    const line = await this.findLine(command.scope, command.transactionId);
    checkLineCanBeTied(line);
    // The order must be the line's merchant's, whatever the caller's scope: another merchant's order does not exist here.
    const order = isUuid(command.orderId) ? await this.prisma.order.findFirst({ where: { id: command.orderId, merchantId: line.merchantId } }) : null;
    if (!order) throw new NotFoundError('Order', command.orderId);
    const status = order.status;
    const match = manualMatchOf({ kind: order.kind, amount: order.amount, status }, line);
    const now = new Date();
    let outcome: TransitionOutcome;
    try {
      outcome = await this.transitions.transition({
        orderId: order.id,
        to: match.to,
        cause: 'MANUAL',
        actor: command.actor,
        note,
        payload: { bankTransactionId: line.id, bank: line.bank, refNo: line.refNo, amount: line.amount, transactionTime: line.transactionTime, description: line.description, tiedBy: 'hand' },
        expectedFrom: status,
        changes: match.to === 'NEEDS_REVIEW' ? { settledAmount: match.received, reviewReason: match.reason } : {},
        alongside: async (tx) => {
          const tied = await tx.bankTransaction.updateMany({
            where: { id: line.id, matchedOrderId: null, matchCheckedAt: { not: null }, reviewOpenedAt: line.reviewOpenedAt },
            data: { matchedOrderId: order.id, matchNote: null, reviewOpenedAt: null, ...this.reviewed(command.actor, note, now) },
          });
          if (tied.count !== 1) throw new LineChanged();
        },
      });
    } catch (error) {
      if (!(error instanceof LineChanged)) throw error;
      const current = await this.prisma.bankTransaction.findUniqueOrThrow({ where: { id: line.id }, select: { matchedOrderId: true } });
      throw current.matchedOrderId
        ? new ReviewRefusedError('ALREADY_MATCHED', 'the line was tied to an order meanwhile (someone else decided)')
        : new ReviewRefusedError('NOT_IN_REVIEW', "the line's review was closed meanwhile (someone else decided)");
    }
    if (outcome.kind === 'refused') throw new ReviewRefusedError('ORDER_CLOSED', `the order is ${outcome.from}: ${outcome.reason}`, outcome.from);
    if (outcome.kind !== 'applied') {
      throw new ReviewRefusedError('ORDER_CHANGED', `the order is ${outcome.status} now, not ${status} as it was read (a payment or an expiry came first)`, outcome.status);
    }
    return { transactionId: line.id, orderId: order.id };
  }

  /** "Not a payment for us", a refund made, a top-up noted on its order: the line leaves the queue untied, with the note. */
  async closeBankTransactionReview(command: CloseBankTransactionReviewCommand): Promise<{ transactionId: string }> {
    const note = checkNote(command.note);
    const line = await this.findLine(command.scope, command.transactionId);
    if (!line.reviewOpenedAt) throw new ReviewRefusedError('NOT_IN_REVIEW', 'the line is not waiting for a person');
    const closed = await this.prisma.bankTransaction.updateMany({
      where: { id: line.id, reviewOpenedAt: line.reviewOpenedAt },
      data: { reviewOpenedAt: null, ...this.reviewed(command.actor, note, new Date()) },
    });
    if (closed.count !== 1) throw new ReviewRefusedError('NOT_IN_REVIEW', "the line's review was closed meanwhile (someone else decided)");
    return { transactionId: line.id };
  }

  private reviewed(actor: string, note: string, at: Date): Prisma.BankTransactionUpdateManyMutationInput {
    return { reviewedBy: actor, reviewedAt: at, reviewNote: note };
  }

  private async findOrder(scope: ReviewScope, id: string) {
    const order = isUuid(id) ? await this.prisma.order.findFirst({ where: { id, ...scopeWhere(scope) } }) : null;
    if (!order) throw new NotFoundError('Order', id);
    return order;
  }

  private async findLine(scope: ReviewScope, id: string) {
    const line = isUuid(id) ? await this.prisma.bankTransaction.findFirst({ where: { id, ...scopeWhere(scope) } }) : null;
    if (!line) throw new NotFoundError('Transaction', id);
    return line;
  }
}

const noLongerInReview = (entity: string, status: string) =>
  new ReviewRefusedError('NOT_IN_REVIEW', `the ${entity} is ${status} and no longer waiting for a person (someone else decided)`, status);
