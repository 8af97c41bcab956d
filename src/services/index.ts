// The use cases, wired once per app instance. The GraphQL layer, the callback
// routes, the workers and the CLI all go through these.
import { FanOut } from '../pubsub.js';
import { defaultHttpOptions } from '../providers/http.js';
import { ApiKeys } from './api-keys.js';
import { Merchants } from './merchants.js';
import { Idempotency } from './idempotency.js';
import { OrderTransitions } from './order-transitions.js';
import { Orders } from './orders.js';
import { ProviderAccounts } from './provider-accounts.js';
import { CallbackInbox } from './callback-inbox.js';
import { createInboundPipeline } from '../callbacks/index.js';
import { createDatabaseNonceSource } from './nonces.js';
import { ProviderReads } from './provider-reads.js';
import { ProviderOperations } from './provider-operations.js';
import { CardCharges } from './card-charges.js';
import { createBankServices } from './bank.js';
import { ClientTokens } from './client-tokens.js';
import { createReviewServices } from './review/index.js';
import { createWebhookServices } from '../webhooks/index.js';
import { Dashboard } from './dashboard.js';
import { createPaymentServices, createProviderHealth, healthTrackedConnectors } from './payments/index.js';
import type { ServiceDeps } from './deps.js';

export type { ServiceDeps } from './deps.js';

export function createServices(deps: ServiceDeps) {
  const { prisma, pubsub, logger, config } = deps;
  const apiKeys = new ApiKeys(prisma, pubsub);
  const merchants = new Merchants(prisma, apiKeys);
  const providerAccounts = new ProviderAccounts(
    prisma,
    deps.sealedBox,
    {
      http: {
        ...defaultHttpOptions,
        timeoutMs: config.PROVIDER_TIMEOUT_MS,
        onAttempt: (event) => logger.debug(event, 'provider call'),
      },
      nonces: createDatabaseNonceSource(prisma),
    },
    deps.sandbox,
    config.PROVIDER_HOSTS,
  );
  const idempotency = new Idempotency(prisma, { ttlHours: config.IDEMPOTENCY_TTL_HOURS });
  const transitions = new OrderTransitions(prisma, pubsub, logger);
  const providerHealth = createProviderHealth(config);
  const orders = new Orders(prisma, healthTrackedConnectors(providerAccounts, providerHealth), transitions, idempotency, logger, {
    publicUrl: deps.publicUrl,
    orderTtlMinutes: config.ORDER_TTL_MINUTES,
    payoutDeadlineMinutes: config.PAYOUT_DEADLINE_MINUTES,
    firstPollAfterMs: Math.min(config.POLL_INTERVAL_MS, 30_000),
  });
  const inbox = new CallbackInbox(prisma, logger);
  const providerReads = new ProviderReads(providerAccounts);
  const cardCharges = new CardCharges(deps, providerAccounts, idempotency);
  const bank = createBankServices(deps, { providerAccounts, transitions, idempotency });
  const providerOperations = new ProviderOperations(bank.provider, providerAccounts);
  // The one inbound pipeline: order callbacks, card callbacks and the bank webhook.
  const callbacks = createInboundPipeline({ prisma, logger, config, inbox, providerAccounts, orders, transitions, cardCharges, bank });
  const clientTokens = new ClientTokens(prisma, pubsub, {
    defaultTtlMinutes: config.CLIENT_TOKEN_TTL_MINUTES,
    publicUrl: deps.publicUrl,
    allowLoopbackHttp: config.NODE_ENV !== 'production',
  });
  const review = createReviewServices(prisma, pubsub, transitions);
  const webhooks = createWebhookServices({ prisma, pubsub, logger, config, sealedBox: deps.sealedBox });
  const dashboard = new Dashboard(prisma);
  const { routing, payments, paymentLinks } = createPaymentServices(deps, { providerHealth, connectors: providerAccounts, transitions, idempotency, clientTokens });
  // orderUpdated's subscribers of one order share one bus subscription.
  const orderChanges = new FanOut(pubsub, 'order:changed');
  return { providerHealth, routing, payments, paymentLinks, pubsub, orderChanges, apiKeys, merchants, providerAccounts, providerReads, providerOperations, idempotency, transitions, orders, callbacks, inbox, cardCharges, bank, clientTokens, review, webhooks, dashboard };
}

export type Services = ReturnType<typeof createServices>;
