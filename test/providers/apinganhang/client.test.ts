// Every account, statement and service operation over real HTTP against the
// simulator, including the documented error statuses and the re-login on 401.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiNganHangClient, createMemoryTokenCache, isPackageExpired } from '../../../src/providers/apinganhang/index.js';
import { createApiNganHangSimulator } from '../../../src/sandbox/apinganhang/index.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';
import { ProviderAuthError, ProviderBadResponseError, ProviderRefusedError, ProviderUnavailableError } from '../../../src/errors/index.js';

const sim = createApiNganHangSimulator({
  users: [
    { username: 'demo', password: '123456', money: 1_000_000, idTelegram: 123456789 },
    { username: 'poor', password: 'pw-poor', money: 50_000 },
    { username: 'ledger', password: 'pw-ledger' },
  ],
  bankLogins: { bidv_user: 'bidv_pass' },
  pricePerMonth: 100_000,
});
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox([sim]);
});
afterAll(async () => {
  await sandbox?.close();
});

function client(overrides: { username?: string; password?: string; timeoutMs?: number; paths?: Record<string, string> } = {}) {
  return createApiNganHangClient(
    {
      baseUrl: sandbox.baseUrl('apinganhang') + '/api/v1',
      username: overrides.username ?? 'demo',
      password: overrides.password ?? '123456',
      ...(overrides.paths ? { paths: overrides.paths } : {}),
    },
    { http: { timeoutMs: overrides.timeoutMs ?? 5_000, safeRetries: 0, backoffMs: 10 }, tokenCache: createMemoryTokenCache() },
  );
}

describe('session', () => {
  it('pings without a token', async () => {
    expect(await client().ping()).toBe(true);
  });

  it('logs in and never returns the token', async () => {
    const answer = await client().login();
    expect(answer.data).toMatchObject({ username: 'demo', money: 1_000_000n, telegramChatId: '123456789' });
    expect(answer.data.packageExpiresAt).toBeInstanceOf(Date);
    const token = sim.controls.state().users.find((u) => u.username === 'demo')!.token!;
    expect(JSON.stringify(answer.raw)).not.toContain(token);
  });

  it('reads the profile, dropping the documented token field', async () => {
    const api = client();
    const answer = await api.profile();
    expect(answer.data.username).toBe('demo');
    expect(answer.data).not.toHaveProperty('token');
    const token = sim.controls.state().users.find((u) => u.username === 'demo')!.token!;
    expect(JSON.stringify(answer.raw)).not.toContain(token);
  });

  it('refuses a wrong password with ProviderAuthError and does not echo the password', async () => {
    const error = await client({ password: 'wrong-password-xyz' })
      .profile()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as ProviderAuthError).code).toBe('401');
    expect((error as Error).message).not.toContain('wrong-password-xyz');
  });

  it('logs in again and retries once when an admin reset the token', async () => {
    const api = client();
    await api.profile();
    const before = sim.controls.state().users.find((u) => u.username === 'demo')!.token;
    sim.controls.resetToken('demo');
    const answer = await api.listAccounts();
    expect(answer.data.length).toBeGreaterThan(0);
    const after = sim.controls.state().users.find((u) => u.username === 'demo')!.token;
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
  });

  it('retries a 401 answer once after a fresh login, and gives up with ProviderAuthError on a second 401', async () => {
    const api = client();
    sim.controls.steer('profile', { kind: 'error', code: 401 });
    expect((await api.profile()).data.username).toBe('demo');
    sim.controls.steer('profile', { kind: 'error', code: 401 }, 2);
    await expect(api.profile()).rejects.toBeInstanceOf(ProviderAuthError);
  });

  it('logs out: the token is cancelled at the provider and the next call logs in again', async () => {
    const api = client();
    await api.profile();
    await api.logout();
    expect(sim.controls.state().users.find((u) => u.username === 'demo')!.token).toBeNull();
    expect((await api.profile()).data.username).toBe('demo');
  });

  it('answers 405 for a method the endpoint does not support', async () => {
    const error = await client({ paths: { listAccounts: '/auth/login.php' } })
      .listAccounts()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRefusedError);
    expect((error as ProviderRefusedError).code).toBe('405');
  });

  it('honours a path override (an assumed path moved)', async () => {
    const error = await client({ paths: { notifications: '/notifications/list.php' } })
      .notifications()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRefusedError);
    expect((error as ProviderRefusedError).code).toBe('404');
  });
});

