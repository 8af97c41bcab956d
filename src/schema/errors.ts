// Typed, expected failures a client can act on. Each is an object type in the
// result unions of mutations (plugin-errors); unexpected errors stay masked.
import { builder } from './builder.js';
import { ConcurrentUpdateError } from '../domain/errors.js';

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(readonly entity: string, readonly id: string) {
    super(`no ${entity} with id ${id}`);
  }
}

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(message: string, readonly field?: string) {
    super(message);
  }
}

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'An expected failure: the operation did nothing.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof NotFoundError,
  fields: (t) => ({
    entity: t.exposeString('entity'),
    id: t.exposeString('id'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  description: 'The input was refused before anything was done.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ValidationError,
  fields: (t) => ({
    field: t.exposeString('field', { nullable: true, description: 'The input field at fault, as a dotted path.' }),
  }),
});

builder.objectType(ConcurrentUpdateError, {
  name: 'ConcurrentUpdateError',
  description: 'Another change to the same order or charge won the race (or the database was too busy): nothing was done. Retry shortly; it is safe.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ConcurrentUpdateError,
  fields: (t) => ({
    code: t.exposeString('code'),
    retryable: t.exposeBoolean('retryable'),
  }),
});
