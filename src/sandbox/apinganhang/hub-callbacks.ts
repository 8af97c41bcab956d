// What the Hub forwards to the merchant's notify_url when a gateway reports:
// SharkPay's five signed fields (GET, form POST or JSON POST), or WowPay's JSON
// with every field signed. Pay-ins are signed with the member's payin secret
// (the document's samples); payouts with the payout secret when one is set, or
// with the payin secret when told (`signWith: 'payin'`): both variants, so a
// receiver's fallback is exercised too.
import type { OutgoingCallback } from '../kit.js';
import { vietnamDateTime } from './format.js';
import { callbackSecret } from './hub-routes.js';
import { signSharkPay, signWowPay } from './signing.js';
import type { HubConfig, HubOrder } from './store.js';

export type SharkPayCallbackMethod = 'POST-form' | 'POST-json' | 'GET';

export function gatewayCallback(
  order: HubOrder,
  config: HubConfig,
  url: string,
  status: string,
  amount: number,
  now: Date,
  sharkPayMethod: SharkPayCallbackMethod = 'POST-form',
  signWith: 'payin' | 'payout' = order.type,
): OutgoingCallback {
  const secret = callbackSecret(config, signWith);
  if (order.gateway === 'sharkpay') {
    const fields = { mch_id: config.settings.mch_id ?? '', mch_order_no: order.merchantOrderNo, order_no: order.orderNo, amount: String(amount), status };
    const signed = { ...fields, sign: signSharkPay(fields, secret) };
    if (sharkPayMethod === 'GET') {
      const target = new URL(url);
      for (const [key, value] of Object.entries(signed)) target.searchParams.set(key, value);
      return { url: target.toString(), method: 'GET' };
    }
    if (sharkPayMethod === 'POST-json') return { url, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(signed) };
    return { url, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(signed).toString() };
  }
  const fields: Record<string, string> = {
    merchant_no: config.settings.merchant_no ?? '',
    merchant_order_no: order.merchantOrderNo,
    order_no: order.orderNo,
    // WowPay prints amounts with two decimals.
    amount: `${amount}.00`,
    status,
    channel: order.channel ?? '',
    pay_time: vietnamDateTime(now),
    // Empty fields are sent and left out of the signature.
    remark: '',
  };
  const body = { ...fields, sign_type: 'MD5', sign: signWowPay(fields, secret) };
  return { url, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
