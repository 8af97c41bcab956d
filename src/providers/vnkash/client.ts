// The HTTP side of VNKash: every endpoint is POST <baseUrl>/<name>.json with
// a form body "k=v&…&Nonce=n", headers KEY and SIGNATURE, and a JSON answer
// that is either the result or {"error": N} (N per endpoint, see errors.ts).
import type { z } from 'zod';
import { formatVietnamTime } from '../../domain/time.js';
import { defaultHttpOptions, parseJson, providerFetch, type ProviderHttpOptions } from '../http.js';
import type { NonceSource } from '../nonce.js';
import { parseVnKashCredentials, type VnKashCredentials, type VnKashCredentialsInput } from './credentials.js';
import { vnKashError, vnKashErrorMeaning, type VnKashEndpoint } from './errors.js';
import { withKeyLock } from './key-lock.js';
import {
  balanceSchema,
  bankSchema,
  depositSchema,
  errorBodySchema,
  historySchema,
  nameSchema,
  transferSchema,
  withdrawSchema,
  type VnKashBalance,
  type VnKashBankAccount,
  type VnKashDeposit,
  type VnKashHistoryRow,
  type VnKashName,
  type VnKashTransfer,
  type VnKashWithdrawal,
} from './schemas.js';
import { buildSignedString, isValidNonce, signVnKash, type VnKashParams } from './signing.js';
import { ProviderAuthError, ProviderBadResponseError, ProviderNotSupportedError, ValidationError } from '../../errors/index.js';

/** bank.json and withdraw.json accept a card; deposit.json only the four banks. */
export const vnKashBankPayments = ['ACB', 'CTG', 'DAB', 'VCB', 'CARD'] as const;
export type VnKashBankPayment = (typeof vnKashBankPayments)[number];
export const vnKashDepositPayments = ['ACB', 'CTG', 'DAB', 'VCB'] as const;
export type VnKashDepositPayment = (typeof vnKashDepositPayments)[number];

export const VNKASH_MAX_HISTORY_RECORDS = 250;

export interface VnKashClientDeps {
  http?: Partial<ProviderHttpOptions>;
  nonces: NonceSource;
}

export interface VnKashHistoryFilter {
  currency?: string;
  /** "The partner's order code" (our request id, when sendOrderCode is on). */
  order?: string;
  /** "Reference": a history row's batch (a transfer's batch). */
  batch?: string;
  /** At most 250. */
  record?: number;
  from?: Date;
  to?: Date;
}

/** A parsed answer and the provider's JSON as it came (for order events; it holds no secrets). */
export interface VnKashAnswer<T> {
  data: T;
  raw: unknown;
}

export interface VnKashClient {
  readonly credentials: Readonly<Omit<VnKashCredentials, 'secretKey'>>;
  balance(): Promise<VnKashBalance[]>;
  lookupName(account: string): Promise<VnKashName>;
  lookupBankAccount(payment: VnKashBankPayment, account: string): Promise<VnKashBankAccount>;
  history(filter?: VnKashHistoryFilter): Promise<VnKashHistoryRow[]>;
  historyWithRaw(filter?: VnKashHistoryFilter): Promise<VnKashAnswer<VnKashHistoryRow[]>>;
  deposit(input: { amount: bigint; payment: VnKashDepositPayment; callback?: string; order?: string }): Promise<VnKashAnswer<VnKashDeposit>>;
  withdraw(input: { account: string; name: string; amount: bigint; payment: VnKashBankPayment; callback?: string; order?: string }): Promise<VnKashAnswer<VnKashWithdrawal>>;
  transfer(input: { account: string; amount: bigint; memo: string; order?: string }): Promise<VnKashAnswer<VnKashTransfer>>;
}

