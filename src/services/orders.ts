// Orders: create one through a provider (idempotently), pull its status now,
// cancel it where the provider allows. Status changes go through
// OrderTransitions; provider calls through the merchant's OrderConnector.
import type { PrismaClient } from '../generated/prisma/client.js';
import { directionOf, type OrderConnector, type OrderKind, type Payee, type ProviderId, type OrderRef, type StatusReport } from '../providers/types.js';
import type { Logger } from '../logger.js';
import { Idempotency, type StoredResult } from './idempotency.js';
import { OrderTransitions, toJson, type DecideOutcome, type EventCause } from './order-transitions.js';
import { ProviderAuthError, ProviderError, ProviderNotSupportedError, ProviderRefusedError, ProviderUnavailableError, ConcurrentUpdateError, IdempotencyConflictError, IdempotencyKeyReusedError, ValidationError, NotFoundError, ProviderNotConfiguredError } from '../errors/index.js';
import { rehydrateError, serializeError } from '../errors/replay.js';
import { callbackUrlFor, newRequestId } from './callback-addresses.js';

export interface ConnectorSource {
  orderConnector(merchantId: string, provider: ProviderId): Promise<OrderConnector>;
}

export interface CreateOrderCommand {
  merchantId: string;
  actor: string;
  idempotencyKey: string;
  provider: ProviderId;
  kind: OrderKind;
  amount: bigint;
  method?: string;
  gateway?: 'sharkpay' | 'wowpay';
  payee?: Payee;
  description?: string;
  merchantReference?: string;
  expiresInMinutes?: number;
  clientIp?: string;
}

export interface OrdersOptions {
  publicUrl: () => string;
  orderTtlMinutes: number;
  /** By when a payout must have a final word (PAYOUT_DEADLINE_MINUTES). */
  payoutDeadlineMinutes: number;
  /** How soon the poller first looks at a new order. */
  firstPollAfterMs: number;
}

const errorTypes = { ProviderRefusedError, ProviderAuthError, ProviderUnavailableError, ProviderNotSupportedError, ValidationError, IdempotencyKeyReusedError, IdempotencyConflictError, ProviderNotConfiguredError, ConcurrentUpdateError };

/** An order's row, as the services that settle it read it. */
export type SettlableOrder = {
  id: string;
  merchantId: string;
  provider: ProviderId;
  kind: OrderKind;
  requestId: string;
  providerReference: string | null;
  gateway: string | null;
  amount: bigint;
  createdAt: Date;
  status: string;
  submitted: boolean;
  instructions?: unknown;
  expiresAt?: Date | null;
  deadlineAt?: Date | null;
};

