import { GraphQLError, Kind } from 'graphql';
import { builder } from './builder.js';
import { parseDong, MoneyFormatError } from '../domain/money.js';

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO 8601 string in UTC.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (typeof value !== 'string' || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime: expected an ISO 8601 string');
    return date;
  },
});

builder.scalarType('BigInt', {
  description:
    'A whole number of đồng (VND has no minor unit), as a string of digits so no client loses precision. Input also accepts an integer.',
  serialize: (value) => String(value),
  parseValue: (value) => {
    if (typeof value !== 'string' && typeof value !== 'number') throw new GraphQLError('BigInt: expected a string of digits or an integer');
    if (typeof value === 'string' && !/^-?\d+$/.test(value)) throw new GraphQLError('BigInt: expected a string of digits');
    try {
      return parseDong(value);
    } catch (error) {
      throw new GraphQLError(`BigInt: ${error instanceof MoneyFormatError ? error.message : 'invalid'}`);
    }
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT && ast.kind !== Kind.STRING) throw new GraphQLError('BigInt: expected a string of digits or an integer');
    if (!/^-?\d+$/.test(ast.value)) throw new GraphQLError('BigInt: expected a string of digits');
    return BigInt(ast.value);
  },
});

builder.scalarType('JSON', {
  description: 'Free-form JSON (provider payloads, kept as received with secrets removed).',
  serialize: (value) => value,
  parseValue: (value) => value,
});
