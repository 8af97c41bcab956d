// Orders: create one through a provider (idempotently), pull its status now,
// cancel it where the provider allows. Status changes go through
// OrderTransitions; provider calls through the merchant's OrderConnector.
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.js';
import { directionOf, type OrderConnector, type OrderKind, type Payee, type ProviderId, type OrderRef } from '../providers/types.js';
import { ProviderAuthError, ProviderError, ProviderNotSupportedError, ProviderRefusedError, ProviderUnavailableError } from '../providers/errors.js';
import { isFinal } from '../domain/order-status.js';
import type { Logger } from '../logger.js';
import { Idempotency, IdempotencyConflictError, IdempotencyKeyReusedError, type StoredResult } from './idempotency.js';
import { OrderTransitions, toJson, type EventCause } from './order-transitions.js';
import { ValidationError, NotFoundError } from '../schema/errors.js';
import { MissingProviderAccountError } from './provider-accounts.js';

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

/** Where each provider (or Payment Hub gateway) calls us back. */
export function callbackRoute(provider: ProviderId, gateway?: string | null): string {
  switch (provider) {
    case 'AZCONNECTPAY':
      return 'azconnectpay';
    case 'APINGANHANG':
      return gateway === 'wowpay' ? 'wowpay' : gateway === 'sharkpay' ? 'sharkpay' : 'apinganhang';
    case 'VNKASH':
      return 'vnkash';
    case 'CARD':
      return 'card';
  }
}

/** Ours, sent to providers: short, unique, safe in any provider's request_id field. */
export function newRequestId(): string {
  return `PG${Date.now().toString(36).toUpperCase()}${randomBytes(5).toString('hex').toUpperCase()}`;
}

export interface OrdersOptions {
  publicUrl: () => string;
  orderTtlMinutes: number;
  /** How soon the poller first looks at a new order. */
  firstPollAfterMs: number;
}

const errorTypes = { ProviderRefusedError, ProviderAuthError, ProviderUnavailableError, ProviderNotSupportedError, ValidationError, IdempotencyKeyReusedError, IdempotencyConflictError, MissingProviderAccountError };

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
      const callbackUrl = `${this.options.publicUrl()}/callbacks/${callbackRoute(command.provider, command.gateway)}?ref=${requestId}`;
      const problem = connector.validate?.({ ...input, requestId, callbackUrl });
      if (problem) throw new ValidationError(problem.message, problem.field);
      const expiresAt = directionOf[command.kind] === 'IN' ? new Date(Date.now() + (command.expiresInMinutes ?? this.options.orderTtlMinutes) * 60_000) : null;
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
          // The provider said no: nothing moved. The order is kept, FAILED, for the record.
          await this.transitions.transition({
            orderId: order.id,
            to: 'FAILED',
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
        else await this.idempotency.complete(claim.recordId, { kind: 'error', error: serializeError(error as Error, orderId) }, orderId);
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
    await this.reconcile(order, 'POLL', actor);
    return order.id;
  }

  /** Status query + apply; used by refresh, the poller, and callbacks that must be confirmed by pull. */
  async reconcile(
    order: { id: string; merchantId: string; provider: ProviderId; kind: OrderKind; requestId: string; providerReference: string | null; gateway: string | null; amount: bigint; createdAt: Date; status: string; submitted: boolean },
    cause: EventCause,
    actor: string,
    payload?: unknown,
    /** The merchant's connector when the caller already built one (a callback just verified with it). */
    connector?: OrderConnector,
  ) {
    if (isFinal(order.status as never)) return { kind: 'noop' as const };
    connector ??= await this.connectors.orderConnector(order.merchantId, order.provider);
    const report = await connector.queryStatus(toOrderRef(order));
    if (!order.submitted) await this.prisma.order.update({ where: { id: order.id }, data: { submitted: true } });
    return this.transitions.applyReport(order, payload === undefined ? report : { ...report, raw: { query: report.raw, callback: payload } }, cause, actor);
  }

  async cancel(merchantId: string, orderId: string, actor: string) {
    const order = await this.loadOwned(merchantId, orderId);
    if (order.kind === 'BANK_TRANSFER') {
      // Our own order (no provider holds it): cancelling is ours to do. A transfer
      // that still arrives for it stays visible on the statement, unmatched.
      const outcome = await this.transitions.transition({ orderId, to: 'CANCELLED', cause: 'MANUAL', actor, note: 'cancelled by the merchant' });
      if (outcome.kind === 'refused') throw new ValidationError(`the order is ${outcome.from}: it can no longer be cancelled`, 'id');
      return order.id;
    }
    const connector = await this.connectors.orderConnector(merchantId, order.provider);
    if (!connector.cancel) throw new ProviderNotSupportedError(order.provider, `${order.provider} has no way to cancel a ${order.kind} order`);
    const report = await connector.cancel(toOrderRef(order));
    await this.transitions.applyReport(order, report, 'MANUAL', actor);
    return order.id;
  }
}

export function toOrderRef(order: { kind: OrderKind; requestId: string; providerReference: string | null; gateway: string | null; amount: bigint; createdAt: Date }): OrderRef {
  return {
    kind: order.kind,
    requestId: order.requestId,
    providerReference: order.providerReference,
    gateway: order.gateway as OrderRef['gateway'],
    amount: order.amount,
    createdAt: order.createdAt,
  };
}

function serializeError(error: Error, orderId?: string): Extract<StoredResult, { kind: 'error' }>['error'] {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) if (typeof value !== 'function' && typeof value !== 'object') fields[key] = value;
  if (error instanceof ProviderRefusedError) fields.options = error.options;
  return { ...fields, name: error.name, message: error.message, orderId };
}

function rehydrateError(stored: Extract<StoredResult, { kind: 'error' }>['error']): Error {
  const type = (errorTypes as Record<string, new (...args: never[]) => Error>)[stored.name];
  const error: Error = type ? Object.create(type.prototype) : new Error(stored.message);
  Object.assign(error, stored);
  return error;
}