export function createVnKashClient(credentialsInput: VnKashCredentialsInput | VnKashCredentials, deps: VnKashClientDeps): VnKashClient {
  const credentials = parseVnKashCredentials(credentialsInput);
  const http: ProviderHttpOptions = { ...defaultHttpOptions, ...deps.http };
  const baseUrl = credentials.baseUrl.replace(/\/+$/, '');
  // The nonce counter and the in-process queue belong to the key, not to a connector instance.
  const nonceKey = `vnkash:${credentials.publicKey}`;

  async function send(endpoint: VnKashEndpoint, params: VnKashParams, idempotency: 'safe' | 'money') {
    const nonce = await deps.nonces.next(nonceKey);
    if (!isValidNonce(nonce)) {
      // The document: once 99999999999999.99 is reached the API key must be deleted and made again.
      throw new ProviderAuthError('VNKASH', `the nonce source gave "${nonce}", outside 0.01..99999999999999.99 (two decimals at most); past the top the API key must be recreated`);
    }
    const body = buildSignedString(params, nonce);
    return providerFetch(
      'VNKASH',
      {
        method: 'POST',
        url: `${baseUrl}/${endpoint}.json`,
        headers: {
          KEY: credentials.publicKey,
          SIGNATURE: signVnKash(body, credentials.secretKey, credentials.signatureAlgorithm),
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body,
        idempotency,
      },
      http,
    );
  }

  async function call<S extends z.ZodTypeAny>(endpoint: VnKashEndpoint, params: VnKashParams, idempotency: 'safe' | 'money', schema: S): Promise<VnKashAnswer<z.output<S>>> {
    return withKeyLock(nonceKey, async () => {
      let response = await send(endpoint, params, idempotency);
      let code = errorCodeOf(response.text);
      let retried = false;
      if (code !== undefined && vnKashErrorMeaning(endpoint, code)?.nonce) {
        // Another instance may have used a larger nonce with this key. The
        // provider refused before acting, so one resend with a fresh nonce is
        // safe even for a withdrawal or a transfer.
        retried = true;
        response = await send(endpoint, params, idempotency);
        code = errorCodeOf(response.text);
      }
      if (code !== undefined) throw vnKashError(endpoint, code, { afterNonceRetry: retried });
      const raw = parseJson(response.text);
      if (raw === undefined) throw new ProviderBadResponseError('VNKASH', `${endpoint}.json answered HTTP ${response.status} without JSON`, response.text.slice(0, 500));
      if (response.status < 200 || response.status >= 300) {
        throw new ProviderBadResponseError('VNKASH', `${endpoint}.json answered HTTP ${response.status} without an error code`, response.text.slice(0, 500));
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
        throw new ProviderBadResponseError('VNKASH', `${endpoint}.json answered an unexpected shape (${issues})`, response.text.slice(0, 500));
      }
      return { data: parsed.data as z.output<S>, raw };
    });
  }

  const amountParam = (amount: bigint) => {
    // Withdraw and transfer refuse decimals; đồng are whole, so a bigint is printed as an integer.
    if (amount <= 0n) throw new ValidationError(`amount: a positive number of đồng, got ${amount}`, 'amount');
    return amount.toString();
  };
  const withOrder = (params: [string, string][], order: string | undefined) => {
    if (order !== undefined && credentials.sendOrderCode) params.push(['order', order]);
    return params;
  };

  async function historyWithRaw(filter: VnKashHistoryFilter = {}) {
    const params: [string, string][] = [];
    if (filter.currency !== undefined) params.push(['currency', filter.currency]);
    if (filter.order !== undefined) params.push(['order', filter.order]);
    if (filter.batch !== undefined) params.push(['batch', filter.batch]);
    if (filter.record !== undefined) {
      if (!Number.isInteger(filter.record) || filter.record < 1 || filter.record > VNKASH_MAX_HISTORY_RECORDS) {
        throw new ValidationError(`record: history.json returns 1 to ${VNKASH_MAX_HISTORY_RECORDS} records, asked for ${filter.record}`, 'record');
      }
      params.push(['record', String(filter.record)]);
    }
    if (filter.from) params.push(['from', formatVietnamTime(filter.from)]);
    if (filter.to) params.push(['to', formatVietnamTime(filter.to)]);
    return call('history', params, 'safe', historySchema);
  }

  const { secretKey: _secret, ...publicCredentials } = credentials;
  return {
    credentials: publicCredentials,
    balance: async () => (await call('balance', [], 'safe', balanceSchema)).data,
    lookupName: async (account) => (await call('name', [['account', account]], 'safe', nameSchema)).data,
    lookupBankAccount: async (payment, account) =>
      (
        await call(
          'bank',
          [
            ['payment', payment],
            ['account', account],
          ],
          'safe',
          bankSchema,
        )
      ).data,
    history: async (filter) => (await historyWithRaw(filter)).data,
    historyWithRaw,
    deposit: async (input) => {
      const params: [string, string][] = [
        ['currency', credentials.currency],
        ['amount', amountParam(input.amount)],
        ['payment', input.payment],
      ];
      if (input.callback) params.push(['callback', input.callback]);
      const answer = await call('deposit', withOrder(params, input.order), 'money', depositSchema);
      return { data: answer.data.deposit, raw: answer.raw };
    },
    withdraw: async (input) => {
      const params: [string, string][] = [
        ['account', input.account],
        ['name', input.name],
        ['amount', amountParam(input.amount)],
        ['currency', credentials.currency],
        ['payment', input.payment],
      ];
      if (input.callback) params.push(['callback', input.callback]);
      const answer = await call('withdraw', withOrder(params, input.order), 'money', withdrawSchema);
      return { data: answer.data.withdrawal, raw: answer.raw };
    },
    transfer: async (input) => {
      const params: [string, string][] = [
        ['account', input.account],
        ['amount', amountParam(input.amount)],
        ['currency', credentials.currency],
        ['memo', input.memo],
      ];
      return call('transfer', withOrder(params, input.order), 'money', transferSchema);
    },
  };
}

/** The N of an {"error": N} body, whatever the HTTP status. */
function errorCodeOf(text: string): number | undefined {
  const body = parseJson(text);
  const parsed = errorBodySchema.safeParse(body);
  return parsed.success ? parsed.data.error : undefined;
}
