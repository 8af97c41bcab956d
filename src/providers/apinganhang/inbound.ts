// Reading the fields of an inbound request the way the document's PHP
// samples do: GET query, `$_POST` for forms, else the JSON body.
import type { InboundCallback } from '../types.js';
import { formFields, headerOf, jsonObjectOf, queryFields, type InboundFields } from '../inbound-fields.js';

export type { InboundFields };

/** GET: the query string. POST: a form body when sent as one, else JSON (`$_POST ?: json_decode(...)`). */
export function readFormOrJson(callback: InboundCallback): InboundFields | undefined {
  if (callback.method.toUpperCase() === 'GET') return queryFields(callback);
  const type = headerOf(callback, 'content-type').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded')) {
    const form = formFields(callback.rawBody);
    if (Object.keys(form).length > 0) return form;
  }
  return jsonObjectOf(callback.rawBody);
}

/** JSON only (WowPay, the transaction webhook), whatever the content-type says. */
export function readJson(callback: InboundCallback): InboundFields | undefined {
  return jsonObjectOf(callback.rawBody);
}

/** "::ffff:127.0.0.1" and "127.0.0.1" are the same caller. */
export function normalizeIp(ip: string): string {
  const trimmed = ip.trim();
  return trimmed.toLowerCase().startsWith('::ffff:') && trimmed.includes('.') ? trimmed.slice(7) : trimmed;
}

/** A scalar field as text ("" when absent); objects and arrays give undefined. */
export function fieldText(fields: InboundFields, key: string): string | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}
