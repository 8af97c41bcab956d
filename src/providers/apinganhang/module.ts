// What the provider registry needs to know about API Ngân hàng: the
// credential schema, which fields are secrets, where the simulator lives, the
// Payment Hub connector, and the two gateway callback routes.
import type { CallbackRoute, ConnectorContext, ProviderModule } from '../registry.js';
import { locateHubCallback } from './callback.js';
import { locateTransactionWebhook } from './webhook.js';
import { paymentHubConnectorFor } from './connector.js';
import { APINGANHANG_DEFAULT_BASE_URL, apiNganHangCredentialsSchema, apiNganHangSecretFields, type ApiNganHangCredentials } from './credentials.js';

export const apiNganHangProviderModule: ProviderModule<ApiNganHangCredentials> = {
  provider: 'APINGANHANG',
  credentials: apiNganHangCredentialsSchema,
  secretFields: apiNganHangSecretFields,
  sandboxBasePath: '/apinganhang/api/v1',
  documentedHosts: [new URL(APINGANHANG_DEFAULT_BASE_URL).hostname],
  orderConnector: (credentials: ApiNganHangCredentials, context: ConnectorContext) => paymentHubConnectorFor(credentials, { http: context.http }),
};

/**
 * /callbacks/sharkpay and /callbacks/wowpay (the connector reads the gateway
 * from the last path segment), and /callbacks/apinganhang, the signed
 * transaction.confirmed webhook (a bank statement line).
 */
export const apiNganHangCallbackRoutes: Record<string, CallbackRoute> = {
  sharkpay: { provider: 'APINGANHANG', target: 'order', locate: locateHubCallback, methods: ['GET', 'POST'] },
  wowpay: { provider: 'APINGANHANG', target: 'order', locate: locateHubCallback, methods: ['POST'] },
  apinganhang: { provider: 'APINGANHANG', target: 'bank-transaction', locate: locateTransactionWebhook, methods: ['POST'] },
};
