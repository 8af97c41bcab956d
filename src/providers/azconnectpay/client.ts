// The HTTP side of AZConnectPay: URLs, the APIKEY/Checksum headers, the body
// exactly as signed, and error bodies → typed errors. Answers come back
// validated by zod, with the parsed body kept for the order's event log.
import type { z } from 'zod';
import { parseJson, providerFetch, type ProviderHttpOptions } from '../http.js';
import type { AzConnectPayCredentials } from './credentials.js';
import { errorFromAnswer } from './errors.js';
import { banksAnswerSchema, cashInCreatedSchema, cashOutCreatedSchema, statusAnswerSchema } from './schemas.js';
import { cashInSigningString, cashOutSigningString, checksum, type CashInSignedFields, type CashOutSignedFields } from './signing.js';
import { ProviderBadResponseError } from '../../errors/index.js';

const PROVIDER = 'AZCONNECTPAY' as const;

export const azConnectPayPaths = {
  cashIn: '/api/v2/cash-in',
  cashInStatus: '/api/v2/cash-in/status',
  cashOut: '/api/v2/cash-out',
  cashOutStatus: '/api/v2/cash-out/status',
  banks: '/api/v2/banks',
} as const;

export interface Answer<T> {
  data: T;
  /** The parsed JSON, secrets removed: what the order event stores. */
  raw: unknown;
}

export interface AzConnectPayClient {
  createCashIn(fields: CashInSignedFields): Promise<Answer<z.infer<typeof cashInCreatedSchema>>>;
  createCashOut(fields: CashOutSignedFields): Promise<Answer<z.infer<typeof cashOutCreatedSchema>>>;
  cashInStatus(requestId: string): Promise<Answer<z.infer<typeof statusAnswerSchema>>>;
  cashOutStatus(requestId: string): Promise<Answer<z.infer<typeof statusAnswerSchema>>>;
  banks(): Promise<Answer<z.infer<typeof banksAnswerSchema>>>;
  /** Replaces our keys wherever they appear in a text (provider echoes, error bodies). */
  redact(text: string): string;
}

export function createAzConnectPayClient(credentials: AzConnectPayCredentials, http: ProviderHttpOptions): AzConnectPayClient {
  const secrets = [credentials.privateKey, credentials.apiKey].filter((secret) => secret.length > 0);
  const redact = (text: string) => secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
  const redactValue = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(redact(JSON.stringify(value))));

  async function call<S extends z.ZodTypeAny>(
    operation: string,
    request: { method: 'GET' | 'POST'; path: string; query?: Record<string, string>; body?: string; idempotency: 'safe' | 'money' },
    schema: S,
  ): Promise<Answer<z.infer<S>>> {
    const url = new URL(credentials.baseUrl + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
    const headers: Record<string, string> = { accept: 'application/json', APIKEY: credentials.apiKey };
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      // The body is the signing string itself, so what is signed is what is sent.
      headers.Checksum = checksum(credentials.privateKey, request.body);
    }
    const response = await providerFetch(PROVIDER, { method: request.method, url, headers, body: request.body, idempotency: request.idempotency }, http);
    const body = parseJson(response.text);
    const error = errorFromAnswer(operation, response.status, body, response.text, redact);
    if (error) throw error;
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
      throw new ProviderBadResponseError(PROVIDER, `AZConnectPay answered ${operation} in an undocumented shape (${issues})`, redact(response.text));
    }
    return { data: parsed.data, raw: redactValue(body) };
  }

  return {
    redact,
    createCashIn: (fields) =>
      call('create cash-in', { method: 'POST', path: azConnectPayPaths.cashIn, body: cashInSigningString(fields), idempotency: 'money' }, cashInCreatedSchema),
    createCashOut: (fields) =>
      call('create cash-out', { method: 'POST', path: azConnectPayPaths.cashOut, body: cashOutSigningString(fields), idempotency: 'money' }, cashOutCreatedSchema),
    cashInStatus: (requestId) =>
      call('cash-in status', { method: 'GET', path: azConnectPayPaths.cashInStatus, query: { request_id: requestId }, idempotency: 'safe' }, statusAnswerSchema),
    cashOutStatus: (requestId) =>
      call('cash-out status', { method: 'GET', path: azConnectPayPaths.cashOutStatus, query: { request_id: requestId }, idempotency: 'safe' }, statusAnswerSchema),
    banks: () => call('bank list', { method: 'GET', path: azConnectPayPaths.banks, idempotency: 'safe' }, banksAnswerSchema),
  };
}
