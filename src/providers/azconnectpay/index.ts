export { createAzConnectPayConnector, validateAzConnectPayInput, type AzConnectPayConnector, type AzConnectPayBankList } from './connector.js';
export { azConnectPayCredentialsSchema, AZCONNECTPAY_DEFAULT_BASE_URL, type AzConnectPayCredentials, type AzConnectPayCredentialsInput } from './credentials.js';
export {
  locateAzConnectPayCallback,
  verifyAzConnectPayCallback,
  acknowledgeAzConnectPayCallback,
  rejectAzConnectPayCallback,
  AZCONNECTPAY_CALLBACK_REF_PARAM,
} from './callback.js';
export { azConnectPayFallbackBanks, type AzConnectPayBank } from './banks.js';
export { AZCONNECTPAY_CASH_OUT_MINIMUM } from './limits.js';
export { mapAzConnectPayStatus, azConnectPayStatuses, type AzConnectPayStatus } from './status.js';
export { AZCONNECTPAY_REFUSAL_CODE } from './errors.js';
export { azConnectPayMethods, type AzConnectPayMethod } from './transform.js';
export { cashInSigningString, cashOutSigningString, checksum as azConnectPayChecksum } from './signing.js';
