// Session, linked accounts (with the OTP connect), statement, dashboard and
// account services, from the provider's side.
import { randomInt } from 'node:crypto';
import { json, type SimulatorResponse } from '../kit.js';
import { dashboardCharts, dashboardSummary, exportCsv, LedgerQueryError, listPage, readFilter, readPaging, wireTransaction } from './ledger.js';
import { fail, missing, ok, text, type Context } from './replies.js';
import { BANKS, newToken, nextId, notify, type SimAccount, type SimUser, type Store } from './store.js';

const OTP_TTL_MS = 5 * 60_000;
const OTP_MAX_ATTEMPTS = 5;

export const wireUser = (user: SimUser) => ({
  id: user.id,
  username: user.username,
  email: user.email,
  level: user.level,
  money: user.money,
  time_momo: user.timeMomo,
  id_telegram: user.idTelegram,
});

const wireAccount = (account: SimAccount) => ({
  id: account.id,
  bank_code: account.bankCode,
  account_number: account.accountNumber,
  holder_name: account.holderName,
  balance: account.balance,
  active: account.active,
});

export function login(ctx: Omit<Context, 'user'>): SimulatorResponse {
  const absent = missing(ctx.params, ['username', 'password']);
  if (absent) return fail(422, `Thiếu trường ${absent}`);
  const user = ctx.store.users.find((u) => u.username === text(ctx.params, 'username'));
  if (!user || user.password !== String(ctx.params.password)) return fail(401, 'Sai tên đăng nhập hoặc mật khẩu');
  // Tokens last until logout or an admin reset: a second login gets the same one.
  user.token ??= newToken();
  return ok({ token: user.token, user: wireUser(user) });
}

export const profile = ({ user }: Context) => ok({ data: { ...wireUser(user), token: user.token } });

export function logout({ user }: Context) {
  delete user.token;
  return ok({ message: 'Đã đăng xuất' });
}

export function listAccounts({ store, user, request }: Context) {
  const bank = request.url.searchParams.get('bank')?.toUpperCase();
  return ok({ data: store.accounts.filter((a) => a.userId === user.id && (!bank || a.bankCode === bank)).map(wireAccount) });
}

function validBank(code: string) {
  return (BANKS as readonly string[]).includes(code);
}

export function addAccount({ store, user, params }: Context) {
  const absent = missing(params, ['bank_code', 'account_number']);
  if (absent) return fail(422, `Thiếu trường ${absent}`);
  const bankCode = text(params, 'bank_code').toUpperCase();
  const accountNumber = text(params, 'account_number');
  if (!validBank(bankCode)) return fail(422, `bank_code không hỗ trợ: ${bankCode}`);
  if (accountNumber.length < 4 || accountNumber.length > 64) return fail(422, 'Số tài khoản phải từ 4 đến 64 ký tự');
  if (store.accounts.some((a) => a.userId === user.id && a.bankCode === bankCode && a.accountNumber === accountNumber)) return fail(400, 'Tài khoản đã tồn tại');
  const account: SimAccount = {
    id: nextId(store),
    userId: user.id,
    bankCode,
    accountNumber,
    holderName: text(params, 'holder_name'),
    balance: 0,
    active: 1,
    ...(text(params, 'login_id') ? { loginId: text(params, 'login_id') } : {}),
    hasBankPassword: text(params, 'password') !== '',
  };
  store.accounts.push(account);
  return ok({ message: 'Đã thêm tài khoản', data: wireAccount(account) });
}

export function connectAccount(ctx: Context & { bankLogins: Record<string, string> }) {
  const { store, user, params, now } = ctx;
  const action = text(params, 'action');
  if (action !== 'request_otp' && action !== 'verify_otp') return fail(422, 'action phải là request_otp hoặc verify_otp');
  const absent = missing(params, ['bank_code', 'login_id', 'password', 'account_number', ...(action === 'verify_otp' ? ['otp'] : [])]);
  if (absent) return fail(422, `Thiếu trường ${absent}`);
  const bankCode = text(params, 'bank_code').toUpperCase();
  const loginId = text(params, 'login_id');
  const password = String(params.password);
  const accountNumber = text(params, 'account_number');
  if (!validBank(bankCode)) return fail(422, `bank_code không hỗ trợ: ${bankCode}`);
  const same = (p: { userId: number; bankCode: string; loginId: string; accountNumber: string }) =>
    p.userId === user.id && p.bankCode === bankCode && p.loginId === loginId && p.accountNumber === accountNumber;

  if (action === 'request_otp') {
    const known = ctx.bankLogins[loginId];
    if (known !== undefined && known !== password) return fail(400, 'Đăng nhập ngân hàng thất bại: sai tên đăng nhập hoặc mật khẩu');
    store.pendingOtps = store.pendingOtps.filter((p) => !same(p));
    const otp = String(randomInt(0, 1_000_000)).padStart(6, '0');
    store.pendingOtps.push({ userId: user.id, bankCode, loginId, password, accountNumber, otp, expiresAt: now.getTime() + OTP_TTL_MS, attempts: 0 });
    return ok({ step: 'otp_required', message: 'Mã OTP đã được gửi đến SĐT' });
  }

  const otp = text(params, 'otp');
  if (!/^\d{6}$/.test(otp)) return fail(422, 'OTP phải gồm 6 chữ số');
  const pending = store.pendingOtps.find((p) => same(p) && p.expiresAt > now.getTime());
  if (!pending) return fail(400, 'Chưa yêu cầu OTP hoặc OTP đã hết hạn');
  if (pending.password !== password) return fail(400, 'Đăng nhập ngân hàng thất bại: thông tin không khớp bước 1');
  if (pending.otp !== otp) {
    pending.attempts++;
    if (pending.attempts >= OTP_MAX_ATTEMPTS) store.pendingOtps = store.pendingOtps.filter((p) => p !== pending);
    return fail(400, 'Mã OTP không đúng');
  }
  store.pendingOtps = store.pendingOtps.filter((p) => p !== pending);
  let account = store.accounts.find((a) => a.userId === user.id && a.bankCode === bankCode && a.accountNumber === accountNumber);
  if (!account) {
    account = { id: nextId(store), userId: user.id, bankCode, accountNumber, holderName: '', balance: 0, active: 1, loginId, hasBankPassword: true };
    store.accounts.push(account);
  }
  account.active = 1;
  account.loginId = loginId;
  account.hasBankPassword = true;
  notify(store, user.id, 'Kết nối tài khoản', `Đã kết nối ${bankCode} ${accountNumber}`, now);
  return ok({ step: 'done', message: 'Xác thực OTP thành công', data: { id: account.id, bank_code: bankCode } });
}

