// Bank accounts linked at API Ngân hàng, connecting one (directly or with
// an OTP), and the reads of the API Ngân hàng account itself (profile,
// package, deposit, notifications, site settings, bank packages, dashboard),
// each cached per request (bank-loaders.ts).
import { builder, requireMerchant, selection } from './builder.js';
import { linkableBankCodes } from '../services/bank-accounts.js';
import { bankLoaders } from './bank-loaders.js';
import type { ApiNganHangUser } from '../providers/apinganhang/index.js';
import type { BankPackage, DashboardSummary, DepositInfo, Notification, PackageStatus, PeriodTotals, Renewal, SiteSettings } from '../providers/apinganhang/index.js';
import { NotFoundError, ValidationError, ProviderAuthError, ProviderRefusedError, ProviderUnavailableError, BankPackageExpiredError, BankProviderNotConfiguredError } from '../errors/index.js';
import { existingId } from './ids.js';
import { parseInput } from '../validation/parse-input.js';
import { packageMonths } from '../validation/settings-input.js';

/** What any call to API Ngân hàng can end in. */
export const bankProviderErrors = [BankPackageExpiredError, BankProviderNotConfiguredError, ProviderRefusedError, ProviderUnavailableError, ProviderAuthError];

// ---- linked accounts ----------------------------------------------------

