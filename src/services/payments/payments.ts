// createPayment / createPayout: one order, routed to the merchant's providers
// (routing.ts), sent through the provider's own connector, and failed over to
// the next candidate only when the provider said no before any money could
// move. Never after an unknown outcome: that order stays with that provider and
// its status query settles it. Every try is an OrderAttempt row, unique per
// order and route, so one idempotency key makes one order and at most one
// create per provider, whatever retries race (the key's claim serializes them).
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Direction, PaymentMethod, RouteId, RoutePayee } from '../../domain/routing.js';
import { newTransferCode } from '../../domain/payment-matching.js';
import { ConcurrentUpdateError } from '../../errors/index.js';
import type { OrderConnector } from '../../providers/types.js';
import type { RouteOffer } from '../../providers/routes.js';
import { rehydrateError, serializeError } from '../../errors/replay.js';
import { ProviderAuthError, ProviderBadResponseError, ProviderNotSupportedError, ProviderRefusedError, ProviderUnavailableError } from '../../errors/index.js';
import type { Logger } from '../../logger.js';
import { ValidationError } from '../../errors/index.js';
import { Idempotency, type StoredResult } from '../idempotency.js';
import { IdempotencyConflictError, IdempotencyKeyReusedError } from '../../errors/index.js';
import { OrderTransitions, toJson } from '../order-transitions.js';
import type { ConnectorSource } from '../orders.js';
import { callbackUrlFor, newRequestId } from '../callback-addresses.js';
import { ProviderNotConfiguredError } from '../../errors/index.js';
import { AllRoutesRefusedError, CircuitOpenError, NoRouteError } from '../../errors/index.js';
import type { ProviderHealth } from './provider-health.js';
import type { PaymentRouting } from './routing.js';

export interface PaymentCommand {
  merchantId: string;
  actor: string;
  idempotencyKey: string;
  direction: Direction;
  method: PaymentMethod;
  amount: bigint;
  description?: string;
  merchantReference?: string;
  expiresInMinutes?: number;
  /** Payouts: who receives it, in the providers' shape (a MoMo phone has bankCode MOMO). */
  payee?: RoutePayee;
  /** Only this route. */
  pin?: RouteId;
  clientIp?: string;
}

export interface PaymentsOptions {
  publicUrl: () => string;
  orderTtlMinutes: number;
  payoutDeadlineMinutes: number;
  firstPollAfterMs: number;
}

/** Said before any money could move: the next candidate may be tried. */
export function refusedBeforeMoney(error: unknown): boolean {
  return (
    error instanceof ProviderRefusedError ||
    error instanceof ProviderAuthError ||
    error instanceof ProviderNotSupportedError ||
    error instanceof ProviderNotConfiguredError ||
    error instanceof CircuitOpenError ||
    error instanceof ValidationError ||
    (error instanceof ProviderUnavailableError && !error.outcomeUnknown)
  );
}


