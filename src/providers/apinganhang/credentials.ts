// A merchant's API Ngân hàng account: the login that yields the Bearer token,
// the secrets the merchant configured for the Payment Hub gateways (needed to
// verify forwarded gateway callbacks: the Hub never returns them in clear),
// the transaction-webhook secret, and overrides for the assumed paths.
import { z } from 'zod';
import { pathOverridesSchema } from './paths.js';

export const APINGANHANG_DEFAULT_BASE_URL = 'https://client.apinganhang.net/api/v1';

/** "1.2.3.4,5.6.7.8" (the Hub's own format) or a list. */
const ipList = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((ip) => ip.trim()).filter((ip) => ip.length > 0));

export interface SharkPaySecrets {
  /** When set, a callback for another mch_id is refused ("verify theo mch_id + sign"). */
  mchId?: string;
  /** Signs pay-in callbacks (the document's SHARKPAY_PAYIN_SECRET). */
  payinSecretKey: string;
  /** Verifies payout callbacks first (the settings recommend separate keys); the pay-in key is the fallback, as the document's sample signs with it. */
  payoutSecretKey?: string;
}

export interface WowPaySecrets {
  /** When set, a callback naming another merchant_no is refused. */
  merchantNo?: string;
  /** Signs pay-in callbacks (the document's WOWPAY_DEPOSIT_KEY). */
  payinSecretKey: string;
  payoutSecretKey?: string;
  /** When non-empty, a WowPay callback from any other address is refused (reason source-ip). */
  callbackSourceIps: string[];
}

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

// Flat on purpose: the secret fields are top-level keys, so the account store
// can seal exactly them (apiNganHangSecretFields) and keep the rest readable.
const flatCredentialsSchema = z.object({
  baseUrl: z
    .string()
    .url()
    .default(APINGANHANG_DEFAULT_BASE_URL)
    // A trailing slash would turn `/auth/login.php` into `//auth/login.php`.
    .transform((url) => url.replace(/\/+$/, '')),
  username: z.string().min(1),
  /** Exchanged for the Bearer token; never sent anywhere else, never logged. */
  password: z.string().min(1),
  /** Secret of the transaction.confirmed webhook (HMAC-SHA256). */
  webhookSecret: optionalText,
  /** The member's Payment Hub gateway settings, as entered at app.apinganhang.net (the Hub never returns the secrets). */
  sharkpayMchId: optionalText,
  sharkpayPayinSecretKey: optionalText,
  sharkpayPayoutSecretKey: optionalText,
  wowpayMerchantNo: optionalText,
  wowpayPayinSecretKey: optionalText,
  wowpayPayoutSecretKey: optionalText,
  wowpayCallbackSourceIps: ipList.default([]),
  /**
   * The merchant's server IP, sent as the Hub's `device_ip` ("IP client de doi
   * soat whitelist": the caller the Hub checks against whitelist_ips, as the
   * document's example pairs 1.2.3.4 with its whitelist). Never the payer's.
   * Unset: device_ip is left out.
   */
  hubDeviceIp: z
    .string()
    .ip()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** Overrides for operation paths (see paths.ts; the assumed ones especially). */
  paths: pathOverridesSchema.default({}),
});

/** The fields to seal at rest and never show. */
export const apiNganHangSecretFields = ['password', 'webhookSecret', 'sharkpayPayinSecretKey', 'sharkpayPayoutSecretKey', 'wowpayPayinSecretKey', 'wowpayPayoutSecretKey'] as const;

export const apiNganHangCredentialsSchema = flatCredentialsSchema.transform((flat) => {
  const sharkpay: SharkPaySecrets | undefined = flat.sharkpayPayinSecretKey
    ? { payinSecretKey: flat.sharkpayPayinSecretKey, ...(flat.sharkpayMchId ? { mchId: flat.sharkpayMchId } : {}), ...(flat.sharkpayPayoutSecretKey ? { payoutSecretKey: flat.sharkpayPayoutSecretKey } : {}) }
    : undefined;
  const wowpay: WowPaySecrets | undefined = flat.wowpayPayinSecretKey
    ? {
        payinSecretKey: flat.wowpayPayinSecretKey,
        callbackSourceIps: flat.wowpayCallbackSourceIps,
        ...(flat.wowpayMerchantNo ? { merchantNo: flat.wowpayMerchantNo } : {}),
        ...(flat.wowpayPayoutSecretKey ? { payoutSecretKey: flat.wowpayPayoutSecretKey } : {}),
      }
    : undefined;
  return {
    baseUrl: flat.baseUrl,
    username: flat.username,
    password: flat.password,
    ...(flat.webhookSecret ? { webhookSecret: flat.webhookSecret } : {}),
    /** A gateway is absent until its payin secret is configured (its callbacks cannot be verified before). */
    hub: { ...(sharkpay ? { sharkpay } : {}), ...(wowpay ? { wowpay } : {}) } as { sharkpay?: SharkPaySecrets; wowpay?: WowPaySecrets },
    ...(flat.hubDeviceIp ? { hubDeviceIp: flat.hubDeviceIp } : {}),
    paths: flat.paths,
  };
});

export type ApiNganHangCredentials = z.output<typeof apiNganHangCredentialsSchema>;
export type ApiNganHangCredentialsInput = z.input<typeof apiNganHangCredentialsSchema>;
