// An idempotency key's stored error: the first request's typed error is kept
// as JSON and thrown again, as the same type, on every retry with the key.
// The one serializer for every use case that replays errors.
import { publicErrorTypes } from './index.js';
import { ProviderRefusedError } from './provider.js';

export type StoredError = Record<string, unknown> & { name: string; message: string; publicCode?: string };

/** Class names a stored error may carry from before a class was renamed (keys live ttlHours). */
const renamed: Record<string, keyof typeof publicErrorTypes> = { MissingProviderAccountError: 'PROVIDER_NOT_CONFIGURED' };

/** The error's own plain fields (ids, codes, flags, publicCode), its name and message. */
export function serializeError(error: Error): StoredError {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) if (typeof value !== 'function' && typeof value !== 'object') fields[key] = value;
  // Its retryable flag and the provider's message live in an options object.
  if (error instanceof ProviderRefusedError) fields.options = error.options;
  return { ...fields, name: error.name, message: error.message };
}

/**
 * The stored error as an instance of its class again (without running its
 * constructor: the fields are the stored ones), so GraphQL resolves the same
 * result type; an error of no known type comes back as a plain Error (masked).
 */
export function rehydrateError(stored: StoredError): Error {
  const code = stored.publicCode ?? renamed[stored.name];
  const type: (new (...args: never[]) => Error) | undefined =
    (code && code in publicErrorTypes ? publicErrorTypes[code as keyof typeof publicErrorTypes] : undefined) ??
    Object.values(publicErrorTypes).find((candidate) => candidate.name === stored.name);
  const error: Error = type ? Object.create(type.prototype) : new Error(stored.message);
  Object.assign(error, stored);
  return error;
}
