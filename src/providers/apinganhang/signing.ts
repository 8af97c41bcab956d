// The three signatures of the document, written from its PHP samples:
// - SharkPay callback: UPPER(md5("k=v&…&key=<payin secret>")) over five named
//   fields (as strings, empty ones left out), sorted by key;
// - WowPay callback: the same construction over every field except sign and
//   sign_type, empty and null ones left out;
// - transaction webhook: hex HMAC-SHA256(secret, "order_code|amount|trans_id|paid_at").
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const sharkPaySignedFields = ['mch_id', 'mch_order_no', 'order_no', 'amount', 'status'] as const;

/**
 * A value as PHP's string conversion prints it: numbers as digits, true as
 * "1", false and null as "". Objects and arrays cannot be signed (PHP would
 * print "Array"): undefined.
 */
export function phpString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? '1' : '';
  if (value === null || value === undefined) return '';
  return undefined;
}

/** "a=1&b=2&key=<secret>" from pairs already filtered, sorted by key (byte order, as PHP's ksort for these keys). */
function signingBase(pairs: [string, string][], secret: string): string {
  const sorted = [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [...sorted.map(([key, value]) => `${key}=${value}`), `key=${secret}`].join('&');
}

const upperMd5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();

export function sharkPaySigningBase(fields: Record<string, unknown>, secret: string): string {
  const pairs: [string, string][] = [];
  for (const key of sharkPaySignedFields) {
    const value = phpString(fields[key]) ?? '';
    if (value !== '') pairs.push([key, value]);
  }
  return signingBase(pairs, secret);
}

export function sharkPaySign(fields: Record<string, unknown>, secret: string): string {
  return upperMd5(sharkPaySigningBase(fields, secret));
}

/** undefined when a field holds an object or array (not a payload WowPay can have signed). */
export function wowPaySigningBase(fields: Record<string, unknown>, secret: string): string | undefined {
  const pairs: [string, string][] = [];
  for (const [key, raw] of Object.entries(fields)) {
    if (key === 'sign' || key === 'sign_type') continue;
    // The PHP sample drops '' and null only: false stays, printed as "".
    if (raw === '' || raw === null || raw === undefined) continue;
    const value = phpString(raw);
    if (value === undefined) return undefined;
    pairs.push([key, value]);
  }
  return signingBase(pairs, secret);
}

export function wowPaySign(fields: Record<string, unknown>, secret: string): string | undefined {
  const base = wowPaySigningBase(fields, secret);
  return base === undefined ? undefined : upperMd5(base);
}

export function transactionWebhookSigningString(fields: { order_code: string; amount: string; trans_id: string; paid_at: string }): string {
  return [fields.order_code, fields.amount, fields.trans_id, fields.paid_at].join('|');
}

export function transactionWebhookSign(message: string, secret: string): string {
  return createHmac('sha256', secret).update(message, 'utf8').digest('hex');
}

/** Constant-time equality of two texts; different lengths are unequal without a timing signal on content. */
export function safeEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
