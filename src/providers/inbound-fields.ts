// The parts an inbound callback's fields are read from: a header, the query,
// a JSON object body, a form body. Each provider's callback.ts puts them
// together its own way (which method, which body first, what an unreadable
// body means): those are its documents' quirks, and stay in its folder.
import type { InboundCallback } from './types.js';

export type InboundFields = Record<string, unknown>;

/** A header's value by name, any case; '' when absent. */
export function headerOf(callback: InboundCallback, name: string): string {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(callback.headers)) if (key.toLowerCase() === wanted) return value;
  return '';
}

/** The query string's fields. */
export function queryFields(callback: InboundCallback): Record<string, string> {
  return Object.fromEntries(callback.url.searchParams);
}

/** The body as a JSON object; undefined when it is not JSON, or JSON but not an object. */
export function jsonObjectOf(text: string): InboundFields | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as InboundFields) : undefined;
  } catch {
    return undefined;
  }
}

/** The body as a form (application/x-www-form-urlencoded). */
export function formFields(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(text));
}
