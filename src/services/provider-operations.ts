// Provider operations the connectors implement that are not about one order:
// the Payment Hub's gateway settings and test, one bank transaction as API
// Ngân hàng has it, its dashboard charts and its own CSV export, the logout,
// and VNKash's history. Each runs with the calling merchant's own provider
// account (never another's), and each failure has a type a caller can act on.
import { isIP } from 'node:net';
import { z } from 'zod';
import { hasControlCharacters } from '../domain/text.js';
import type { HubGateway, HubSettings, HubSettingsInput, TransactionFilter } from '../providers/apinganhang/index.js';
import { ProviderNotSupportedError, ProviderRefusedError } from '../errors/index.js';
import { createVnKashClient, type VnKashCredentials } from '../providers/vnkash/index.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { bankCall, type BankProvider } from './bank-provider.js';
import { BankStatementExportTooLargeError, HubGatewayTestFailedError } from '../errors/index.js';
import type { ProviderAccounts } from './provider-accounts.js';

// ---- Payment Hub settings -------------------------------------------------------

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

// ---- the provider's CSV export ------------------------------------------------------

/** The most paygraph hands over in one GraphQL answer (a month of a busy account is far below this). */
export const BANK_EXPORT_MAX_BYTES = 5 * 1024 * 1024;

export interface BankStatementExport {
  /** The provider's file as it sent it (UTF-8, without its BOM). */
  csv: string;
  bytes: number;
  filename: string;
}

export interface BankExportFilter {
  bank?: string | null;
  direction?: 'IN' | 'OUT' | null;
  /** YYYY-MM-DD, Vietnam calendar. */
  dateFrom?: string | null;
  dateTo?: string | null;
  search?: string | null;
  /** API Ngân hàng's id of a linked account (BankAccount.providerAccountId). */
  accountId?: number | null;
}

function providerFilter(filter: BankExportFilter): TransactionFilter {
  const date = (field: 'dateFrom' | 'dateTo') => {
    const value = filter[field];
    if (value == null) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new ValidationError(`${field}: a date YYYY-MM-DD (Vietnam calendar)`, field);
    return value;
  };
  const dateFrom = date('dateFrom');
  const dateTo = date('dateTo');
  if (dateFrom && dateTo && dateFrom > dateTo) throw new ValidationError('dateFrom: on or before dateTo', 'dateFrom');
  const bank = filter.bank?.trim().toUpperCase();
  if (bank !== undefined && !/^[A-Z0-9]{2,20}$/.test(bank)) throw new ValidationError('bank: a bank code such as MBBANK', 'bank');
  const search = filter.search?.trim();
  if (search !== undefined && (search === '' || search.length > 128 || hasControlCharacters(search))) throw new ValidationError('search: 1–128 characters', 'search');
  if (filter.accountId != null && !(Number.isInteger(filter.accountId) && filter.accountId > 0)) throw new ValidationError('accountId: a positive account id', 'accountId');
  return {
    ...(bank ? { bank } : {}),
    ...(filter.direction ? { type: filter.direction === 'IN' ? 'INCOME' : 'EXPENSE' } : {}),
    ...(dateFrom ? { dateFrom } : {}),
    ...(dateTo ? { dateTo } : {}),
    ...(search ? { search } : {}),
    ...(filter.accountId != null ? { accountId: filter.accountId } : {}),
  };
}

// ---- VNKash history -------------------------------------------------------------------

export const VNKASH_HISTORY_MAX = 250;

export interface VnKashHistoryQuery {
  first?: number | null;
  /** A page's olderCursor (with the same filters as that page). */
  before?: string | null;
  from?: Date | null;
  to?: Date | null;
  currency?: string | null;
  batch?: string | null;
}

export interface VnKashHistoryEntry {
  batch: string;
  source: string;
  type: string;
  currency: string;
  amount: bigint;
  fee: bigint;
  date: Date;
  description: unknown;
}

