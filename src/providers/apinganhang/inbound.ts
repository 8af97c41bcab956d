// Reading the fields of an inbound request the way the document's PHP
// samples do: GET query, `$_POST` for forms, else the JSON body.
import type { InboundCallback } from '../types.js';

export type InboundFields = Record<string, unknown>;

function parseJsonObject(text: string): InboundFields | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as InboundFields) : undefined;
  } catch {
    return undefined;
  }
}

function headerOf(callback: InboundCallback, name: string): string {
  const entry = Object.entries(callback.headers).find(([key]) => key.toLowerCase() === name);
  return entry?.[1] ?? '';
}

/** GET: the query string. POST: a form body when sent as one, else JSON (`$_POST ?: json_decode(...)`). */
export function readFormOrJson(callback: InboundCallback): InboundFields | undefined {
  if (callback.method.toUpperCase() === 'GET') return Object.fromEntries(callback.url.searchParams);
  const type = headerOf(callback, 'content-type').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded')) {
    const form = Object.fromEntries(new URLSearchParams(callback.rawBody));
    if (Object.keys(form).length > 0) return form;
  }
  return parseJsonObject(callback.rawBody);
}

/** JSON only (WowPay, the transaction webhook), whatever the content-type says. */
export function readJson(callback: InboundCallback): InboundFields | undefined {
  return parseJsonObject(callback.rawBody);
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
