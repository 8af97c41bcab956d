// Matches imported bank statement lines to BANK_TRANSFER orders (the rules
// are in domain/payment-matching.ts) and moves the orders through
// OrderTransitions with cause MATCH.
//
// Every line is matched exactly once, by whichever instance claims it: lines
// waiting for a match (matchCheckedAt null) are leased with FOR UPDATE SKIP
// LOCKED. A line is linked to its order first and the order moved second, so
// a crash in between leaves a linked line whose lease runs out and whose
// consequence is applied by the next pass (never a paid order without its
// line). One order is paid by one line: the transition is guarded by the
// status it read, and a line that loses that race is kept as an extra.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { decideMatch, matchNote, outcomeFor, transferCodeCandidates, type MatchOutcome } from '../domain/payment-matching.js';
import type { OrderStatus } from '../domain/order-status.js';
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
      const plain = lines.filter((line) => !line.matchedOrderId && (line.direction !== 'IN' || transferCodeCandidates(matchText(line)).length === 0));
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
        candidates.map((order) => ({ id: order.id, code: order.requestId, amount: order.amount, status: order.status as OrderStatus })),
      );
      if (decision.kind === 'unmatched') {
        await this.finish(id, matchNote(decision));
        return false;
      }
      // Link first (only if nobody did), then act on the order as it is now.
      await this.prisma.bankTransaction.updateMany({ where: { id, matchedOrderId: null }, data: { matchedOrderId: decision.orderId } });
      const linked = await this.prisma.bankTransaction.findUniqueOrThrow({ where: { id }, select: { matchedOrderId: true } });
      orderId = linked.matchedOrderId!;
    }

    const order = await this.prisma.order.findUniqueOrThrow({ where: { id: orderId }, select: { id: true, amount: true, status: true } });
    const outcome = outcomeFor({ amount: order.amount, status: order.status as OrderStatus }, line);
    if (outcome.kind === 'extra') {
      // After a crash between the transition and `finish`, the order was moved by this very line.
      if (await this.movedBy(order.id, id)) {
        await this.finish(id, null);
        return true;
      }
      await this.finish(id, matchNote({ kind: 'extra', reason: outcome.reason, orderStatus: order.status as OrderStatus }));
      return false;
    }
    const result = await this.transitions.transition({
      orderId: order.id,
      to: outcome.to,
      cause: 'MATCH',
      actor,
      rawStatus: line.refNo,
      payload: { bankTransactionId: id, bank: line.bank, refNo: line.refNo, amount: line.amount, transactionTime: line.transactionTime, description: line.description },
      note: noteFor(outcome),
      changes: outcome.to === 'NEEDS_REVIEW' ? { settledAmount: outcome.received, reviewReason: outcome.reason } : {},
    });
    if (result.kind === 'applied') {
      await this.finish(id, null);
      return true;
    }
    // The order moved under us (another line paid it, or it expired): this line is an extra.
    const now = await this.prisma.order.findUniqueOrThrow({ where: { id: order.id }, select: { status: true } });
    const after = outcomeFor({ amount: order.amount, status: now.status as OrderStatus }, line);
    await this.finish(id, after.kind === 'extra' ? matchNote({ kind: 'extra', reason: after.reason, orderStatus: now.status as OrderStatus }) : 'the order could not be moved; see its events');
    return false;
  }

  private async movedBy(orderId: string, bankTransactionId: string): Promise<boolean> {
    const event = await this.prisma.orderEvent.findFirst({ where: { orderId, cause: 'MATCH', payload: { path: ['bankTransactionId'], equals: bankTransactionId } }, select: { id: true } });
    return event !== null;
  }

  private finish(id: string, note: string | null) {
    return this.prisma.bankTransaction.update({ where: { id }, data: { matchCheckedAt: new Date(), matchLeaseUntil: null, matchNote: note } });
  }
}

function noteFor(outcome: Extract<MatchOutcome, { kind: 'settle' }>): string {
  if (outcome.to === 'SUCCEEDED') return 'paid by bank transfer (matched on the statement)';
  return `bank transfer of ${outcome.received} đ received for ${outcome.expected} đ expected (${outcome.reason})`;
}