describe('documented error statuses', () => {
  it.each([
    [400, 'bad request'],
    [404, 'not found'],
    [405, 'method not supported'],
    [422, 'missing or invalid'],
  ])('maps HTTP %i to ProviderRefusedError with the meaning "%s"', async (status, meaning) => {
    sim.controls.steer('services.packages', { kind: 'error', code: status, message: 'thông điệp' });
    const error = await client()
      .bankPackages()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRefusedError);
    expect((error as ProviderRefusedError).code).toBe(String(status));
    expect((error as Error).message).toContain(meaning);
    expect((error as ProviderRefusedError).options.providerMessage).toBe('thông điệp');
  });

  it('maps HTTP 403 to the distinct package-expired refusal', async () => {
    sim.controls.steer('services.packages', { kind: 'error', code: 403 });
    const error = await client()
      .bankPackages()
      .catch((e: unknown) => e);
    expect(isPackageExpired(error)).toBe(true);
    expect((error as ProviderRefusedError).code).toBe('403');
    expect((error as Error).message).toContain('renew');
  });

  it('maps HTTP 500 to ProviderUnavailableError', async () => {
    sim.controls.steer('services.packages', { kind: 'http-500' });
    const error = await client()
      .bankPackages()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).outcomeUnknown).toBe(false);
  });

  it('times out a read as ProviderUnavailableError (outcome known: nothing moved)', async () => {
    sim.controls.steer('services.site-settings', { kind: 'delay', delayMs: 600 });
    const error = await client({ timeoutMs: 150 })
      .siteSettings()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).outcomeUnknown).toBe(false);
  });
});

describe('linked accounts', () => {
  it('lists accounts, filtered by bank', async () => {
    const api = client();
    const all = await api.listAccounts();
    expect(all.data[0]).toMatchObject({ bankCode: 'MBBANK', accountNumber: '0368492618', holderName: 'NGUYEN VAN A', balance: 19_437_345n, active: true });
    expect((await api.listAccounts({ bank: 'BIDV' })).data.every((a) => a.bankCode === 'BIDV')).toBe(true);
  });

  it('adds an account and refuses a duplicate (400) and a bad bank (validated before sending)', async () => {
    const api = client();
    const added = await api.addAccount({ bankCode: 'ACB', accountNumber: '12345678', holderName: 'TRAN THI B', loginId: 'acb_user', password: 'acb-secret' });
    expect(added.data).toMatchObject({ bankCode: 'ACB', accountNumber: '12345678', active: true });
    expect(JSON.stringify(sim.controls.state().accounts)).not.toContain('acb-secret');
    const duplicate = await api.addAccount({ bankCode: 'ACB', accountNumber: '12345678' }).catch((e: unknown) => e);
    expect((duplicate as ProviderRefusedError).code).toBe('400');
    await expect(api.addAccount({ bankCode: 'NOPE' as 'ACB', accountNumber: '12345678' })).rejects.toThrow();
  });

  it('connects a BIDV account with the OTP the bank sent', async () => {
    const api = client();
    const login = { bankCode: 'BIDV', loginId: 'bidv_user', password: 'bidv_pass', accountNumber: '8877172056' };
    const first = await api.requestOtp(login);
    expect(first.data).toEqual({ step: 'otp_required', message: 'Mã OTP đã được gửi đến SĐT' });
    const otp = sim.controls.lastOtp('8877172056')!;
    expect(otp).toMatch(/^\d{6}$/);
    const done = await api.verifyOtp({ ...login, otp });
    expect(done.data).toMatchObject({ step: 'done', account: { bankCode: 'BIDV' } });
    const accounts = await api.listAccounts({ bank: 'BIDV' });
    expect(accounts.data.map((a) => a.accountNumber)).toContain('8877172056');
  });

  it('refuses a wrong OTP with 400 and the provider message, without echoing the bank password', async () => {
    const api = client();
    const login = { bankCode: 'BIDV', loginId: 'bidv_user', password: 'bidv_pass', accountNumber: '8877000001' };
    await api.requestOtp(login);
    const right = sim.controls.lastOtp('8877000001')!;
    const wrong = right === '000000' ? '111111' : '000000';
    const error = await api.verifyOtp({ ...login, otp: wrong }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRefusedError);
    expect((error as ProviderRefusedError).code).toBe('400');
    expect((error as ProviderRefusedError).options.providerMessage).toBe('Mã OTP không đúng');
    expect((error as Error).message).not.toContain('bidv_pass');
    // The right OTP still works afterwards.
    expect((await api.verifyOtp({ ...login, otp: right })).data.step).toBe('done');
  });

  it('refuses a failed bank login with 400', async () => {
    const error = await client()
      .requestOtp({ bankCode: 'BIDV', loginId: 'bidv_user', password: 'not-the-password', accountNumber: '8877172099' })
      .catch((e: unknown) => e);
    expect((error as ProviderRefusedError).code).toBe('400');
    expect((error as Error).message).toContain('bank');
  });

  it('refuses a missing field with 422', async () => {
    sim.controls.steer('accounts.connect', { kind: 'error', code: 422, message: 'Thiếu trường otp' });
    const error = await client()
      .requestOtp({ bankCode: 'BIDV', loginId: 'x', password: 'y', accountNumber: '12345' })
      .catch((e: unknown) => e);
    expect((error as ProviderRefusedError).code).toBe('422');
  });
});

