// The Payment Hub's gateway settings as paygraph shows and changes them: the
// Hub's answer as a typed view (secrets only as "is one stored"), a change
// checked and merged over the current settings before anything is sent, and
// which fields of our own provider account no longer agree after a save.
// Pure; ProviderOperations makes the calls.
import { isIP } from 'node:net';
import { z } from 'zod';
import { hasControlCharacters } from '../domain/text.js';
import type { ApiNganHangCredentials, HubGateway, HubSettings, HubSettingsInput } from '../providers/apinganhang/index.js';
import { ValidationError } from '../errors/index.js';

/** What a merchant may see of its Hub gateway settings: public fields typed, secrets only as "is one stored". */
export interface HubSettingsView {
  gateway: HubGateway;
  enabled: boolean;
  /** SharkPay mch_id / WowPay merchant_no. */
  merchantNo: string | null;
  notifyUrl: string | null;
  whitelistIps: string[];
  /** WowPay only (null for SharkPay). */
  callbackSourceIps: string[] | null;
  hasPayinSecretKey: boolean;
  /** Null when the Hub does not say (its documented answer has only has_payin_secret_key). */
  hasPayoutSecretKey: boolean | null;
}

export interface HubSettingsChange {
  gateway: HubGateway;
  enabled: boolean;
  /** Absent: keep the stored one. */
  merchantNo?: string | null;
  /** Empty or absent: the Hub keeps the stored secret (its documented rule). */
  payinSecretKey?: string | null;
  payoutSecretKey?: string | null;
  /** Absent: keep; "": clear. */
  notifyUrl?: string | null;
  /** Absent: keep; []: clear. */
  whitelistIps?: string[] | null;
  /** WowPay only. Absent: keep; []: clear. */
  callbackSourceIps?: string[] | null;
}

export interface HubSettingsSaved {
  settings: HubSettingsView;
  /**
   * Fields of the merchant's paygraph APINGANHANG account that no longer match
   * what was just saved at the Hub (the callback keys and merchant number the
   * forwarded callbacks are checked with): update them with setProviderAccount,
   * or the gateway's callbacks will be refused.
   */
  providerAccountFieldsToUpdate: string[];
}

const MAX_IPS = 50;
const secretText = (field: string) =>
  z
    .string()
    .max(256, `${field}: at most 256 characters`)
    .refine((value) => !hasControlCharacters(value), `${field}: no control characters`);

function ipList(field: string, ips: string[]): string[] {
  if (ips.length > MAX_IPS) throw new ValidationError(`${field}: at most ${MAX_IPS} addresses`, field);
  return ips.map((raw) => {
    const ip = raw.trim();
    if (isIP(ip) === 0) throw new ValidationError(`${field}: "${raw.slice(0, 64)}" is not an IP address`, field);
    return ip;
  });
}

const splitIps = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((ip) => ip.trim())
        .filter(Boolean)
    : [];
const textOrNull = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/** The Hub's answer as a typed view. Secret-looking fields are never copied: only the typed public ones are. */
export function hubSettingsView(settings: HubSettings): HubSettingsView {
  const fields = settings.settings;
  return {
    gateway: settings.gateway,
    enabled: settings.enabled,
    merchantNo: textOrNull(settings.gateway === 'sharkpay' ? fields.mch_id : fields.merchant_no),
    notifyUrl: textOrNull(fields.notify_url),
    whitelistIps: splitIps(fields.whitelist_ips),
    callbackSourceIps: settings.gateway === 'wowpay' ? splitIps(fields.callback_source_ips) : null,
    hasPayinSecretKey: settings.hasPayinSecretKey,
    hasPayoutSecretKey: settings.hasPayoutSecretKey ?? null,
  };
}

/** Checks a change and merges it over the current view; throws ValidationError before anything is sent. */
export function mergeHubSettings(current: HubSettingsView, change: HubSettingsChange): HubSettingsInput {
  if (change.gateway === 'sharkpay' && change.callbackSourceIps != null) throw new ValidationError('callbackSourceIps: WowPay only', 'callbackSourceIps');
  const merchantNo = (change.merchantNo ?? current.merchantNo ?? '').trim();
  if (!merchantNo || merchantNo.length > 64 || hasControlCharacters(merchantNo)) {
    throw new ValidationError(`merchantNo: the ${change.gateway === 'sharkpay' ? 'SharkPay mch_id' : 'WowPay merchant_no'}, 1–64 characters`, 'merchantNo');
  }
  for (const field of ['payinSecretKey', 'payoutSecretKey'] as const) {
    const checked = secretText(field).safeParse(change[field] ?? '');
    if (!checked.success) throw new ValidationError(checked.error.issues[0]!.message, field);
  }
  const notifyUrl = change.notifyUrl ?? current.notifyUrl ?? '';
  if (notifyUrl !== '') {
    let url: URL | undefined;
    try {
      url = new URL(notifyUrl);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || notifyUrl.length > 2048) throw new ValidationError('notifyUrl: an http(s) URL of at most 2048 characters, or "" to clear it', 'notifyUrl');
  }
  const whitelistIps = ipList('whitelistIps', change.whitelistIps ?? current.whitelistIps);
  const common = { payin_secret_key: change.payinSecretKey ?? '', payout_secret_key: change.payoutSecretKey ?? '', notify_url: notifyUrl, whitelist_ips: whitelistIps.join(',') };
  if (change.gateway === 'sharkpay') return { gateway: 'sharkpay', enabled: change.enabled, settings: { mch_id: merchantNo, ...common } };
  const callbackSourceIps = ipList('callbackSourceIps', change.callbackSourceIps ?? current.callbackSourceIps ?? []);
  return { gateway: 'wowpay', enabled: change.enabled, settings: { merchant_no: merchantNo, ...common, callback_source_ips: callbackSourceIps.join(',') } };
}

/** What the Hub now holds that the callback checks of our provider account would not agree with. */
export function outdatedProviderAccountFields(credentials: Pick<ApiNganHangCredentials, 'hub'>, change: HubSettingsChange, saved: HubSettingsView): string[] {
  const ours = change.gateway === 'sharkpay' ? credentials.hub.sharkpay : credentials.hub.wowpay;
  const prefix = change.gateway;
  const stored = ours as { payinSecretKey?: string; payoutSecretKey?: string; mchId?: string; merchantNo?: string } | undefined;
  const outdated: string[] = [];
  if (change.payinSecretKey && change.payinSecretKey !== stored?.payinSecretKey) outdated.push(`${prefix}PayinSecretKey`);
  if (change.payoutSecretKey && change.payoutSecretKey !== stored?.payoutSecretKey) outdated.push(`${prefix}PayoutSecretKey`);
  const ourNumber = change.gateway === 'sharkpay' ? stored?.mchId : stored?.merchantNo;
  if (saved.merchantNo && ourNumber !== undefined && ourNumber !== saved.merchantNo) outdated.push(change.gateway === 'sharkpay' ? 'sharkpayMchId' : 'wowpayMerchantNo');
  return outdated;
}
