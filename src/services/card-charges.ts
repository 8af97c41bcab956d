// Telco card charges: submit a scratch card (idempotently), settle it from
// the provider's answer, its callbacks or a check, and keep every change as an
// event with its cause. Card charges are their own aggregate, not orders.
//
// The charge only ever moves forward: PENDING → SUCCEEDED | FAILED, guarded by
// the status in the UPDATE, one event per move, published after the commit.
// The card's code and serial are bearer secrets: sealed at rest, masked
// everywhere else (events, logs, errors, GraphQL).
import { isReference } from '../domain/text.js';
import type { CardCharge, Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { AppPubSub, CardChargeChanged } from '../pubsub.js';
import type { Logger } from '../logger.js';
import type { Config } from '../config.js';
import type { CallbackReply, InboundCallback } from '../providers/types.js';
import { defaultHttpOptions, type ProviderHttpOptions } from '../providers/http.js';
import { ProviderBadResponseError, ProviderNotSupportedError, ProviderUnavailableError } from '../providers/errors.js';
import {
  cardFailureOf,
  createCardConnector,
  judgeCardCallback,
  locateCardCallback,
  maskSecret,
  validateCardInput,
  type CardChargeReport,
  type CardConnector,
  type CardCredentialsInput,
  type CardFailure,
  type CardFailureCode,
} from '../providers/card/index.js';
import { ValidationError, NotFoundError } from '../schema/errors.js';
import { Idempotency, IdempotencyConflictError, IdempotencyKeyReusedError, type StoredResult } from './idempotency.js';
import { newRequestId } from './orders.js';
import { toJson, type EventCause } from './order-transitions.js';
import type { SealedBox } from './sealed-box.js';
import { judgeStateOf, providerMessageOf, replayConflict, sealedCardAad, settlementOf } from './card-charge-outcome.js';

/** The card was refused by the provider (statuses 3, 4, 100): the charge exists, FAILED. */
export class CardRefusedError extends Error {
  override readonly name = 'CardRefusedError';
  readonly code: CardFailureCode;
  readonly retryable: boolean;
  readonly providerStatus: number;
  readonly providerMessage: string;
  constructor(
    failure: CardFailure,
    readonly cardChargeId: string,
  ) {
    super(failure.meaning);
    this.code = failure.code;
    this.retryable = failure.retryable;
    this.providerStatus = failure.providerStatus;
    this.providerMessage = failure.providerMessage;
  }
}

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
  config: Pick<Config, 'PROVIDER_TIMEOUT_MS' | 'POLL_INTERVAL_MS'>;
  sealedBox: SealedBox;
}

/** The idempotency table's result JSON for this operation (its own kind, next to the orders' one). */
type CardChargeStoredResult = { kind: 'cardCharge'; cardChargeId: string } | { kind: 'error'; error: Record<string, unknown> & { name: string; message: string } };

/** The outcome of applying one report to one charge. */
export type CardApplyOutcome =
  | { kind: 'applied'; status: 'SUCCEEDED' | 'FAILED'; eventId: string }
  | { kind: 'unchanged'; status: CardCharge['status']; reason: 'duplicate' | 'still-pending' | 'lost-race' }
  | { kind: 'rejected'; status: CardCharge['status']; reason: string; detail: string };

export const CARD_POLLER_ACTOR = 'worker:card-poller';
const OPERATION = 'submitCardCharge';
const FINGERPRINT_PURPOSE = 'card-charge-idempotency';
const replayableErrors = { CardRefusedError, ProviderUnavailableError, ValidationError, IdempotencyKeyReusedError, IdempotencyConflictError };
const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === 'P2002' || /unique constraint/i.test(String((error as Error)?.message));
const jsonReply = (status: number, message: string): CallbackReply => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify({ status: false, message }),
});

interface Card {
  code: string;
  serial: string;
}

interface ApplyContext {
  cause: EventCause;
  actor: string;
  /** Whose word the report is: our own pull (submit answer, check) or an unsigned callback. */
  source: 'callback' | 'check';
  payload?: unknown;
  note?: string;
}

