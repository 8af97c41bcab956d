// Wires the inbound pipeline: one handler per target, the hint gate, and the
// inbox's retry worker dispatching unfinished rows back to their handler.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createMemoryRateLimiter } from '../http/rate-limit.js';
import type { CallbackInbox } from '../services/callback-inbox.js';
import type { CardCharges } from '../services/card-charges.js';
import type { Orders } from '../services/orders.js';
import type { OrderTransitions } from '../services/order-transitions.js';
import type { ProviderAccounts } from '../services/provider-accounts.js';
import type { BankServices } from '../services/bank.js';
import { BankWebhook } from './bank-webhook.js';
import { CardCallbacks } from './card-callbacks.js';
import { HintGate } from './hint-gate.js';
import { OrderCallbacks } from './order-callbacks.js';
import { InboundPipeline } from './pipeline.js';

export interface InboundDeps {
  prisma: PrismaClient;
  logger: Logger;
  config: Pick<Config, 'CALLBACK_HINTS_PER_MINUTE'>;
  inbox: CallbackInbox;
  providerAccounts: ProviderAccounts;
  orders: Orders;
  transitions: OrderTransitions;
  cardCharges: CardCharges;
  bank: BankServices;
}

export function createInboundPipeline(deps: InboundDeps): InboundPipeline {
  // Per instance: a hint is cheap to refuse, and the per-order single flight is per instance too.
  const gate = new HintGate(createMemoryRateLimiter(), { limit: deps.config.CALLBACK_HINTS_PER_MINUTE, windowMs: 60_000 });
  const orders = new OrderCallbacks(deps.prisma, deps.providerAccounts, deps.orders, deps.transitions, deps.inbox, gate);
  const cards = new CardCallbacks(deps.prisma, deps.cardCharges, deps.inbox, gate);
  const bank = new BankWebhook(deps.prisma, deps.bank.provider, deps.bank.statements, deps.inbox);
  deps.inbox.onRetry(async (row) => {
    if (row.provider === 'CARD') return cards.retry(row);
    if (row.orderId) return orders.retry(row);
    if (row.provider === 'APINGANHANG') return bank.retry(row);
  });
  return new InboundPipeline({
    handlers: { order: orders, 'card-charge': cards, 'bank-transaction': bank },
    callbackAllowList: (merchantId, provider) => deps.providerAccounts.callbackAllowList(merchantId, provider),
    logger: deps.logger,
  });
}
