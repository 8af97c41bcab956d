// Matches imported bank statement lines to BANK_TRANSFER orders (the rules
// are in domain/payment-matching.ts) and moves the orders through
// OrderTransitions with cause MATCH.
//
// Every line is matched exactly once, by whichever instance claims it: lines
// waiting for a match (matchCheckedAt null) are leased with FOR UPDATE SKIP
// LOCKED. A line is linked to its order first and the order moved second, so
// a crash in between leaves a linked line whose lease runs out and whose
// consequence is applied by the next pass (never a paid order without its
// line). One order is paid by one line: the decision is guarded by the
// status it read, and a line that loses that race is kept as an extra.
//
// What a line does to its order is the decision table's call (cause MATCH):
// it pays an open order (or sends it to review, underpaid or overpaid);
// money for an expired, failed or cancelled order sends that order to review
// (late payment); a second payment for an order another line settled leaves
// the order alone and puts the line in the review queue (duplicate payment).
// A line that names order codes but cannot be tied to one order goes to the
// review queue too (unmatched payment).
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { decideMatch, matchNote, transferCodeCandidates, type MatchDecision } from '../domain/payment-matching.js';
import type { ReviewReason } from '../domain/order-status.js';
import type { OrderTransitions } from './order-transitions.js';

const LEASE = '1 minute';
const BATCH = 50;

export interface MatchSummary {
  /** Lines looked at. */
  checked: number;
  /** Lines that paid an order or sent it to review. */
  settled: number;
}

/** The text a line is matched on: its description, and the order code the provider named in a webhook. */
export const matchText = (line: { description: string; providerOrderCode: string | null }) => [line.description, line.providerOrderCode ?? ''].join(' ');

