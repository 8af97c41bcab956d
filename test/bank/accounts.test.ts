// Linked bank accounts (the OTP connect especially: the bank password is
// never kept in clear nor shown), the API Ngân hàng account reads with their
// per-request cache, and the package-expired error.
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createMerchant, gql, TEST_SECRETS_KEY, type TestApp } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { sandboxControl } from '../support/orders.js';
import { bankAccounts, countProviderCalls } from './support.js';

const BANK_PASSWORD = 'Bidv-Smart#Pass-2026';

const REQUEST_OTP = `mutation($input: BankLoginInput!) {
  requestBankOtp(input: $input) {
    __typename
    ... on MutationRequestBankOtpSuccess { data { step challengeId message expiresAt account { id } } }
    ... on Error { message }
    ... on ValidationError { field }
    ... on ProviderRefusedError { code }
  }
}`;

const VERIFY_OTP = `mutation($input: VerifyBankOtpInput!) {
  verifyBankOtp(input: $input) {
    __typename
    ... on MutationVerifyBankOtpSuccess { data { id providerAccountId bankCode accountNumber active } }
    ... on Error { message }
    ... on ProviderRefusedError { code }
  }
}`;

/** Every row of every table, as text: what someone with a copy of the database would see. */
async function databaseText(t: TestApp): Promise<string> {
  const tables = await t.app.db.prisma.$queryRawUnsafe<{ table_name: string }[]>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
  let text = '';
  for (const { table_name } of tables) {
    const rows = await t.app.db.prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
    text += rows.map((r) => r.row).join('\n');
  }
  return text;
}

async function lastOtp(t: TestApp, accountNumber: string): Promise<string> {
  const response = await fetch(`${t.app.sandbox!.baseUrl('apinganhang')}/_sandbox/otp?account_number=${accountNumber}`);
  const { otp } = (await response.json()) as { otp: string };
  expect(otp).toMatch(/^\d{6}$/);
  return otp;
}