export const BankAccountType = builder.prismaObject('BankAccount', {
  description: 'A bank account linked at API Ngân hàng; its statement is imported and matched to your bank-transfer orders.',
  fields: (t) => ({
    id: t.exposeID('id'),
    providerAccountId: t.exposeString('providerAccountId', { description: "API Ngân hàng's id of the account." }),
    bankCode: t.exposeString('bankCode'),
    accountNumber: t.exposeString('accountNumber'),
    holderName: t.exposeString('holderName', { nullable: true }),
    balance: t.expose('balance', { type: 'BigInt', nullable: true, description: 'As of lastSyncedAt.' }),
    active: t.exposeBoolean('active', { description: 'False once API Ngân hàng no longer lists it.' }),
    lastSyncedAt: t.expose('lastSyncedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const BankCodeEnum = builder.enumType('LinkableBank', { values: linkableBankCodes, description: 'Banks API Ngân hàng links.' });

builder.queryField('bankAccounts', (t) =>
  t.prismaField({
    type: ['BankAccount'],
    description: 'Your accounts linked at API Ngân hàng, read from it now (and kept locally). Optionally one bank only.',
    authScopes: { merchant: true },
    errors: { types: bankProviderErrors },
    args: { bank: t.arg({ type: BankCodeEnum, required: false }) },
    resolve: async (query, _root, { bank }, ctx) => {
      const merchantId = requireMerchant(ctx);
      const ids = await bankLoaders(ctx).accounts.load(`${merchantId}|${bank ?? ''}`);
      return ctx.prisma.bankAccount.findMany({ ...selection(query), where: { id: { in: ids }, merchantId }, orderBy: [{ bankCode: 'asc' }, { accountNumber: 'asc' }] });
    },
  }),
);

const AddBankAccountInput = builder.inputType('AddBankAccountInput', {
  fields: (t) => ({
    bankCode: t.field({ type: BankCodeEnum, required: true }),
    accountNumber: t.string({ required: true, description: '4 to 64 characters.' }),
    holderName: t.string({ required: false }),
    loginId: t.string({ required: false, description: 'SmartBanking login, for banks that need it.' }),
    password: t.string({ required: false, description: 'SmartBanking password: sent to API Ngân hàng once, never stored or shown here.' }),
  }),
});

builder.mutationField('addBankAccount', (t) =>
  t.prismaField({
    type: 'BankAccount',
    description: 'Links a bank account at API Ngân hàng without an OTP. Banks that ask for one: requestBankOtp, then verifyBankOtp.',
    authScopes: { merchant: true },
    errors: { types: [ValidationError, ...bankProviderErrors] },
    args: { input: t.arg({ type: AddBankAccountInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = await ctx.services.bank.accounts.add(requireMerchant(ctx), {
        bankCode: input.bankCode,
        accountNumber: input.accountNumber,
        ...(input.holderName ? { holderName: input.holderName } : {}),
        ...(input.loginId ? { loginId: input.loginId } : {}),
        ...(input.password ? { password: input.password } : {}),
      });
      return ctx.prisma.bankAccount.findUniqueOrThrow({ ...selection(query), where: { id } });
    },
  }),
);

const BankLoginInput = builder.inputType('BankLoginInput', {
  fields: (t) => ({
    bankCode: t.field({ type: BankCodeEnum, required: true }),
    loginId: t.string({ required: true, description: 'SmartBanking login.' }),
    password: t.string({ required: true, description: 'SmartBanking password. Kept sealed (encrypted) until the OTP is verified or expires; never shown.' }),
    accountNumber: t.string({ required: true }),
  }),
});

const BankConnectStepEnum = builder.enumType('BankConnectStep', {
  values: ['OTP_REQUIRED', 'DONE'] as const,
  description: 'OTP_REQUIRED: the bank texted an OTP; send it with verifyBankOtp. DONE: connected without one.',
});

interface OtpStepShape {
  step: 'OTP_REQUIRED' | 'DONE';
  message: string;
  challengeId?: string;
  expiresAt?: Date;
  accountId?: string;
}

const BankOtpStep = builder.objectRef<OtpStepShape>('BankOtpStep').implement({
  fields: (t) => ({
    step: t.field({ type: BankConnectStepEnum, resolve: (s) => s.step }),
    message: t.exposeString('message', { description: "The provider's message (Vietnamese)." }),
    challengeId: t.id({ nullable: true, description: 'Pass it to verifyBankOtp with the OTP.', resolve: (s) => s.challengeId ?? null }),
    expiresAt: t.field({ type: 'DateTime', nullable: true, description: 'When the OTP, and the sealed password kept for it, expire.', resolve: (s) => s.expiresAt ?? null }),
    account: t.prismaField({
      type: 'BankAccount',
      nullable: true,
      description: 'The connected account, when step is DONE.',
      resolve: (query, s, _args, ctx) => (s.accountId ? ctx.prisma.bankAccount.findUnique({ ...selection(query), where: { id: s.accountId } }) : null),
    }),
  }),
});

builder.mutationField('requestBankOtp', (t) =>
  t.field({
    type: BankOtpStep,
    description: 'Step 1 of connecting a bank account (BIDV and others): API Ngân hàng logs in to the bank, which texts an OTP.',
    authScopes: { merchant: true },
    errors: { types: [ValidationError, ...bankProviderErrors] },
    args: { input: t.arg({ type: BankLoginInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.services.bank.accounts.requestOtp(requireMerchant(ctx), input),
  }),
);

const VerifyBankOtpInput = builder.inputType('VerifyBankOtpInput', {
  fields: (t) => ({
    challengeId: t.id({ required: true }),
    otp: t.string({ required: true, description: 'The 6 digits the bank texted.' }),
  }),
});

builder.mutationField('verifyBankOtp', (t) =>
  t.prismaField({
    type: 'BankAccount',
    description: 'Step 2: the OTP. Returns the connected account. A wrong OTP can be retried until the challenge expires.',
    authScopes: { merchant: true },
    errors: { types: [ValidationError, NotFoundError, ...bankProviderErrors] },
    args: { input: t.arg({ type: VerifyBankOtpInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const challengeId = existingId('BankOtpChallenge', input.challengeId);
      const id = await ctx.services.bank.accounts.verifyOtp(requireMerchant(ctx), challengeId, input.otp.trim());
      return ctx.prisma.bankAccount.findUniqueOrThrow({ ...selection(query), where: { id } });
    },
  }),
);

// ---- the API Ngân hàng account itself -----------------------------------

const BankProfile = builder.objectRef<ApiNganHangUser>('BankProfile').implement({
  description: 'Your user at API Ngân hàng.',
  fields: (t) => ({
    username: t.exposeString('username'),
    email: t.exposeString('email', { nullable: true }),
    balance: t.field({ type: 'BigInt', description: 'Your API Ngân hàng balance (pays package renewals).', resolve: (u) => u.money }),
    packageExpiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (u) => u.packageExpiresAt }),
  }),
});

const BankPackageStatus = builder.objectRef<PackageStatus>('BankPackageStatus').implement({
  description: 'Your API package: when it expires and what a month costs.',
  fields: (t) => ({
    expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => p.expiresAt }),
    daysLeft: t.exposeInt('daysLeft'),
    pricePerMonth: t.field({ type: 'BigInt', resolve: (p) => p.pricePerMonth }),
  }),
});

const DepositTransfer = builder.objectRef<NonNullable<DepositInfo['transfer']>>('BankDepositTransfer').implement({
  fields: (t) => ({
    bankCode: t.exposeString('bankCode'),
    accountNumber: t.exposeString('accountNumber'),
    holderName: t.exposeString('holderName', { nullable: true }),
    content: t.exposeString('content', { nullable: true, description: 'What to write in the transfer description.' }),
  }),
});

const DepositEntry = builder.objectRef<DepositInfo['history'][number]>('BankDeposit').implement({
  fields: (t) => ({
    id: t.exposeInt('id'),
    amount: t.field({ type: 'BigInt', resolve: (d) => d.amount }),
    status: t.string({ nullable: true, resolve: (d) => d.status ?? null }),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (d) => d.createdAt }),
  }),
});

const BankDepositInfo = builder.objectRef<DepositInfo>('BankDepositInfo').implement({
  description: 'How to top up your API Ngân hàng balance, and past top-ups.',
  fields: (t) => ({
    balance: t.field({ type: 'BigInt', resolve: (d) => d.balance }),
    minDeposit: t.field({ type: 'BigInt', resolve: (d) => d.minDeposit }),
    transfer: t.field({ type: DepositTransfer, nullable: true, resolve: (d) => d.transfer ?? null }),
    history: t.field({ type: [DepositEntry], resolve: (d) => d.history }),
  }),
});

const BankNotification = builder.objectRef<Notification>('BankNotification').implement({
  fields: (t) => ({
    id: t.exposeInt('id'),
    title: t.exposeString('title'),
    message: t.exposeString('message'),
    read: t.exposeBoolean('read'),
    createdAt: t.field({ type: 'DateTime', nullable: true, resolve: (n) => n.createdAt }),
  }),
});

const BankSiteSettings = builder.objectRef<SiteSettings>('BankSiteSettings').implement({
  fields: (t) => ({
    title: t.exposeString('title'),
    description: t.string({ nullable: true, resolve: (s) => s.description ?? null }),
    logo: t.string({ nullable: true, resolve: (s) => s.logo ?? null }),
    hotline: t.string({ nullable: true, resolve: (s) => s.hotline ?? null }),
    linkFacebook: t.string({ nullable: true, resolve: (s) => s.linkFacebook ?? null }),
    linkZalo: t.string({ nullable: true, resolve: (s) => s.linkZalo ?? null }),
  }),
});

const BankPackageType = builder.objectRef<BankPackage>('BankPackage').implement({
  description: 'A per-bank API package API Ngân hàng sells.',
  fields: (t) => ({
    id: t.exposeInt('id'),
    bankCode: t.exposeString('bankCode'),
    name: t.exposeString('name'),
    price: t.field({ type: 'BigInt', description: 'đồng per month.', resolve: (p) => p.price }),
    features: t.exposeString('features'),
    active: t.exposeBoolean('active'),
  }),
});

const BankPeriodTotals = builder.objectRef<PeriodTotals>('BankPeriodTotals').implement({
  fields: (t) => ({
    totalIn: t.field({ type: 'BigInt', resolve: (p) => p.totalIn }),
    totalOut: t.field({ type: 'BigInt', resolve: (p) => p.totalOut }),
    net: t.field({ type: 'BigInt', resolve: (p) => p.net }),
    count: t.int({ nullable: true, resolve: (p) => p.count ?? null }),
  }),
});

const BankDashboard = builder.objectRef<DashboardSummary>('BankDashboard').implement({
  description: "API Ngân hàng's own totals over your statement (Vietnam calendar periods).",
  fields: (t) => ({
    today: t.field({ type: BankPeriodTotals, resolve: (d) => d.today }),
    week: t.field({ type: BankPeriodTotals, resolve: (d) => d.week }),
    month: t.field({ type: BankPeriodTotals, resolve: (d) => d.month }),
    quarter: t.field({ type: BankPeriodTotals, resolve: (d) => d.quarter }),
  }),
});

/** The parent of the account reads: whose account. Each field is loaded on its own, once per request. */
interface BankProviderAccountShape {
  merchantId: string;
}

export const BankProviderAccount = builder.objectRef<BankProviderAccountShape>('BankProviderAccount').implement({
  description: 'Your API Ngân hàng account. Each field is one provider read, made at most once per request however often it is asked for.',
  fields: (t) => ({
    profile: t.field({ type: BankProfile, errors: { types: bankProviderErrors }, resolve: (a, _args, ctx) => bankLoaders(ctx).profile.load(a.merchantId) }),
    extension: t.field({ type: BankPackageStatus, description: 'The API package (extension info).', errors: { types: bankProviderErrors }, resolve: (a, _args, ctx) => bankLoaders(ctx).extension.load(a.merchantId) }),
    deposit: t.field({ type: BankDepositInfo, errors: { types: bankProviderErrors }, resolve: (a, _args, ctx) => bankLoaders(ctx).deposit.load(a.merchantId) }),
    notifications: t.field({ type: [BankNotification], description: 'The last 100, newest first.', errors: { types: bankProviderErrors }, resolve: (a, _args, ctx) => bankLoaders(ctx).notifications.load(a.merchantId) }),
    siteSettings: t.field({ type: BankSiteSettings, errors: { types: bankProviderErrors }, resolve: (a, _args, ctx) => bankLoaders(ctx).siteSettings.load(a.merchantId) }),
    bankPackages: t.field({ type: [BankPackageType], errors: { types: bankProviderErrors }, resolve: (a, _args, ctx) => bankLoaders(ctx).packages.load(a.merchantId) }),
    dashboard: t.field({ type: BankDashboard, errors: { types: bankProviderErrors }, resolve: (a, _args, ctx) => bankLoaders(ctx).dashboard.load(a.merchantId) }),
  }),
});

builder.queryField('bankProviderAccount', (t) =>
  t.field({
    type: BankProviderAccount,
    description: 'Your API Ngân hàng account (balance, package, deposits, notifications, …).',
    authScopes: { merchant: true },
    resolve: (_root, _args, ctx) => ({ merchantId: requireMerchant(ctx) }),
  }),
);

const BankPackageRenewal = builder.objectRef<Renewal>('BankPackageRenewal').implement({
  fields: (t) => ({
    months: t.exposeInt('months'),
    charged: t.field({ type: 'BigInt', resolve: (r) => r.charged }),
    balance: t.field({ type: 'BigInt', description: 'Your API Ngân hàng balance after paying.', resolve: (r) => r.balance }),
    expiresAt: t.field({ type: 'DateTime', resolve: (r) => r.expiresAt }),
  }),
});

builder.mutationField('renewBankPackage', (t) =>
  t.field({
    type: BankPackageRenewal,
    description: 'Renews the API Ngân hàng package for 1–12 months, paid from your API Ngân hàng balance. Sent once: on ProviderUnavailableError check extension before retrying.',
    authScopes: { merchant: true },
    errors: { types: [ValidationError, ...bankProviderErrors] },
    args: { months: t.arg.int({ required: true }) },
    resolve: (_root, { months }, ctx) => {
      return ctx.services.bank.provider.renewPackage(requireMerchant(ctx), parseInput(packageMonths, months));
    },
  }),
);