const userTransactions = (store: Store, user: SimUser) => store.transactions.filter((t) => t.userId === user.id);

export function listTransactions({ store, user, request }: Context) {
  try {
    const page = listPage(userTransactions(store, user), readFilter(request.url.searchParams), readPaging(request.url.searchParams));
    return ok(page);
  } catch (error) {
    if (error instanceof LedgerQueryError) return fail(422, error.message);
    throw error;
  }
}

export function transactionDetail({ store, user, request }: Context) {
  const id = request.url.searchParams.get('id') ?? '';
  if (!/^\d+$/.test(id)) return fail(422, 'Thiếu trường id');
  const found = userTransactions(store, user).find((t) => t.id === Number(id));
  return found ? ok({ data: wireTransaction(found) }) : fail(404, 'Không tìm thấy giao dịch');
}

export function exportTransactions({ store, user, request }: Context): SimulatorResponse {
  try {
    const csv = exportCsv(userTransactions(store, user), readFilter(request.url.searchParams));
    return { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="transactions.csv"' }, body: csv };
  } catch (error) {
    if (error instanceof LedgerQueryError) return fail(422, error.message);
    throw error;
  }
}

export const summary = ({ store, user, now }: Context) => ok({ data: dashboardSummary(userTransactions(store, user), now) });
export const charts = ({ store, user, now }: Context) => ok({ data: dashboardCharts(userTransactions(store, user), now) });

export function extensionInfo({ user, now }: Context, pricePerMonth: number) {
  const secondsLeft = user.timeMomo - Math.floor(now.getTime() / 1000);
  return ok({ data: { expires_at: user.timeMomo, price_per_month: pricePerMonth, days_left: Math.max(0, Math.ceil(secondsLeft / 86_400)), money: user.money } });
}

export function renew({ store, user, params, now }: Context, pricePerMonth: number) {
  const months = Number(params.months);
  if (!Number.isInteger(months) || months < 1 || months > 12) return fail(422, 'months phải từ 1 đến 12');
  const cost = months * pricePerMonth;
  if (user.money < cost) return fail(400, 'Số dư không đủ để gia hạn');
  user.money -= cost;
  user.timeMomo = Math.max(user.timeMomo, Math.floor(now.getTime() / 1000)) + months * 30 * 86_400;
  notify(store, user.id, 'Gia hạn gói API', `Đã gia hạn ${months} tháng`, now);
  return ok({ message: 'Gia hạn thành công', data: { months, charged: cost, money: user.money, expires_at: user.timeMomo } });
}

export function depositInfo({ store, user }: Context, minDeposit: number) {
  return ok({
    data: {
      money: user.money,
      min_deposit: minDeposit,
      transfer: { bank_code: 'MBBANK', account_number: '0123456789', holder_name: 'CONG TY API NGAN HANG', content: `NAP ${user.username}` },
      history: store.deposits
        .filter((d) => d.userId === user.id)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
        .map((d) => ({ id: d.id, amount: d.amount, status: d.status, created_at: Math.floor(d.createdAt.getTime() / 1000) })),
    },
  });
}

export const siteSettings = () =>
  ok({
    data: {
      title: 'API Ngân hàng',
      description: 'Hệ thống API ngân hàng (sandbox)',
      logo: 'https://client.apinganhang.net/public/assets/img/logo.png',
      hotline: '0123456789',
      link_facebook: 'https://facebook.com/apinganhang',
      link_zalo: '',
    },
  });

export const packages = () =>
  ok({
    data: [
      { id: 1, bank_code: 'MBBANK', name: 'MB Bank API', price: 50000, features: 'Thông báo GD, lấy số dư', active: 1 },
      { id: 2, bank_code: 'BIDV', name: 'BIDV API', price: 70000, features: 'Thông báo GD, kết nối OTP', active: 1 },
      { id: 3, bank_code: 'ACB', name: 'ACB API', price: 60000, features: 'Thông báo GD', active: 0 },
    ],
  });

export const notifications = ({ store, user }: Context) =>
  ok({
    data: store.notifications
      .filter((n) => n.userId === user.id)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id)
      .slice(0, 100)
      .map((n) => ({ id: n.id, title: n.title, message: n.message, is_read: n.isRead, created_at: Math.floor(n.createdAt.getTime() / 1000) })),
  });

/** The document: no token, answers {"ok":true} (no `success`). */
export const ping = () => json(200, { ok: true });
