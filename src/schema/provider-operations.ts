// Provider operations that are not about one order, each with its typed
// errors: on `bankProviderAccount`, the Payment Hub's gateway settings, one
// transaction as API Ngân hàng has it, its dashboard charts and its own CSV
// export; the mutations saveHubSettings, testHubGateway, logoutBankProvider;
// and vnKashHistory. Every call uses the caller's own provider account.
import { builder, requireMerchant, type Context } from './builder.js';
import { ErrorInterface } from './errors.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { BankProviderAccount, bankProviderErrors } from './bank-account.js';
import { DirectionEnum } from './bank-transaction.js';
import { GatewayEnum } from './enums.js';
import { ProviderAuthError, ProviderNotSupportedError, ProviderRefusedError, ProviderUnavailableError } from '../errors/index.js';
import type { BankTransaction, DashboardCharts, HubGateway } from '../providers/apinganhang/index.js';
import { ProviderNotConfiguredError } from '../errors/index.js';
import { BankStatementExportTooLargeError, HubGatewayTestFailedError } from '../errors/index.js';
import { BANK_EXPORT_MAX_BYTES, VNKASH_HISTORY_MAX, type BankStatementExport, type HubSettingsSaved, type HubSettingsView, type VnKashHistoryEntry, type VnKashHistoryPage } from '../services/provider-operations.js';


/** One provider read per thing per request, however many fields or aliases ask for it. */
function once<T>(ctx: Context, key: string, load: () => Promise<T>): Promise<T> {
  ctx.loaders ??= new Map();
  let memo = ctx.loaders.get('provider-operations') as Map<string, Promise<unknown>> | undefined;
  if (!memo) {
    memo = new Map();
    ctx.loaders.set('provider-operations', memo);
  }
  let loading = memo.get(key);
  if (!loading) {
    loading = load();
    memo.set(key, loading);
  }
  return loading as Promise<T>;
}

// ---- Payment Hub settings ----------------------------------------------------------

const HubSettingsType = builder.objectRef<HubSettingsView>('HubGatewaySettings').implement({
  description: 'Your gateway settings at the Payment Hub. Secrets are never shown, only whether one is stored.',
  fields: (t) => ({
    gateway: t.field({ type: GatewayEnum, resolve: (s) => s.gateway }),
    enabled: t.exposeBoolean('enabled'),
    merchantNo: t.exposeString('merchantNo', { nullable: true, description: 'SharkPay mch_id / WowPay merchant_no.' }),
    notifyUrl: t.exposeString('notifyUrl', { nullable: true, description: 'Where the Hub forwards gateway callbacks when an order names none.' }),
    whitelistIps: t.exposeStringList('whitelistIps', { description: 'Addresses the Hub accepts orders from.' }),
    callbackSourceIps: t.exposeStringList('callbackSourceIps', { nullable: true, description: 'WowPay: addresses its callbacks may come from (null for SharkPay).' }),
    hasPayinSecretKey: t.exposeBoolean('hasPayinSecretKey'),
    hasPayoutSecretKey: t.exposeBoolean('hasPayoutSecretKey', { nullable: true, description: 'Null when the Hub does not say.' }),
  }),
});

const BankProviderTransaction = builder.objectRef<BankTransaction>('BankProviderTransaction').implement({
  description: 'One statement line as API Ngân hàng has it now (not the imported copy: see transactions).',
  fields: (t) => ({
    id: t.exposeInt('id', { description: "API Ngân hàng's id." }),
    bank: t.exposeString('bank'),
    accountNumber: t.exposeString('account'),
    amount: t.field({ type: 'BigInt', description: 'Signed: positive in, negative out.', resolve: (l) => l.amount }),
    direction: t.field({ type: DirectionEnum, resolve: (l) => l.direction }),
    refNo: t.exposeString('refNo', { description: "The bank's reference." }),
    description: t.exposeString('description'),
    balanceAfter: t.field({ type: 'BigInt', nullable: true, resolve: (l) => l.balanceAfter }),
    transactionTime: t.field({ type: 'DateTime', resolve: (l) => l.transactionTime }),
    recordedAt: t.field({ type: 'DateTime', nullable: true, description: 'When API Ngân hàng recorded it (created_at).', resolve: (l) => (l.createdAt === null ? null : new Date(l.createdAt * 1000)) }),
  }),
});

