// Registers every provider's connector and callback routes (imported once by the app).
import { registerProvider } from './registry.js';
import { apiNganHangCallbackRoutes, apiNganHangProviderModule } from './apinganhang/module.js';
import { azConnectPayCredentialsSchema, createAzConnectPayConnector, locateAzConnectPayCallback } from './azconnectpay/index.js';
import { AZCONNECTPAY_DEFAULT_BASE_URL } from './azconnectpay/credentials.js';
import { createVnKashConnector, locateVnKashCallback, vnKashCredentialsSchema } from './vnkash/index.js';
import { cardCredentialsSchema, locateCardCallback } from './card/index.js';

registerProvider(
  {
    provider: 'AZCONNECTPAY',
    credentials: azConnectPayCredentialsSchema,
    secretFields: ['apiKey', 'privateKey'],
    sandboxBasePath: '/azconnectpay',
    documentedHosts: [new URL(AZCONNECTPAY_DEFAULT_BASE_URL).hostname],
    orderConnector: (credentials, context) => createAzConnectPayConnector(credentials, { http: context.http }),
  },
  { azconnectpay: { provider: 'AZCONNECTPAY', target: 'order', locate: locateAzConnectPayCallback, methods: ['GET', 'POST'] } },
);

registerProvider(apiNganHangProviderModule, apiNganHangCallbackRoutes);

registerProvider(
  {
    provider: 'VNKASH',
    credentials: vnKashCredentialsSchema,
    secretFields: ['secretKey'],
    sandboxBasePath: '/vnkash/v1',
    // vnkash-api-v1.txt: every endpoint is https://api.vnkash.com/v1/<name>.json.
    documentedHosts: ['api.vnkash.com'],
    orderConnector: (credentials, context) => createVnKashConnector(credentials, { http: context.http, nonces: context.nonces }),
  },
  { vnkash: { provider: 'VNKASH', target: 'order', locate: locateVnKashCallback, methods: ['GET', 'POST'] } },
);

// Card charges are their own aggregate, not orders: credentials and callbacks, no order connector.
registerProvider(
  {
    provider: 'CARD',
    credentials: cardCredentialsSchema,
    secretFields: ['partnerKey'],
    sandboxBasePath: '/card/chargingws/v2',
    // Card-charging partners run this API on many domains (the document writes
    // http://{{domain_post}}/chargingws/v2): none is trusted until the operator
    // names its partner's host in PROVIDER_HOSTS.
    documentedHosts: [],
  },
  { card: { provider: 'CARD', target: 'card-charge', locate: locateCardCallback, methods: ['GET', 'POST'] } },
);
