// A retry's key that cannot be honoured: used before for something else, or
// its first request is still running.
import { PublicError } from './public-error.js';

export class IdempotencyKeyReusedError extends PublicError {
  override readonly name = 'IdempotencyKeyReusedError';
  readonly publicCode = 'IDEMPOTENCY_KEY_REUSED';
  constructor(readonly key: string) {
    super(`idempotency key "${key}" was already used with a different input`);
  }
}

export class IdempotencyConflictError extends PublicError {
  override readonly name = 'IdempotencyConflictError';
  readonly publicCode = 'IDEMPOTENCY_CONFLICT';
  constructor(readonly key: string) {
    super(`a request with idempotency key "${key}" is still in progress; retry later`);
  }
}
