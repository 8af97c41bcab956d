// API Ngân hàng v1: the full client, the Payment Hub connector, the gateway
// callback and transaction-webhook verifiers, and the unified bank transaction.
export { createApiNganHangClient, type ApiNganHangClient } from './api.js';
export type { Answer, ApiNganHangClientOptions } from './client.js';
export { apiNganHangCredentialsSchema, APINGANHANG_DEFAULT_BASE_URL, type ApiNganHangCredentials, type ApiNganHangCredentialsInput } from './credentials.js';
export { defaultPaths as apiNganHangDefaultPaths, type ApiNganHangOperation } from './paths.js';
export { createPaymentHubConnector } from './connector.js';
export { locateHubCallback, gatewayOfCallback, verifyHubCallback, hubCallbackAcknowledgement, hubCallbackRejection } from './callback.js';
export {
  verifyTransactionWebhook,
  locateTransactionWebhook,
  transactionWebhookTemplate,
  transactionWebhookAcknowledgement,
  transactionWebhookRejection,
  type ConfirmedTransaction,
  type TransactionWebhookVerdict,
} from './webhook.js';
export { type BankTransaction } from './transaction.js';
export { mapGatewayStatus } from './status.js';
export { ApiPackageExpiredError, isPackageExpired, PACKAGE_EXPIRED_CODE, documentedErrorStatuses } from './errors.js';
export { createMemoryTokenCache, type TokenCache } from './token-cache.js';
export { hubGateways, wowPayChannels, type HubGateway, type WowPayChannel } from './hub-schemas.js';
export type { TransactionFilter, TransactionQuery, TransactionPage } from './operations/transactions.js';
export type { LinkedAccount, ConnectResult, BankLogin, AddAccountInput } from './operations/accounts.js';
export type { HubSettings, HubSettingsInput, PayinInput, PayoutInput } from './operations/hub.js';
export type { ApiNganHangUser } from './operations/auth.js';
export type * from './operations/services.js';
export { apiNganHangProviderModule, apiNganHangCallbackRoutes } from './module.js';
export { apiNganHangSecretFields } from './credentials.js';
export { paymentHubConnectorFor, validateHubOrder } from './connector.js';