export interface VnKashHistoryPage {
  /** Newest first. */
  rows: VnKashHistoryEntry[];
  /** Pass as `before` for the rows before these; null when there are none. */
  olderCursor: string | null;
}

/**
 * history.json has no page number: it returns at most `record` (≤ 250) rows
 * of a from/to window, and rows carry the minute only ("03/12/2015 11:41").
 * A cursor is therefore a minute and how many of that minute's rows were
 * already shown: the next page asks for the window up to the end of that
 * minute with that many more records, and leaves those out.
 */
interface HistoryCursor {
  minute: number;
  shown: number;
}

const encodeCursor = (cursor: HistoryCursor) => Buffer.from(JSON.stringify([cursor.minute, cursor.shown])).toString('base64url');

function decodeCursor(text: string): HistoryCursor {
  try {
    const [minute, shown] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (Number.isSafeInteger(minute) && (minute as number) % 60_000 === 0 && Number.isInteger(shown) && (shown as number) > 0) return { minute: minute as number, shown: shown as number };
  } catch {
    // falls through to the typed error
  }
  throw new ValidationError('before: a cursor from a previous page (olderCursor)', 'before');
}

export class ProviderOperations {
  constructor(
    private readonly bank: BankProvider,
    private readonly accounts: ProviderAccounts,
  ) {}

  async hubSettings(merchantId: string, gateway: HubGateway): Promise<HubSettingsView> {
    return this.bank.with(merchantId, async (client) => hubSettingsView((await client.getHubSettings(gateway)).data));
  }

  /** Reads the current settings, saves the change over them (an empty secret keeps the stored one), and reads them back. */
  async saveHubSettings(merchantId: string, change: HubSettingsChange): Promise<HubSettingsSaved> {
    const client = await this.bank.client(merchantId);
    const read = () => bankCall(async () => hubSettingsView((await client.getHubSettings(change.gateway)).data));
    const input = mergeHubSettings(await read(), change);
    await bankCall(() => client.saveHubSettings(input));
    const saved = await read();
    return { settings: saved, providerAccountFieldsToUpdate: this.outdatedFields(await this.bank.credentials(merchantId), change, saved) };
  }