describe('bank accounts', () => {
  const { t, merchant } = useTestApp({ WORKERS: 'false' });

  it('lists the accounts linked at API Ngân hàng and keeps them locally', async () => {
    const accounts = await bankAccounts(t.url, merchant.apiKey);
    expect(accounts).toEqual([expect.objectContaining({ bankCode: 'MBBANK', accountNumber: '0368492618', holderName: 'NGUYEN VAN A', active: true, balance: expect.stringMatching(/^\d+$/) })]);
    const stored = await t.app.db.prisma.bankAccount.findMany({ where: { merchantId: merchant.merchantId } });
    expect(stored.map((a) => [a.providerAccountId, a.accountNumber])).toEqual([[accounts[0]!.providerAccountId, '0368492618']]);
    const onlyBidv = await gql(t.url, `{ bankAccounts(bank: BIDV) { ... on QueryBankAccountsSuccess { data { id } } } }`, {}, merchant.apiKey);
    expect(onlyBidv.data.bankAccounts.data).toEqual([]);
  });

  it('adds an account that needs no OTP', async () => {
    const response = await gql(
      t.url,
      `mutation($input: AddBankAccountInput!) { addBankAccount(input: $input) { __typename ... on MutationAddBankAccountSuccess { data { bankCode accountNumber holderName active } } ... on Error { message } } }`,
      { input: { bankCode: 'ACB', accountNumber: '12345678', holderName: 'CONG TY TNHH A' } },
      merchant.apiKey,
    );
    expect(response.data.addBankAccount).toEqual({ __typename: 'MutationAddBankAccountSuccess', data: { bankCode: 'ACB', accountNumber: '12345678', holderName: 'CONG TY TNHH A', active: true } });
  });

  it('connects an account with an OTP, keeping the bank password sealed between the steps and never showing it', async () => {
    const login = { bankCode: 'BIDV', loginId: '0912345678', password: BANK_PASSWORD, accountNumber: '31410001234567' };
    await sandboxControl(t.app, 'apinganhang', 'bank-login', { login_id: login.loginId, password: BANK_PASSWORD });
    const responses: string[] = [];

    const requested = await gql(t.url, REQUEST_OTP, { input: login }, merchant.apiKey);
    responses.push(JSON.stringify(requested));
    expect(requested.data.requestBankOtp).toMatchObject({ __typename: 'MutationRequestBankOtpSuccess', data: { step: 'OTP_REQUIRED', account: null } });
    const { challengeId, expiresAt } = requested.data.requestBankOtp.data;
    expect(new Date(expiresAt).getTime()).toBeGreaterThan(Date.now());

    // Between the steps: the password is in the database only sealed.
    const challenge = await t.app.db.prisma.bankOtpChallenge.findUniqueOrThrow({ where: { id: challengeId } });
    expect(challenge.sealedPassword).toMatch(/^v1\./);
    expect(await databaseText(t)).not.toContain(BANK_PASSWORD);

    // A wrong OTP is refused by the bank; the challenge stays for another try.
    const otp = await lastOtp(t, login.accountNumber);
    const wrong = otp === '000000' ? '111111' : '000000';
    const refused = await gql(t.url, VERIFY_OTP, { input: { challengeId, otp: wrong } }, merchant.apiKey);
    responses.push(JSON.stringify(refused));
    expect(refused.data.verifyBankOtp).toMatchObject({ __typename: 'ProviderRefusedError', code: '400' });
    expect(await t.app.db.prisma.bankOtpChallenge.findUnique({ where: { id: challengeId } })).toMatchObject({ attempts: 1 });

    const verified = await gql(t.url, VERIFY_OTP, { input: { challengeId, otp } }, merchant.apiKey);
    responses.push(JSON.stringify(verified));
    expect(verified.data.verifyBankOtp).toMatchObject({ __typename: 'MutationVerifyBankOtpSuccess', data: { bankCode: 'BIDV', accountNumber: login.accountNumber, active: true } });

    // Done: the challenge (and its sealed password) is gone, the account is listed, and a replay finds nothing.
    expect(await t.app.db.prisma.bankOtpChallenge.count()).toBe(0);
    const replay = await gql(t.url, VERIFY_OTP, { input: { challengeId, otp } }, merchant.apiKey);
    responses.push(JSON.stringify(replay));
    expect(replay.data.verifyBankOtp.__typename).toBe('NotFoundError');
    const listed = await bankAccounts(t.url, merchant.apiKey);
    responses.push(JSON.stringify(listed));
    expect(listed.map((a) => a.accountNumber)).toContain(login.accountNumber);

    for (const response of responses) expect(response).not.toContain(BANK_PASSWORD);
    expect(await databaseText(t)).not.toContain(BANK_PASSWORD);
    // The simulator saw the password in both steps (the document requires it again in step 2).
    const state = await (await fetch(`${t.app.sandbox!.baseUrl('apinganhang')}/_sandbox/state`)).json();
    expect(state.accounts.find((a: { accountNumber: string }) => a.accountNumber === login.accountNumber)).toMatchObject({ hasBankPassword: true });
  });

  it("does not let another merchant use someone's OTP challenge", async () => {
    const login = { bankCode: 'VIETCOMBANK', loginId: 'vcb-user', password: BANK_PASSWORD, accountNumber: '0071000999888' };
    const requested = await gql(t.url, REQUEST_OTP, { input: login }, merchant.apiKey);
    const { challengeId } = requested.data.requestBankOtp.data;
    const other = await createMerchant(t.app, 'Other');
    const stolen = await gql(t.url, VERIFY_OTP, { input: { challengeId, otp: await lastOtp(t, login.accountNumber) } }, other.apiKey);
    expect(stolen.data.verifyBankOtp.__typename).toBe('NotFoundError');
    expect(await t.app.db.prisma.bankOtpChallenge.count({ where: { id: challengeId } })).toBe(1);
  });

  it('refuses a bank it cannot link before calling anyone', async () => {
    const calls = countProviderCalls(t.app);
    try {
      const response = await gql(t.url, REQUEST_OTP, { input: { bankCode: 'BIDV', loginId: 'x', password: 'y', accountNumber: '12' } }, merchant.apiKey);
      expect(response.data.requestBankOtp).toMatchObject({ __typename: 'ValidationError', field: 'accountNumber' });
      expect(calls.calls).toEqual([]);
    } finally {
      calls.restore();
    }
  });
});

