// Inbound callbacks. The document shows two forms, both must work:
//  - POST with a JSON body (its curl example uses --data without a content
//    type, so the body is JSON even when the header says form-urlencoded:
//    we recognise JSON by the body, not the header);
//  - GET with the fields in the query string (this form adds card_value).
// A POST form body is accepted too (same fields), as such providers vary.
// The signature md5(partner_key + code + serial) does NOT cover status or
// amount: a verified callback is still a claim; see judge.ts.
import type { CallbackLocator, CallbackReply, InboundCallback, ParsedCallback } from '../types.js';
import { formFields, jsonObjectOf, queryFields } from '../inbound-fields.js';
import type { CardCredentials } from './credentials.js';
import { toStatusReport, type CardChargeReport } from './report.js';
import { cardCallbackSchema, describeIssues } from './schemas.js';
import { cardSignMatches } from './signing.js';
import { toCardReport } from './status.js';

export type CardCallbackVerdict =
  | { ok: true; callback: ParsedCallback; report: CardChargeReport }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'source-ip' | 'method'; detail: string };

/** The callback's fields as strings or JSON values, from whichever form it came in. */
export function readCardCallbackFields(callback: InboundCallback): Record<string, unknown> | null {
  const method = callback.method.toUpperCase();
  const query = queryFields(callback);
  if (method === 'GET') return query;
  if (method !== 'POST') return null;
  const body = callback.rawBody.trim();
  if (body.startsWith('{')) {
    const json = jsonObjectOf(body);
    return json ? { ...query, ...json } : null;
  }
  if (body.length === 0) return query;
  return { ...query, ...formFields(body) };
}

/** Lookup keys read from an untrusted callback: request_id is ours, trans_id theirs. */
export const locateCardCallback: CallbackLocator = (callback) => {
  const fields = readCardCallbackFields(callback);
  if (!fields) return null;
  const asKey = (value: unknown) => (typeof value === 'string' && value.length > 0) || typeof value === 'number' ? String(value) : undefined;
  const requestId = asKey(fields.request_id);
  const providerReference = asKey(fields.trans_id);
  if (!requestId && !providerReference) return null;
  return { requestId, providerReference };
};

/** Pure: parses and checks callback_sign with this merchant's key, in constant time. */
export function verifyCardCallback(credentials: Pick<CardCredentials, 'partnerKey'>, callback: InboundCallback): CardCallbackVerdict {
  const method = callback.method.toUpperCase();
  if (method !== 'GET' && method !== 'POST') return { ok: false, reason: 'method', detail: `callbacks come by GET or POST, not ${method}` };
  const fields = readCardCallbackFields(callback);
  if (!fields) return { ok: false, reason: 'malformed', detail: 'the body is neither a JSON object nor form fields' };
  const parsed = cardCallbackSchema.safeParse(fields);
  if (!parsed.success) return { ok: false, reason: 'malformed', detail: describeIssues(parsed.error) };
  const payload = parsed.data;
  if (!cardSignMatches(credentials.partnerKey, payload.code, payload.serial, payload.callback_sign)) {
    return { ok: false, reason: 'bad-signature', detail: 'callback_sign does not match md5(partner_key + code + serial)' };
  }
  const report = toCardReport(payload, fields);
  return {
    ok: true,
    report,
    callback: {
      // Same event resent → same key; the same charge with another status or amount is another event (and judged as such).
      eventKey: ['card', payload.request_id, payload.trans_id ?? '', payload.status, payload.value ?? '', payload.card_value ?? '', payload.amount ?? ''].join(':'),
      lookup: { requestId: payload.request_id, providerReference: payload.trans_id },
      report: toStatusReport(report),
      statusIsSigned: false,
    },
  };
}

/**
 * The document shows no reply body for a callback. We answer 200 with a small
 * JSON body, which any provider that only looks at the HTTP status accepts.
 */
export function acknowledgeCardCallback(): CallbackReply {
  return { status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ status: true }) };
}

export function rejectCardCallback(verdict: Extract<CardCallbackVerdict, { ok: false }>): CallbackReply {
  const status = verdict.reason === 'bad-signature' || verdict.reason === 'source-ip' ? 403 : verdict.reason === 'method' ? 405 : 400;
  const message = verdict.reason === 'bad-signature' ? 'invalid callback_sign' : verdict.reason;
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ status: false, message }) };
}
