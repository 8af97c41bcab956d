// Gateway callbacks forwarded by the Payment Hub to the merchant's notify_url.
// The gateway is the last segment of the route's path (/callbacks/sharkpay,
// /callbacks/wowpay). Both signatures cover status and amount, but the
// decision (providers.md §2) is to confirm with orders/query.php before any
// final state: statusIsSigned is false.
import { parseDong } from '../../domain/money.js';
import type { CallbackLocator, CallbackReply, CallbackVerdict, InboundCallback, OrderKind } from '../types.js';
import type { ApiNganHangCredentials } from './credentials.js';
import type { HubGateway } from './hub-schemas.js';
import { fieldText, normalizeIp, readFormOrJson, readJson, type InboundFields } from './inbound.js';
import { safeEqual, sharkPaySign, wowPaySign } from './signing.js';
import { mapGatewayStatus, movedAmount } from './status.js';

type Rejection = Exclude<CallbackVerdict, { ok: true }>;
const reject = (reason: Rejection['reason'], detail: string): Rejection => ({ ok: false, reason, detail });

/** `sharkpay` or `wowpay` from ".../callbacks/sharkpay" (a trailing ".php" is tolerated). */
export function gatewayOfCallback(callback: InboundCallback): HubGateway | undefined {
  const last = callback.url.pathname.split('/').filter((segment) => segment.length > 0).pop() ?? '';
  const name = last.replace(/\.php$/i, '').toLowerCase();
  return name === 'sharkpay' || name === 'wowpay' ? name : undefined;
}

function fieldsOf(callback: InboundCallback, gateway: HubGateway): InboundFields | undefined {
  return gateway === 'sharkpay' ? readFormOrJson(callback) : readJson(callback);
}

/** Our order id: SharkPay says mch_order_no, WowPay merchant_order_no (either is read for both). */
function requestIdOf(fields: InboundFields): string | undefined {
  const id = fieldText(fields, 'mch_order_no') || fieldText(fields, 'merchant_order_no');
  return id || undefined;
}

export const locateHubCallback: CallbackLocator = (callback) => {
  const gateway = gatewayOfCallback(callback);
  if (!gateway) return null;
  const fields = fieldsOf(callback, gateway);
  if (!fields) return null;
  const requestId = requestIdOf(fields);
  const providerReference = fieldText(fields, 'order_no') || undefined;
  if (!requestId && !providerReference) return null;
  return { ...(requestId ? { requestId } : {}), ...(providerReference ? { providerReference } : {}) };
};

/**
 * Whether one of `keys` signed it. Every key is compared (no early exit) so
 * timing does not tell which one matched.
 */
function signedByOneOf(received: string, keys: readonly (string | undefined)[], sign: (secret: string) => string | undefined): boolean {
  let match = false;
  for (const key of keys) {
    if (!key) continue;
    const expected = sign(key);
    // Every key is compared (no early exit) so timing does not tell which one matched.
    if (expected !== undefined && safeEqual(expected, received)) match = true;
  }
  return match;
}

/**
 * The keys that may sign a callback: a pay-in's with the pay-in key (the
 * document's sample); a payout's with the payout key, falling back to the
 * pay-in key (the settings recommend separate keys; the sample uses the
 * pay-in one). Without the order's kind, both.
 */
export function hubCallbackKeys(secrets: { payinSecretKey: string; payoutSecretKey?: string }, kind?: OrderKind): (string | undefined)[] {
  if (kind === 'HUB_PAYIN') return [secrets.payinSecretKey];
  if (kind === 'HUB_PAYOUT') return [secrets.payoutSecretKey, secrets.payinSecretKey];
  return [secrets.payinSecretKey, secrets.payoutSecretKey];
}

