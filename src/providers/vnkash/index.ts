export { createVnKashConnector, validateVnKashInput, type VnKashConnector } from './connector.js';
export {
  createVnKashClient,
  vnKashBankPayments,
  vnKashDepositPayments,
  VNKASH_MAX_HISTORY_RECORDS,
  type VnKashBankPayment,
  type VnKashClient,
  type VnKashClientDeps,
  type VnKashDepositPayment,
  type VnKashHistoryFilter,
} from './client.js';
export { vnKashCredentialsSchema, parseVnKashCredentials, type VnKashCredentials, type VnKashCredentialsInput, type VnKashSignatureAlgorithm } from './credentials.js';
export { locateVnKashCallback, verifyVnKashCallback, acknowledgeVnKashCallback, rejectVnKashCallback } from './callback.js';
export { vnKashErrorTables, vnKashEndpoints, type VnKashEndpoint } from './errors.js';
export type { VnKashBalance, VnKashBankAccount, VnKashHistoryRow, VnKashName } from './schemas.js';
