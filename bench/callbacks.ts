// Signed SharkPay callbacks, as the Payment Hub forwards them to
// /callbacks/sharkpay: the five fields, signed UPPER(md5) with the sandbox
// merchant's pay-in secret by the sandbox's own signer (the provider's side).
import { signSharkPay } from '../src/sandbox/apinganhang/signing.js';
import { sandboxCredentials } from '../src/sandbox/index.js';
import type { Post } from './lib.js';
import type { SeededOrder } from './servers/paygraph.js';

const secret = String(sandboxCredentials.APINGANHANG.sharkpayPayinSecretKey);
const mchId = String(sandboxCredentials.APINGANHANG.sharkpayMchId);

export function sharkPayCallback(order: SeededOrder, status = 'SUCCESS'): Post {
  if (!order.providerReference) throw new Error(`order ${order.id} has no provider reference: was it created at the sandbox?`);
  const fields = { mch_id: mchId, mch_order_no: order.requestId, order_no: order.providerReference, amount: order.amount, status };
  return {
    path: '/callbacks/sharkpay',
    body: new URLSearchParams({ ...fields, sign: signSharkPay(fields, secret) }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}
