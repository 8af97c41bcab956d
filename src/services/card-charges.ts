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
// (src/callbacks/card-callbacks.ts). Submitting and checking live here; the
// writes a report leads to, in card-charge-transitions.ts.
// The card's code and serial are bearer secrets: sealed at rest, masked
// everywhere else (events, logs, errors, GraphQL).
// Just over 300 lines on purpose: submit, check and poll are one use case
// (getting the provider's word on a charge) sharing the connector, the sealed
// card and the deadline; applying a report already lives apart.
import type { CardCharge, PrismaClient } from '../generated/prisma/client.js';
import type { AppPubSub } from '../pubsub.js';
import type { Logger } from '../logger.js';
import type { Config } from '../config.js';
import { defaultHttpOptions, type ProviderHttpOptions } from '../providers/http.js';
import {
  cardFailureOf,
  createCardConnector,
  maskSecret,
  validateCardInput,
  type CardChargeReport,
  type CardConnector,
} from '../providers/card/index.js';
import type { Evidence } from '../domain/decision-policy.js';
import { Idempotency, type StoredResult } from './idempotency.js';
import { newRequestId } from './callback-addresses.js';
import type { SealedBox } from './sealed-box.js';
import { sealedCardAad } from './card-charge-outcome.js';
import { ProviderBadResponseError, ProviderError, ProviderNotSupportedError, ProviderRefusedError, ProviderUnavailableError, ConcurrentUpdateError, ValidationError, NotFoundError, IdempotencyConflictError, IdempotencyKeyReusedError, CardRefusedError } from '../errors/index.js';
import { rehydrateError, serializeError, type StoredError } from '../errors/replay.js';
import { CardChargeTransitions, type ApplyContext, type Card, type CardApplyOutcome } from './card-charge-transitions.js';
import type { ProviderCredentials } from '../providers/registry.js';


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
  credentials(merchantId: string, provider: 'CARD'): Promise<ProviderCredentials['CARD']>;
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

export const CARD_POLLER_ACTOR = 'worker:card-poller';
const OPERATION = 'submitCardCharge';
const FINGERPRINT_PURPOSE = 'card-charge-idempotency';
const replayableErrors = { CardRefusedError, ProviderUnavailableError, ValidationError, IdempotencyKeyReusedError, IdempotencyConflictError };

export class CardCharges {
  private readonly http: ProviderHttpOptions;
  private readonly firstPollAfterMs: number;
  private readonly pollIntervalMs: number;
  private readonly deadlineMs: number;
  private readonly transitions: CardChargeTransitions;

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
    this.transitions = new CardChargeTransitions(deps, (charge) => this.openCard(charge));
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
    const credentials = await this.accounts.credentials(merchantId, 'CARD');
    return createCardConnector(credentials, { http: this.http });
  }

  openCard(charge: Pick<CardCharge, 'merchantId' | 'requestId' | 'sealedCard'>): Card {
    return this.deps.sealedBox.open<Card>(charge.sealedCard, sealedCardAad(charge.merchantId, charge.requestId));
  }

  /** The one writer of a charge's status (card-charge-transitions.ts); callbacks and checks go through it. */
  apply(charge: CardCharge, report: CardChargeReport, card: Card, context: ApplyContext): Promise<CardApplyOutcome> {
    return this.transitions.apply(charge, report, card, context);
  }

  applyEvidence(charge: CardCharge, evidence: Evidence, context: ApplyContext, report?: CardChargeReport, card?: Card): Promise<CardApplyOutcome> {
    return this.transitions.applyEvidence(charge, evidence, context, report, card);
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
      this.transitions.publish({ cardChargeId, merchantId, eventId: created.eventId, status: 'PENDING', at: now.toISOString() });

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


