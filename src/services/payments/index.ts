// The one payment API's services: routing rules and plans, provider health, createPayment/createPayout.
import type { ServiceDeps } from '../deps.js';
import type { Idempotency } from '../idempotency.js';
import type { OrderTransitions } from '../order-transitions.js';
import type { ConnectorSource } from '../orders.js';
import { Payments } from './payments.js';
import { ProviderHealth } from './provider-health.js';
import { PaymentRouting } from './routing.js';
import { PaymentLinks } from './payment-links.js';
import type { ClientTokens } from '../client-tokens.js';

export { healthTrackedConnectors } from './tracked-connectors.js';

/** One per app instance: the circuits and recent calls of every provider account. */
export function createProviderHealth(config: ServiceDeps['config']) {
  return new ProviderHealth({ failureThreshold: config.CIRCUIT_FAILURE_THRESHOLD, halfOpenAfterMs: config.CIRCUIT_HALF_OPEN_AFTER_MS });
}

export function createPaymentServices(
  deps: ServiceDeps,
  parts: { providerHealth: ProviderHealth; connectors: ConnectorSource; transitions: OrderTransitions; idempotency: Idempotency; clientTokens: ClientTokens },
) {
  const { config } = deps;
  const { providerHealth } = parts;
  const routing = new PaymentRouting(deps.prisma, providerHealth, deps.sandbox);
  const payments = new Payments(deps.prisma, parts.connectors, routing, providerHealth, parts.transitions, parts.idempotency, deps.logger, {
    publicUrl: deps.publicUrl,
    orderTtlMinutes: config.ORDER_TTL_MINUTES,
    payoutDeadlineMinutes: config.PAYOUT_DEADLINE_MINUTES,
    firstPollAfterMs: Math.min(config.POLL_INTERVAL_MS, 30_000),
  });
  const paymentLinks = new PaymentLinks(deps.prisma, payments, routing, parts.clientTokens, { publicUrl: deps.publicUrl, defaultTtlMinutes: config.ORDER_TTL_MINUTES });
  return { routing, payments, paymentLinks };
}
