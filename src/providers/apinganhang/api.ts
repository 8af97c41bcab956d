// Every operation of API Ngân hàng v1 behind one object, built from a
// merchant's credentials. Answers are { data, raw }: `data` in our types,
// `raw` the parsed body with secrets masked.
import { createApiNganHangHttp, type ApiNganHangClientOptions } from './client.js';
import { apiNganHangCredentialsSchema, type ApiNganHangCredentialsInput } from './credentials.js';
import { accountOperations } from './operations/accounts.js';
import { authOperations } from './operations/auth.js';
import { hubOperations } from './operations/hub.js';
import { serviceOperations } from './operations/services.js';
import { transactionOperations } from './operations/transactions.js';

export function createApiNganHangClient(credentials: ApiNganHangCredentialsInput, options: ApiNganHangClientOptions = {}) {
  const http = createApiNganHangHttp(apiNganHangCredentialsSchema.parse(credentials), options);
  return {
    ...authOperations(http),
    ...accountOperations(http),
    ...transactionOperations(http),
    ...serviceOperations(http),
    ...hubOperations(http),
  };
}

export type ApiNganHangClient = ReturnType<typeof createApiNganHangClient>;
