// API Ngân hàng v1 from the provider's side, mounted at /apinganhang:
// /apinganhang/api/v1/… answers like the real API (Bearer tokens, the
// documented error statuses, the ledger, the OTP connect, the Payment Hub),
// /apinganhang/_sandbox/… steers it (see README of the connector).
// Over 300 lines on purpose: one provider's protocol, seen from its side, in
// one file that reads against its document top to bottom (the routes share
// the simulated state; what simulators share lives in ../kit.ts).
import { randomInt } from 'node:crypto';
import { CallbackDeliveries, json, sandboxControlRoute, type SandboxActions, readParams, SteeringQueue, text as plainText, type Behaviour, type OutgoingCallback, type Simulator, type SimulatorRequest, type SimulatorResponse } from '../kit.js';
import * as accountRoutes from './account-routes.js';
import { epochSeconds } from './format.js';
import { gatewayCallback, type SharkPayCallbackMethod } from './hub-callbacks.js';
import * as hubRoutes from './hub-routes.js';
import { wireTransaction } from './ledger.js';
import { defaultMessages, fail, type Context } from './replies.js';
import { signTransactionWebhook } from './signing.js';
import { hubKey, nextId, notify, type Gateway, type HubOrder, type SimUser, type Store } from './store.js';

export const APINGANHANG_SIMULATOR_NAME = 'apinganhang';
const API_PREFIX = '/api/v1';

export interface ApiNganHangSimulatorOptions {
  /** Default: one user demo / 123456 with 1 000 000 đ and a package valid 30 days. */
  users?: { username: string; password: string; email?: string; money?: number; packageDays?: number; idTelegram?: number }[];
  /** SmartBanking logins the fake bank knows (login_id → password); unknown logins are accepted. */
  bankLogins?: Record<string, string>;
  /** Where transaction.confirmed webhooks go, and their secret. */
  webhook?: { url: string; secret: string };
  /** Payment Hub settings every user starts with (as if saved in the dashboard), e.g. { sharkpay: { mch_id, payin_secret_key, … } }. */
  hubSettings?: Partial<Record<Gateway, Record<string, string>>>;
  pricePerMonth?: number;
  minDeposit?: number;
  /** The simulator's clock (tests may pin it). */
  now?: () => Date;
}

/** `ahead`: the callback says the outcome, but the order's state does not change yet (a callback ahead of the provider's state; a later settle changes it). */
export type CallbackMode = 'once' | 'duplicate' | 'none' | 'out-of-order' | 'ahead';

export interface AddTransactionInput {
  username?: string;
  /** Defaults to the user's first linked account. */
  accountNumber?: string;
  direction: 'in' | 'out';
  /** Positive đồng. */
  amount: number;
  description: string;
  refNo?: string;
  at?: Date | string;
  /** Sends transaction.confirmed for this order code (money in only) when a webhook is configured. */
  orderCode?: string;
  /** `replay-altered`: the genuine webhook, then the same one with its unsigned `bank` and `account` changed (the sign still matches). */
  webhook?: 'once' | 'duplicate' | 'none' | 'replay-altered';
  webhookDelayMs?: number;
}

export interface Settlement {
  outcome: 'succeed' | 'fail' | 'expire' | 'processing' | 'pending';
  /** What was paid (defaults to the order's amount). */
  amount?: number;
  /** Sent and stored verbatim instead of the outcome's word (e.g. "2", "REFUNDING"). */
  rawStatus?: string;
  callback?: CallbackMode;
  delayMs?: number;
  sharkPayMethod?: SharkPayCallbackMethod;
  /** Payouts: the key that signs the callback (default payout; `payin` as the document's samples do). */
  signWith?: 'payin' | 'payout';
}

export type OrderRefInput = { orderNo: string } | { merchantOrderNo: string; gateway?: Gateway };

const outcomeWord: Record<Settlement['outcome'], string> = { succeed: 'SUCCESS', fail: 'FAILED', expire: 'EXPIRED', processing: 'PROCESSING', pending: 'PENDING' };