const ChartDay = builder.objectRef<DashboardCharts['daily'][number]>('BankChartDay').implement({
  fields: (t) => ({
    date: t.exposeString('date', { description: 'YYYY-MM-DD, Vietnam calendar.' }),
    totalIn: t.field({ type: 'BigInt', resolve: (d) => d.totalIn }),
    totalOut: t.field({ type: 'BigInt', resolve: (d) => d.totalOut }),
  }),
});

const ChartCategory = builder.objectRef<DashboardCharts['categories'][number]>('BankChartCategory').implement({
  fields: (t) => ({
    name: t.exposeString('name', { description: "The provider's category name." }),
    totalIn: t.field({ type: 'BigInt', resolve: (c) => c.totalIn }),
    totalOut: t.field({ type: 'BigInt', resolve: (c) => c.totalOut }),
  }),
});

const BankCharts = builder.objectRef<DashboardCharts>('BankDashboardCharts').implement({
  description: "API Ngân hàng's chart data: money in and out per day over the last 30 days, and the split by category.",
  fields: (t) => ({
    daily: t.field({ type: [ChartDay], resolve: (c) => c.daily }),
    categories: t.field({ type: [ChartCategory], resolve: (c) => c.categories }),
  }),
});

const BankStatementExportType = builder.objectRef<BankStatementExport>('BankStatementExport').implement({
  description: "API Ngân hàng's own CSV export, as it sent it.",
  fields: (t) => ({
    csv: t.exposeString('csv', { description: "The provider's file, UTF-8 without its BOM, cells as the provider wrote them (not formula-escaped: for a spreadsheet prefer transactionsCsv)." }),
    bytes: t.exposeInt('bytes', { description: 'Its size in UTF-8 bytes.' }),
    filename: t.exposeString('filename'),
  }),
});

const BankExportFilter = builder.inputType('BankStatementExportFilter', {
  description: "API Ngân hàng's list filters (the export takes the same ones).",
  fields: (t) => ({
    bank: t.string({ required: false, description: 'A bank code: MBBANK, BIDV, …' }),
    direction: t.field({ type: DirectionEnum, required: false }),
    dateFrom: t.string({ required: false, description: 'YYYY-MM-DD, Vietnam calendar.' }),
    dateTo: t.string({ required: false, description: 'YYYY-MM-DD, Vietnam calendar.' }),
    search: t.string({ required: false, description: 'In the description or the bank reference.' }),
    accountId: t.int({ required: false, description: "API Ngân hàng's id of a linked account (BankAccount.providerAccountId)." }),
  }),
});

builder.objectFields(BankProviderAccount, (t) => ({
  hubSettings: t.field({
    type: HubSettingsType,
    description: 'Your Payment Hub settings for one gateway (secrets masked).',
    errors: { types: bankProviderErrors },
    args: { gateway: t.arg({ type: GatewayEnum, required: true }) },
    resolve: (a, { gateway }, ctx) => once(ctx, `hub:${gateway}`, () => ctx.services.providerOperations.hubSettings(a.merchantId, gateway)),
  }),
  transaction: t.field({
    type: BankProviderTransaction,
    description: 'One statement line by API Ngân hàng\'s id, read from it now.',
    errors: { types: [ValidationError, NotFoundError, ...bankProviderErrors] },
    args: { id: t.arg.int({ required: true }) },
    resolve: (a, { id }, ctx) => once(ctx, `transaction:${id}`, () => ctx.services.providerOperations.transaction(a.merchantId, id)),
  }),
  charts: t.field({
    type: BankCharts,
    errors: { types: bankProviderErrors },
    resolve: (a, _args, ctx) => once(ctx, 'charts', () => ctx.services.providerOperations.dashboardCharts(a.merchantId)),
  }),
  statementExport: t.field({
    type: BankStatementExportType,
    description: `API Ngân hàng's own CSV export of your statement (filters apply, paging does not), up to ${BANK_EXPORT_MAX_BYTES} bytes.`,
    errors: { types: [ValidationError, BankStatementExportTooLargeError, ...bankProviderErrors] },
    args: { filter: t.arg({ type: BankExportFilter, required: false }) },
    resolve: (a, { filter }, ctx) => once(ctx, `export:${JSON.stringify(filter ?? {})}`, () => ctx.services.providerOperations.statementExport(a.merchantId, filter ?? {})),
  }),
}));