export class Payments {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly connectors: ConnectorSource,
    private readonly routing: PaymentRouting,
    private readonly health: ProviderHealth,
    private readonly transitions: OrderTransitions,
    private readonly idempotency: Idempotency,
    private readonly logger: Logger,
    private readonly options: PaymentsOptions,
  ) {}

  async create(command: PaymentCommand): Promise<{ orderId: string }> {
    const { idempotencyKey, actor, merchantId, ...input } = command;
    const claim = await this.idempotency.claim(merchantId, idempotencyKey, `payment:${command.direction}`, input);
    if (claim.kind === 'replay') return replay(claim.result);

    let orderId: string | undefined;
    try {
      const plan = await this.routing.plan(merchantId, { direction: command.direction, method: command.method, amount: command.amount, payee: command.payee, pin: command.pin });
      if (!plan.candidates.length) {
        throw new NoRouteError(`no provider can carry this ${command.method} ${command.direction === 'IN' ? 'payment' : 'payout'}: ${plan.decisions.map((d) => `${d.route}: ${d.reason}`).join('; ') || 'none offers it'}`, plan.decisions.map(({ route, reason }) => ({ route, reason })));
      }
      const first = plan.offers.get(plan.candidates[0]!)!;
      const expiresAt = command.direction === 'IN' ? new Date(Date.now() + (command.expiresInMinutes ?? this.options.orderTtlMinutes) * 60_000) : null;
      const deadlineAt = expiresAt ?? new Date(Date.now() + this.options.payoutDeadlineMinutes * 60_000);
      const order = await this.prisma.$transaction(async (tx) => {
        const created = await tx.order.create({
          data: {
            merchantId,
            provider: first.order.provider,
            kind: first.order.kind,
            method: first.order.method,
            gateway: first.order.gateway,
            paymentMethod: command.method,
            amount: command.amount,
            merchantReference: command.merchantReference,
            requestId: requestIdFor(first),
            description: command.description,
            payee: command.payee ? toJson(command.payee) : undefined,
            expiresAt,
            deadlineAt,
            nextPollAt: new Date(Date.now() + this.options.firstPollAfterMs),
          },
        });
        await tx.orderEvent.create({ data: { orderId: created.id, merchantId, toStatus: 'PENDING', cause: 'API', actor, note: `created; routed by ${plan.source}: ${plan.candidates.join(' → ')}` } });
        await tx.idempotencyKey.update({ where: { id: claim.recordId }, data: { orderId: created.id } });
        return created;
      });
      orderId = order.id;

      const refusals: string[] = [];
      for (const [index, route] of plan.candidates.entries()) {
        const offer = plan.offers.get(route)!;
        // The first candidate's order row was written with its provider; each next one takes the row over with a fresh request id.
        const requestId = index === 0 ? order.requestId : requestIdFor(offer);
        if (index > 0) {
          await this.prisma.order.update({
            where: { id: order.id },
            data: { provider: offer.order.provider, kind: offer.order.kind, method: offer.order.method ?? null, gateway: offer.order.gateway ?? null, requestId, submitted: false },
          });
        }
        const attempt = await this.prisma.orderAttempt.create({ data: { orderId: order.id, route, provider: offer.order.provider, requestId, outcome: 'SENDING' } });
        const started = Date.now();
        const finish = (outcome: string, error?: unknown) =>
          this.prisma.orderAttempt.update({
            where: { id: attempt.id },
            data: {
              outcome,
              finishedAt: new Date(),
              latencyMs: Date.now() - started,
              ...(error instanceof Error ? { errorName: error.name, message: error.message.slice(0, 500), code: codeOf(error) } : {}),
            },
          });
        let accepted = false;
        try {
          await this.send(order, offer, requestId, command, expiresAt, actor, async () => {
            accepted = true;
            await finish('ACCEPTED');
          });
          await this.idempotency.complete(claim.recordId, { kind: 'order', orderId: order.id }, order.id);
          return { orderId: order.id };
        } catch (error) {
          if (accepted) {
            // The provider took it; what failed is ours (recording its answer): never another provider.
            // A retry of the key is handed this order; the status query settles what was not recorded.
            await this.idempotency.complete(claim.recordId, { kind: 'order', orderId: order.id }, order.id).catch(() => undefined);
            throw error;
          }
          if (!refusedBeforeMoney(error)) {
            // Unknown outcome (or an answer we cannot read): the order stays with this provider; its status query settles it.
            await finish('UNKNOWN', error);
            this.logger.warn({ orderId: order.id, route, err: (error as Error).message }, 'outcome unknown while creating a routed order: no failover; its status query will settle it');
            throw error;
          }
          // NOT_SENT: stopped on our side (circuit, account, the provider's own input rules, an operation it lacks) or the connection never made.
          const sent = !(error instanceof CircuitOpenError || error instanceof ProviderNotConfiguredError || error instanceof ValidationError || error instanceof ProviderNotSupportedError || error instanceof ProviderUnavailableError);
          await finish(sent ? 'REFUSED' : 'NOT_SENT', error);
          refusals.push(`${route}: ${(error as Error).message}`);
        }
      }
      // Every candidate said no before money could move: the order is FAILED, for the record.
      await this.transitions.decide({
        orderId: order.id,
        evidence: { kind: 'refused' },
        cause: 'API',
        actor,
        rawStatus: 'all-routes-refused',
        payload: { refusals },
        note: 'every route refused at creation',
      });
      throw new AllRoutesRefusedError(order.id, `every route refused: ${refusals.join('; ')}`.slice(0, 1000));
    } catch (error) {
      if (orderId && error instanceof Error && !('orderId' in error)) Object.assign(error, { orderId });
      const known = error instanceof ProviderUnavailableError || error instanceof ProviderBadResponseError || error instanceof AllRoutesRefusedError;
      if (!orderId) {
        // Nothing was created: free the key so a corrected retry can use it.
        await this.idempotency.release(claim.recordId);
      } else if (known) {
        await this.idempotency.complete(claim.recordId, { kind: 'error', error: { ...serializeError(error as Error), orderId } }, orderId);
      }
      // Anything else with an order: the key stays in flight, tied to the order, so a retry is handed that order, never a second one.
      throw error;
    }
  }

  /** One create at one provider (or, for the merchant's own bank account, the transfer instructions). */
  private async send(
    order: { id: string; merchantId: string; amount: bigint },
    offer: RouteOffer,
    requestId: string,
    command: PaymentCommand,
    expiresAt: Date | null,
    actor: string,
    /** Called as soon as the provider has taken the order, before anything of ours is written. */
    accepted: () => Promise<void>,
  ) {
    if (offer.order.kind === 'BANK_TRANSFER') {
      const account = await this.prisma.bankAccount.findFirst({ where: { merchantId: order.merchantId, active: true }, orderBy: { createdAt: 'asc' } });
      if (!account) throw new ProviderNotConfiguredError('APINGANHANG', 'no active bank account to receive the transfer');
      const instructions = { bankCode: account.bankCode, bankName: account.bankCode, accountNumber: account.accountNumber, accountName: account.holderName ?? undefined, amount: command.amount, transferContent: requestId, expiresAt: expiresAt ?? undefined };
      // Nothing to send: the statement import matches the transfer by its code (the request id).
      await accepted();
      await this.prisma.order.update({ where: { id: order.id }, data: { submitted: true, instructions: toJson(instructions) } });
      return;
    }
    const connector: OrderConnector = await this.connectors.orderConnector(order.merchantId, offer.order.provider);
    const callbackUrl = callbackUrlFor(this.options.publicUrl(), order.merchantId, offer.order.provider, offer.order.gateway, requestId);
    const input = {
      kind: offer.order.kind,
      requestId,
      amount: command.amount,
      method: offer.order.method,
      gateway: offer.order.gateway,
      payee: command.payee,
      description: command.description,
      callbackUrl,
      clientIp: command.clientIp,
    };
    const problem = connector.validate?.(input);
    if (problem) throw new ValidationError(`${offer.route}: ${problem.message}`, problem.field);
    const result = await this.health.run(order.merchantId, offer.order.provider, () => connector.create(input));
    await accepted();
    const instructions = result.instructions ? { ...result.instructions, expiresAt: result.instructions.expiresAt ?? expiresAt ?? undefined } : undefined;
    await this.prisma.order.update({
      where: { id: order.id },
      data: { submitted: true, providerReference: result.providerReference ?? result.report.providerReference, fee: result.fee, instructions: toJson(instructions) },
    });
    await this.transitions.applyReport({ id: order.id, kind: offer.order.kind, amount: command.amount }, result.report, 'API', actor);
  }
}

/** Ours, sent to the provider: the transfer code for the merchant's own bank account (matched in statements), a request id otherwise. */
function requestIdFor(offer: RouteOffer): string {
  return offer.order.kind === 'BANK_TRANSFER' ? newTransferCode() : newRequestId();
}

function codeOf(error: Error): string | undefined {
  if (error instanceof ProviderRefusedError) return error.code;
  if (error instanceof ProviderAuthError) return error.code ?? 'auth';
  if (error instanceof ProviderUnavailableError) return error.outcomeUnknown ? 'outcome-unknown' : 'not-sent';
  if (error instanceof CircuitOpenError) return 'circuit-open';
  if (error instanceof ValidationError) return error.field ?? 'invalid';
  return undefined;
}

function replay(result: StoredResult): { orderId: string } {
  if (result.kind === 'order') return { orderId: result.orderId };
  throw rehydrateError(result.error);
}