interface Route {
  operation: string;
  method: 'GET' | 'POST';
  path: string;
  auth: boolean;
  /** Refused with 403 once the API package has expired. */
  needsPackage: boolean;
  handle(ctx: Context): SimulatorResponse;
}

export function createApiNganHangSimulator(options: ApiNganHangSimulatorOptions = {}) {
  const clock = options.now ?? (() => new Date());
  const pricePerMonth = options.pricePerMonth ?? 100_000;
  const minDeposit = options.minDeposit ?? 10_000;
  const steering = new SteeringQueue();
  const deliveries = new CallbackDeliveries();
  /** Tests waiting for a request to arrive (to act while its answer is held: a crash between two steps). */
  const arrivals = new Map<string, (() => void)[]>();
  const store: Store = {
    users: [],
    accounts: [],
    pendingOtps: [],
    transactions: [],
    hubConfigs: new Map(),
    lastSavedGateway: new Map(),
    orders: [],
    notifications: [],
    deposits: [],
    ...(options.webhook ? { webhook: options.webhook } : {}),
    bankLogins: { ...options.bankLogins },
    sequence: 100,
  };
  type UserSeed = NonNullable<ApiNganHangSimulatorOptions['users']>[number];
  /** A member signs up: a user with one linked account, and the Hub settings every user starts with. */
  function addUser(seed: UserSeed): SimUser {
    if (store.users.some((u) => u.username === seed.username)) throw new Error(`sandbox user ${seed.username} exists`);
    const user: SimUser = {
      id: nextId(store),
      username: seed.username,
      password: seed.password,
      email: seed.email ?? `${seed.username}@example.com`,
      level: 1,
      money: seed.money ?? 1_000_000,
      timeMomo: epochSeconds(clock()) + (seed.packageDays ?? 30) * 86_400,
      idTelegram: seed.idTelegram ?? null,
    };
    store.users.push(user);
    // Every user starts with one linked account, as after signing up.
    store.accounts.push({ id: nextId(store), userId: user.id, bankCode: 'MBBANK', accountNumber: '0368492618', holderName: 'NGUYEN VAN A', balance: 19_437_345, active: 1, hasBankPassword: false });
    for (const [gateway, settings] of Object.entries(options.hubSettings ?? {}) as [Gateway, Record<string, string>][]) {
      store.hubConfigs.set(hubKey(user.id, gateway), { gateway, enabled: true, settings: { ...settings } });
    }
    return user;
  }
  for (const seed of options.users ?? [{ username: 'demo', password: '123456' }]) addUser(seed);

  const routes: Route[] = [
    { operation: 'ping', method: 'GET', path: '/ping.php', auth: false, needsPackage: false, handle: accountRoutes.ping },
    { operation: 'login', method: 'POST', path: '/auth/login.php', auth: false, needsPackage: false, handle: accountRoutes.login },
    { operation: 'profile', method: 'GET', path: '/auth/profile.php', auth: true, needsPackage: false, handle: accountRoutes.profile },
    { operation: 'logout', method: 'POST', path: '/auth/logout.php', auth: true, needsPackage: false, handle: accountRoutes.logout },
    { operation: 'accounts.list', method: 'GET', path: '/accounts/index.php', auth: true, needsPackage: true, handle: accountRoutes.listAccounts },
    { operation: 'accounts.add', method: 'POST', path: '/accounts/add.php', auth: true, needsPackage: true, handle: accountRoutes.addAccount },
    {
      operation: 'accounts.connect',
      method: 'POST',
      path: '/accounts/connect.php',
      auth: true,
      needsPackage: true,
      handle: (ctx) => accountRoutes.connectAccount({ ...ctx, bankLogins: store.bankLogins }),
    },
    { operation: 'transactions.list', method: 'GET', path: '/transactions/index.php', auth: true, needsPackage: true, handle: accountRoutes.listTransactions },
    { operation: 'transactions.detail', method: 'GET', path: '/transactions/detail.php', auth: true, needsPackage: true, handle: accountRoutes.transactionDetail },
    { operation: 'transactions.export', method: 'GET', path: '/transactions/export.php', auth: true, needsPackage: true, handle: accountRoutes.exportTransactions },
    { operation: 'dashboard.summary', method: 'GET', path: '/dashboard/summary.php', auth: true, needsPackage: true, handle: accountRoutes.summary },
    { operation: 'dashboard.charts', method: 'GET', path: '/dashboard/charts.php', auth: true, needsPackage: true, handle: accountRoutes.charts },
    { operation: 'services.extension', method: 'GET', path: '/services/extension.php', auth: true, needsPackage: false, handle: (ctx) => accountRoutes.extensionInfo(ctx, pricePerMonth) },
    { operation: 'services.renew', method: 'POST', path: '/services/renew.php', auth: true, needsPackage: false, handle: (ctx) => accountRoutes.renew(ctx, pricePerMonth) },
    { operation: 'services.deposit', method: 'GET', path: '/services/deposit.php', auth: true, needsPackage: false, handle: (ctx) => accountRoutes.depositInfo(ctx, minDeposit) },
    { operation: 'services.site-settings', method: 'GET', path: '/services/site-settings.php', auth: true, needsPackage: false, handle: accountRoutes.siteSettings },
    { operation: 'services.packages', method: 'GET', path: '/services/packages.php', auth: true, needsPackage: false, handle: accountRoutes.packages },
    { operation: 'notifications', method: 'GET', path: '/notifications/index.php', auth: true, needsPackage: false, handle: accountRoutes.notifications },
    { operation: 'payments.settings.get', method: 'GET', path: '/payments/settings.php', auth: true, needsPackage: true, handle: hubRoutes.getSettings },
    { operation: 'payments.settings.save', method: 'POST', path: '/payments/settings.php', auth: true, needsPackage: true, handle: hubRoutes.saveSettings },
    { operation: 'payments.test', method: 'POST', path: '/payments/test.php', auth: true, needsPackage: true, handle: hubRoutes.testGateway },
    { operation: 'payments.create', method: 'POST', path: '/payments/orders/create.php', auth: true, needsPackage: true, handle: hubRoutes.createPayin },
    { operation: 'payments.query', method: 'POST', path: '/payments/orders/query.php', auth: true, needsPackage: true, handle: hubRoutes.queryOrder },
    { operation: 'payments.payout', method: 'POST', path: '/payments/orders/payout.php', auth: true, needsPackage: true, handle: hubRoutes.createPayout },
  ];

  function execute(route: Route, request: SimulatorRequest): SimulatorResponse {
    const now = clock();
    const params = readParams(request);
    let user: SimUser | undefined;
    if (route.auth) {
      const token = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim();
      user = token ? store.users.find((u) => u.token === token) : undefined;
      if (!user) return fail(401);
      if (route.needsPackage && user.timeMomo < epochSeconds(now)) return fail(403);
    }
    // Routes without auth never read `user`.
    return route.handle({ request, params, store, now, user: user as SimUser });
  }

  function steered(behaviour: Behaviour, run: () => SimulatorResponse): SimulatorResponse {
    switch (behaviour.kind) {
      case 'succeed':
      case 'pending':
        return run();
      case 'fail':
        return fail(400, 'Gateway từ chối yêu cầu');
      case 'error': {
        const status = Number(behaviour.code);
        return fail(Number.isInteger(status) && status >= 400 && status <= 599 ? status : 400, behaviour.message);
      }
      case 'http-500':
        return fail(500);
      case 'delay': {
        // The request is executed; only the answer is late (a timeout then leaves the outcome unknown).
        const answer = behaviour.then ? steered(behaviour.then, run) : run();
        return { ...answer, delayMs: behaviour.delayMs };
      }
      default: {
        const unhandled: never = behaviour;
        return unhandled;
      }
    }
  }

  function userNamed(username?: string): SimUser {
    const user = username ? store.users.find((u) => u.username === username) : store.users[0];
    if (!user) throw new Error(`no sandbox user ${username ?? '(first)'}`);
    return user;
  }

  function findOrder(ref: OrderRefInput): HubOrder {
    const order =
      'orderNo' in ref
        ? store.orders.find((o) => o.orderNo === ref.orderNo)
        : store.orders.find((o) => o.merchantOrderNo === ref.merchantOrderNo && (!ref.gateway || o.gateway === ref.gateway));
    if (!order) throw new Error(`no Hub order ${JSON.stringify(ref)}`);
    return order;
  }

  const controls = {
    steer(operation: string, behaviour: Behaviour, times = 1) {
      steering.push(operation, behaviour, times);
    },
    clearSteering() {
      steering.clear();
    },
    /** Resolves when the next request for `operation` arrives (before it is answered). */
    nextRequest(operation: string): Promise<void> {
      return new Promise((resolve) => arrivals.set(operation, [...(arrivals.get(operation) ?? []), resolve]));
    },
    /** The OTP the fake bank "sent" by SMS for the latest request_otp (of that account number). */
    lastOtp(accountNumber?: string): string | undefined {
      const pending = store.pendingOtps.filter((p) => !accountNumber || p.accountNumber === accountNumber);
      return pending[pending.length - 1]?.otp;
    },
    /** Another member of API Ngân hàng (its own login, ledger and Hub settings). */
    addUser(seed: UserSeed) {
      return accountRoutes.wireUser(addUser(seed));
    },
    setBankLogin(loginId: string, password: string) {
      store.bankLogins[loginId] = password;
    },
    /** An admin resets the user's token: the old one answers 401 from now on. */
    resetToken(username?: string) {
      delete userNamed(username).token;
    },
    expirePackage(username?: string) {
      userNamed(username).timeMomo = epochSeconds(clock()) - 60;
    },
    deposit(amount: number, username?: string) {
      const user = userNamed(username);
      user.money += amount;
      store.deposits.push({ id: nextId(store), userId: user.id, amount, status: 'completed', createdAt: clock() });
      notify(store, user.id, 'Nạp tiền', `Đã nạp ${amount} đ`, clock());
    },
    setWebhook(url: string, secret: string) {
      store.webhook = { url, secret };
    },
    /** Appends a bank statement line (and sends transaction.confirmed when asked). */
    addTransaction(input: AddTransactionInput) {
      const user = userNamed(input.username);
      const account = store.accounts.find((a) => a.userId === user.id && (!input.accountNumber || a.accountNumber === input.accountNumber));
      if (!account) throw new Error(`no linked account ${input.accountNumber ?? '(any)'} for ${user.username}`);
      if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw new Error('amount is a positive whole number of đồng');
      const signed = input.direction === 'in' ? input.amount : -input.amount;
      account.balance += signed;
      const at = input.at ? new Date(input.at) : clock();
      const transaction = {
        id: nextId(store),
        userId: user.id,
        accountId: account.id,
        bank: account.bankCode,
        refNo: input.refNo ?? `FT${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e5)).padStart(5, '0')}`,
        description: input.description,
        amount: signed,
        account: account.accountNumber,
        balanceAfter: account.balance,
        at,
      };
      store.transactions.push(transaction);
      notify(store, user.id, input.direction === 'in' ? 'Tiền vào' : 'Tiền ra', `${account.bankCode} ${signed > 0 ? '+' : ''}${signed} đ: ${input.description}`, clock());
      const mode = input.webhook ?? 'once';
      if (input.orderCode && input.direction === 'in' && store.webhook && mode !== 'none') {
        const fields = { order_code: input.orderCode, amount: input.amount, trans_id: transaction.refNo, paid_at: epochSeconds(at) };
        const body = JSON.stringify({
          event: 'transaction.confirmed',
          order_code: fields.order_code,
          amount: fields.amount,
          bank: transaction.bank,
          trans_id: fields.trans_id,
          account: transaction.account,
          paid_at: fields.paid_at,
          sign: signTransactionWebhook(fields, store.webhook.secret),
        });
        const callback: OutgoingCallback = { url: store.webhook.url, method: 'POST', headers: { 'content-type': 'application/json' }, body };
        const altered = (): OutgoingCallback => {
          const copy = JSON.parse(body) as Record<string, unknown>;
          return { ...callback, body: JSON.stringify({ ...copy, bank: `${transaction.bank}X`, account: `${transaction.account}9` }) };
        };
        deliveries.send(mode === 'duplicate' ? [callback, callback] : mode === 'replay-altered' ? [callback, altered()] : [callback], input.webhookDelayMs ?? 0);
      }
      return wireTransaction(transaction);
    },
    /** Moves a Hub order to its final (or an intermediate) state and forwards the gateway callback. */
    settleOrder(ref: OrderRefInput, settlement: Settlement) {
      const order = findOrder(ref);
      const config = store.hubConfigs.get(hubKey(order.userId, order.gateway));
      const now = clock();
      const previous = order.status;
      const word = settlement.rawStatus ?? outcomeWord[settlement.outcome];
      const paid = settlement.amount ?? order.amount;
      const mode = settlement.callback ?? 'once';
      if (mode !== 'ahead') {
        order.status = word;
        order.updatedAt = now;
        if (settlement.outcome === 'succeed') order.paidAmount = paid;
      }
      const url = order.notifyUrl ?? config?.settings.notify_url;
      if (url && config && mode !== 'none') {
        const final = gatewayCallback(order, config, url, word, paid, now, settlement.sharkPayMethod, settlement.signWith);
        let batch = [final];
        if (mode === 'duplicate') batch = [final, final];
        if (mode === 'out-of-order') {
          const older = previous === order.status ? (order.type === 'payin' ? 'PENDING' : 'PROCESSING') : previous;
          batch = [final, gatewayCallback(order, config, url, older, order.amount, now, settlement.sharkPayMethod, settlement.signWith)];
        }
        deliveries.send(batch, settlement.delayMs ?? 0);
      }
      return hubRoutes.wireOrder(order);
    },
    state() {
      return {
        users: store.users.map((u) => ({ ...accountRoutes.wireUser(u), password: '********', token: u.token ?? null })),
        accounts: store.accounts,
        pendingOtps: store.pendingOtps.map((p) => ({ ...p, password: '********' })),
        transactions: store.transactions.map(wireTransaction),
        hubConfigs: [...store.hubConfigs.entries()].map(([key, config]) => ({
          key,
          gateway: config.gateway,
          enabled: config.enabled,
          settings: Object.fromEntries(Object.entries(config.settings).map(([field, value]) => [field, /secret|api_key/.test(field) && value ? '********' : value])),
        })),
        orders: store.orders.map((o) => ({ ...hubRoutes.wireOrder(o), notify_url: o.notifyUrl ?? null, channel: o.channel ?? null, device_ip: o.deviceIp ?? null })),
        notifications: store.notifications,
        deposits: store.deposits,
        webhook: store.webhook ? { url: store.webhook.url, secret: '********' } : null,
        deliveries: deliveries.log,
      };
    },
  };

  const done = (effect: () => void) => {
    effect();
    return json(200, { ok: true });
  };
  /** /_sandbox/… : the controls over HTTP, JSON bodies with snake_case or camelCase fields. */
  const sandboxActions: SandboxActions = {
    state: { method: 'GET', run: () => json(200, controls.state()) },
    otp: { method: 'GET', run: (query) => json(200, { otp: controls.lastOtp(query.account_number ?? undefined) ?? null }) },
    steer: { method: 'POST', run: (body) => done(() => controls.steer(String(body.operation ?? '*'), body.behaviour as Behaviour, Number(body.times ?? 1))) },
    'clear-steering': { method: 'POST', run: () => done(() => controls.clearSteering()) },
    users: {
      method: 'POST',
      run: (body) =>
        json(200, {
          user: controls.addUser({
            username: String(body.username),
            password: String(body.password),
            ...(body.money === undefined ? {} : { money: Number(body.money) }),
            ...(body.package_days === undefined && body.packageDays === undefined ? {} : { packageDays: Number(body.package_days ?? body.packageDays) }),
          }),
        }),
    },
    'reset-token': { method: 'POST', run: (body) => done(() => controls.resetToken(body.username)) },
    'expire-package': { method: 'POST', run: (body) => done(() => controls.expirePackage(body.username)) },
    deposit: { method: 'POST', run: (body) => done(() => controls.deposit(Number(body.amount), body.username)) },
    'bank-login': { method: 'POST', run: (body) => done(() => controls.setBankLogin(String(body.login_id ?? body.loginId), String(body.password))) },
    webhook: { method: 'POST', run: (body) => done(() => controls.setWebhook(String(body.url), String(body.secret))) },
    transactions: {
      method: 'POST',
      run: (body) =>
        json(200, {
          transaction: controls.addTransaction({
            username: body.username,
            accountNumber: body.account_number ?? body.accountNumber,
            direction: body.direction === 'out' ? 'out' : 'in',
            amount: Number(body.amount),
            description: String(body.description ?? ''),
            refNo: body.ref_no ?? body.refNo,
            at: body.at,
            orderCode: body.order_code ?? body.orderCode,
            webhook: body.webhook,
            webhookDelayMs: body.webhook_delay_ms ?? body.webhookDelayMs,
          }),
        }),
    },
    settle: {
      method: 'POST',
      run: (body) => {
        const orderNo = body.order_no ?? body.orderNo;
        const ref: OrderRefInput = orderNo ? { orderNo: String(orderNo) } : { merchantOrderNo: String(body.merchant_order_no ?? body.merchantOrderNo), gateway: body.gateway };
        return json(200, {
          order: controls.settleOrder(ref, {
            outcome: body.outcome ?? 'succeed',
            amount: body.amount === undefined ? undefined : Number(body.amount),
            rawStatus: body.raw_status ?? body.rawStatus,
            callback: body.callback,
            delayMs: body.delay_ms ?? body.delayMs,
            sharkPayMethod: body.sharkpay_method ?? body.sharkPayMethod,
            signWith: body.sign_with ?? body.signWith,
          }),
        });
      },
    },
  };

  const simulator: Simulator = {
    name: APINGANHANG_SIMULATOR_NAME,
    deliveries,
    async handle(request) {
      const path = request.url.pathname;
      if (path.startsWith('/_sandbox/')) return sandboxControlRoute(request, sandboxActions);
      if (path.startsWith('/pay/') && request.method === 'GET') {
        const order = store.orders.find((o) => o.orderNo === path.slice('/pay/'.length));
        return order ? plainText(200, `Sandbox payment page: ${order.gateway} ${order.orderNo}, ${order.amount} đ, ${order.status}`) : plainText(404, 'unknown order');
      }
      if (!path.startsWith(`${API_PREFIX}/`)) return null;
      const sub = path.slice(API_PREFIX.length);
      const candidates = routes.filter((route) => route.path === sub);
      if (candidates.length === 0) return fail(404, `Endpoint không tồn tại: ${sub}`);
      const route = candidates.find((candidate) => candidate.method === request.method);
      if (!route) return fail(405, defaultMessages[405]);
      for (const arrived of arrivals.get(route.operation) ?? []) arrived();
      arrivals.delete(route.operation);
      const behaviour = steering.take(route.operation);
      const run = () => execute(route, request);
      return behaviour ? steered(behaviour, run) : run();
    },
  };

  return Object.assign(simulator, { controls });
}

export type ApiNganHangSimulator = ReturnType<typeof createApiNganHangSimulator>;
