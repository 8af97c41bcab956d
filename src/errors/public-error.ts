// The base of every failure a client can act on. Plain classes, outside
// GraphQL (schema/errors.ts only registers them): each has a stable public
// code, which outlives a renamed class (stored idempotency replays are keyed on
// it), and may carry the error that caused it (`cause`, kept for the log).

export abstract class PublicError extends Error {
  /** Stable, SCREAMING_SNAKE, never reused for another meaning. */
  abstract readonly publicCode: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