export class Orders {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly connectors: ConnectorSource,
    private readonly transitions: OrderTransitions,
    private readonly idempotency: Idempotency,
    private readonly logger: Logger,
    private readonly options: OrdersOptions,
  ) {}

  /** Creates an order, or returns the one an earlier request with the same key created. */
  async create(command: CreateOrderCommand): Promise<{ orderId: string }> {
    const { idempotencyKey, actor, merchantId, ...input } = command;
    const claim = await this.idempotency.claim(merchantId, idempotencyKey, `create:${command.kind}`, input);
    if (claim.kind === 'replay') return this.replay(claim.result);

    let orderId: string | undefined;
    try {
      const connector = await this.connectors.orderConnector(merchantId, command.provider);
      if (!connector.kinds.includes(command.kind)) throw new ProviderNotSupportedError(command.provider, `${command.provider} does not do ${command.kind}`);
      const requestId = newRequestId();
      const callbackUrl = callbackUrlFor(this.options.publicUrl(), merchantId, command.provider, command.gateway, requestId);
      const problem = connector.validate?.({ ...input, requestId, callbackUrl });
      if (problem) throw new ValidationError(problem.message, problem.field);
      const expiresAt = directionOf[command.kind] === 'IN' ? new Date(Date.now() + (command.expiresInMinutes ?? this.options.orderTtlMinutes) * 60_000) : null;
      // Nothing stays open for ever: collecting orders end at their expiry, payouts at PAYOUT_DEADLINE_MINUTES.
      const deadlineAt = expiresAt ?? new Date(Date.now() + this.options.payoutDeadlineMinutes * 60_000);
      const order = await this.prisma.$transaction(async (tx) => {
        const created = await tx.order.create({
          data: {
            merchantId,
            provider: command.provider,
            kind: command.kind,
            method: command.method,
            gateway: command.gateway,
            amount: command.amount,
            merchantReference: command.merchantReference,
            requestId,
            description: command.description,
            payee: command.payee ? toJson(command.payee) : undefined,
            expiresAt,
            deadlineAt,
            // Polled soon even if the provider call below never returns (a crash between two steps).
            nextPollAt: new Date(Date.now() + this.options.firstPollAfterMs),
          },
        });
        await tx.orderEvent.create({
          data: { orderId: created.id, merchantId, toStatus: 'PENDING', cause: 'API', actor, note: 'created' },
        });
        await tx.idempotencyKey.update({ where: { id: claim.recordId }, data: { orderId: created.id } });
        return created;
      });
      orderId = order.id;

      try {
        const result = await connector.create({
          kind: command.kind,
          requestId,
          amount: command.amount,
          method: command.method,
          gateway: command.gateway,
          payee: command.payee,
          description: command.description,
          callbackUrl,
          clientIp: command.clientIp,
        });
        const instructions = result.instructions ? { ...result.instructions, expiresAt: result.instructions.expiresAt ?? expiresAt ?? undefined } : undefined;
        await this.prisma.order.update({
          where: { id: order.id },
          data: {
            submitted: true,
            providerReference: result.providerReference ?? result.report.providerReference,
            fee: result.fee,
            instructions: toJson(instructions),
          },
        });
        await this.transitions.applyReport(order, result.report, 'API', actor);
      } catch (error) {
        if (error instanceof ProviderRefusedError || error instanceof ProviderNotSupportedError || (error instanceof ProviderError && error.kind === 'auth')) {
          // A documented refusal: nothing was created, nothing moved. The order is kept, FAILED, for the record.
          await this.transitions.decide({
            orderId: order.id,
            evidence: { kind: 'refused' },
            cause: 'API',
            actor,
            rawStatus: error instanceof ProviderRefusedError ? error.code : error.kind,
            payload: { error: error.name, code: (error as ProviderRefusedError).code, message: error.message },
            note: 'refused by the provider at creation',
          });
        } else if (error instanceof ProviderUnavailableError) {
          // Outcome unknown: never re-sent; the poller asks the provider by request id.
          this.logger.warn({ orderId: order.id, provider: command.provider, err: error.message }, 'provider unreachable while creating an order; its status query will settle it');
        }
        throw error;
      }
      await this.idempotency.complete(claim.recordId, { kind: 'order', orderId: order.id }, order.id);
      return { orderId: order.id };
    } catch (error) {
      if (orderId && error instanceof Error) Object.assign(error, { orderId });
      const replayable = Object.values(errorTypes).some((type) => error instanceof type);
      if (replayable) {
        if (!orderId && !(error instanceof ProviderUnavailableError)) await this.idempotency.release(claim.recordId);
        else await this.idempotency.complete(claim.recordId, { kind: 'error', error: serializeError(error as Error) }, orderId);
      } else {
        // Unexpected: keep the key in flight with its order (if any) so a retry finds that order, not a second one.
        if (!orderId) await this.idempotency.release(claim.recordId);
      }
      throw error;
    }
  }

  private replay(result: StoredResult): { orderId: string } {
    if (result.kind === 'order') return { orderId: result.orderId };
    throw rehydrateError(result.error);
  }

  private async loadOwned(merchantId: string, orderId: string) {
    const order = await this.prisma.order.findFirst({ where: { id: orderId, merchantId } });
    if (!order) throw new NotFoundError('Order', orderId);
    return order;
  }

  /** Asks the provider now and applies the answer. */
  async refresh(merchantId: string, orderId: string, actor: string) {
    const order = await this.loadOwned(merchantId, orderId);
    await this.reconcile(order, 'POLL', actor, { pastDeadline: this.pastDeadline(order) });
    return order.id;
  }

  /**
   * By when the order must have a final word: a collecting order's expiry
   * (deadlineAt mirrors it), a payout's deadline, or for payouts made before
   * deadlines existed, PAYOUT_DEADLINE_MINUTES after creation.
   */
  deadlineOf(order: Pick<SettlableOrder, 'kind' | 'createdAt' | 'expiresAt' | 'deadlineAt'>): Date {
    return order.expiresAt ?? order.deadlineAt ?? new Date(order.createdAt.getTime() + this.options.payoutDeadlineMinutes * 60_000);
  }

  pastDeadline(order: Pick<SettlableOrder, 'kind' | 'createdAt' | 'expiresAt' | 'deadlineAt' | 'status'>, now = new Date()): boolean {
    return (order.status === 'PENDING' || order.status === 'PROCESSING') && this.deadlineOf(order) <= now;
  }

  /**
   * Status query, then the decision table on its answer; used by refresh, the
   * poller, and callbacks that must be confirmed by pull. Closed orders are
   * asked too when a caller wants (a callback about them may be a late payment).
   * Past the deadline, an answer we cannot use is itself evidence ("unconfirmed").
   */
  async reconcile(
    order: SettlableOrder,
    cause: EventCause,
    actor: string,
    options: {
      /** The callback behind this query, stored beside the provider's answer. */
      payload?: unknown;
      /** The merchant's connector when the caller already built one (a callback just verified with it). */
      connector?: OrderConnector;
      pastDeadline?: boolean;
    } = {},
  ): Promise<DecideOutcome | { kind: 'no-provider' }> {
    if (order.kind === 'BANK_TRANSFER') return { kind: 'no-provider' };
    let report: StatusReport;
    try {
      report = await this.ask(order, options.connector);
    } catch (error) {
      // Past the deadline, no usable answer is itself the evidence: the order goes to a person.
      const unusable = error instanceof ProviderError || error instanceof ProviderNotConfiguredError;
      if (!(unusable && options.pastDeadline)) throw error;
      return this.transitions.decide({
        orderId: order.id,
        evidence: { kind: 'unreachable' },
        cause,
        actor,
        pastDeadline: true,
        payload: { error: (error as Error).name, message: (error as Error).message },
        note: `no usable answer at the deadline: ${(error as Error).message}`.slice(0, 500),
      });
    }
    const withCallback = options.payload === undefined ? report : { ...report, raw: { query: report.raw, callback: options.payload } };
    return this.transitions.applyReport(order, withCallback, cause, actor, { pastDeadline: options.pastDeadline });
  }

  /** The provider's status query for one order (its answer is the evidence; nothing is decided here). */
  async ask(order: SettlableOrder, connector?: OrderConnector): Promise<StatusReport> {
    connector ??= await this.connectors.orderConnector(order.merchantId, order.provider);
    const report = await connector.queryStatus(toOrderRef(order));
    // The provider knows it: whatever our create call heard, it reached them.
    if (!order.submitted && !report.notFound) await this.prisma.order.update({ where: { id: order.id }, data: { submitted: true } });
    return report;
  }

  async cancel(merchantId: string, orderId: string, actor: string) {
    const order = await this.loadOwned(merchantId, orderId);
    if (order.kind === 'BANK_TRANSFER') {
      // Our own order (no provider holds it): cancelling is ours to do. A transfer
      // that still arrives for it is a late payment: the order goes to review.
      const outcome = await this.transitions.decide({ orderId, evidence: { kind: 'person', outcome: 'CANCELLED' }, cause: 'MANUAL', actor, note: 'cancelled by the merchant' });
      if (outcome.kind === 'refused' && outcome.status !== 'CANCELLED') throw new ValidationError(`the order is ${outcome.status}: it can no longer be cancelled`, 'id');
      return order.id;
    }
    const connector = await this.connectors.orderConnector(merchantId, order.provider);
    if (!connector.cancel) throw new ProviderNotSupportedError(order.provider, `${order.provider} has no way to cancel a ${order.kind} order`);
    const report = await connector.cancel(toOrderRef(order));
    await this.transitions.applyReport(order, report, 'MANUAL', actor);
    return order.id;
  }
}

export function toOrderRef(order: { kind: OrderKind; requestId: string; providerReference: string | null; gateway: string | null; amount: bigint; createdAt: Date; instructions?: unknown }): OrderRef {
  const instructions = order.instructions && typeof order.instructions === 'object' ? (order.instructions as { transferContent?: unknown }) : undefined;
  return {
    kind: order.kind,
    requestId: order.requestId,
    providerReference: order.providerReference,
    gateway: order.gateway as OrderRef['gateway'],
    amount: order.amount,
    createdAt: order.createdAt,
    ...(typeof instructions?.transferContent === 'string' ? { transferContent: instructions.transferContent } : {}),
  };
}

