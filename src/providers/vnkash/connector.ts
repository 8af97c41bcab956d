// VNKash as an OrderConnector: DEPOSIT (the payer transfers to the account
// deposit.json names), WITHDRAWAL (pay out to a bank account or card) and
// TRANSFER (wallet to wallet, final in the answer). Status comes from
// history.json, the only read the document offers (see status.ts).
import type { CreateOrderInput, CreateOrderResult, OrderConnector, OrderKind, OrderRef, StatusReport } from '../types.js';
import { acknowledgeVnKashCallback, rejectVnKashCallback, verifyVnKashCallback } from './callback.js';
import {
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
import type { VnKashCredentials, VnKashCredentialsInput } from './credentials.js';
import { depositBatchOf, historyRowsOf, statusFromHistory, vnKashOrderKinds, type VnKashOrderKind } from './status.js';
import { ProviderBadResponseError, ProviderNotSupportedError, ValidationError } from '../../errors/index.js';

/** How far before an order's creation a history search starts when it cannot filter by order code. */
const HISTORY_LOOKBACK_MS = 10 * 60 * 1000;

export interface VnKashConnector extends OrderConnector {
  /** The plain client, for the GraphQL reads (balance, name and bank lookups, history). */
  readonly client: VnKashClient;
}

function asVnKashKind(kind: OrderKind): VnKashOrderKind {
  if ((vnKashOrderKinds as readonly string[]).includes(kind)) return kind as VnKashOrderKind;
  throw new ProviderNotSupportedError('VNKASH', `VNKash has no ${kind} orders (it offers ${vnKashOrderKinds.join(', ')})`);
}

/** Bad input is a ValidationError naming its field, whoever called (a resolver or createPayment's routing). */
function pick<T extends string>(allowed: readonly T[], value: string | undefined, what: string, field: string): T {
  const upper = value?.trim().toUpperCase();
  if (upper && (allowed as readonly string[]).includes(upper)) return upper as T;
  throw new ValidationError(`${field}: ${what} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value ?? null)}`, field);
}

/**
 * The provider's own rules, checked before anything is written or sent. The
 * document states minimums exist but not their values, so amounts are only
 * checked to be positive; VNKash's own refusal (code 3 / 4) says the rest.
 */
export function validateVnKashInput(input: CreateOrderInput): { field: string; message: string } | null {
  if (!(vnKashOrderKinds as readonly string[]).includes(input.kind)) return { field: 'kind', message: `VNKash offers ${vnKashOrderKinds.join(', ')}, not ${input.kind}` };
  if (input.amount <= 0n) return { field: 'amount', message: 'must be a positive number of đồng' };
  const kind = input.kind as VnKashOrderKind;
  switch (kind) {
    case 'DEPOSIT': {
      const method = input.method?.trim().toUpperCase();
      if (!method || !(vnKashDepositPayments as readonly string[]).includes(method)) return { field: 'method', message: `must be one of ${vnKashDepositPayments.join(', ')}` };
      return null;
    }
    case 'WITHDRAWAL': {
      if (!input.payee) return { field: 'payee', message: 'a bank account or card is required' };
      const bank = input.payee.bankCode.trim().toUpperCase();
      if (!(vnKashBankPayments as readonly string[]).includes(bank)) return { field: 'payee.bankCode', message: `must be one of ${vnKashBankPayments.join(', ')}` };
      if (input.payee.accountNumber.trim() === '') return { field: 'payee.accountNumber', message: 'is required' };
      if (input.payee.accountName.trim() === '') return { field: 'payee.accountName', message: 'is required' };
      return null;
    }
    case 'TRANSFER':
      if (!input.payee || input.payee.accountNumber.trim() === '') return { field: 'payee.accountNumber', message: 'the phone number or e-mail of a VNKash user is required' };
      return null;
    default: {
      const unreachable: never = kind;
      return { field: 'kind', message: `unhandled ${String(unreachable)}` };
    }
  }
}

export function createVnKashConnector(credentials: VnKashCredentialsInput | VnKashCredentials, deps: VnKashClientDeps): VnKashConnector {
  const client = createVnKashClient(credentials, deps);
  const settings = client.credentials;

  async function create(input: CreateOrderInput): Promise<CreateOrderResult> {
    const kind = asVnKashKind(input.kind);
    const problem = validateVnKashInput(input);
    if (problem) throw new ValidationError(`${problem.field}: ${problem.message}`, problem.field);
    switch (kind) {
      case 'DEPOSIT': {
        const payment = pick<VnKashDepositPayment>(vnKashDepositPayments, input.method, 'a VNKash deposit method (payment)', 'method');
        const { data, raw } = await client.deposit({ amount: input.amount, payment, callback: input.callbackUrl, order: input.requestId });
        return {
          // Created, waiting for the payer's bank transfer; "success" is the answer's only word.
          report: { status: 'PENDING', rawStatus: 'success', providerReference: data.id, raw },
          providerReference: data.id,
          instructions: {
            bankCode: payment,
            accountNumber: data.payee,
            accountName: data.name,
            transferContent: data.description,
            amount: input.amount,
          },
        };
      }
      case 'WITHDRAWAL': {
        if (!input.payee) throw new ValidationError('payee: a VNKash withdrawal needs a payee (bank account or card)', 'payee');
        const payment = pick<VnKashBankPayment>(vnKashBankPayments, input.payee.bankCode, 'a VNKash withdrawal bank code (payment)', 'payee.bankCode');
        const { data, raw } = await client.withdraw({
          account: input.payee.accountNumber,
          name: input.payee.accountName,
          amount: input.amount,
          payment,
          callback: input.callbackUrl,
          order: input.requestId,
        });
        return {
          // Accepted; the money reaches the bank later (the callback URL is called "when the transaction completes").
          report: { status: 'PROCESSING', rawStatus: 'success', amount: data.amount, providerReference: data.id, raw },
          providerReference: data.id,
        };
      }
      case 'TRANSFER': {
        if (!input.payee) throw new ValidationError('payee: a VNKash transfer needs a payee (phone number or e-mail of a VNKash user)', 'payee');
        const memo = input.description?.trim() || input.requestId;
        const { data, raw } = await client.transfer({ account: input.payee.accountNumber, amount: input.amount, memo, order: input.requestId });
        return {
          // The answer carries the movement's batch: the transfer is done.
          report: { status: 'SUCCEEDED', rawStatus: 'TRANSFER', amount: data.amount, fee: data.fee, providerReference: data.batch, raw },
          providerReference: data.batch,
          fee: data.fee,
        };
      }
      default: {
        const unreachable: never = kind;
        throw new ProviderNotSupportedError('VNKASH', `unhandled kind ${String(unreachable)}`);
      }
    }
  }

  /** What history is asked for: the batch where we know it, else our order code, else a window since the order. */
  function historyFilterFor(order: OrderRef): VnKashHistoryFilter | null {
    const reference = order.providerReference ?? undefined;
    if (order.kind === 'TRANSFER' && reference) return { currency: settings.currency, batch: reference };
    const batch = order.kind === 'DEPOSIT' ? depositBatchOf(order.transferContent) : undefined;
    if (batch) return { currency: settings.currency, batch };
    if (settings.sendOrderCode) return { currency: settings.currency, order: order.requestId };
    // Without our order code a row can only be recognised by what it carries, in a time window.
    if (reference) return { currency: settings.currency, from: new Date(order.createdAt.getTime() - HISTORY_LOOKBACK_MS), record: VNKASH_MAX_HISTORY_RECORDS };
    return null;
  }

  async function queryStatus(order: OrderRef): Promise<StatusReport> {
    const kind = asVnKashKind(order.kind);
    const filter = historyFilterFor(order);
    if (!filter) return { status: 'PENDING', rawStatus: 'NOT_IN_HISTORY', raw: { reason: 'no provider reference and no order code to search history with' } };
    const { data, raw } = await client.historyWithRaw(filter);
    if (!Array.isArray(raw) || raw.length !== data.length) throw new ProviderBadResponseError('VNKASH', 'history.json rows did not parse one to one', JSON.stringify(raw).slice(0, 500));
    // A server that ignores the filter hands us other orders' rows: only rows that cannot be another order's count.
    const mine = new Set(historyRowsOf(data, { ...order, kind }));
    const rows = data.flatMap((row, index) => (mine.has(row) ? [{ row, raw: raw[index] }] : []));
    return statusFromHistory(
      kind,
      rows.map((entry) => entry.row),
      { filter: { ...filter, from: filter.from?.toISOString() }, rows: rows.map((entry) => entry.raw), seen: data.length },
    );
  }

  return {
    provider: 'VNKASH',
    kinds: vnKashOrderKinds,
    client,
    validate: validateVnKashInput,
    create,
    queryStatus,
    verifyCallback: verifyVnKashCallback,
    acknowledge: acknowledgeVnKashCallback,
    reject: rejectVnKashCallback,
  };
}
