// Our ids are UUIDs: anything else names nothing, and is answered as "not
// found" without asking the database (which would refuse it as a type error).

/** A UUID's text, for building route patterns (case-insensitive flag needed). */
export const uuidPattern = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const uuid = new RegExp(`^${uuidPattern}$`, 'i');

export function isUuid(value: string): boolean {
  return uuid.test(value);
}
