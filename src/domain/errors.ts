// Failures of our own that a client can act on, outside GraphQL (the schema
// only registers them): a stable public code, and whether trying again helps.

/**
 * Another change to the same order or charge kept winning (or the database
 * was too busy to start the change): nothing was written by this request.
 * Retrying shortly is safe, and is what the client should do.
 */
export class ConcurrentUpdateError extends Error {
  override readonly name = 'ConcurrentUpdateError';
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
 * deadlock (P2034). Read by name and code only: the domain imports nothing.
 */
export function isContention(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'P2028' || code === 'P2034') return true;
  const message = String((error as Error | undefined)?.message ?? '');
  return /Unable to start a transaction in the given time|could not serialize access|deadlock detected/i.test(message);
}
