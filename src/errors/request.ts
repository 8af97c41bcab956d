// Failures of the request itself: what it names does not exist, or its input
// was refused before anything was done.
import { PublicError } from './public-error.js';

export class NotFoundError extends PublicError {
  override readonly name = 'NotFoundError';
  readonly publicCode = 'NOT_FOUND';
  constructor(
    readonly entity: string,
    readonly id: string,
    options?: { cause?: unknown },
  ) {
    super(`no ${entity} with id ${id}`, options);
  }
}

export class ValidationError extends PublicError {
  override readonly name = 'ValidationError';
  readonly publicCode = 'VALIDATION';
  constructor(
    message: string,
    /** The input field at fault, as a dotted path. */
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
