// The AZConnectPay OrderConnector: cash-in (the payer transfers to an account
// or MoMo wallet the provider gives) and cash-out (the provider pays a bank
// account or MoMo wallet), their status queries, and the bank list.
import { dongToNumber, formatDong } from '../../domain/money.js';
import type { ProviderHttpOptions } from '../http.js';
import type { CallbackReply, CallbackVerdict, CreateOrderInput, CreateOrderResult, InboundCallback, OrderConnector, OrderKind, OrderRef, StatusReport } from '../types.js';
import { azConnectPayFallbackBanks, type AzConnectPayBank } from './banks.js';
import { acknowledgeAzConnectPayCallback, rejectAzConnectPayCallback, verifyAzConnectPayCallback } from './callback.js';
import { createAzConnectPayClient } from './client.js';
import { azConnectPayCredentialsSchema, type AzConnectPayCredentialsInput } from './credentials.js';
import { AZCONNECTPAY_REFUSAL_CODE } from './errors.js';
import { AZCONNECTPAY_CASH_OUT_MINIMUM } from './limits.js';
import { isDocumentedAzConnectPayStatus, mapAzConnectPayStatus } from './status.js';
import { azConnectPayMethods, instructionsFrom, reportFromStatus, type AzConnectPayMethod } from './transform.js';
import { ProviderBadResponseError, ProviderNotSupportedError, ProviderRefusedError, ProviderUnavailableError, ValidationError } from '../../errors/index.js';

const PROVIDER = 'AZCONNECTPAY' as const;
const KINDS = ['CASH_IN', 'CASH_OUT'] as const satisfies readonly OrderKind[];

export interface AzConnectPayBankList {
  banks: AzConnectPayBank[];
  /** `provider`: GET /banks answered; `fallback`: it could not be reached and the document's appendix is used. */
  source: 'provider' | 'fallback';
  /** Why the fallback was used. */
  reason?: string;
}

export interface AzConnectPayConnector extends OrderConnector {
  /** GET /banks; the appendix list when /banks cannot be reached (network, timeout, 5xx). */
  listBanks(): Promise<AzConnectPayBankList>;
}

/**
 * The document's own rules, checked before anything is written or sent. The
 * bank code is not checked against a list: /banks is the truth and may change.
 */
export function validateAzConnectPayInput(input: CreateOrderInput): { field: string; message: string } | null {
  if (input.kind !== 'CASH_IN' && input.kind !== 'CASH_OUT') return { field: 'kind', message: `AZConnectPay has no ${input.kind} orders` };
  const method = input.method ?? 'bank';
  if (method !== 'bank' && method !== 'momo') return { field: 'method', message: 'AZConnectPay moves money by bank or momo' };
  if (!input.requestId.trim()) return { field: 'requestId', message: 'a request id is needed' };
  if (input.amount <= 0n) return { field: 'amount', message: 'the amount must be positive' };
  if (input.amount > BigInt(Number.MAX_SAFE_INTEGER)) return { field: 'amount', message: 'the amount is too large' };
  if (input.kind === 'CASH_OUT') {
    if (input.amount < AZCONNECTPAY_CASH_OUT_MINIMUM) return { field: 'amount', message: `an AZConnectPay cash-out is at least ${formatDong(AZCONNECTPAY_CASH_OUT_MINIMUM)}` };
    if (!input.payee) return { field: 'payee', message: 'a cash-out needs a payee' };
    if (!input.payee.accountNumber.trim()) return { field: 'payee.accountNumber', message: method === 'momo' ? 'the MoMo phone number is needed' : 'the account number is needed' };
    if (!input.payee.accountName.trim()) return { field: 'payee.accountName', message: 'the account holder name is needed' };
    if (method === 'bank' && !input.payee.bankCode.trim()) return { field: 'payee.bankCode', message: 'the bank code is needed (GET /banks lists them)' };
  }
  return null;
}

function methodOf(input: CreateOrderInput): AzConnectPayMethod {
  const method = input.method ?? 'bank';
  if ((azConnectPayMethods as readonly string[]).includes(method)) return method as AzConnectPayMethod;
  throw new ValidationError(`method: AZConnectPay moves money by ${azConnectPayMethods.join(' or ')}, not "${method}"`, 'method');
}