  /** What the Hub now holds that the callback checks of our provider account would not agree with. */
  private outdatedFields(credentials: Awaited<ReturnType<BankProvider['credentials']>>, change: HubSettingsChange, saved: HubSettingsView): string[] {
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

  /** The Hub tries the merchant's gateway settings; a failing test (its HTTP 400) is HubGatewayTestFailedError. */
  async testHubGateway(merchantId: string, gateway: HubGateway, mode: 'payin' | 'payout' | null) {
    if (mode && gateway !== 'wowpay') throw new ValidationError('mode: WowPay only (the document applies it to WowPay)', 'mode');
    try {
      const answer = await this.bank.with(merchantId, (client) => client.testGateway(gateway, mode ?? undefined));
      return { gateway, mode, message: answer.data.message ?? null };
    } catch (error) {
      if (error instanceof ProviderRefusedError && error.code === '400') throw new HubGatewayTestFailedError(gateway, mode, error.options.providerMessage ?? null);
      throw error;
    }
  }

  /** One statement line as API Ngân hàng has it, by its id; another member's id is not found (the provider scopes it to our login). */
  async transaction(merchantId: string, id: number) {
    if (!Number.isInteger(id) || id <= 0) throw new ValidationError('id: a positive transaction id', 'id');
    try {
      return await this.bank.with(merchantId, async (client) => (await client.getTransaction(id)).data);
    } catch (error) {
      if (error instanceof ProviderRefusedError && error.code === '404') throw new NotFoundError('BankProviderTransaction', String(id));
      throw error;
    }
  }

  dashboardCharts(merchantId: string) {
    return this.bank.with(merchantId, async (client) => (await client.dashboardCharts()).data);
  }

  async statementExport(merchantId: string, filter: BankExportFilter): Promise<BankStatementExport> {
    const query = providerFilter(filter);
    const csv = await this.bank.with(merchantId, (client) => client.exportTransactionsCsv(query));
    const bytes = Buffer.byteLength(csv, 'utf8');
    if (bytes > BANK_EXPORT_MAX_BYTES) throw new BankStatementExportTooLargeError(bytes, BANK_EXPORT_MAX_BYTES);
    const span = [query.dateFrom, query.dateTo].filter(Boolean).join('_');
    return { csv, bytes, filename: `apinganhang-transactions${span ? `-${span}` : ''}.csv` };
  }

  /** Cancels the token at API Ngân hàng; paygraph's next call logs in again with the stored credentials. */
  async logout(merchantId: string) {
    await this.bank.with(merchantId, (client) => client.logout());
    return { loggedOut: true };
  }

  /** A read-only view: rows are shown as VNKash sends them and tied to no order (description.index is not an order id: issue 12). */
  async vnKashHistory(merchantId: string, query: VnKashHistoryQuery): Promise<VnKashHistoryPage> {
    const first = query.first ?? 50;
    if (!Number.isInteger(first) || first < 1 || first > VNKASH_HISTORY_MAX) throw new ValidationError(`first: 1 to ${VNKASH_HISTORY_MAX}`, 'first');
    if (query.currency != null && !/^[A-Z]{3,8}$/.test(query.currency)) throw new ValidationError('currency: a currency code such as VND', 'currency');
    if (query.batch != null && !/^[A-Za-z0-9]{1,64}$/.test(query.batch)) throw new ValidationError('batch: a history reference (letters and digits)', 'batch');
    if (query.from && query.to && query.from > query.to) throw new ValidationError('from: on or before to', 'from');
    const cursor = query.before ? decodeCursor(query.before) : null;
    const skip = cursor?.shown ?? 0;
    if (skip >= VNKASH_HISTORY_MAX) throw new ProviderNotSupportedError('VNKASH', `more than ${VNKASH_HISTORY_MAX - 1} history rows share one minute: history.json cannot page past them; narrow with batch or currency`);
    const record = Math.min(first + skip, VNKASH_HISTORY_MAX);
    const credentials = (await this.accounts.credentials(merchantId, 'VNKASH')) as VnKashCredentials;
    const client = createVnKashClient(credentials, { http: this.accounts.context.http, nonces: this.accounts.context.nonces });
    // Up to the end of the cursor's minute, but never past the caller's own `to` (the same filters on every page).
    const minuteEnd = cursor ? new Date(cursor.minute + 59_000) : undefined;
    const to = minuteEnd && query.to ? (minuteEnd < query.to ? minuteEnd : query.to) : (minuteEnd ?? query.to ?? undefined);
    const answer = await client.history({
      ...(query.currency ? { currency: query.currency } : {}),
      ...(query.batch ? { batch: query.batch } : {}),
      ...(query.from ? { from: query.from } : {}),
      ...(to ? { to } : {}),
      record,
    });
    // Oldest first, as the document's example runs (a stable sort keeps the provider's order within a minute).
    const ascending = [...answer].sort((a, b) => a.date.getTime() - b.date.getTime());
    let left = skip;
    while (left > 0 && ascending.length > 0 && ascending[ascending.length - 1]!.date.getTime() === cursor!.minute) {
      ascending.pop();
      left--;
    }
    const rows = ascending.reverse().map((row) => ({ ...row, description: row.description ?? null }));
    const windowFull = answer.length >= record;
    const oldest = rows[rows.length - 1];
    let olderCursor: string | null = null;
    if (windowFull && oldest) {
      const minute = oldest.date.getTime() - (oldest.date.getTime() % 60_000);
      const shownInMinute = rows.filter((row) => row.date.getTime() - (row.date.getTime() % 60_000) === minute).length + (cursor?.minute === minute ? skip : 0);
      olderCursor = encodeCursor({ minute, shown: shownInMinute });
    }
    return { rows, olderCursor };
  }
}