describe('the bank password in the logs', () => {
  it('never appears, even at trace level and when the bank refuses the login', async () => {
    let logs = '';
    const sink = new Writable({ write: (chunk, _encoding, done) => ((logs += String(chunk)), done()) });
    const config = loadConfig({ DATA_DIR: ':memory:', PORT: '0', LOG_LEVEL: 'trace', BOOTSTRAP_SANDBOX_MERCHANT: 'false', SECRETS_KEY: TEST_SECRETS_KEY, WORKERS: 'false' });
    const app = await buildApp(config, { logger: createLogger('trace', sink) });
    const url = await app.start();
    try {
      const t = { app, url, stop: () => app.stop() };
      const m = await createMerchant(app);
      const login = { bankCode: 'BIDV', loginId: 'logged-user', password: BANK_PASSWORD, accountNumber: '31410007654321' };
      await sandboxControl(app, 'apinganhang', 'bank-login', { login_id: login.loginId, password: 'the-real-one' });
      const refused = await gql(url, REQUEST_OTP, { input: login }, m.apiKey);
      expect(refused.data.requestBankOtp).toMatchObject({ __typename: 'ProviderRefusedError', code: '400' });
      expect(JSON.stringify(refused)).not.toContain(BANK_PASSWORD);
      await sandboxControl(app, 'apinganhang', 'bank-login', { login_id: login.loginId, password: BANK_PASSWORD });
      const requested = await gql(url, REQUEST_OTP, { input: login }, m.apiKey);
      const verified = await gql(url, VERIFY_OTP, { input: { challengeId: requested.data.requestBankOtp.data.challengeId, otp: await lastOtp(t, login.accountNumber) } }, m.apiKey);
      expect(verified.data.verifyBankOtp.__typename).toBe('MutationVerifyBankOtpSuccess');
      expect(logs.length).toBeGreaterThan(0);
      expect(logs).toContain('provider call');
      expect(logs).not.toContain(BANK_PASSWORD);
    } finally {
      await app.stop();
    }
  });
});