export function createAzConnectPayConnector(credentials: AzConnectPayCredentialsInput, options: { http: ProviderHttpOptions }): AzConnectPayConnector {
  const client = createAzConnectPayClient(azConnectPayCredentialsSchema.parse(credentials), options.http);

  /** The provider must answer about the order we asked about; anything else is not ours to apply. */
  function expectRequestId(operation: string, asked: string, answered: string, raw: unknown) {
    if (answered !== asked) {
      throw new ProviderBadResponseError(PROVIDER, `AZConnectPay answered ${operation} for request_id "${answered}", not "${asked}"`, JSON.stringify(raw));
    }
  }

  async function createCashIn(input: CreateOrderInput): Promise<CreateOrderResult> {
    const method = methodOf(input);
    const { data, raw } = await client.createCashIn({ amount: dongToNumber(input.amount), request_id: input.requestId, type: method, callback: input.callbackUrl });
    expectRequestId('create cash-in', input.requestId, data.request_id, raw);
    const body = JSON.stringify(raw);
    if (data.status === false) {
      // success:true with status:false is not in the document; read it as a refusal with the message kept.
      const message = client.redact(data.message ?? 'cash-in not accepted');
      throw new ProviderRefusedError(PROVIDER, AZCONNECTPAY_REFUSAL_CODE, message, { providerMessage: message, httpStatus: 200 });
    }
    // `status: true` only means "accepted": the payer has not paid yet.
    const report: StatusReport =
      data.status === true
        ? { status: 'PENDING', documented: true, rawStatus: 'true', raw }
        : { status: mapAzConnectPayStatus(data.status), documented: isDocumentedAzConnectPayStatus(data.status), rawStatus: data.status, raw };
    return { report, instructions: instructionsFrom(method, data, body) };
  }

  async function createCashOut(input: CreateOrderInput): Promise<CreateOrderResult> {
    const method = methodOf(input);
    const payee = input.payee;
    if (!payee) throw new TypeError('an AZConnectPay cash-out needs input.payee (accountNumber, accountName, bankCode)');
    // The document: bank_code is required for bank ("VD: VCB") and is MOMO for a MoMo wallet.
    const bankCode = payee.bankCode.trim() || (method === 'momo' ? 'MOMO' : '');
    if (!bankCode) throw new TypeError('an AZConnectPay bank cash-out needs payee.bankCode');
    const { data, raw } = await client.createCashOut({
      request_id: input.requestId,
      type: method,
      amount: dongToNumber(input.amount),
      account: payee.accountNumber,
      bank_code: bankCode,
      bank_fullname: payee.accountName,
      callback: input.callbackUrl,
    });
    expectRequestId('create cash-out', input.requestId, data.request_id, raw);
    return { report: { status: mapAzConnectPayStatus(data.status), documented: isDocumentedAzConnectPayStatus(data.status), rawStatus: data.status, raw } };
  }

  async function queryStatus(order: OrderRef): Promise<StatusReport> {
    const query = order.kind === 'CASH_IN' ? client.cashInStatus : order.kind === 'CASH_OUT' ? client.cashOutStatus : null;
    if (!query) throw new ProviderNotSupportedError(PROVIDER, `AZConnectPay has no ${order.kind} orders`);
    let answer;
    try {
      answer = await query(order.requestId);
    } catch (error) {
      // HTTP 404 with the document's {success:false, message} body: the provider has no such order (a create that never reached it).
      if (error instanceof ProviderRefusedError && error.options.httpStatus === 404) {
        return { status: null, notFound: true, rawStatus: 'NOT_FOUND', raw: { httpStatus: 404, message: error.options.providerMessage ?? error.message } };
      }
      throw error;
    }
    const { data, raw } = answer;
    expectRequestId(`${order.kind} status`, order.requestId, data.request_id, raw);
    return reportFromStatus(data, raw, JSON.stringify(raw));
  }

  return {
    provider: PROVIDER,
    kinds: KINDS,
    // create() does not call this: the provider stays the judge of what it accepts.
    validate: validateAzConnectPayInput,
    async create(input) {
      if (input.kind === 'CASH_IN') return createCashIn(input);
      if (input.kind === 'CASH_OUT') return createCashOut(input);
      throw new ProviderNotSupportedError(PROVIDER, `AZConnectPay has no ${input.kind} orders`);
    },
    queryStatus,
    async cancel() {
      throw new ProviderNotSupportedError(PROVIDER, 'AZConnectPay documents no way to cancel a cash-in or a cash-out');
    },
    async listBanks() {
      try {
        const { data } = await client.banks();
        return { source: 'provider', banks: data.data.map(({ code, name }) => ({ code, name })) };
      } catch (error) {
        // Only "cannot be reached" falls back; a refused key must surface, not hide behind a stale list.
        if (!(error instanceof ProviderUnavailableError)) throw error;
        return { source: 'fallback', reason: error.message, banks: azConnectPayFallbackBanks.map((bank) => ({ ...bank })) };
      }
    },
    verifyCallback: (callback: InboundCallback): CallbackVerdict => verifyAzConnectPayCallback(callback),
    acknowledge: (): CallbackReply => acknowledgeAzConnectPayCallback(),
    reject: (verdict) => rejectAzConnectPayCallback(verdict),
  };
}