export class PaymentMatcher {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly transitions: OrderTransitions,
    private readonly logger: Logger,
  ) {}

  /** Matches every line still waiting (one merchant's, or all), oldest first so the first transfer is the one that pays. */
  async matchPending(actor: string, merchantId?: string): Promise<MatchSummary> {
    const summary: MatchSummary = { checked: 0, settled: 0 };
    for (;;) {
      const claimed = merchantId
        ? await this.prisma.$queryRaw<{ id: string }[]>`
            UPDATE "BankTransaction" SET "matchLeaseUntil" = now() + ${LEASE}::interval
            WHERE "id" IN (
              SELECT "id" FROM "BankTransaction"
              WHERE "matchCheckedAt" IS NULL AND ("matchLeaseUntil" IS NULL OR "matchLeaseUntil" < now()) AND "merchantId" = ${merchantId}::uuid
              ORDER BY "transactionTime", "id" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
            RETURNING "id"`
        : await this.prisma.$queryRaw<{ id: string }[]>`
            UPDATE "BankTransaction" SET "matchLeaseUntil" = now() + ${LEASE}::interval
            WHERE "id" IN (
              SELECT "id" FROM "BankTransaction"
              WHERE "matchCheckedAt" IS NULL AND ("matchLeaseUntil" IS NULL OR "matchLeaseUntil" < now())
              ORDER BY "transactionTime", "id" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
            RETURNING "id"`;
      if (claimed.length === 0) return summary;
      const lines = await this.prisma.bankTransaction.findMany({
        where: { id: { in: claimed.map((row) => row.id) } },
        select: { id: true, direction: true, description: true, providerOrderCode: true, matchedOrderId: true },
        // Oldest first: RETURNING has no order of its own.
        orderBy: [{ transactionTime: 'asc' }, { id: 'asc' }],
      });
      // Most lines name no order at all (money out, ordinary transfers): settle those in one statement.
      // (A line the provider named an order code for is not plain: if the code is no order of ours, a person looks.)
      const plain = lines.filter((line) => !line.matchedOrderId && (line.direction !== 'IN' || (transferCodeCandidates(matchText(line)).length === 0 && !line.providerOrderCode)));
      if (plain.length) {
        await this.prisma.bankTransaction.updateMany({ where: { id: { in: plain.map((line) => line.id) }, matchCheckedAt: null }, data: { matchCheckedAt: new Date(), matchLeaseUntil: null, matchNote: null } });
        summary.checked += plain.length;
      }
      const plainIds = new Set(plain.map((line) => line.id));
      for (const { id } of lines.filter((line) => !plainIds.has(line.id))) {
        summary.checked++;
        try {
          if (await this.matchOne(id, actor)) summary.settled++;
        } catch (error) {
          // The lease runs out and the next pass tries again.
          this.logger.warn({ bankTransactionId: id, err: (error as Error).message }, 'could not match a bank transaction; will retry');
        }
      }
      if (claimed.length < BATCH) return summary;
    }
  }

  /** Returns true when the line settled an order (paid it, or sent it to review). */
  private async matchOne(id: string, actor: string): Promise<boolean> {
    const line = await this.prisma.bankTransaction.findUniqueOrThrow({ where: { id } });
    if (line.matchCheckedAt) return false;
    let orderId = line.matchedOrderId;
    if (!orderId) {
      const codes = transferCodeCandidates(matchText(line));
      const candidates = codes.length
        ? await this.prisma.order.findMany({ where: { merchantId: line.merchantId, kind: 'BANK_TRANSFER', requestId: { in: codes } }, select: { id: true, requestId: true, amount: true, status: true } })
        : [];
      const decision = decideMatch(
        { direction: line.direction, amount: line.amount, text: matchText(line) },
        candidates.map((order) => ({ id: order.id, code: order.requestId, amount: order.amount, status: order.status })),
      );
      if (decision.kind === 'unmatched') {
        await this.finish(id, matchNote(decision), unmatchedReview(decision, line));
        return false;
      }
      // Link first (only if nobody did), then act on the order as it is now.
      await this.prisma.bankTransaction.updateMany({ where: { id, matchedOrderId: null }, data: { matchedOrderId: decision.orderId } });
      const linked = await this.prisma.bankTransaction.findUniqueOrThrow({ where: { id }, select: { matchedOrderId: true } });
      orderId = linked.matchedOrderId!;
    }

    // After a crash between the decision and `finish`, the order was moved by this very line.
    if (await this.movedBy(orderId, id)) {
      await this.finish(id, null);
      return true;
    }
    const outcome = await this.transitions.decide({
      orderId,
      evidence: { kind: 'moved', amount: line.amount < 0n ? -line.amount : line.amount },
      cause: 'MATCH',
      actor,
      rawStatus: line.refNo,
      payload: { bankTransactionId: id, bank: line.bank, refNo: line.refNo, amount: line.amount, transactionTime: line.transactionTime, description: line.description },
    });
    switch (outcome.kind) {
      case 'applied':
        await this.finish(id, outcome.to === 'NEEDS_REVIEW' && outcome.decision.kind === 'move' && outcome.decision.reason === 'LATE_PAYMENT' ? matchNote({ kind: 'extra', reason: 'ORDER_CLOSED', orderStatus: outcome.from }) : null);
        return true;
      case 'deferred':
        // A second payment for an order another payment settled: the order stays, the line goes to a person.
        await this.finish(id, matchNote({ kind: 'extra', reason: 'ALREADY_SETTLED', orderStatus: outcome.status }), 'DUPLICATE_PAYMENT');
        return false;
      case 'recorded':
      case 'kept':
      case 'refused':
        await this.finish(id, `the order is ${outcome.status}; this transfer did not change it (see its events)`, 'DUPLICATE_PAYMENT');
        return false;
      default: {
        const unhandled: never = outcome;
        throw new Error(`unhandled outcome ${JSON.stringify(unhandled)}`);
      }
    }
  }

  private async movedBy(orderId: string, bankTransactionId: string): Promise<boolean> {
    const event = await this.prisma.orderEvent.findFirst({ where: { orderId, cause: 'MATCH', payload: { path: ['bankTransactionId'], equals: bankTransactionId } }, select: { id: true } });
    return event !== null;
  }

  /** Matching is done for this line; `review` puts it in the review queue with that reason (once). */
  private finish(id: string, note: string | null, review?: ReviewReason) {
    return this.prisma.bankTransaction.update({
      where: { id },
      data: { matchCheckedAt: new Date(), matchLeaseUntil: null, matchNote: note, ...(review ? { reviewReason: review, reviewOpenedAt: new Date() } : {}) },
    });
  }
}

/**
 * Whether a line left unmatched needs a person: money in that names order
 * codes but cannot be tied to one order (several named, or a code the
 * provider named that is no order of ours). A description with no code, or
 * a code-shaped word that names no order (bank texts hold look-alikes such as
 * "PGBANK…"), is ordinary incoming money.
 */
function unmatchedReview(decision: Extract<MatchDecision, { kind: 'unmatched' }>, line: { direction: string; providerOrderCode: string | null }): ReviewReason | undefined {
  if (line.direction !== 'IN') return undefined;
  if (decision.reason === 'AMBIGUOUS') return 'UNMATCHED_PAYMENT';
  if (decision.reason === 'NO_CODE' && line.providerOrderCode) return 'UNMATCHED_PAYMENT';
  return undefined;
}
