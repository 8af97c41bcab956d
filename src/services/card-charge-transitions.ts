// The one place a card charge's status changes, as order-transitions.ts is
// for orders: a report is judged against the charge (card judge), read as
// evidence, decided by the decision table (subject "card"), and written with
// its event in one transaction guarded by the status it was decided on;
// published after the commit. Submitting a card and checking it live in
// card-charges.ts; callbacks arrive through the inbound pipeline.
import type { CardCharge, Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { AppPubSub, CardChargeChanged } from '../pubsub.js';
import type { Logger } from '../logger.js';
import { judgeCardCallback, type CardCallbackJudgement, type CardChargeReport } from '../providers/card/index.js';
import { decide, ruleText, type Decision, type Evidence } from '../domain/decision-policy.js';
import { toJson, type EventCause } from './order-transitions.js';
import { judgeStateOf, providerMessageOf, replayConflict, settlementOf } from './card-charge-outcome.js';
import { ConcurrentUpdateError, isContention } from '../errors/index.js';

/** The outcome of applying one report to one charge. */
export type CardApplyOutcome =
  | { kind: 'applied'; status: CardCharge['status']; eventId: string }
  /** An event without a status change (a contradiction recorded, a review flag). */
  | { kind: 'recorded'; status: CardCharge['status']; eventId: string }
  | { kind: 'unchanged'; status: CardCharge['status']; reason: string }
  | { kind: 'rejected'; status: CardCharge['status']; reason: string; detail: string };

/** Rejections that say the report is not about this charge at all: no evidence about it. */
const notAboutThisCharge = new Set(['request-id-mismatch', 'trans-id-mismatch']);

export interface Card {
  code: string;
  serial: string;
}

/** Who reports and why: the event's cause and actor, and whose word the report is. */
export interface ApplyContext {
  cause: EventCause;
  actor: string;
  /** Whose word the report is: our own pull (submit answer, check) or a callback (the only word, when the provider has no check). */
  source: 'callback' | 'check';
  payload?: unknown;
  note?: string;
  /** The charge's deadline has passed. */
  pastDeadline?: boolean;
}

export class CardChargeTransitions {
  constructor(
    private readonly deps: { prisma: PrismaClient; pubsub: AppPubSub; logger: Logger },
    /** The sealed card of a charge, for the figures a provider message is checked against. */
    private readonly openCard: (charge: CardCharge) => Card,
  ) {}

  private get prisma() {
    return this.deps.prisma;
  }

  // ---- the one place a charge changes ----------------------------------------

  /**
   * Judges a report against the charge (ids, figures), reads it as evidence,
   * and writes what the decision table says. Reports about another charge,
   * and replays of a recorded report with other figures, are refused.
   */
  async apply(charge: CardCharge, report: CardChargeReport, card: Card, context: ApplyContext): Promise<CardApplyOutcome> {
    const log = this.deps.logger.child({ cardChargeId: charge.id, cause: context.cause, actor: context.actor });
    const judgement = judgeCardCallback(judgeStateOf(charge), report, { checkEnabled: false, source: context.source });
    if (judgement.decision === 'reject' && notAboutThisCharge.has(judgement.reason)) {
      log.warn({ reason: judgement.reason, detail: judgement.detail }, 'refused a card report about another charge; nothing applied');
      return { kind: 'rejected', status: charge.status, reason: judgement.reason, detail: judgement.detail };
    }
    const conflict = judgement.decision === 'ignore' && judgement.reason === 'duplicate' ? replayConflict(charge, report) : null;
    if (conflict && context.source === 'callback') {
      log.warn({ detail: conflict }, 'refused a replayed card report with altered values; nothing applied');
      return { kind: 'rejected', status: charge.status, reason: 'replayed-with-other-values', detail: conflict };
    }
    // Our own check disagreeing with what we recorded is a contradiction for a person.
    const evidence: Evidence = conflict ? { kind: 'inconsistent' } : cardEvidenceOf(judgement, report);
    const outcome = await this.applyEvidence(charge, evidence, context, report, card);
    if (judgement.decision === 'reject' && outcome.kind === 'unchanged') {
      log.warn({ reason: judgement.reason, detail: judgement.detail, providerStatus: report.providerStatus }, 'refused a card report; nothing applied');
      return { kind: 'rejected', status: charge.status, reason: judgement.reason, detail: judgement.detail };
    }
    return outcome;
  }

  /** Decides `evidence` for the charge as it is now and writes the decision (guarded by its status). */
  async applyEvidence(charge: CardCharge, evidence: Evidence, context: ApplyContext, report?: CardChargeReport, card?: Card): Promise<CardApplyOutcome> {
    let current = charge;
    for (let attempt = 0; attempt < 5; attempt++) {
      const decision = decide({ subject: 'card', status: current.status, evidence, trust: 'evidence', cause: context.cause, pastDeadline: context.pastDeadline ?? false });
      const written = await this.write(current, decision, context, report, card ?? this.openCard(current));
      if (written) return written;
      // The charge moved under us (a callback and the poller at once): decide again on what it is now.
      current = await this.prisma.cardCharge.findUniqueOrThrow({ where: { id: charge.id } });
    }
    throw new ConcurrentUpdateError('card charge', charge.id);
  }

  /** Null when the charge was no longer in the status the decision was taken on. */
  private async write(charge: CardCharge, decision: Decision, context: ApplyContext, report: CardChargeReport | undefined, card: Card): Promise<CardApplyOutcome | null> {
    const now = new Date();
    const providerFields = report
      ? { providerStatus: report.providerStatus, providerMessage: providerMessageOf(report, card), ...(charge.transId === null && report.transId !== undefined ? { transId: report.transId } : {}) }
      : {};
    switch (decision.kind) {
      case 'keep': {
        // A still-pending charge keeps the provider's latest word (raw, when the document does not show it); nothing else.
        if (report && charge.status === 'PENDING' && context.source === 'check') {
          const changed = Object.entries({ ...providerFields, submitted: true }).some(([key, value]) => (charge as Record<string, unknown>)[key] !== value);
          if (changed) await this.guarded(charge.id, () => this.prisma.cardCharge.updateMany({ where: { id: charge.id, status: 'PENDING' }, data: { ...providerFields, submitted: true } }));
        }
        return { kind: 'unchanged', status: charge.status, reason: decision.rule === 'not-yet' ? 'still-pending' : decision.rule === 'success-confirmed-again' || decision.rule === 'closed-stays-closed' ? 'duplicate' : decision.rule };
      }
      case 'move': {
        const to = decision.to;
        if (to !== 'SUCCEEDED' && to !== 'FAILED' && to !== 'NEEDS_REVIEW') throw new Error(`a card charge cannot become ${to}`);
        const columns =
          to === 'NEEDS_REVIEW'
            ? { ...providerFields, status: to, reviewReason: decision.reason!, reviewOpenedAt: now, submitted: true, nextPollAt: null }
            : report
              ? { ...settlementOf(charge, report, to, card), submitted: true, completedAt: now, nextPollAt: null, ...(charge.status === 'NEEDS_REVIEW' ? { reviewOpenedAt: null } : {}) }
              : // No report to read figures from (the provider does not know the charge): only the status moves.
                { status: to, completedAt: now, nextPollAt: null };
        const eventId = await this.event(charge, columns, { from: charge.status, to, decision, context, report });
        return eventId ? { kind: 'applied', status: to, eventId } : null;
      }
      case 'flag':
      case 'record': {
        // A review already open keeps its place in the queue (oldest first).
        const review = decision.kind === 'flag' ? { reviewReason: decision.reason, ...(charge.reviewOpenedAt ? {} : { reviewOpenedAt: now }) } : {};
        const eventId = await this.event(charge, review, { from: charge.status, to: charge.status, decision, context, report });
        if (eventId && decision.kind === 'flag') this.deps.logger.warn({ cardChargeId: charge.id, reason: decision.reason }, 'a report contradicts the card charge; flagged for review');
        return eventId ? { kind: 'recorded', status: charge.status, eventId } : null;
      }
      case 'confirm':
      case 'flag-payment':
      case 'refuse':
        throw new Error(`the card decision ${decision.rule} is not for a report`);
      default: {
        const unhandled: never = decision;
        throw new Error(`unhandled decision ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /** The charge's columns (guarded by `from`) and one event, in one transaction; published after the commit. */
  private async event(
    charge: CardCharge,
    columns: Prisma.CardChargeUpdateManyMutationInput,
    change: { from: CardCharge['status']; to: CardCharge['status']; decision: Decision; context: ApplyContext; report?: CardChargeReport },
  ): Promise<string | null> {
    const now = new Date();
    const eventId = await this.guarded(charge.id, () =>
      this.prisma.$transaction(async (tx) => {
        const updated = await tx.cardCharge.updateMany({ where: { id: charge.id, status: change.from }, data: columns });
        if (updated.count !== 1) return null;
        const event = await tx.cardChargeEvent.create({
          data: {
            cardChargeId: charge.id,
            fromStatus: change.from,
            toStatus: change.to,
            cause: change.context.cause,
            actor: change.context.actor,
            providerStatus: change.report?.providerStatus,
            payload: toJson(change.context.payload ?? change.report?.raw),
            note: change.context.note ?? ruleText(change.decision.rule),
            createdAt: now,
          },
          select: { id: true },
        });
        return event.id;
      }),
    );
    if (eventId) this.publish({ cardChargeId: charge.id, merchantId: charge.merchantId, eventId, status: change.to, at: now.toISOString() });
    return eventId;
  }

  private async guarded<T>(cardChargeId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isContention(error)) throw new ConcurrentUpdateError('card charge', cardChargeId, { cause: error });
      throw error;
    }
  }

  /** After the commit only. */
  publish(message: CardChargeChanged) {
    this.deps.pubsub.publish('cardCharge:changed', message.cardChargeId, message);
  }
}

/** A judged card report as evidence for the decision table (documented statuses only: 1/2 moved, 3/4/100 refused, 99 pending). */
export function cardEvidenceOf(judgement: CardCallbackJudgement, report: CardChargeReport): Evidence {
  if (judgement.decision === 'reject') {
    if (judgement.reason === 'unknown-status') return { kind: 'unknown' };
    // About a charge that is final already: the report's own word, for the table to call agreement, contradiction or late payment.
    if (judgement.reason !== 'already-final') return { kind: 'inconsistent' };
  }
  if (judgement.decision === 'ignore' && judgement.reason === 'still-pending') return { kind: 'pending' };
  switch (report.status) {
    case 'SUCCEEDED':
      return { kind: 'moved' };
    case 'FAILED':
      return { kind: 'refused' };
    case 'PENDING':
      return { kind: 'pending' };
    case null:
      return { kind: 'unknown' };
    default: {
      const unhandled: never = report.status;
      throw new Error(`unhandled card status ${String(unhandled)}`);
    }
  }
}
