// A merchant's VNKash connection: where the API lives and the key pair made at
// https://www.vnkash.com/api.html. Parsed once with zod; the secret never
// leaves this folder (no error message or payload carries it).
import { z } from 'zod';

export const vnKashSignatureAlgorithms = ['hmac-sha512', 'sha512-concat'] as const;
export type VnKashSignatureAlgorithm = (typeof vnKashSignatureAlgorithms)[number];

export const vnKashCredentialsSchema = z.object({
  /** Ends with /v1; endpoints are `<name>.json` under it. */
  baseUrl: z.string().url().default('https://api.vnkash.com/v1'),
  /** KEY header: the public key ("VYTTA-ZCY9N-…"). */
  publicKey: z.string().min(1),
  /** Signs every request; never sent, never logged. */
  secretKey: z.string().min(1),
  /**
   * The document only says "signed by the secret key using SHA512".
   * Decision: HMAC-SHA512(secret, string) by default; `sha512-concat` is plain
   * SHA-512 of string + secret, for an account that turns out to use that.
   */
  signatureAlgorithm: z.enum(vnKashSignatureAlgorithms).default('hmac-sha512'),
  /** The `currency` parameter of deposit, withdraw and transfer. */
  currency: z.string().min(1).default('VND'),
  /**
   * Decision: money calls also send `order=<our request id>` (a parameter the
   * document does not list for them, while history.json filters on `order`,
   * "the partner's order code"), so an order whose answer was lost can still be
   * found. Turn off if an account refuses unknown parameters.
   */
  sendOrderCode: z.boolean().default(true),
});

export type VnKashCredentialsInput = z.input<typeof vnKashCredentialsSchema>;
export type VnKashCredentials = z.output<typeof vnKashCredentialsSchema>;

/** Parses credentials; the error names the bad fields, never their values. */
export function parseVnKashCredentials(input: unknown): VnKashCredentials {
  const parsed = vnKashCredentialsSchema.safeParse(input);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)');
    throw new Error(`invalid VNKash credentials: ${[...new Set(fields)].join(', ')}`);
  }
  return parsed.data;
}
