// Secrets never leave the folder: not in error messages, not in the `raw`
// payloads stored on order events. Two layers: known secret values are cut out
// of any text, and fields whose name says "secret" are masked in parsed bodies.

const secretField = /^(token|password|otp|sign|.*secret.*|.*_key|api_key)$/i;

export interface Redactor {
  /** Replaces every known secret value in a text. */
  text(text: string): string;
  /** A deep copy of a parsed body with secret-named fields masked and known secret values cut out. */
  value(value: unknown): unknown;
  /** Adds a value learnt later (the Bearer token). */
  remember(secret: string): void;
}

export function createRedactor(initial: readonly (string | undefined)[]): Redactor {
  // Very short values would mangle ordinary text; they are masked by field name instead.
  const secrets = new Set(initial.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 4));
  const text = (input: string) => {
    let out = input;
    for (const secret of secrets) out = out.split(secret).join('[redacted]');
    return out;
  };
  const value = (input: unknown): unknown => {
    if (typeof input === 'string') return text(input);
    if (Array.isArray(input)) return input.map(value);
    if (input && typeof input === 'object') {
      return Object.fromEntries(
        Object.entries(input).map(([key, inner]) => [key, secretField.test(key) && inner !== '' && inner !== null && typeof inner !== 'boolean' ? '[redacted]' : value(inner)]),
      );
    }
    return input;
  };
  return { text, value, remember: (secret) => void (secret.length >= 4 && secrets.add(secret)) };
}