export function verifyHubCallback(credentials: ApiNganHangCredentials, callback: InboundCallback, kind?: OrderKind): CallbackVerdict {
  const gateway = gatewayOfCallback(callback);
  if (!gateway) return reject('malformed', `no gateway in the callback path ${callback.url.pathname} (expected …/sharkpay or …/wowpay)`);
  const method = callback.method.toUpperCase();
  if (gateway === 'sharkpay' ? method !== 'GET' && method !== 'POST' : method !== 'POST') {
    return reject('method', `${gateway} callbacks come as ${gateway === 'sharkpay' ? 'GET or POST' : 'POST'}, not ${method}`);
  }
  const secrets = credentials.hub[gateway];
  if (!secrets) return reject('bad-signature', `no ${gateway} secret is configured for this merchant`);
  if (gateway === 'wowpay') {
    const allowed = credentials.hub.wowpay?.callbackSourceIps ?? [];
    const caller = normalizeIp(callback.sourceIp);
    if (allowed.length > 0 && !allowed.map(normalizeIp).includes(caller)) return reject('source-ip', `callback from ${caller}, not one of the configured callback_source_ips`);
  }
  const fields = fieldsOf(callback, gateway);
  if (!fields) return reject('malformed', `the ${gateway} callback body is not ${gateway === 'sharkpay' ? 'a form or ' : ''}a JSON object`);
  const received = (fieldText(fields, 'sign') ?? '').toUpperCase();
  if (!received) return reject('bad-signature', 'the callback carries no sign');
  const sign = gateway === 'sharkpay' ? (secret: string) => sharkPaySign(fields, secret) : (secret: string) => wowPaySign(fields, secret);
  if (!signedByOneOf(received, hubCallbackKeys(secrets, kind), sign)) return reject('bad-signature', `the ${gateway} sign does not match`);

  // Signed: now the content must make sense.
  const merchantField = gateway === 'sharkpay' ? 'mch_id' : 'merchant_no';
  const configuredMerchant = gateway === 'sharkpay' ? credentials.hub.sharkpay?.mchId : credentials.hub.wowpay?.merchantNo;
  const merchant = fieldText(fields, merchantField);
  if (configuredMerchant && merchant !== configuredMerchant) return reject('bad-signature', `${merchantField} is not this merchant's`);
  const requestId = requestIdOf(fields);
  const orderNo = fieldText(fields, 'order_no') || undefined;
  const rawStatus = fieldText(fields, 'status');
  if (!requestId && !orderNo) return reject('malformed', 'neither mch_order_no/merchant_order_no nor order_no');
  if (!rawStatus) return reject('malformed', 'no status');
  let amount: bigint | undefined;
  if (fields.amount !== undefined && fields.amount !== '') {
    try {
      amount = parseDong(fields.amount);
    } catch (error) {
      return reject('malformed', `amount: ${(error as Error).message}`);
    }
  }
  const { sign: _sign, ...unsigned } = fields;
  const status = mapGatewayStatus(rawStatus);
  const moved = movedAmount(status, amount);
  return {
    ok: true,
    callback: {
      eventKey: `${gateway}:${orderNo ?? requestId}:${rawStatus}`,
      lookup: { ...(requestId ? { requestId } : {}), ...(orderNo ? { providerReference: orderNo } : {}) },
      report: {
        status,
        rawStatus,
        ...(moved === undefined ? {} : { amount: moved }),
        ...(orderNo ? { providerReference: orderNo } : {}),
        raw: { gateway, ...unsigned },
      },
      // The signature does cover status and amount; we still confirm by query (providers.md decision).
      statusIsSigned: false,
    },
  };
}

/** What the Hub expects once a callback is recorded: plain text OK. */
export function hubCallbackAcknowledgement(): CallbackReply {
  return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'OK' };
}

export function hubCallbackRejection(verdict: Rejection): CallbackReply {
  switch (verdict.reason) {
    case 'bad-signature':
      return { status: 403, contentType: 'text/plain; charset=utf-8', body: 'INVALID_SIGN' };
    case 'source-ip':
      return { status: 403, contentType: 'text/plain; charset=utf-8', body: 'INVALID_IP' };
    case 'method':
      return { status: 405, contentType: 'text/plain; charset=utf-8', body: 'METHOD_NOT_ALLOWED' };
    case 'malformed':
      return { status: 400, contentType: 'text/plain; charset=utf-8', body: 'BAD_REQUEST' };
    default: {
      const unhandled: never = verdict.reason;
      return unhandled;
    }
  }
}
