// The one reading of an id argument. Our ids are UUIDs (domain/ids.ts):
// anything else names nothing, so it is answered as "not found" (or null for
// a lookup) without asking the database, which would refuse it as a type error.
import { isUuid } from '../domain/ids.js';
import { NotFoundError } from '../errors/index.js';

/** What GraphQL hands a resolver for an `ID` argument. */
type IdArgument = string | number;

/** The id as text, or NotFoundError(entity, id) when it cannot name one of our rows. */
export function existingId(entity: string, id: IdArgument): string {
  const text = String(id);
  if (!isUuid(text)) throw new NotFoundError(entity, text);
  return text;
}

/** For lookups that answer null: the id as text, or null when it cannot name one of our rows. */
export function idOrNull(id: IdArgument): string | null {
  const text = String(id);
  return isUuid(text) ? text : null;
}
