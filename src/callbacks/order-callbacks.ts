// The pipeline's order part (AZConnectPay, the Hub's SharkPay and WowPay,
// VNKash): find the order within the account, and once verified, record and
// decide. None of these callbacks is taken at its word today (AZConnectPay
// and VNKash sign nothing; the Hub's gateways sign, but providers.md decides
// to confirm by query), so each is a hint: one status query (shared by the
// hints that arrive meanwhile), the inbox keyed on what the query said, then
// the decision table on the query's answer.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { CallbackRoute } from '../providers/registry.js';
import type { CallbackVerdict, OrderConnector, ProviderId, StatusReport } from '../providers/types.js';
import type { CallbackInbox, InboxRow } from '../services/callback-inbox.js';
import type { Orders, SettlableOrder } from '../services/orders.js';
import type { DecideOutcome, OrderTransitions } from '../services/order-transitions.js';
import type { ProviderAccounts } from '../services/provider-accounts.js';
import type { HintGate } from './hint-gate.js';
import { inboxEntry, reply, type CallbackLookup, type InboundMessage, type Located, type TargetHandler } from './pipeline.js';

export const CALLBACK_RETRY_ACTOR = 'worker:callback-retry';

/** The inbox key of a status query's answer: the same confirmed state is one event, whoever hinted at it. */
export function confirmedKey(orderId: string, report: StatusReport): string {
  const state = report.notFound ? 'NOT_FOUND' : report.rawStatus;
  return `${orderId}:confirmed:${state}:${report.amount ?? ''}`;
}

/** The one row per order a hint leaves when the provider could not be asked: the worker asks again. */
export const unconfirmedKey = (orderId: string) => `${orderId}:unconfirmed`;

/** What the inbox row says became of the message. */
export function inboxStatusOf(outcome: DecideOutcome): { status: 'PROCESSED' | 'IGNORED'; note: string | null } {
  if (outcome.kind === 'applied' || outcome.kind === 'recorded') return { status: 'PROCESSED', note: null };
  return { status: 'IGNORED', note: `${outcome.decision.rule}${outcome.kind === 'refused' ? `: ${outcome.decision.why}` : ''}` };
}

type Order = SettlableOrder & { expiresAt: Date | null; deadlineAt: Date | null };

export class OrderCallbacks implements TargetHandler<Order, CallbackVerdict> {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly accounts: ProviderAccounts,
    private readonly orders: Orders,
    private readonly transitions: OrderTransitions,
    private readonly inbox: CallbackInbox,
    private readonly gate: HintGate,
  ) {}

  async locate(route: CallbackRoute, lookup: CallbackLookup, scope: { merchantId?: string }): Promise<Located<Order, CallbackVerdict> | null> {
    const order = await this.find(route.provider, lookup, scope);
    if (!order) return null;
    const connector = await this.accounts.orderConnector(order.merchantId, order.provider);
    return { merchantId: order.merchantId, subject: { ...order, provider: order.provider, kind: order.kind }, template: connector, context: { kind: order.kind } };
  }

  /**
   * By our request id (unique across merchants), or by the provider's
   * reference, which is only unique within one provider account: that lookup
   * needs the merchant the URL names, and never crosses to another merchant.
   */
  private async find(provider: ProviderId, lookup: CallbackLookup, scope: { merchantId?: string }) {
    const merchant = scope.merchantId ? { merchantId: scope.merchantId } : {};
    if (lookup.requestId) return this.prisma.order.findFirst({ where: { requestId: lookup.requestId, provider, ...merchant } });
    if (lookup.providerReference && scope.merchantId) {
      const found = await this.prisma.order.findMany({ where: { provider, providerReference: lookup.providerReference, merchantId: scope.merchantId }, take: 2 });
      // Two of this merchant's orders with one reference: not ours to pick.
      return found.length === 1 ? found[0]! : null;
    }
    return null;
  }

  async process(located: Located<Order, CallbackVerdict>, verdict: Extract<CallbackVerdict, { ok: true }>, message: InboundMessage) {
    const order = located.subject;
    const connector = located.template as OrderConnector;
    const parsed = verdict.callback;
    if (parsed.lookup.requestId && parsed.lookup.requestId !== order.requestId) {
      message.log.warn({ orderId: order.id }, 'callback body names another order than its URL; refused');
      return connector.reject({ ok: false, reason: 'malformed', detail: 'order reference mismatch' });
    }
    if (parsed.statusIsSigned) return this.applySigned(order, parsed.eventKey, parsed.report, message, connector);

    // A hint: it may only make us ask, within the limits.
    const admitted = await this.gate.admit(message.routeName, message.callback.sourceIp);
    if (!admitted.allowed) {
      message.log.warn({ orderId: order.id }, 'too many callback hints from this source; refused for now');
      return reply(429, `too many callbacks; retry in ${admitted.retryAfterSeconds} s`);
    }
    let report: StatusReport;
    try {
      ({ result: report } = await this.gate.once(`order:${order.id}`, () => this.orders.ask(order, connector)));
    } catch (error) {
      // Recorded once per order whatever the number of hints; the worker asks again.
      message.log.warn({ orderId: order.id, err: (error as Error).message }, 'callback received, but the provider could not confirm it yet; will retry');
      await this.inbox.scheduleRetry(inboxEntry(message, order.merchantId, unconfirmedKey(order.id), { orderId: order.id }), error);
      return connector.acknowledge();
    }
    const opening = await this.inbox.open(inboxEntry(message, order.merchantId, confirmedKey(order.id, report), { orderId: order.id }));
    if (opening.kind === 'duplicate') {
      message.log.info({ orderId: order.id }, 'callback about a state already recorded');
      return connector.acknowledge();
    }
    try {
      const confirmed = { ...report, raw: { query: report.raw, callback: parsed.report.raw } };
      const outcome = await this.transitions.applyReport(order, confirmed, 'CALLBACK', message.actor, { pastDeadline: this.orders.pastDeadline(order) });
      const { status, note } = inboxStatusOf(outcome);
      await this.inbox.finish(opening.id, status, note);
    } catch (error) {
      message.log.warn({ orderId: order.id, err: (error as Error).message }, 'callback recorded but not applied yet; will retry');
      await this.inbox.fail(opening.id, error, opening.attempts);
    }
    return connector.acknowledge();
  }

  /** A report whose signature covers its status: evidence as it stands, keyed on the signed fields. */
  private async applySigned(order: Order, eventKey: string, report: StatusReport, message: InboundMessage, connector: OrderConnector) {
    const opening = await this.inbox.open(inboxEntry(message, order.merchantId, `${order.id}:${eventKey}`, { orderId: order.id }));
    if (opening.kind === 'duplicate') return connector.acknowledge();
    try {
      const outcome = await this.transitions.applyReport(order, report, 'CALLBACK', message.actor, { pastDeadline: this.orders.pastDeadline(order) });
      const { status, note } = inboxStatusOf(outcome);
      await this.inbox.finish(opening.id, status, note);
    } catch (error) {
      await this.inbox.fail(opening.id, error, opening.attempts);
    }
    return connector.acknowledge();
  }

  /** The retry worker's part: the message is settled by asking the provider again. */
  async retry(row: InboxRow) {
    const order = row.orderId ? await this.prisma.order.findUnique({ where: { id: row.orderId } }) : null;
    if (!order) return;
    await this.orders.reconcile(order, 'CALLBACK', CALLBACK_RETRY_ACTOR, { pastDeadline: this.orders.pastDeadline(order) });
  }
}
