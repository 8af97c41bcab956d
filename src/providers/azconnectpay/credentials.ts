// A merchant's AZConnectPay account: where the API lives and the two keys the
// document names (the public APIKEY header, the private key behind Checksum).
import { z } from 'zod';

export const AZCONNECTPAY_DEFAULT_BASE_URL = 'https://azconnectpay.site';

export const azConnectPayCredentialsSchema = z.object({
  /** Configurable: production is the document's host; tests point at the sandbox mount. */
  baseUrl: z
    .string()
    .url()
    .default(AZCONNECTPAY_DEFAULT_BASE_URL)
    // A trailing slash would turn `/api/v2/…` into `//api/v2/…`.
    .transform((url) => url.replace(/\/+$/, '')),
  /** Sent verbatim in the APIKEY header. */
  apiKey: z.string().min(1),
  /** Key of the HMAC-MD5 Checksum; never sent, never logged. */
  privateKey: z.string().min(1),
});

export type AzConnectPayCredentials = z.output<typeof azConnectPayCredentialsSchema>;
export type AzConnectPayCredentialsInput = z.input<typeof azConnectPayCredentialsSchema>;