const SaveHubSettingsInput = builder.inputType('SaveHubSettingsInput', {
  description: 'A field left out keeps what the Hub has; an empty or absent secret keeps the stored one.',
  fields: (t) => ({
    gateway: t.field({ type: GatewayEnum, required: true }),
    enabled: t.boolean({ required: true }),
    merchantNo: t.string({ required: false, description: 'SharkPay mch_id / WowPay merchant_no (required the first time).' }),
    payinSecretKey: t.string({ required: false, description: 'Write-only.' }),
    payoutSecretKey: t.string({ required: false, description: 'Write-only.' }),
    notifyUrl: t.string({ required: false, description: '"" clears it.' }),
    whitelistIps: t.stringList({ required: false, description: '[] clears it.' }),
    callbackSourceIps: t.stringList({ required: false, description: 'WowPay only. [] clears it.' }),
  }),
});

const HubSettingsSavedType = builder.objectRef<HubSettingsSaved>('HubSettingsSaved').implement({
  fields: (t) => ({
    settings: t.field({ type: HubSettingsType, description: 'As the Hub now has them.', resolve: (s) => s.settings }),
    providerAccountFieldsToUpdate: t.exposeStringList('providerAccountFieldsToUpdate', {
      description: "Fields of your APINGANHANG provider account (setProviderAccount) that no longer match what the Hub holds: the forwarded callbacks are checked with them, so update them too.",
    }),
  }),
});

