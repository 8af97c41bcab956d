// VNKash's document takes a `callback` URL ("URL that receives the result
// when the transaction completes") and says nothing about what arrives there
// or how it is signed. Decision: a callback is only a hint. We accept POST
// (JSON or form) or GET, read what we can, never trust its status
// (statusIsSigned: false) and confirm through history.json before any final
// state. The order is found by the `ref` we put in the callback URL
// (<public>/callbacks/vnkash?ref=<requestId>), or by an id in the body.
import { createHash } from 'node:crypto';
import { parseDong } from '../../domain/money.js';
import type { CallbackLocator, CallbackReply, CallbackVerdict, InboundCallback } from '../types.js';
import { formFields, headerOf, jsonObjectOf, queryFields } from '../inbound-fields.js';
import { statusOfCallbackWord } from './status.js';

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The callback's fields, from the query (GET) or the body (JSON or form); null when the body cannot be read. */
function readFields(callback: InboundCallback): Fields | null {
  if (callback.method.toUpperCase() === 'GET') return queryFields(callback);
  const type = headerOf(callback, 'content-type');
  const body = callback.rawBody.trim();
  if (body === '') return {};
  if (type.includes('json') || body.startsWith('{')) return jsonObjectOf(body) ?? null;
  return formFields(body);
}

const text = (value: unknown): string | undefined =>
  (typeof value === 'string' && value.trim() !== '') || typeof value === 'number' ? String(value).trim() : undefined;

/** The provider's id for the movement: the deposit/withdrawal id, else a batch. */
function providerReferenceOf(fields: Fields): string | undefined {
  const nested = (key: string) => (isRecord(fields[key]) ? text((fields[key] as Fields).id) : undefined);
  return text(fields.id) ?? text(fields.deposit_id) ?? text(fields.withdrawal_id) ?? nested('deposit') ?? nested('withdrawal') ?? text(fields.batch);
}

function lookupOf(callback: InboundCallback, fields: Fields | null) {
  const requestId = text(callback.url.searchParams.get('ref') ?? undefined);
  const providerReference = fields ? providerReferenceOf(fields) : undefined;
  return { requestId, providerReference };
}

/** The route's first step: which order (and so which merchant) this callback claims to be about. */
export const locateVnKashCallback: CallbackLocator = (callback) => {
  const { requestId, providerReference } = lookupOf(callback, readFields(callback));
  if (requestId === undefined && providerReference === undefined) return null;
  return { ...(requestId !== undefined && { requestId }), ...(providerReference !== undefined && { providerReference }) };
};

export function verifyVnKashCallback(callback: InboundCallback): CallbackVerdict {
  const method = callback.method.toUpperCase();
  if (method !== 'GET' && method !== 'POST') return { ok: false, reason: 'method', detail: `VNKash callbacks are GET or POST, got ${method}` };
  const fields = readFields(callback);
  if (fields === null) return { ok: false, reason: 'malformed', detail: 'the body is neither a JSON object nor a form' };
  const { requestId, providerReference } = lookupOf(callback, fields);
  if (requestId === undefined && providerReference === undefined) {
    return { ok: false, reason: 'malformed', detail: 'no ref in the URL and no id in the body' };
  }
  const rawStatus = text(fields.status) ?? '';
  let amount: bigint | undefined;
  try {
    amount = fields.amount === undefined ? undefined : parseDong(fields.amount);
  } catch {
    amount = undefined; // a hint's amount is not worth refusing the hint for; history.json has the truth
  }
  // A resend of the same event carries the same bytes; a different event for the same order does not.
  const digest = createHash('sha256').update(`${method}\n${callback.url.search}\n${callback.rawBody}`).digest('hex');
  return {
    ok: true,
    callback: {
      eventKey: `vnkash:${requestId ?? '-'}:${digest}`,
      lookup: { ...(requestId !== undefined && { requestId }), ...(providerReference !== undefined && { providerReference }) },
      report: {
        status: rawStatus === '' ? null : statusOfCallbackWord(rawStatus),
        rawStatus,
        ...(amount !== undefined && { amount }),
        ...(providerReference !== undefined && { providerReference }),
        raw: fields,
      },
      statusIsSigned: false,
    },
  };
}

export function acknowledgeVnKashCallback(): CallbackReply {
  return { status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ success: true }) };
}

export function rejectVnKashCallback(verdict: Exclude<CallbackVerdict, { ok: true }>): CallbackReply {
  const status = verdict.reason === 'method' ? 405 : verdict.reason === 'malformed' ? 400 : 403;
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ success: false, error: verdict.reason }) };
}