describe('bank statement', () => {
  const ledger = () => client({ username: 'ledger', password: 'pw-ledger' });
  beforeAll(() => {
    // 45 lines over three days in April 2026 (Vietnam time), in and out.
    for (let i = 1; i <= 45; i++) {
      const day = i <= 15 ? 14 : i <= 30 ? 15 : 16;
      sim.controls.addTransaction({
        username: 'ledger',
        direction: i % 3 === 0 ? 'out' : 'in',
        amount: i * 1000,
        description: i === 7 ? 'Thanh toán đơn INV2026007 – Nguyễn Văn Ánh' : `CK lần ${i}`,
        refNo: `FT${String(i).padStart(4, '0')}`,
        at: new Date(Date.UTC(2026, 3, day, 2, i)), // 09:xx Vietnam time
      });
    }
  });

  it('pages with totals over everything the filter matches', async () => {
    const page = await ledger().listTransactions({ page: 2, limit: 20 });
    expect(page.data.pagination).toEqual({ page: 2, limit: 20, total: 45, totalPages: 3 });
    expect(page.data.transactions).toHaveLength(20);
    const ins = Array.from({ length: 45 }, (_, k) => k + 1).filter((i) => i % 3 !== 0);
    const outs = Array.from({ length: 45 }, (_, k) => k + 1).filter((i) => i % 3 === 0);
    const totalIn = BigInt(ins.reduce((s, i) => s + i * 1000, 0));
    const totalOut = BigInt(outs.reduce((s, i) => s + i * 1000, 0));
    expect(page.data.totals).toEqual({ totalIn, totalOut, net: totalIn - totalOut });
  });

  it('filters by type, dates (Vietnam calendar) and search', async () => {
    const api = ledger();
    const income = await api.listTransactions({ type: 'INCOME', limit: 100 });
    expect(income.data.transactions.every((t) => t.direction === 'IN' && t.amount > 0n)).toBe(true);
    const expense = await api.listTransactions({ type: 'EXPENSE', limit: 100 });
    expect(expense.data.transactions.every((t) => t.direction === 'OUT' && t.amount < 0n)).toBe(true);
    const day15 = await api.listTransactions({ dateFrom: '2026-04-15', dateTo: '2026-04-15', limit: 100 });
    expect(day15.data.pagination.total).toBe(15);
    const found = await api.listTransactions({ search: 'inv2026007', type: 'INCOME', limit: 5 });
    expect(found.data.transactions).toHaveLength(1);
    expect(found.data.transactions[0]).toMatchObject({ amount: 7000n, refNo: 'FT0007', transactionTime: new Date(Date.UTC(2026, 3, 14, 2, 7)) });
  });

  it('filters by account id', async () => {
    const api = ledger();
    const [account] = (await api.listAccounts()).data;
    expect((await api.listTransactions({ accountId: account!.id })).data.pagination.total).toBe(45);
    expect((await api.listTransactions({ accountId: 999_999 })).data.pagination.total).toBe(0);
  });

  it('refuses a limit above 100 before sending', async () => {
    await expect(ledger().listTransactions({ limit: 101 })).rejects.toThrow();
  });

  it('fetches every page of a query, once each', async () => {
    const all = await ledger().fetchAllTransactions({}, { pageSize: 10 });
    expect(all).toHaveLength(45);
    expect(new Set(all.map((t) => t.id)).size).toBe(45);
    const incomes: bigint[] = [];
    for await (const t of ledger().iterateTransactions({ type: 'INCOME' })) incomes.push(t.amount);
    expect(incomes).toHaveLength(30);
  });

  it('reads one transaction by id, and 404 for an unknown one', async () => {
    const api = ledger();
    const [first] = (await api.listTransactions({ limit: 1 })).data.transactions;
    expect((await api.getTransaction(first!.id)).data).toEqual(first);
    const error = await api.getTransaction(999_999).catch((e: unknown) => e);
    expect((error as ProviderRefusedError).code).toBe('404');
  });

  it('exports CSV with the Vietnamese intact and the filters applied', async () => {
    const csv = await ledger().exportTransactionsCsv({ search: 'INV2026007' });
    expect(csv.startsWith('ID,Ngân hàng,Số tài khoản')).toBe(true);
    expect(csv).toContain('Thanh toán đơn INV2026007 – Nguyễn Văn Ánh');
    expect(csv.trim().split('\r\n')).toHaveLength(2);
  });

  it('summarises the dashboard and the charts', async () => {
    const api = client();
    sim.controls.addTransaction({ username: 'demo', direction: 'in', amount: 250_000, description: 'hôm nay' });
    const summary = await api.dashboardSummary();
    expect(summary.data.today.totalIn).toBeGreaterThanOrEqual(250_000n);
    expect(summary.data.recent.length).toBeGreaterThan(0);
    expect(summary.data.recent.length).toBeLessThanOrEqual(5);
    const charts = await api.dashboardCharts();
    expect(charts.data.daily).toHaveLength(30);
    expect(charts.data.categories.map((c) => c.name)).toContain('MBBANK');
  });
});

