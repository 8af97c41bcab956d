// AZConnectPay callbacks. The document says only that `callback` is "a URL
// that is told when the transaction completes": not what is sent, nor how it
// is signed. Decision (providers.md): accept a POST (JSON or form) or a GET
// with a query, carrying at least request_id; never trust the status in it.
// verifyCallback therefore always reports `statusIsSigned: false`, and the
// order service confirms with the status endpoint before any change.
// Any `signature` field a sender adds is ignored: no scheme is documented.
import { createHash } from 'node:crypto';
import { parseDong } from '../../domain/money.js';
import type { CallbackLocator, CallbackReply, CallbackVerdict, InboundCallback, StatusReport } from '../types.js';
import { formFields, headerOf, jsonObjectOf, queryFields } from '../inbound-fields.js';
import { mapAzConnectPayStatus } from './status.js';

/** Our callback URL is `<public>/callbacks/azconnectpay?ref=<requestId>`: `ref` is ours, not the provider's. */
export const AZCONNECTPAY_CALLBACK_REF_PARAM = 'ref';

const MAX_REQUEST_ID = 255;

/** The callback's fields: a JSON object, a form, or (GET) the query. Null when none can be read. */
function readFields(callback: InboundCallback): Record<string, unknown> | null {
  if (callback.method === 'GET') {
    const fields = queryFields(callback);
    delete fields[AZCONNECTPAY_CALLBACK_REF_PARAM];
    return fields;
  }
  const type = headerOf(callback, 'content-type').toLowerCase();
  const body = callback.rawBody.trim();
  // No content type, or a wrong one, is common with small providers: a body that starts like JSON is read as JSON.
  if (type.includes('json') || body.startsWith('{')) return jsonObjectOf(body) ?? null;
  if (type.includes('application/x-www-form-urlencoded') || type === '' || type.includes('text/plain')) return formFields(body);
  return null;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function optionalDong(value: unknown): bigint | undefined {
  try {
    return value === undefined || value === null || value === '' ? undefined : parseDong(value);
  } catch {
    // Unsigned and only a hint: a bad amount here is not worth refusing the callback; the status query has the truth.
    return undefined;
  }
}

export function verifyAzConnectPayCallback(callback: InboundCallback): CallbackVerdict {
  if (callback.method !== 'POST' && callback.method !== 'GET') {
    return { ok: false, reason: 'method', detail: `AZConnectPay callbacks are POST (or GET), not ${callback.method}` };
  }
  const fields = readFields(callback);
  if (!fields) return { ok: false, reason: 'malformed', detail: 'the callback body is neither a JSON object nor a form' };
  const requestId = textOf(fields.request_id);
  if (!requestId || requestId.length > MAX_REQUEST_ID) return { ok: false, reason: 'malformed', detail: 'the callback carries no usable request_id' };
  // The ref we put in the callback URL must name the same order as the body.
  const ref = callback.url.searchParams.get(AZCONNECTPAY_CALLBACK_REF_PARAM);
  if (ref !== null && ref !== requestId) {
    return { ok: false, reason: 'malformed', detail: `the callback's request_id does not match the order its URL was given for` };
  }
  const rawStatus = textOf(fields.status) ?? '';
  const amount = optionalDong(fields.amount);
  const fee = optionalDong(fields.fee_amount);
  const report: StatusReport = {
    status: rawStatus ? mapAzConnectPayStatus(rawStatus) : null,
    rawStatus,
    ...(amount === undefined ? {} : { amount }),
    ...(fee === undefined ? {} : { fee }),
    raw: fields,
  };
  // An exact resend has the same bytes, hence the same key; a new event (new status, new amount) gets a new one.
  const digest = createHash('sha256')
    .update(callback.method === 'GET' ? callback.url.search : callback.rawBody)
    .digest('hex')
    .slice(0, 32);
  return {
    ok: true,
    callback: { eventKey: `${requestId}:${rawStatus}:${digest}`, lookup: { requestId }, report, statusIsSigned: false },
  };
}

/** Finds the order: request_id in the body (or GET query), else our own `ref` from the callback URL. */
export const locateAzConnectPayCallback: CallbackLocator = (callback) => {
  const fields = callback.method === 'POST' || callback.method === 'GET' ? readFields(callback) : null;
  const requestId = textOf(fields?.request_id) ?? textOf(callback.url.searchParams.get(AZCONNECTPAY_CALLBACK_REF_PARAM));
  return requestId ? { requestId } : null;
};

/** The document names no reply; a JSON `{"success":true}` in the provider's own style, with 200. */
export function acknowledgeAzConnectPayCallback(): CallbackReply {
  return { status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ success: true }) };
}

export function rejectAzConnectPayCallback(verdict: Exclude<CallbackVerdict, { ok: true }>): CallbackReply {
  const status = verdict.reason === 'method' ? 405 : verdict.reason === 'malformed' ? 400 : 403;
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ success: false, message: verdict.reason }) };
}
