// The provider's side of the signatures, written again from the document on
// purpose (sharing the connector's signer would let a wrong signer pass its
// own tests): SharkPay and WowPay callbacks (UPPER md5 of sorted k=v&…&key=),
// and the transaction webhook (hex HMAC-SHA256 over "a|b|c|d").
import { createHash, createHmac } from 'node:crypto';

function md5Upper(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
}

function sortedBase(fields: Record<string, string>, secret: string): string {
  const keys = Object.keys(fields)
    .filter((key) => fields[key] !== '')
    .sort();
  return keys.map((key) => `${key}=${fields[key]}`).join('&') + `&key=${secret}`;
}

export function signSharkPay(fields: { mch_id: string; mch_order_no: string; order_no: string; amount: string; status: string }, secret: string): string {
  return md5Upper(sortedBase({ ...fields }, secret));
}

/** Every field but sign/sign_type; empty values are left out. */
export function signWowPay(fields: Record<string, string>, secret: string): string {
  const { sign: _sign, sign_type: _type, ...signed } = fields;
  return md5Upper(sortedBase(signed, secret));
}

export function signTransactionWebhook(fields: { order_code: string; amount: number; trans_id: string; paid_at: number }, secret: string): string {
  const message = `${fields.order_code}|${fields.amount}|${fields.trans_id}|${fields.paid_at}`;
  return createHmac('sha256', secret).update(message, 'utf8').digest('hex');
}