describe('the API Ngân hàng account', () => {
  const { t, merchant } = useTestApp({ WORKERS: 'false' });

  const ACCOUNT_READS = `{
    a: bankProviderAccount {
      profile { __typename ... on BankProviderAccountProfileSuccess { data { username balance packageExpiresAt } } }
      extension { ... on BankProviderAccountExtensionSuccess { data { daysLeft pricePerMonth expiresAt } } }
      siteSettings { ... on BankProviderAccountSiteSettingsSuccess { data { title hotline } } }
    }
    b: bankProviderAccount {
      profile { ... on BankProviderAccountProfileSuccess { data { email } } }
      again: profile { ... on BankProviderAccountProfileSuccess { data { balance } } }
      extension { ... on BankProviderAccountExtensionSuccess { data { daysLeft } } }
      deposit { ... on BankProviderAccountDepositSuccess { data { balance minDeposit transfer { bankCode content } history { amount } } } }
      notifications { ... on BankProviderAccountNotificationsSuccess { data { title message read } } }
      bankPackages { ... on BankProviderAccountBankPackagesSuccess { data { bankCode name price active } } }
      siteSettings { ... on BankProviderAccountSiteSettingsSuccess { data { title } } }
      dashboard { ... on BankProviderAccountDashboardSuccess { data { today { totalIn count } } } }
    }
    c: bankAccounts { ... on QueryBankAccountsSuccess { data { accountNumber } } }
    d: bankAccounts { ... on QueryBankAccountsSuccess { data { bankCode } } }
  }`;

  it('answers every read as typed fields, calling the provider once per thing per request', async () => {
    const calls = countProviderCalls(t.app);
    try {
      const response = await gql(t.url, ACCOUNT_READS, {}, merchant.apiKey);
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      const { a, b, c, d } = response.data;
      expect(a.profile).toMatchObject({ __typename: 'BankProviderAccountProfileSuccess', data: { username: 'demo', balance: '1000000' } });
      expect(new Date(a.profile.data.packageExpiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
      expect(a.extension.data).toMatchObject({ daysLeft: 30, pricePerMonth: '100000' });
      expect(b.again.data.balance).toBe('1000000');
      expect(b.deposit.data).toMatchObject({ balance: '1000000', minDeposit: '10000', transfer: { bankCode: 'MBBANK', content: 'NAP demo' } });
      expect(b.bankPackages.data).toContainEqual({ bankCode: 'BIDV', name: 'BIDV API', price: '70000', active: true });
      expect(b.siteSettings.data.title).toBe('API Ngân hàng');
      expect(b.dashboard.data.today).toMatchObject({ totalIn: '0' });
      expect(Array.isArray(b.notifications.data)).toBe(true);
      expect(c.data).toEqual(d.data.map(() => ({ accountNumber: '0368492618' })));

      for (const path of ['/auth/profile.php', '/services/extension.php', '/services/deposit.php', '/notifications/index.php', '/services/packages.php', '/services/site-settings.php', '/dashboard/summary.php', '/accounts/index.php']) {
        expect([path, calls.count(path)]).toEqual([path, 1]);
      }
      // The cache is the request's: the next request reads afresh.
      calls.reset();
      await gql(t.url, `{ bankProviderAccount { profile { __typename } extension { __typename } } }`, {}, merchant.apiKey);
      expect([calls.count('/auth/profile.php'), calls.count('/services/extension.php')]).toEqual([1, 1]);
    } finally {
      calls.restore();
    }
  });

  it('reports an expired API package as its own error, until the package is renewed', async () => {
    await sandboxControl(t.app, 'apinganhang', 'expire-package', {});
    const expired = await gql(t.url, `{ bankAccounts { __typename ... on BankPackageExpiredError { message providerMessage } } }`, {}, merchant.apiKey);
    expect(expired.data.bankAccounts.__typename).toBe('BankPackageExpiredError');
    expect(expired.data.bankAccounts.message).toMatch(/package/);
    const sync = await gql(t.url, `mutation { syncBankStatement { __typename } }`, {}, merchant.apiKey);
    expect(sync.data.syncBankStatement.__typename).toBe('BankPackageExpiredError');

    const badMonths = await gql(t.url, `mutation { renewBankPackage(months: 13) { __typename ... on ValidationError { field } } }`, {}, merchant.apiKey);
    expect(badMonths.data.renewBankPackage).toEqual({ __typename: 'ValidationError', field: 'months' });
    const renewed = await gql(t.url, `mutation { renewBankPackage(months: 2) { __typename ... on MutationRenewBankPackageSuccess { data { months charged balance expiresAt } } } }`, {}, merchant.apiKey);
    expect(renewed.data.renewBankPackage).toMatchObject({ __typename: 'MutationRenewBankPackageSuccess', data: { months: 2, charged: '200000', balance: '800000' } });
    expect(new Date(renewed.data.renewBankPackage.data.expiresAt).getTime()).toBeGreaterThan(Date.now() + 59 * 86_400_000);

    const again = await gql(t.url, `{ bankAccounts { __typename } }`, {}, merchant.apiKey);
    expect(again.data.bankAccounts.__typename).toBe('QueryBankAccountsSuccess');
  });

  it('answers a merchant without an API Ngân hàng account with a typed error', async () => {
    const live = await createMerchant(t.app, 'Live', false);
    const response = await gql(t.url, `{ bankAccounts { __typename } bankProviderAccount { profile { __typename } } }`, {}, live.apiKey);
    expect(response.data).toEqual({ bankAccounts: { __typename: 'BankProviderNotConfiguredError' }, bankProviderAccount: { profile: { __typename: 'BankProviderNotConfiguredError' } } });
  });
});
