// Inbound provider callbacks: find the order, verify with its merchant's
// secrets, record once per provider event key, apply, and answer what the
// provider expects. A callback whose status is not covered by a signature is
// a hint: the status is pulled from the provider before anything final.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { CallbackReply, InboundCallback, ProviderId } from '../providers/types.js';
import { callbackRoute } from '../providers/registry.js';
import { isReference } from '../domain/text.js';
import type { Logger } from '../logger.js';
import type { Orders } from './orders.js';
import type { OrderTransitions } from './order-transitions.js';
import type { ProviderAccounts } from './provider-accounts.js';

const reply = (status: number, body: string, contentType = 'text/plain; charset=utf-8'): CallbackReply => ({ status, contentType, body });
const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === 'P2002' || /unique constraint/i.test(String((error as Error)?.message));

/** How long before a failed callback is tried again (doubles per attempt, capped). */
export const retryDelayMs = (attempts: number) => Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 10 * 60_000);

export class CallbackInbox {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly accounts: ProviderAccounts,
    private readonly orders: Orders,
    private readonly transitions: OrderTransitions,
    private readonly logger: Logger,
  ) {}

  async receive(routeName: string, callback: InboundCallback): Promise<CallbackReply> {
    const route = callbackRoute(routeName);
    if (!route) return reply(404, 'unknown callback route');
    if (!route.methods.includes(callback.method as 'GET' | 'POST')) return reply(405, `use ${route.methods.join(' or ')}`);
    const log = this.logger.child({ route: routeName, sourceIp: callback.sourceIp });

    const lookup = route.locate(callback);
    if (lookup && [lookup.requestId, lookup.providerReference].some((ref) => ref !== undefined && !isReference(ref))) {
      log.warn('callback with a malformed order reference; refused');
      return reply(400, 'malformed order reference');
    }
    if (!lookup || (!lookup.requestId && !lookup.providerReference)) {
      log.warn('callback without an order reference; refused');
      return reply(400, 'missing order reference');
    }
    const order = await this.findOrder(route.provider, lookup);
    if (!order) {
      // Nothing of ours to verify it against: log it, write nothing.
      log.warn({ lookup }, 'callback for an order we do not know');
      return reply(404, 'unknown order');
    }
    const connector = await this.accounts.orderConnector(order.merchantId, order.provider as ProviderId);
    const allowed = await this.accounts.callbackAllowList(order.merchantId, order.provider as ProviderId);
    if (allowed && !allowed.includes(callback.sourceIp)) {
      log.warn({ orderId: order.id }, 'callback from an address outside the allow-list; refused');
      return connector.reject({ ok: false, reason: 'source-ip', detail: `${callback.sourceIp} is not an allowed callback source` });
    }
    const verdict = connector.verifyCallback(callback);
    if (!verdict.ok) {
      log.warn({ orderId: order.id, reason: verdict.reason, detail: verdict.detail }, 'refused a callback');
      return connector.reject(verdict);
    }
    const parsed = verdict.callback;
    if (parsed.lookup.requestId && parsed.lookup.requestId !== order.requestId) {
      log.warn({ orderId: order.id }, 'callback body names another order than its URL; refused');
      return connector.reject({ ok: false, reason: 'malformed', detail: 'order reference mismatch' });
    }

    let inboxId: string;
    try {
      const row = await this.prisma.callbackInbox.create({
        data: {
          provider: order.provider,
          // Scoped to our order: two merchants' gateways may reuse an order number, and one must never pass for the other's duplicate.
          eventKey: `${order.id}:${parsed.eventKey}`,
          merchantId: order.merchantId,
          orderId: order.id,
          method: callback.method,
          sourceIp: callback.sourceIp,
          // PostgreSQL text cannot hold NUL; keep the rest byte for byte.
          body: (callback.method === 'GET' ? callback.url.search : callback.rawBody).replaceAll('\u0000', '\\u0000'),
        },
        select: { id: true },
      });
      inboxId = row.id;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      log.info({ orderId: order.id, eventKey: parsed.eventKey }, 'duplicate callback; already recorded');
      return connector.acknowledge();
    }

    const actor = `callback:${routeName}@${callback.sourceIp}`;
    try {
      if (parsed.statusIsSigned) await this.transitions.applyReport(order, parsed.report, 'CALLBACK', actor);
      else await this.orders.reconcile(order, 'CALLBACK', actor, parsed.report.raw, connector);
      await this.prisma.callbackInbox.update({ where: { id: inboxId }, data: { status: 'PROCESSED', processedAt: new Date(), attempts: 1 } });
    } catch (error) {
      // Recorded: acknowledge anyway, the inbox worker tries again (by pulling the status).
      log.warn({ orderId: order.id, err: (error as Error).message }, 'callback recorded but not applied yet; will retry');
      await this.prisma.callbackInbox.update({
        where: { id: inboxId },
        data: { status: 'FAILED', attempts: 1, lastError: String((error as Error).message).slice(0, 500), nextAttemptAt: new Date(Date.now() + retryDelayMs(1)) },
      });
    }
    return connector.acknowledge();
  }

  private findOrder(provider: ProviderId, lookup: { requestId?: string; providerReference?: string }) {
    if (lookup.requestId) return this.prisma.order.findFirst({ where: { requestId: lookup.requestId, provider } });
    return this.prisma.order.findFirst({ where: { provider, providerReference: lookup.providerReference } });
  }

  /** One pass of the retry worker: callbacks recorded but not applied, settled by pulling the status. */
  async retryFailed(limit = 20): Promise<number> {
    const claimed = await this.prisma.$queryRaw<{ id: string; orderId: string | null; attempts: number }[]>`
      UPDATE "CallbackInbox" SET "nextAttemptAt" = now() + interval '1 minute'
      WHERE "id" IN (
        SELECT "id" FROM "CallbackInbox" WHERE "status" = 'FAILED' AND "nextAttemptAt" <= now()
        ORDER BY "nextAttemptAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING "id", "orderId", "attempts"`;
    for (const row of claimed) {
      const attempts = row.attempts + 1;
      try {
        const order = row.orderId ? await this.prisma.order.findUnique({ where: { id: row.orderId } }) : null;
        if (order) await this.orders.reconcile(order, 'CALLBACK', 'worker:callback-retry');
        await this.prisma.callbackInbox.update({ where: { id: row.id }, data: { status: 'PROCESSED', processedAt: new Date(), attempts } });
      } catch (error) {
        await this.prisma.callbackInbox.update({
          where: { id: row.id },
          data: { attempts, lastError: String((error as Error).message).slice(0, 500), nextAttemptAt: new Date(Date.now() + retryDelayMs(attempts)) },
        });
      }
    }
    return claimed.length;
  }
}
