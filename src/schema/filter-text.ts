// Free text in a list filter reaches a database query: PostgreSQL refuses NUL
// in text (an internal error), and nobody searches for control characters or
// for pages of text. Such a filter is the caller's mistake, said as one.
import { GraphQLError } from 'graphql';
import { hasControlCharacters } from '../domain/text.js';

export const FILTER_TEXT_MAX_LENGTH = 200;

/** The filter text, or a BAD_USER_INPUT error naming the field. */
export function filterText(value: string, field: string): string {
  if (value.length > FILTER_TEXT_MAX_LENGTH || hasControlCharacters(value)) {
    throw new GraphQLError(`filter.${field}: at most ${FILTER_TEXT_MAX_LENGTH} characters, no control characters`, {
      extensions: { code: 'BAD_USER_INPUT', field: `filter.${field}` },
    });
  }
  return value;
}
