// The transaction.confirmed webhook: API Ngân hàng pushes a bank transaction
// it matched to an order code. Verified with hex HMAC-SHA256(secret,
// "order_code|amount|trans_id|paid_at"), exactly as the document's PHP sample
// joins the decoded JSON values (integers print as digits).
import { parseDong } from '../../domain/money.js';
import { parseVietnamTime } from '../../domain/time.js';
import type { CallbackLocator, CallbackReply, InboundCallback, InboundTemplate } from '../types.js';
import { fieldText, readJson } from './inbound.js';
import { safeEqual, transactionWebhookSign, transactionWebhookSigningString } from './signing.js';

export interface ConfirmedTransaction {
  orderCode: string;
  amount: bigint;
  bank: string;
  /** The bank's reference. */
  transId: string;
  account: string;
  paidAt: Date;
}

export type TransactionWebhookVerdict =
  | {
      ok: true;
      transaction: ConfirmedTransaction;
      /** Unique per bank transaction: a resend has the same key (for the inbox). */
      eventKey: string;
    }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'method' | 'source-ip'; detail: string };

type Rejection = Extract<TransactionWebhookVerdict, { ok: false }>;
const reject = (reason: Rejection['reason'], detail: string): Rejection => ({ ok: false, reason, detail });

/** paid_at: epoch seconds in the document's sample; a Vietnam local time is accepted too. */
function parsePaidAt(text: string): Date | null {
  if (/^\d+$/.test(text)) return new Date(Number(text) * 1000);
  return parseVietnamTime(text);
}

export function verifyTransactionWebhook(callback: InboundCallback, secret: string): TransactionWebhookVerdict {
  if (callback.method.toUpperCase() !== 'POST') return reject('method', `the webhook is a POST, not ${callback.method}`);
  const fields = readJson(callback);
  if (!fields) return reject('malformed', 'the body is not a JSON object');
  const text = (key: string) => fieldText(fields, key);
  const [orderCode, amount, transId, paidAt, sign] = [text('order_code'), text('amount'), text('trans_id'), text('paid_at'), text('sign')];
  if (orderCode === undefined || amount === undefined || transId === undefined || paidAt === undefined || sign === undefined) {
    return reject('malformed', 'a signed field is not a scalar');
  }
  if (!sign) return reject('bad-signature', 'no sign');
  const expected = transactionWebhookSign(transactionWebhookSigningString({ order_code: orderCode, amount, trans_id: transId, paid_at: paidAt }), secret);
  // PHP's hash_hmac prints lower-case hex.
  if (!safeEqual(expected, sign.toLowerCase())) return reject('bad-signature', 'the sign does not match');

  if (fields.event !== 'transaction.confirmed') return reject('malformed', `unsupported event ${JSON.stringify(fields.event)}`);
  if (!orderCode || !transId) return reject('malformed', 'order_code and trans_id are required');
  let parsedAmount: bigint;
  try {
    parsedAmount = parseDong(fields.amount);
  } catch (error) {
    return reject('malformed', `amount: ${(error as Error).message}`);
  }
  const paid = parsePaidAt(paidAt);
  if (!paid) return reject('malformed', `paid_at is neither epoch seconds nor a Vietnam time: ${JSON.stringify(paidAt)}`);
  const bank = text('bank') ?? '';
  return {
    ok: true,
    transaction: { orderCode, amount: parsedAmount, bank, transId, account: text('account') ?? '', paidAt: paid },
    // Only signed fields: `bank` and `account` are not signed, so a replay with either changed is the same event.
    eventKey: `transaction.confirmed:${transId}`,
  };
}

/** The order code the webhook names (untrusted until verified): how the pipeline finds whose webhook it is when the URL does not say. */
export const locateTransactionWebhook: CallbackLocator = (callback) => {
  const fields = readJson(callback);
  const code = fields ? fieldText(fields, 'order_code') : undefined;
  return code ? { requestId: code } : {};
};

/** The webhook's part in the inbound pipeline, with the merchant's webhook secret. */
export function transactionWebhookTemplate(secret: string): InboundTemplate<TransactionWebhookVerdict> {
  return {
    verifyCallback: (callback) => verifyTransactionWebhook(callback, secret),
    acknowledge: transactionWebhookAcknowledgement,
    reject: transactionWebhookRejection,
  };
}

export function transactionWebhookAcknowledgement(): CallbackReply {
  return { status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ received: true }) };
}

export function transactionWebhookRejection(verdict: Rejection): CallbackReply {
  switch (verdict.reason) {
    case 'bad-signature':
      return { status: 403, contentType: 'text/plain; charset=utf-8', body: 'Invalid signature' };
    case 'source-ip':
      return { status: 403, contentType: 'text/plain; charset=utf-8', body: 'Forbidden' };
    case 'method':
      return { status: 405, contentType: 'text/plain; charset=utf-8', body: 'Method not allowed' };
    case 'malformed':
      return { status: 400, contentType: 'text/plain; charset=utf-8', body: 'Bad request' };
    default: {
      const unhandled: never = verdict.reason;
      return unhandled;
    }
  }
}
