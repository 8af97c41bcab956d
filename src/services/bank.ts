// The bank-statement use cases (API Ngân hàng), wired together once per app:
// linked accounts, provider account reads, the statement import and its
// webhook, payment matching and bank-transfer orders.
import { defaultHttpOptions } from '../providers/http.js';
import type { ServiceDeps } from './deps.js';
import type { Idempotency } from './idempotency.js';
import type { OrderTransitions } from './order-transitions.js';
import type { ProviderAccounts } from './provider-accounts.js';
import { BankProvider } from './bank-provider.js';
import { BankAccounts } from './bank-accounts.js';
import { PaymentMatcher } from './payment-matching.js';
import { BankStatements } from './bank-statements.js';
import { BankStatementLines } from './bank-statement-lines.js';
import { BankTransferOrders } from './bank-transfer-orders.js';

export function createBankServices(deps: ServiceDeps, parts: { providerAccounts: ProviderAccounts; transitions: OrderTransitions; idempotency: Idempotency }) {
  const { prisma, logger, config } = deps;
  const provider = new BankProvider(parts.providerAccounts, {
    ...defaultHttpOptions,
    timeoutMs: config.PROVIDER_TIMEOUT_MS,
    onAttempt: (event) => logger.debug(event, 'provider call'),
  });
  const accounts = new BankAccounts(prisma, provider, deps.sealedBox, logger);
  const matcher = new PaymentMatcher(prisma, parts.transitions, logger);
  const statements = new BankStatements(prisma, deps.pubsub, provider, new BankStatementLines(prisma, accounts, logger), matcher);
  const transferOrders = new BankTransferOrders(prisma, parts.idempotency, { orderTtlMinutes: config.ORDER_TTL_MINUTES });
  return {
    provider,
    accounts,
    matcher,
    statements,
    transferOrders,
    /** Whether sandbox merchants are served by the in-process simulator (the import worker includes them then). */
    sandboxOn: () => deps.sandbox() !== undefined,
  };
}

export type BankServices = ReturnType<typeof createBankServices>;