describe('services', () => {
  it('reads the package status and renews it from the balance (1–12 months)', async () => {
    const api = client();
    const before = await api.extensionInfo();
    expect(before.data.pricePerMonth).toBe(100_000n);
    const renewal = await api.renew(2);
    expect(renewal.data.charged).toBe(200_000n);
    expect(renewal.data.expiresAt.getTime()).toBeGreaterThan(before.data.expiresAt!.getTime());
    await expect(api.renew(13)).rejects.toThrow();
  });

  it('refuses a renewal the balance cannot pay (400)', async () => {
    const error = await client({ username: 'poor', password: 'pw-poor' })
      .renew(1)
      .catch((e: unknown) => e);
    expect((error as ProviderRefusedError).code).toBe('400');
  });

  it('refuses statement calls once the package expired (403), and renewing opens them again', async () => {
    const api = client({ username: 'poor', password: 'pw-poor' });
    sim.controls.expirePackage('poor');
    const error = await api.listTransactions().catch((e: unknown) => e);
    expect(isPackageExpired(error)).toBe(true);
    sim.controls.deposit(100_000, 'poor');
    await api.renew(1);
    expect((await api.listTransactions()).data.pagination.total).toBe(0);
  });

  it('reads deposit info with its history', async () => {
    const api = client({ username: 'poor', password: 'pw-poor' });
    const info = await api.depositInfo();
    expect(info.data.minDeposit).toBe(10_000n);
    expect(info.data.history[0]).toMatchObject({ amount: 100_000n });
    expect(info.data.transfer?.content).toBe('NAP poor');
  });

  it('reads the site settings and bank packages', async () => {
    const api = client();
    expect((await api.siteSettings()).data).toMatchObject({ title: 'API Ngân hàng', hotline: '0123456789', linkZalo: undefined });
    const packages = await api.bankPackages();
    expect(packages.data[0]).toEqual({ id: 1, bankCode: 'MBBANK', name: 'MB Bank API', price: 50_000n, features: 'Thông báo GD, lấy số dư', active: true });
    expect(packages.data.find((p) => p.bankCode === 'ACB')?.active).toBe(false);
  });

  it('reads the last notifications, newest first, at most 100', async () => {
    for (let i = 0; i < 105; i++) sim.controls.addTransaction({ username: 'ledger', direction: 'in', amount: 1000, description: `spam ${i}` });
    const list = await client({ username: 'ledger', password: 'pw-ledger' }).notifications();
    expect(list.data).toHaveLength(100);
    expect(list.data[0]!.message).toContain('spam 104');
  });

  it('rejects an answer in an unexpected shape as ProviderBadResponseError', async () => {
    // The export path answers CSV: read as the JSON profile it cannot be parsed.
    const error = await client({ paths: { profile: '/transactions/export.php' } })
      .profile()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderBadResponseError);
  });
});
