// Losing a race for a row: the typed error a client retries on, and the
// classifier that recognises the database's ways of saying so.
import { PublicError } from './public-error.js';

/**
 * Another change to the same order or charge kept winning (or the database
 * was too busy to start the change): nothing was written by this request.
 * Retrying shortly is safe, and is what the client should do.
 */
export class ConcurrentUpdateError extends PublicError {
  override readonly name = 'ConcurrentUpdateError';
  readonly publicCode = 'CONCURRENT_UPDATE';
  /** Exposed in GraphQL as `code` since before public codes had their own name. */
  readonly code = 'CONCURRENT_UPDATE';
  readonly retryable = true;
  constructor(
    readonly entity: string,
    readonly id: string,
    options?: { cause?: unknown },
  ) {
    super(`the ${entity} ${id} was being changed by someone else at the same time; nothing was done, try again`, options);
  }
}

/**
 * Prisma's codes for losing to another transaction or to a full pool: a
 * transaction that could not start in time (P2028), a write conflict or
 * deadlock (P2034). Read by name and code only: errors/ imports nothing.
 */
export function isContention(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'P2028' || code === 'P2034') return true;
  const message = String((error as Error | undefined)?.message ?? '');
  return /Unable to start a transaction in the given time|could not serialize access|deadlock detected/i.test(message);
}

/**
 * The database refused a row because its unique key is taken (Prisma P2002,
 * or the driver's own words): another request got there first.
 */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === 'P2002' || /unique constraint/i.test(String((error as Error)?.message));
}