builder.mutationField('saveHubSettings', (t) =>
  t.field({
    type: HubSettingsSavedType,
    description: "Saves your gateway settings at the Payment Hub (API Ngân hàng's POST /payments/settings.php) and reads them back.",
    authScopes: { merchant: true },
    errors: { types: [ValidationError, ...bankProviderErrors] },
    args: { input: t.arg({ type: SaveHubSettingsInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      ctx.services.providerOperations.saveHubSettings(requireMerchant(ctx), {
        gateway: input.gateway,
        enabled: input.enabled,
        merchantNo: input.merchantNo ?? null,
        payinSecretKey: input.payinSecretKey ?? null,
        payoutSecretKey: input.payoutSecretKey ?? null,
        notifyUrl: input.notifyUrl ?? null,
        whitelistIps: input.whitelistIps ?? null,
        callbackSourceIps: input.callbackSourceIps ?? null,
      }),
  }),
);

const HubTestModeEnum = builder.enumType('HubTestMode', { values: ['PAYIN', 'PAYOUT'] as const, description: 'WowPay: which of its keys to test.' });

const HubGatewayTest = builder.objectRef<{ gateway: HubGateway; mode: 'payin' | 'payout' | null; message: string | null }>('HubGatewayTest').implement({
  fields: (t) => ({
    gateway: t.field({ type: GatewayEnum, resolve: (r) => r.gateway }),
    mode: t.field({ type: HubTestModeEnum, nullable: true, resolve: (r) => (r.mode === null ? null : r.mode === 'payin' ? 'PAYIN' : 'PAYOUT') }),
    message: t.exposeString('message', { nullable: true, description: "The Hub's own words." }),
  }),
});

builder.mutationField('testHubGateway', (t) =>
  t.field({
    type: HubGatewayTest,
    description: 'Asks the Payment Hub to try your gateway settings before going live. Changes nothing.',
    authScopes: { merchant: true },
    errors: { types: [ValidationError, HubGatewayTestFailedError, ...bankProviderErrors] },
    args: { gateway: t.arg({ type: GatewayEnum, required: true }), mode: t.arg({ type: HubTestModeEnum, required: false }) },
    resolve: (_root, { gateway, mode }, ctx) => ctx.services.providerOperations.testHubGateway(requireMerchant(ctx), gateway, mode ? (mode === 'PAYIN' ? 'payin' : 'payout') : null),
  }),
);

builder.mutationField('logoutBankProvider', (t) =>
  t.field({
    type: builder.objectRef<{ loggedOut: boolean }>('BankProviderLogout').implement({ fields: (f) => ({ loggedOut: f.exposeBoolean('loggedOut') }) }),
    description:
      "Cancels your API Ngân hàng token (its logout). A member has one current token, so every other client using the same login is logged out too; paygraph's next call logs in again with your stored credentials.",
    authScopes: { merchant: true },
    errors: { types: bankProviderErrors },
    resolve: (_root, _args, ctx) => ctx.services.providerOperations.logout(requireMerchant(ctx)),
  }),
);

// ---- VNKash history --------------------------------------------------------------------

const VnKashHistoryRow = builder.objectRef<VnKashHistoryEntry>('VnKashHistoryRow').implement({
  description: 'A movement on your VNKash wallet, as VNKash lists it. A read-only view: it is tied to no order here.',
  fields: (t) => ({
    batch: t.exposeString('batch', { description: "VNKash's reference." }),
    source: t.exposeString('source'),
    type: t.exposeString('type', { description: 'DEPOSIT, WITHDRAW, … as VNKash writes it.' }),
    currency: t.exposeString('currency'),
    amount: t.field({ type: 'BigInt', resolve: (r) => r.amount }),
    fee: t.field({ type: 'BigInt', resolve: (r) => r.fee }),
    date: t.field({ type: 'DateTime', description: 'To the minute (VNKash prints no seconds).', resolve: (r) => r.date }),
    description: t.field({ type: 'JSON', nullable: true, description: 'As VNKash sent it; undocumented (its `index` numbers rows: it is not an order or deposit id).', resolve: (r) => r.description ?? null }),
  }),
});

const VnKashHistoryPageType = builder.objectRef<VnKashHistoryPage>('VnKashHistoryPage').implement({
  fields: (t) => ({
    rows: t.field({ type: [VnKashHistoryRow], description: 'Newest first.', resolve: (p) => p.rows }),
    olderCursor: t.exposeString('olderCursor', { nullable: true, description: 'Pass as `before` for older rows; null when there are none.' }),
  }),
});

builder.queryField('vnKashHistory', (t) =>
  t.field({
    type: VnKashHistoryPageType,
    description: `Your VNKash wallet history, newest first, ${VNKASH_HISTORY_MAX} rows a page at most (history.json's limit); follow olderCursor for more.`,
    authScopes: { merchant: true },
    errors: { types: [ValidationError, ProviderRefusedError, ProviderUnavailableError, ProviderAuthError, ProviderNotSupportedError, ProviderNotConfiguredError] },
    args: {
      first: t.arg.int({ required: false, description: `1 to ${VNKASH_HISTORY_MAX} (default 50).` }),
      before: t.arg.string({ required: false, description: 'A page\'s olderCursor; keep the other arguments as they were.' }),
      from: t.arg({ type: 'DateTime', required: false }),
      to: t.arg({ type: 'DateTime', required: false }),
      currency: t.arg.string({ required: false }),
      batch: t.arg.string({ required: false, description: 'One reference only.' }),
    },
    resolve: (_root, args, ctx) => ctx.services.providerOperations.vnKashHistory(requireMerchant(ctx), args),
  }),
);