export class CardCharges {
  private readonly http: ProviderHttpOptions;
  private readonly firstPollAfterMs: number;
  private readonly pollIntervalMs: number;

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
  }

  private get prisma() {
    return this.deps.prisma;
  }

  async connector(merchantId: string): Promise<CardConnector> {
    // The credentials are validated again by the connector (zod at the edge).
    const credentials = (await this.accounts.credentials(merchantId, 'CARD')) as CardCredentialsInput;
    return createCardConnector(credentials, { http: this.http });
  }

  private openCard(charge: Pick<CardCharge, 'merchantId' | 'requestId' | 'sealedCard'>): Card {
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
    if (claim.kind === 'replay') return replay(claim.result as unknown as CardChargeStoredResult);

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
          },
        });
        const event = await tx.cardChargeEvent.create({
          data: { cardChargeId: charge.id, toStatus: 'PENDING', cause: 'API', actor, note: 'card submitted', createdAt: now },
          select: { id: true },
        });
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
      const replayable = Object.values(replayableErrors).some((type) => error instanceof type);
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
    if (charge.status === 'PENDING') await this.pull(charge, await this.connector(merchantId), { cause: 'POLL', actor, source: 'check' });
    return charge.id;
  }

  private async pull(charge: CardCharge, connector: CardConnector, context: ApplyContext, callbackReport?: CardChargeReport): Promise<CardApplyOutcome> {
    const card = this.openCard(charge);
    const report = await connector.check({ telco: charge.telco, ...card, declaredValue: charge.declaredValue, requestId: charge.requestId });
    const payload = callbackReport ? { callback: callbackReport.raw, check: report.raw } : report.raw;
    const note =
      context.note ??
      (callbackReport
        ? callbackReport.providerStatus === report.providerStatus
          ? 'callback confirmed by check'
          : `callback said status ${callbackReport.providerStatus}; check says ${report.providerStatus} (applied)`
        : 'check');
    return this.apply(charge, { ...report, requestId: report.requestId ?? charge.requestId }, card, { ...context, source: 'check', payload, note });
  }

  /**
   * One pass of the card poller: claims PENDING charges that are due (FOR
   * UPDATE SKIP LOCKED, so instances never share one) and checks each.
   */
  async pollDue(limit: number, isStopping: () => boolean = () => false): Promise<number> {
    const interval = `${this.pollIntervalMs} milliseconds`;
    const due = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE "CardCharge" SET "nextPollAt" = now() + ${interval}::interval
      WHERE "id" IN (
        SELECT "id" FROM "CardCharge"
        WHERE "status" = 'PENDING' AND "nextPollAt" <= now()
        ORDER BY "nextPollAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
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
    try {
      await this.pull(charge, await this.connector(charge.merchantId), { cause: 'POLL', actor: CARD_POLLER_ACTOR, source: 'check' });
    } catch (error) {
      if (error instanceof ProviderNotSupportedError) {
        // This provider has no check: only its callback can settle the charge.
        await this.prisma.cardCharge.updateMany({ where: { id: cardChargeId, status: 'PENDING' }, data: { nextPollAt: null } });
        return;
      }
      throw error;
    }
  }

  // ---- callbacks ------------------------------------------------------------

  /**
   * /callbacks/card, GET or POST. The signature covers only partner key, code
   * and serial, so a verified callback is a claim: recorded once per event key
   * in the callback inbox (masked), judged (ids, forward-only, amounts), and
   * confirmed by check before anything final where the provider has one.
   */
  async receiveCallback(callback: InboundCallback): Promise<CallbackReply> {
    const log = this.deps.logger.child({ route: 'card', sourceIp: callback.sourceIp });
    const lookup = locateCardCallback(callback);
    if (!lookup?.requestId || !isReference(lookup.requestId)) {
      log.warn('card callback without a well-formed request_id; refused');
      return jsonReply(400, 'missing or malformed request_id');
    }
    const charge = await this.prisma.cardCharge.findUnique({ where: { requestId: lookup.requestId } });
    if (!charge) {
      log.warn({ requestId: lookup.requestId }, 'card callback for a charge we do not know');
      return jsonReply(404, 'unknown request_id');
    }
    const connector = await this.connector(charge.merchantId);
    const allowed = await this.accounts.callbackAllowList(charge.merchantId, 'CARD');
    if (allowed && !allowed.includes(callback.sourceIp)) {
      log.warn({ cardChargeId: charge.id }, 'card callback from an address outside the allow-list; refused');
      return connector.reject({ ok: false, reason: 'source-ip', detail: `${callback.sourceIp} is not an allowed callback source` });
    }
    const verdict = connector.verifyCallback(callback);
    if (!verdict.ok) {
      log.warn({ cardChargeId: charge.id, reason: verdict.reason, detail: verdict.detail }, 'refused a card callback');
      return connector.reject(verdict);
    }
    const { report } = verdict;

    let inboxId: string;
    try {
      const row = await this.prisma.callbackInbox.create({
        data: {
          provider: 'CARD',
          eventKey: verdict.callback.eventKey,
          merchantId: charge.merchantId,
          method: callback.method,
          sourceIp: callback.sourceIp,
          // The parsed payload with code, serial and sign masked: the raw request holds the card in clear.
          body: JSON.stringify(report.raw),
        },
        select: { id: true },
      });
      inboxId = row.id;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      log.info({ cardChargeId: charge.id, eventKey: verdict.callback.eventKey }, 'duplicate card callback; already recorded');
      return connector.acknowledge();
    }

    const actor = `callback:card@${callback.sourceIp}`;
    try {
      const outcome = await this.applyCallback(charge, report, connector, actor);
      const ignored = outcome.kind === 'rejected' || (outcome.kind === 'unchanged' && outcome.reason !== 'still-pending');
      await this.prisma.callbackInbox.update({
        where: { id: inboxId },
        data: {
          status: ignored ? 'IGNORED' : 'PROCESSED',
          processedAt: new Date(),
          attempts: 1,
          lastError: outcome.kind === 'rejected' ? `${outcome.reason}: ${outcome.detail}`.slice(0, 500) : outcome.kind === 'unchanged' ? outcome.reason : null,
        },
      });
    } catch (error) {
      // Recorded but not applied (the check failed): the poller settles the charge by check, soon.
      log.warn({ cardChargeId: charge.id, err: (error as Error).message }, 'card callback recorded but not applied; the poller will check');
      await this.prisma.callbackInbox.update({ where: { id: inboxId }, data: { attempts: 1, lastError: String((error as Error).message).slice(0, 500) } });
      await this.prisma.cardCharge.updateMany({ where: { id: charge.id, status: 'PENDING' }, data: { nextPollAt: new Date() } });
    }
    return connector.acknowledge();
  }

  private async applyCallback(charge: CardCharge, report: CardChargeReport, connector: CardConnector, actor: string): Promise<CardApplyOutcome> {
    const judgement = judgeCardCallback(judgeStateOf(charge), report, { checkEnabled: connector.checkEnabled, source: 'callback' });
    if (judgement.decision === 'accept' && judgement.confirmByCheck) {
      return this.pull(charge, connector, { cause: 'CALLBACK', actor, source: 'check' }, report);
    }
    return this.apply(charge, report, this.openCard(charge), { cause: 'CALLBACK', actor, source: 'callback', payload: report.raw, note: 'callback (the provider has no check)' });
  }

  // ---- the one place a charge changes ----------------------------------------

  /**
   * Judges a report against the charge and writes what it allows: a move to a
   * final status (with its event, then a publish), the provider's fields on a
   * still-pending charge, or nothing. Rejections are logged, never applied.
   */
  private async apply(charge: CardCharge, report: CardChargeReport, card: Card, context: ApplyContext): Promise<CardApplyOutcome> {
    const log = this.deps.logger.child({ cardChargeId: charge.id, cause: context.cause, actor: context.actor });
    const judgement = judgeCardCallback(judgeStateOf(charge), report, { checkEnabled: false, source: context.source });
    switch (judgement.decision) {
      case 'reject': {
        log.warn({ reason: judgement.reason, detail: judgement.detail, providerStatus: report.providerStatus }, 'refused a card report; nothing applied');
        if (judgement.reason === 'unknown-status' && context.source === 'check' && charge.status === 'PENDING') {
          // Our own pull said something the document does not list: keep it raw and visible, guess nothing.
          await this.updatePending(charge.id, { providerStatus: report.providerStatus, providerMessage: providerMessageOf(report, card), submitted: true });
        }
        return { kind: 'rejected', status: charge.status, reason: judgement.reason, detail: judgement.detail };
      }
      case 'ignore': {
        if (judgement.reason === 'duplicate') {
          const conflict = replayConflict(charge, report);
          if (conflict) {
            log.warn({ detail: conflict }, 'refused a replayed card report with altered values; nothing applied');
            return { kind: 'rejected', status: charge.status, reason: 'replayed-with-other-values', detail: conflict };
          }
          return { kind: 'unchanged', status: charge.status, reason: 'duplicate' };
        }
        if (context.source === 'check') {
          await this.updatePending(charge.id, {
            providerStatus: report.providerStatus,
            providerMessage: providerMessageOf(report, card),
            submitted: true,
            ...(charge.transId === null && report.transId !== undefined ? { transId: report.transId } : {}),
          });
        }
        return { kind: 'unchanged', status: charge.status, reason: 'still-pending' };
      }
      case 'accept':
        return this.settle(charge, report, judgement.to, card, context);
      default: {
        const unhandled: never = judgement;
        throw new Error(`unhandled judgement ${JSON.stringify(unhandled)}`);
      }
    }
  }

  private async updatePending(cardChargeId: string, data: Prisma.CardChargeUpdateManyMutationInput) {
    await this.prisma.cardCharge.updateMany({ where: { id: cardChargeId, status: 'PENDING' }, data });
  }

  private async settle(charge: CardCharge, report: CardChargeReport, to: 'SUCCEEDED' | 'FAILED', card: Card, context: ApplyContext): Promise<CardApplyOutcome> {
    const columns = settlementOf(charge, report, to, card);
    const now = new Date();
    const eventId = await this.prisma.$transaction(async (tx) => {
      // Guarded by PENDING: a concurrent settlement (callback vs poller) makes this miss, and only one event is written.
      const updated = await tx.cardCharge.updateMany({
        where: { id: charge.id, status: 'PENDING' },
        data: { ...columns, submitted: true, completedAt: now, nextPollAt: null },
      });
      if (updated.count !== 1) return null;
      const event = await tx.cardChargeEvent.create({
        data: {
          cardChargeId: charge.id,
          fromStatus: 'PENDING',
          toStatus: to,
          cause: context.cause,
          actor: context.actor,
          providerStatus: report.providerStatus,
          payload: toJson(context.payload ?? report.raw),
          note: context.note,
          createdAt: now,
        },
        select: { id: true },
      });
      return event.id;
    });
    if (!eventId) {
      const current = await this.prisma.cardCharge.findUniqueOrThrow({ where: { id: charge.id }, select: { status: true } });
      return { kind: 'unchanged', status: current.status, reason: 'lost-race' };
    }
    this.publish({ cardChargeId: charge.id, merchantId: charge.merchantId, eventId, status: to, at: now.toISOString() });
    return { kind: 'applied', status: to, eventId };
  }

  private publish(message: CardChargeChanged) {
    this.deps.pubsub.publish('cardCharge:changed', message.cardChargeId, message);
  }
}

/** The idempotency store types its result for orders; card charges keep their own kind in the same JSON column. */
function storedResult(result: CardChargeStoredResult): StoredResult {
  return result as unknown as StoredResult;
}

function replay(result: CardChargeStoredResult): { cardChargeId: string } {
  if (result.kind === 'cardCharge') return { cardChargeId: result.cardChargeId };
  if (result.kind === 'error') throw rehydrateError(result.error);
  throw new Error('this idempotency key belongs to another kind of operation');
}

function serializeError(error: Error): Extract<CardChargeStoredResult, { kind: 'error' }>['error'] {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) if (typeof value !== 'function' && typeof value !== 'object') fields[key] = value;
  return { ...fields, name: error.name, message: error.message };
}

function rehydrateError(stored: Extract<CardChargeStoredResult, { kind: 'error' }>['error']): Error {
  const type = (replayableErrors as Record<string, new (...args: never[]) => Error>)[stored.name];
  const error: Error = type ? Object.create(type.prototype) : new Error(stored.message);
  Object.assign(error, stored);
  return error;
}

