// AZConnectPay answers → unified types: payment instructions a checkout shows,
// and status reports with amounts parsed exactly.
import { MoneyFormatError, parseDong } from '../../domain/money.js';
import type { PaymentInstructions, StatusReport } from '../types.js';
import { cashInBankResultsSchema, cashInMomoResultsSchema, type CashInCreated, type StatusAnswer } from './schemas.js';
import { isDocumentedAzConnectPayStatus, mapAzConnectPayStatus } from './status.js';
import { ProviderBadResponseError } from '../../errors/index.js';

const PROVIDER = 'AZCONNECTPAY' as const;

/** How AZConnectPay moves money, in both directions: bank transfer or MoMo. */
export const azConnectPayMethods = ['bank', 'momo'] as const;
export type AzConnectPayMethod = (typeof azConnectPayMethods)[number];

/** parseDong, with a malformed amount turned into a bad-response error naming the field. */
export function dongField(field: string, value: unknown, body: string): bigint {
  try {
    return parseDong(value);
  } catch (error) {
    if (error instanceof MoneyFormatError) throw new ProviderBadResponseError(PROVIDER, `AZConnectPay sent ${field} that is not a whole number of đồng`, body);
    throw error;
  }
}

export function instructionsFrom(method: AzConnectPayMethod, answer: CashInCreated, body: string): PaymentInstructions {
  if (method === 'bank') {
    const results = cashInBankResultsSchema.safeParse(answer.results);
    if (!results.success) throw new ProviderBadResponseError(PROVIDER, 'AZConnectPay cash-in (bank) answer lacks the account or the transfer content', body);
    const r = results.data;
    return {
      bankCode: r.bank_code,
      bankName: r.bank,
      accountNumber: r.account,
      accountName: r.account_name,
      amount: dongField('results.amount', r.amount ?? answer.amount, body),
      transferContent: r.content,
      qrData: r.qr_data ?? answer.qr_link,
      qrImage: r.qr_img,
    };
  }
  const results = cashInMomoResultsSchema.safeParse(answer.results);
  if (!results.success) throw new ProviderBadResponseError(PROVIDER, 'AZConnectPay cash-in (momo) answer lacks the phone or the transfer content', body);
  const r = results.data;
  return {
    bankCode: 'MOMO',
    phone: r.phone,
    accountName: r.name,
    amount: dongField('results.amount', r.amount ?? answer.amount, body),
    transferContent: r.content,
    deepLink: r.deep_link ?? answer.deep_link,
    qrData: r.qr_data ?? answer.qr_link,
    qrImage: r.qr_img,
  };
}

/** A status answer (either endpoint) as a report; unknown names give status null with the raw kept. */
export function reportFromStatus(answer: StatusAnswer, raw: unknown, body: string): StatusReport {
  const fee = answer.fee_amount === undefined || answer.fee_amount === null ? undefined : dongField('fee_amount', answer.fee_amount, body);
  return {
    status: mapAzConnectPayStatus(answer.status),
    documented: isDocumentedAzConnectPayStatus(answer.status),
    rawStatus: answer.status,
    amount: dongField('amount', answer.amount, body),
    ...(fee === undefined ? {} : { fee }),
    raw,
  };
}
