// The one payment API's services: routing rules and plans, provider health, createPayment/createPayout.
import type { ServiceDeps } from '../index.js';
import type { Idempotency } from '../idempotency.js';
import type { OrderTransitions } from '../order-transitions.js';
import type { ConnectorSource } from '../orders.js';
import { Payments } from './payments.js';
import { ProviderHealth } from './provider-health.js';
import { PaymentRouting } from './routing.js';

export function createPaymentServices(deps: ServiceDeps, parts: { connectors: ConnectorSource; transitions: OrderTransitions; idempotency: Idempotency }) {
  const { config } = deps;
  const providerHealth = new ProviderHealth({ failureThreshold: config.CIRCUIT_FAILURE_THRESHOLD, halfOpenAfterMs: config.CIRCUIT_HALF_OPEN_AFTER_MS });
  const routing = new PaymentRouting(deps.prisma, providerHealth, deps.sandbox);
  const payments = new Payments(deps.prisma, parts.connectors, routing, providerHealth, parts.transitions, parts.idempotency, deps.logger, {
    publicUrl: deps.publicUrl,
    orderTtlMinutes: config.ORDER_TTL_MINUTES,
    payoutDeadlineMinutes: config.PAYOUT_DEADLINE_MINUTES,
    firstPollAfterMs: Math.min(config.POLL_INTERVAL_MS, 30_000),
  });
  return { providerHealth, routing, payments };
}
