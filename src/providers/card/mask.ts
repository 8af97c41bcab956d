// Card codes and serials are bearer secrets until the card is used: whoever
// reads them can spend the card. They are shown only by their last 4
// characters, and scrubbed out of any provider text we keep or throw.

/** "…3088": the last 4 characters, or "…" alone when the value is too short to show any safely. */
export function maskSecret(value: string): string {
  if (value.length <= 4) return '…';
  return `…${value.slice(-4)}`;
}

/** Replaces every occurrence of each secret in `text` by its masked form (for error bodies and messages). */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  // Longest first, so a secret that contains another is replaced whole.
  const sorted = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length > 0).sort((a, b) => b.length - a.length);
  for (const secret of sorted) result = result.split(secret).join(maskSecret(secret));
  return result;
}
