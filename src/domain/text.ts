// Text we store must be text PostgreSQL accepts and people can read: no NUL
// (PostgreSQL refuses it in text and jsonb) and no other control characters.

// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function hasControlCharacters(value: string): boolean {
  return controlCharacters.test(value);
}

/** True when any string inside `value` (deeply) holds a control character. */
export function containsControlCharacters(value: unknown): boolean {
  if (typeof value === 'string') return hasControlCharacters(value);
  if (Array.isArray(value)) return value.some(containsControlCharacters);
  if (value && typeof value === 'object') return Object.entries(value).some(([key, inner]) => hasControlCharacters(key) || containsControlCharacters(inner));
  return false;
}

/** Order and charge references (ours and every provider's) are short printable ASCII. */
export function isReference(value: string): boolean {
  return /^[\x21-\x7e]{1,128}$/.test(value);
}
