// The one way an edge parses a command: zod's result, or the
// ValidationError (a typed GraphQL result) of its first issue.
import type { z } from 'zod';
import { ValidationError } from '../errors/index.js';

/** The input parsed by `schema`, or the ValidationError of its first issue. */
export function parseInput<Schema extends z.ZodTypeAny>(schema: Schema, input: unknown): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ValidationError(issue.message, issue.path.join('.') || undefined);
}
