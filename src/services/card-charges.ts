// Telco card charges: submit a scratch card (idempotently), settle it from
// the provider's answer, its callbacks or a check, and keep every change as an
// event with its cause. Card charges are their own aggregate, not orders.
//
// What a report does to a charge is the decision table's call
// (domain/decision-policy.ts, subject "card"), after the card judge has
// checked the report's ids and figures: PENDING → SUCCEEDED | FAILED on
// documented statuses, → NEEDS_REVIEW when the reports stay inconsistent or
// nothing final can be had by the deadline (CARD_CHARGE_DEADLINE_MINUTES).
// Every move is guarded by the status in the UPDATE, one event per move,
// published after the commit. Callbacks come through the inbound pipeline
// (src/callbacks/card-callbacks.ts).
// The card's code and serial are bearer secrets: sealed at rest, masked
// everywhere else (events, logs, errors, GraphQL).
import type { CardCharge, Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { AppPubSub, CardChargeChanged } from '../pubsub.js';
import type { Logger } from '../logger.js';
import type { Config } from '../config.js';
import { defaultHttpOptions, type ProviderHttpOptions } from '../providers/http.js';
import {
  cardFailureOf,
  createCardConnector,
  judgeCardCallback,
  maskSecret,
  validateCardInput,
  type CardCallbackJudgement,
  type CardChargeReport,
  type CardConnector,
  type CardCredentialsInput,
} from '../providers/card/index.js';
import { decide, ruleText, type Decision, type Evidence } from '../domain/decision-policy.js';
import { Idempotency, type StoredResult } from './idempotency.js';
import { newRequestId } from './orders.js';
import { toJson, type EventCause } from './order-transitions.js';
import type { SealedBox } from './sealed-box.js';
import { judgeStateOf, providerMessageOf, replayConflict, sealedCardAad, settlementOf } from './card-charge-outcome.js';
import { ProviderBadResponseError, ProviderError, ProviderNotSupportedError, ProviderRefusedError, ProviderUnavailableError, ConcurrentUpdateError, isContention, ValidationError, NotFoundError, IdempotencyConflictError, IdempotencyKeyReusedError, CardRefusedError } from '../errors/index.js';
import { rehydrateError, serializeError, type StoredError } from '../errors/replay.js';


export interface SubmitCardChargeCommand {
  merchantId: string;
  /** api-key:<id> … */
  actor: string;
  idempotencyKey: string;
  telco: string;
  code: string;
  serial: string;
  declaredValue: bigint;
}

/** Where the merchant's card credentials come from (ProviderAccounts). */
export interface CardCredentialSource {
  credentials(merchantId: string, provider: 'CARD'): Promise<unknown>;
  callbackAllowList(merchantId: string, provider: 'CARD'): Promise<string[] | null>;
}

export interface CardChargesDeps {
  prisma: PrismaClient;
  pubsub: AppPubSub;
  logger: Logger;
  config: Pick<Config, 'PROVIDER_TIMEOUT_MS' | 'POLL_INTERVAL_MS' | 'CARD_CHARGE_DEADLINE_MINUTES'>;
  sealedBox: SealedBox;
}

/** The idempotency table's result JSON for this operation (its own kind, next to the orders' one). */
type CardChargeStoredResult = { kind: 'cardCharge'; cardChargeId: string } | { kind: 'error'; error: StoredError };

/** The outcome of applying one report to one charge. */
export type CardApplyOutcome =
  | { kind: 'applied'; status: CardCharge['status']; eventId: string }
  /** An event without a status change (a contradiction recorded, a review flag). */
  | { kind: 'recorded'; status: CardCharge['status']; eventId: string }
  | { kind: 'unchanged'; status: CardCharge['status']; reason: string }
  | { kind: 'rejected'; status: CardCharge['status']; reason: string; detail: string };

export const CARD_POLLER_ACTOR = 'worker:card-poller';
const OPERATION = 'submitCardCharge';
const FINGERPRINT_PURPOSE = 'card-charge-idempotency';
const replayableErrors = { CardRefusedError, ProviderUnavailableError, ValidationError, IdempotencyKeyReusedError, IdempotencyConflictError };

/** Rejections that say the report is not about this charge at all: no evidence about it. */
const notAboutThisCharge = new Set(['request-id-mismatch', 'trans-id-mismatch']);

interface Card {
  code: string;
  serial: string;
}

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

export class CardCharges {
  private readonly http: ProviderHttpOptions;
  private readonly firstPollAfterMs: number;
  private readonly pollIntervalMs: number;
  private readonly deadlineMs: number;

  constructor(
    private readonly deps: CardChargesDeps,
    private readonly accounts: CardCredentialSource,
    private readonly idempotency: Idempotency,
  ) {
    this.http = {
      ...defaultHttpOptions,
      timeoutMs: deps.config.PROVIDER_TIMEOUT_MS,
      onAttempt: (event) => deps.logger.debug(event, 'provider call'),
    };
    this.pollIntervalMs = deps.config.POLL_INTERVAL_MS;
    this.firstPollAfterMs = Math.min(deps.config.POLL_INTERVAL_MS, 30_000);
    this.deadlineMs = deps.config.CARD_CHARGE_DEADLINE_MINUTES * 60_000;
  }

  /** By when the charge must have a final word (charges made before deadlines existed: CARD_CHARGE_DEADLINE_MINUTES after creation). */
  deadlineOf(charge: Pick<CardCharge, 'createdAt' | 'deadlineAt'>): Date {
    return charge.deadlineAt ?? new Date(charge.createdAt.getTime() + this.deadlineMs);
  }

  pastDeadline(charge: Pick<CardCharge, 'status' | 'createdAt' | 'deadlineAt'>, now = new Date()): boolean {
    return charge.status === 'PENDING' && this.deadlineOf(charge) <= now;
  }

  private get prisma() {
    return this.deps.prisma;
  }

  async connector(merchantId: string): Promise<CardConnector> {
    // The credentials are validated again by the connector (zod at the edge).
    const credentials = (await this.accounts.credentials(merchantId, 'CARD')) as CardCredentialsInput;
    return createCardConnector(credentials, { http: this.http });
  }

  openCard(charge: Pick<CardCharge, 'merchantId' | 'requestId' | 'sealedCard'>): Card {
    return this.deps.sealedBox.open<Card>(charge.sealedCard, sealedCardAad(charge.merchantId, charge.requestId));
  }

  // ---- submit ---------------------------------------------------------------

  /**
   * Submits a card once per idempotency key. Resolves with the charge when it
   * succeeded or is pending; throws CardRefusedError when the provider refused
   * it (the charge is kept, FAILED), ProviderUnavailableError (outcomeUnknown,
   * with cardChargeId) when the answer never came: the charge stays PENDING and
   * is settled by check, never by submitting the card again.
   */
  async submit(command: SubmitCardChargeCommand): Promise<{ cardChargeId: string }> {
    const { merchantId, actor, idempotencyKey } = command;
    const telco = command.telco.trim().toUpperCase();
    const card: Card = { code: command.code.trim(), serial: command.serial.trim() };
    // The key's request hash must not let anyone confirm a guessed card offline: a keyed fingerprint, not the card.
    const hashed = { telco, declaredValue: command.declaredValue, card: this.deps.sealedBox.fingerprint(`${card.code}\n${card.serial}`, FINGERPRINT_PURPOSE) };
    const claim = await this.idempotency.claim(merchantId, idempotencyKey, OPERATION, hashed);
    if (claim.kind === 'replay') return replay(claim.result as unknown as CardChargeStoredResult | { kind: 'order'; orderId: string });

    let cardChargeId: string | undefined;
    try {
      const connector = await this.connector(merchantId);
      const requestId = newRequestId();
      const issues = validateCardInput(connector.rules, { telco, ...card, declaredValue: command.declaredValue, requestId });
      if (issues.length > 0) throw new ValidationError(issues.map((issue) => issue.message).join('; '), issues[0]!.field);

      const now = new Date();
      const created = await this.prisma.$transaction(async (tx) => {
        const charge = await tx.cardCharge.create({
          data: {
            merchantId,
            telco,
            declaredValue: command.declaredValue,
            requestId,
            sealedCard: this.deps.sealedBox.seal(card, sealedCardAad(merchantId, requestId)),
            maskedCode: maskSecret(card.code),
            maskedSerial: maskSecret(card.serial),
            // Checked soon even if the submit below never returns (a crash between two steps).
            nextPollAt: new Date(now.getTime() + this.firstPollAfterMs),
            // Nothing stays pending for ever: past this, the provider's positive word or a person decides.
            deadlineAt: new Date(now.getTime() + this.deadlineMs),
          },
        });
        const event = await tx.cardChargeEvent.create({
          data: { cardChargeId: charge.id, toStatus: 'PENDING', cause: 'API', actor, note: 'card submitted', createdAt: now },
          select: { id: true },
        });
        // The key is tied to the charge from here on: a crash before the answer never frees it for a second submission.
        await tx.idempotencyKey.update({ where: { id: claim.recordId }, data: { orderId: charge.id } });
        return { charge, eventId: event.id };
      });
      cardChargeId = created.charge.id;
      this.publish({ cardChargeId, merchantId, eventId: created.eventId, status: 'PENDING', at: now.toISOString() });

      let report: CardChargeReport;
      try {
        report = await connector.submit({ telco, ...card, declaredValue: command.declaredValue, requestId });
      } catch (error) {
        if (error instanceof ProviderUnavailableError || error instanceof ProviderBadResponseError) {
          // The card may have been spent: never resubmitted; the poller checks it by request id.
          this.deps.logger.warn({ cardChargeId, err: error.message }, 'card submit without a usable answer; check will settle it');
          throw error instanceof ProviderUnavailableError
            ? error
            : new ProviderUnavailableError('CARD', 'the provider answered something unreadable; the charge is settled by check', true, { cause: error });
        }
        throw error;
      }
      // Our own request's answer: when it omits request_id (statuses 4 and 100 do), it is about this charge.
      const outcome = await this.apply(created.charge, { ...report, requestId: report.requestId ?? requestId }, card, {
        cause: 'API',
        actor,
        source: 'check',
        payload: report.raw,
        note: 'provider answer to the submission',
      });
      const failure = cardFailureOf(report);
      if (failure && outcome.kind === 'applied' && outcome.status === 'FAILED') throw new CardRefusedError(failure, cardChargeId);

      await this.idempotency.complete(claim.recordId, storedResult({ kind: 'cardCharge', cardChargeId }));
      return { cardChargeId };
    } catch (error) {
      if (cardChargeId && error instanceof Error) Object.assign(error, { cardChargeId });
      const replayable = Object.values(replayableErrors).some((type) => error instanceof type) || error instanceof ConcurrentUpdateError;
      if (!cardChargeId) await this.idempotency.release(claim.recordId);
      else if (replayable) await this.idempotency.complete(claim.recordId, storedResult({ kind: 'error', error: serializeError(error as Error) }));
      // Unexpected after the charge exists: the key stays in flight so a retry cannot submit the card twice.
      throw error;
    }
  }

  // ---- pull (refresh, poller) -----------------------------------------------

  /** Asks the provider now (command=check) and applies the answer. */
  async refresh(merchantId: string, cardChargeId: string, actor: string): Promise<string> {
    const charge = await this.prisma.cardCharge.findFirst({ where: { id: cardChargeId, merchantId } });
    if (!charge) throw new NotFoundError('CardCharge', cardChargeId);
    if (charge.status === 'PENDING') await this.pull(charge, await this.connector(merchantId), { cause: 'POLL', actor, source: 'check', pastDeadline: this.pastDeadline(charge) });
    return charge.id;
  }

  /** command=check for one charge (our own pull: its answer is evidence). */
  async check(charge: CardCharge, connector: CardConnector): Promise<CardChargeReport> {
    const card = this.openCard(charge);
    const report = await connector.check({ telco: charge.telco, ...card, declaredValue: charge.declaredValue, requestId: charge.requestId });
    return { ...report, requestId: report.requestId ?? charge.requestId };
  }

  /**
   * Checks the charge and applies the answer. Past the deadline, an answer
   * that cannot be had is evidence too: "not found" (the provider never got
   * the card) fails the charge, anything else sends it to a person.
   */
  async pull(charge: CardCharge, connector: CardConnector, context: ApplyContext, callbackReport?: CardChargeReport): Promise<CardApplyOutcome> {
    let report: CardChargeReport;
    try {
      report = await this.check(charge, connector);
    } catch (error) {
      const evidence = this.evidenceOfCheckFailure(error);
      // Before the deadline, no answer teaches nothing (the poller asks again); "not found" waits in the table.
      if (evidence.kind === 'unreachable' && !context.pastDeadline) throw error;
      return this.applyEvidence(charge, evidence, { ...context, payload: { error: (error as Error).name, message: (error as Error).message }, note: `check: ${(error as Error).message}`.slice(0, 500) });
    }
    const payload = callbackReport ? { callback: callbackReport.raw, check: report.raw } : report.raw;
    const note =
      context.note ??
      (callbackReport
        ? callbackReport.providerStatus === report.providerStatus
          ? 'callback confirmed by check'
          : `callback said status ${callbackReport.providerStatus}; check says ${report.providerStatus} (applied)`
        : 'check');
    return this.apply(charge, report, this.openCard(charge), { ...context, source: 'check', payload, note });
  }

  /** What a failed check says: the provider does not know the charge (status 100 without trans_id), or nothing usable. */
  private evidenceOfCheckFailure(error: unknown): Evidence {
    if (error instanceof ProviderRefusedError && error.code === '100') return { kind: 'not-found' };
    if (error instanceof ProviderError) return { kind: 'unreachable' };
    throw error;
  }

  /**
   * One pass of the card poller: claims PENDING charges that are due, or past
   * their deadline with no check scheduled (FOR UPDATE SKIP LOCKED, so
   * instances never share one), and checks each.
   */
  async pollDue(limit: number, isStopping: () => boolean = () => false): Promise<number> {
    const interval = `${this.pollIntervalMs} milliseconds`;
    const deadline = `${this.deadlineMs} milliseconds`;
    const due = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE "CardCharge" SET "nextPollAt" = now() + ${interval}::interval
      WHERE "id" IN (
        SELECT "id" FROM "CardCharge"
        WHERE "status" = 'PENDING'
          AND ("nextPollAt" <= now() OR ("nextPollAt" IS NULL AND COALESCE("deadlineAt", "createdAt" + ${deadline}::interval) <= now()))
        ORDER BY "nextPollAt" NULLS FIRST LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING "id"`;
    for (const { id } of due) {
      if (isStopping()) break;
      await this.pollOne(id).catch((error) => this.deps.logger.warn({ cardChargeId: id, err: (error as Error).message }, 'could not check a card charge; will try again'));
    }
    return due.length;
  }

  private async pollOne(cardChargeId: string) {
    const charge = await this.prisma.cardCharge.findUnique({ where: { id: cardChargeId } });
    if (!charge || charge.status !== 'PENDING') return;
    const pastDeadline = this.pastDeadline(charge);
    const context: ApplyContext = { cause: pastDeadline ? 'EXPIRY' : 'POLL', actor: CARD_POLLER_ACTOR, source: 'check', pastDeadline };
    try {
      await this.pull(charge, await this.connector(charge.merchantId), context);
    } catch (error) {
      if (error instanceof ProviderNotSupportedError) {
        // This provider has no check: only its callback can settle the charge, until the deadline (then a person).
        await this.prisma.cardCharge.updateMany({ where: { id: cardChargeId, status: 'PENDING' }, data: { nextPollAt: null } });
        return;
      }
      throw error;
    }
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

  private publish(message: CardChargeChanged) {
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

/** The idempotency store types its result for orders; card charges keep their own kind in the same JSON column. */
function storedResult(result: CardChargeStoredResult): StoredResult {
  return result as unknown as StoredResult;
}

function replay(result: CardChargeStoredResult | { kind: 'order'; orderId: string }): { cardChargeId: string } {
  if (result.kind === 'cardCharge') return { cardChargeId: result.cardChargeId };
  // A submission whose process died after creating the charge: the key holds the charge's id (settled by check).
  if (result.kind === 'order') return { cardChargeId: result.orderId };
  if (result.kind === 'error') throw rehydrateError(result.error);
  throw new Error('this idempotency key belongs to another kind of operation');
}


