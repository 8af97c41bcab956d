// VNKash v1 from the provider's side: POST /v1/<name>.json with a form body,
// KEY + SIGNATURE headers, strictly increasing nonces per key, and each
// endpoint's own {"error": N} table. Deposits wait for a payer (settle them),
// withdrawals wait for the bank (settle them), transfers are immediate.
// Steering and inspection live under /_sandbox/.
// Over 300 lines on purpose: one provider's protocol, seen from its side, in
// one file that reads against its document top to bottom (the routes share
// the simulated state; what simulators share lives in ../kit.ts).
import { parseDong } from '../../domain/money.js';
import { CallbackDeliveries, json, sandboxControlRoute, type SandboxActions, SteeringQueue, type Behaviour, type OutgoingCallback, type Simulator, type SimulatorRequest, type SimulatorResponse } from '../kit.js';
import { documentedCodes, simCodes, simEndpoints, type SimEndpoint } from './codes.js';
import { canonicalString, decodeFormPairs, expectedSignature, nonceInHundredths, signatureMatches } from './signature.js';
import {
  makeBatch,
  stateToJson,
  type SimAccountFlags,
  type SimApiKey,
  type SimBankAccount,
  type SimDeposit,
  type SimHistoryRow,
  type SimState,
  type SimUser,
  type SimWithdrawal,
} from './state.js';

export const vnKashSandboxKey: Required<Pick<SimApiKey, 'publicKey' | 'secretKey'>> = {
  publicKey: 'VYTTA-ZCY9N-DBM0A-DDOHN-IPOUU-ZSRIL-V9EKT',
  secretKey: 'sandbox-vnkash-secret-key',
};

export interface VnKashSimulatorOptions {
  /** Mount prefix; default "vnkash". */
  name?: string;
  keys?: SimApiKey[];
  /** Opening wallet balance (đồng); default 10 000 000. */
  balance?: bigint;
  currency?: string;
  users?: SimUser[];
  bankAccounts?: SimBankAccount[];
  /** The account a deposit's payer transfers to, per payment code. */
  collectionAccounts?: Partial<Record<string, { account: string; name: string }>>;
  minimumDeposit?: bigint;
  minimumWithdrawal?: bigint;
  transferFee?: bigint;
  flags?: Partial<SimAccountFlags>;
  /** Callback URL for orders created without one. */
  callbackUrl?: string;
}

export type VnKashCallbackMode = 'once' | 'duplicate' | 'none' | 'out-of-order';

export interface VnKashSettleRequest {
  kind: 'deposit' | 'withdrawal';
  id: number;
  outcome: 'succeed' | 'fail';
  /** Deposits only: what the payer actually paid. */
  amount?: bigint;
  /** The history row's type (default DEPOSIT / WITHDRAW): to show a client a type it does not know. */
  historyType?: string;
  callback?: VnKashCallbackMode;
  callbackDelayMs?: number;
}

/** A history row put there by hand (another order's movement, the document's own example rows …). */
export interface SeedHistoryRow {
  type?: string;
  amount: bigint;
  batch?: string;
  /** description.index; default: the next row number. */
  index?: number;
  date?: Date;
  order?: string;
}

export interface VnKashSimulatorControls {
  /** Appends history rows as they are (nothing else changes). */
  addHistory(rows: SeedHistoryRow[]): SimHistoryRow[];
  /** Queue a behaviour for the next `times` requests to an endpoint ('*' = any). */
  steer(operation: SimEndpoint | '*', behaviour: Behaviour, times?: number): void;
  settle(request: VnKashSettleRequest): { deposit?: SimDeposit; withdrawal?: SimWithdrawal };
  setFlags(flags: Partial<SimAccountFlags>): void;
  setKey(key: SimApiKey): void;
  readonly state: SimState;
  findDeposit(filter: { id?: number; order?: string }): SimDeposit | undefined;
  findWithdrawal(filter: { id?: number; order?: string }): SimWithdrawal | undefined;
  stateJson(): unknown;
}

export interface VnKashSimulator extends Simulator {
  readonly controls: VnKashSimulatorControls;
}

const BANK_PAYMENTS = ['ACB', 'CTG', 'DAB', 'VCB', 'CARD'];
const DEPOSIT_PAYMENTS = ['ACB', 'CTG', 'DAB', 'VCB'];
const DEFAULT_RECORDS = 100;
const MAX_RECORDS = 250;
const VIETNAM_MS = 7 * 3600_000;

/** PHP's json_encode escapes "/" ("03\/12\/2015"); done here so clients meet the real bytes. */
const phpJson = (status: number, value: unknown): SimulatorResponse => {
  const response = json(status, value);
  return { ...response, body: response.body.replaceAll('/', '\\/') };
};
const fail = (code: number) => phpJson(200, { error: code });

const two = (n: number) => String(n).padStart(2, '0');
function rowDate(date: Date): string {
  const local = new Date(date.getTime() + VIETNAM_MS);
  return `${two(local.getUTCDate())}/${two(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`;
}
/** history's from/to: "Y-m-d H:i:s", Vietnam time. */
function parseFilterTime(text: string | undefined): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text ?? '');
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - VIETNAM_MS);
}

export function createVnKashSimulator(options: VnKashSimulatorOptions = {}): VnKashSimulator {
  const name = options.name ?? 'vnkash';
  const currency = options.currency ?? 'VND';
  const keys = new Map<string, SimApiKey>((options.keys ?? [vnKashSandboxKey]).map((key) => [key.publicKey, { ...key }]));
  const collection = options.collectionAccounts ?? {
    ACB: { account: '0102030405', name: 'LE DUONG SY MY' },
    CTG: { account: '1010101010', name: 'LE DUONG SY MY' },
    DAB: { account: '0102030405', name: 'LE DUONG SY MY' },
    VCB: { account: '0071000999999', name: 'LE DUONG SY MY' },
  };
  const minimumDeposit = options.minimumDeposit ?? 10_000n;
  const minimumWithdrawal = options.minimumWithdrawal ?? 50_000n;
  const transferFee = options.transferFee ?? 0n;
  const state: SimState = {
    balance: options.balance ?? 10_000_000n,
    flags: {
      ownerLocked: false,
      userLocked: false,
      depositLocked: false,
      historyLocked: false,
      withdrawLocked: false,
      sendLocked: false,
      historyIgnoresFilters: false,
      historyEchoesOrder: false,
      ...options.flags,
    },
    requests: [],
    nonces: new Map(),
    deposits: [],
    withdrawals: [],
    history: [],
    nextRowIndex: 1,
    users: options.users ?? [
      { account: '840909090909', name: 'Nguyen Hong Duc' },
      { account: 'buyer@example.vn', name: 'Tran Thi Mai' },
    ],
    bankAccounts: options.bankAccounts ?? [
      { payment: 'DAB', account: '0102030405', name: 'LE DUONG SY MY' },
      { payment: 'VCB', account: '0071000123456', name: 'NGUYEN VAN AN' },
      { payment: 'CARD', account: '9704366800000001', name: 'PHAM THI BICH' },
    ],
  };
  const steering = new SteeringQueue();
  const deliveries = new CallbackDeliveries();
  let sequence = 0;
  const nextBatch = () => makeBatch(++sequence);
  /** A history row's description: the row's number, as the document shows; our order code only when told to echo it. */
  const rowDescription = (order: string | undefined, extra: Record<string, unknown> = {}) => ({
    index: state.nextRowIndex++,
    ...extra,
    ...(order && state.flags.historyEchoesOrder ? { order } : {}),
  });

  // ---- authentication, in the order a provider would naturally check ----
  type Authenticated = { ok: true; params: Map<string, string> } | { ok: false; response: SimulatorResponse };
  function authenticate(endpoint: SimEndpoint, request: SimulatorRequest): Authenticated {
    const codes = simCodes[endpoint];
    const publicKey = request.headers['key'];
    const signature = request.headers['signature'];
    if (!publicKey || !signature) return { ok: false, response: fail(codes.missingAuth) };
    const key = keys.get(publicKey);
    if (!key) return { ok: false, response: fail(codes.unknownKey) };
    if (key.apiLocked) return { ok: false, response: fail(codes.apiLocked) };
    const ip = request.remoteAddress.replace(/^::ffff:/, '');
    if (key.allowedIps && !key.allowedIps.includes(ip)) return { ok: false, response: fail(codes.ip) };
    const pairs = decodeFormPairs(request.rawBody);
    if (!pairs) return { ok: false, response: fail(codes.signature) };
    const expected = expectedSignature(canonicalString(pairs), key.secretKey, key.signatureAlgorithm ?? 'hmac-sha512');
    if (!signatureMatches(signature, expected)) return { ok: false, response: fail(codes.signature) };
    const params = new Map(pairs);
    const nonce = nonceInHundredths(params.get('Nonce'));
    if (nonce === null || nonce <= (state.nonces.get(publicKey) ?? 0n)) return { ok: false, response: fail(codes.nonce) };
    state.nonces.set(publicKey, nonce);
    if (key.denied?.includes(endpoint)) return { ok: false, response: fail(codes.permission) };
    return { ok: true, params };
  }

  function logRequest(endpoint: SimEndpoint, request: SimulatorRequest, response: SimulatorResponse) {
    const error = /^\{"error":(\d+)\}$/.exec(response.body)?.[1];
    state.requests.push({
      at: new Date(),
      endpoint,
      publicKey: request.headers['key'],
      nonce: decodeFormPairs(request.rawBody)?.find(([key]) => key === 'Nonce')?.[1],
      ...(error !== undefined && { error: Number(error) }),
    });
    if (state.requests.length > 500) state.requests.splice(0, state.requests.length - 500);
  }

  // ---- callbacks ----
  function callbackBody(kind: 'DEPOSIT' | 'WITHDRAW', record: SimDeposit | SimWithdrawal, status: string, amount: bigint): OutgoingCallback | null {
    const url = record.callback ?? options.callbackUrl;
    if (!url) return null;
    return {
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: record.id, order: record.order ?? null, type: kind, status, amount: Number(amount), currency: record.currency, batch: record.batch, date: rowDate(new Date()) }),
    };
  }
  function sendCallbacks(final: OutgoingCallback | null, older: OutgoingCallback | null, mode: VnKashCallbackMode, delayMs = 0) {
    if (!final) return;
    switch (mode) {
      case 'none':
        return;
      case 'once':
        return deliveries.send([final], delayMs);
      case 'duplicate':
        return deliveries.send([final, final], delayMs);
      case 'out-of-order':
        return deliveries.send(older ? [final, older] : [final], delayMs);
    }
  }

  // ---- endpoints ----
  const amountText = (params: Map<string, string>) => (params.get('amount') ?? '').trim();

  const endpoints: Record<SimEndpoint, (params: Map<string, string>) => SimulatorResponse> = {
    balance() {
      if (state.flags.ownerLocked) return fail(simCodes.balance.ownerLocked);
      return phpJson(200, [{ code: currency, name: 'Vietnam Dong', sign: '\u20ab', decimal: '0', balance: Number(state.balance) }]);
    },
    name(params) {
      const account = params.get('account') ?? '';
      const user = state.users.find((candidate) => candidate.account === account);
      if (!user) return fail(simCodes.name.userNotFound);
      return phpJson(200, { account: user.account, name: user.name });
    },
    bank(params) {
      const codes = simCodes.bank;
      const payment = params.get('payment');
      if (!payment) return fail(codes.paymentMissing);
      if (!BANK_PAYMENTS.includes(payment)) return fail(codes.paymentInvalid);
      const account = params.get('account');
      if (!account) return fail(codes.accountMissing);
      if (!/^\d{6,19}$/.test(account)) return fail(codes.accountFormat);
      const found = state.bankAccounts.find((candidate) => candidate.payment === payment && candidate.account === account);
      if (!found) return fail(codes.bankAccountWrong);
      if (found.locked) return fail(codes.bankAccountLocked);
      return phpJson(200, { payment: found.payment, account: found.account, name: found.name });
    },
    deposit(params) {
      const codes = simCodes.deposit;
      if (state.flags.userLocked) return fail(codes.userLocked);
      if (state.flags.depositLocked) return fail(codes.depositLocked);
      if (params.get('currency') !== currency) return fail(codes.currency);
      const payment = params.get('payment') ?? '';
      const payee = collection[payment];
      if (!DEPOSIT_PAYMENTS.includes(payment) || !payee) return fail(codes.paymentNotAllowed);
      if (!/^\d+$/.test(amountText(params))) return fail(codes.failed);
      const amount = BigInt(amountText(params));
      if (amount < minimumDeposit) return fail(codes.belowMinimum);
      const id = state.deposits.length + 1;
      const batch = nextBatch();
      const deposit: SimDeposit = {
        id,
        order: params.get('order') || undefined,
        currency,
        amount,
        payment,
        payee: payee.account,
        name: payee.name,
        description: `${id}-${batch}`,
        batch,
        callback: params.get('callback') || undefined,
        state: 'pending',
        createdAt: new Date(),
      };
      state.deposits.push(deposit);
      return phpJson(200, { success: true, deposit: { id, payee: deposit.payee, name: deposit.name, description: deposit.description } });
    },
    history(params) {
      const codes = simCodes.history;
      if (state.flags.userLocked) return fail(codes.userLocked);
      if (state.flags.historyLocked) return fail(codes.historyLocked);
      const from = parseFilterTime(params.get('from'));
      const to = parseFilterTime(params.get('to'));
      const requested = Number(params.get('record') ?? DEFAULT_RECORDS);
      const record = Number.isInteger(requested) && requested > 0 ? Math.min(requested, MAX_RECORDS) : DEFAULT_RECORDS;
      const filterCurrency = params.get('currency');
      const honoured = !state.flags.historyIgnoresFilters;
      const order = honoured ? params.get('order') : null;
      const batch = honoured ? params.get('batch') : null;
      const rows = state.history.filter(
        (row) =>
          (!filterCurrency || row.currency === filterCurrency) &&
          (!order || row.order === order) &&
          (!batch || row.batch === batch) &&
          (!from || row.date >= from) &&
          (!to || row.date <= to),
      );
      // The latest `record` rows, oldest first (as the document's example runs).
      return phpJson(
        200,
        rows.slice(-record).map((row) => ({
          batch: row.batch,
          source: row.source,
          type: row.type,
          currency: row.currency,
          amount: `${row.amount}.00`,
          fee: `${row.fee}.00`,
          description: row.description,
          date: rowDate(row.date),
        })),
      );
    },
    withdraw(params) {
      const codes = simCodes.withdraw;
      if (state.flags.userLocked) return fail(codes.userLocked);
      if (state.flags.withdrawLocked) return fail(codes.withdrawLocked);
      if (params.get('currency') !== currency) return fail(codes.currency);
      const text = amountText(params);
      if (/^\d*\.\d*$/.test(text) && text !== '.') return fail(codes.decimal);
      if (!/^\d+$/.test(text)) return fail(codes.failed);
      const payment = params.get('payment') ?? '';
      const account = params.get('account') ?? '';
      const accountName = params.get('name') ?? '';
      if (!BANK_PAYMENTS.includes(payment) || !/^\d{6,19}$/.test(account) || accountName.trim() === '') return fail(codes.bankAccountInvalid);
      const amount = BigInt(text);
      if (amount < minimumWithdrawal) return fail(codes.belowMinimum);
      if (amount > state.balance) return fail(codes.insufficient);
      // Held at once; given back if the bank refuses (settle → fail).
      state.balance -= amount;
      const withdrawal: SimWithdrawal = {
        id: state.withdrawals.length + 1,
        order: params.get('order') || undefined,
        currency,
        amount,
        payment,
        account,
        name: accountName,
        batch: nextBatch(),
        callback: params.get('callback') || undefined,
        state: 'pending',
        createdAt: new Date(),
      };
      state.withdrawals.push(withdrawal);
      return phpJson(200, {
        success: true,
        withdrawal: { id: withdrawal.id, amount: Number(amount), currency, payment, account, name: accountName },
      });
    },
    transfer(params) {
      const codes = simCodes.transfer;
      if (state.flags.userLocked) return fail(codes.senderLocked);
      if (state.flags.sendLocked) return fail(codes.sendLocked);
      if (params.get('currency') !== currency) return fail(codes.currency);
      const text = amountText(params);
      if (/^\d*\.\d*$/.test(text) && text !== '.') return fail(codes.decimal);
      if (!/^\d+$/.test(text) || BigInt(text) <= 0n) return fail(codes.failed);
      const account = params.get('account') ?? '';
      const recipient = state.users.find((user) => user.account === account);
      if (!recipient || recipient.locked) return fail(codes.recipientInvalid);
      if (recipient.receiveLocked) return fail(codes.recipientReceiveLocked);
      const amount = BigInt(text);
      if (amount + transferFee > state.balance) return fail(codes.insufficient);
      state.balance -= amount + transferFee;
      const memo = params.get('memo') ?? '';
      const order = params.get('order') || undefined;
      const row: SimHistoryRow = {
        batch: nextBatch(),
        source: 'API',
        type: 'TRANSFER',
        currency,
        amount,
        fee: transferFee,
        description: rowDescription(order, { account, memo }),
        date: new Date(),
        order,
      };
      state.history.push(row);
      return phpJson(200, { date: rowDate(row.date), memo, currency, amount: Number(amount), account, batch: row.batch, fee: Number(transferFee) });
    },
  };

  function applyBehaviour(endpoint: SimEndpoint, behaviour: Behaviour | undefined, params: Map<string, string>): SimulatorResponse {
    if (!behaviour) return endpoints[endpoint](params);
    switch (behaviour.kind) {
      case 'succeed':
      case 'pending':
        // Deposits and withdrawals are pending until settled anyway; the others have no pending state.
        return endpoints[endpoint](params);
      case 'fail':
        return fail(simCodes[endpoint].fail);
      case 'error':
        return fail(Number(behaviour.code));
      case 'http-500':
        // The server broke before acting.
        return { status: 500, headers: { 'content-type': 'text/html' }, body: '<h1>500 Internal Server Error</h1>' };
      case 'delay':
        return { ...applyBehaviour(endpoint, behaviour.then, params), delayMs: behaviour.delayMs };
    }
  }

  // ---- controls ----
  function settle(request: VnKashSettleRequest) {
    const mode = request.callback ?? 'once';
    if (request.kind === 'deposit') {
      const deposit = state.deposits.find((candidate) => candidate.id === request.id);
      if (!deposit) throw new Error(`no deposit ${request.id}`);
      if (deposit.state !== 'pending') throw new Error(`deposit ${request.id} is already ${deposit.state}`);
      const paid = request.amount ?? deposit.amount;
      const older = callbackBody('DEPOSIT', deposit, 'pending', deposit.amount);
      if (request.outcome === 'succeed') {
        deposit.state = 'succeeded';
        state.balance += paid;
        state.history.push({
          batch: deposit.batch,
          source: 'WEB',
          type: request.historyType ?? 'DEPOSIT',
          currency: deposit.currency,
          amount: paid,
          fee: 0n,
          description: rowDescription(deposit.order),
          date: new Date(),
          order: deposit.order,
        });
        sendCallbacks(callbackBody('DEPOSIT', deposit, 'success', paid), older, mode, request.callbackDelayMs);
      } else {
        // Nothing moved, so history shows nothing: only the callback tells.
        deposit.state = 'failed';
        sendCallbacks(callbackBody('DEPOSIT', deposit, 'failed', deposit.amount), older, mode, request.callbackDelayMs);
      }
      return { deposit };
    }
    const withdrawal = state.withdrawals.find((candidate) => candidate.id === request.id);
    if (!withdrawal) throw new Error(`no withdrawal ${request.id}`);
    if (withdrawal.state !== 'pending') throw new Error(`withdrawal ${request.id} is already ${withdrawal.state}`);
    const older = callbackBody('WITHDRAW', withdrawal, 'pending', withdrawal.amount);
    if (request.outcome === 'succeed') {
      withdrawal.state = 'succeeded';
      state.history.push({
        batch: withdrawal.batch,
        source: 'API',
        type: request.historyType ?? 'WITHDRAW',
        currency: withdrawal.currency,
        amount: withdrawal.amount,
        fee: 0n,
        description: rowDescription(withdrawal.order),
        date: new Date(),
        order: withdrawal.order,
      });
      sendCallbacks(callbackBody('WITHDRAW', withdrawal, 'success', withdrawal.amount), older, mode, request.callbackDelayMs);
    } else {
      withdrawal.state = 'failed';
      state.balance += withdrawal.amount;
      sendCallbacks(callbackBody('WITHDRAW', withdrawal, 'failed', withdrawal.amount), older, mode, request.callbackDelayMs);
    }
    return { withdrawal };
  }

  function steer(operation: SimEndpoint | '*', behaviour: Behaviour, times = 1) {
    if (operation !== '*' && !(simEndpoints as readonly string[]).includes(operation)) throw new Error(`unknown operation ${operation}`);
    for (let step: Behaviour | undefined = behaviour; step; step = step.kind === 'delay' ? step.then : undefined) {
      if (step.kind === 'error' && operation !== '*' && !documentedCodes(operation).has(Number(step.code))) {
        throw new Error(`${operation}.json documents no error ${step.code}`);
      }
    }
    steering.push(operation, behaviour, times);
  }

  function addHistory(rows: SeedHistoryRow[]): SimHistoryRow[] {
    return rows.map((seed) => {
      const row: SimHistoryRow = {
        batch: seed.batch ?? nextBatch(),
        source: 'WEB',
        type: seed.type ?? 'DEPOSIT',
        currency,
        amount: seed.amount,
        fee: 0n,
        description: seed.index === undefined ? rowDescription(seed.order) : { index: seed.index },
        date: seed.date ?? new Date(),
        ...(seed.order ? { order: seed.order } : {}),
      };
      state.history.push(row);
      return row;
    });
  }

  const controls: VnKashSimulatorControls = {
    addHistory,
    steer,
    settle,
    setFlags: (flags) => Object.assign(state.flags, flags),
    setKey: (key) => void keys.set(key.publicKey, { ...key }),
    state,
    findDeposit: ({ id, order }) => state.deposits.find((d) => (id === undefined || d.id === id) && (order === undefined || d.order === order)),
    findWithdrawal: ({ id, order }) => state.withdrawals.find((w) => (id === undefined || w.id === id) && (order === undefined || w.order === order)),
    stateJson: () => ({
      ...(stateToJson(state) as object),
      // Secrets stay out of the state view; the public keys are enough to tell them apart.
      keys: [...keys.values()].map(({ secretKey: _secret, ...rest }) => rest),
    }),
  };

  const sandboxActions: SandboxActions = {
    state: { method: 'GET', run: () => json(200, controls.stateJson()) },
    steer: {
      method: 'POST',
      run: (body) => {
        steer(body.operation as SimEndpoint | '*', body.behaviour as Behaviour, typeof body.times === 'number' ? body.times : 1);
        return json(200, { ok: true });
      },
    },
    settle: {
      method: 'POST',
      run: (body) => {
        const result = settle({
          kind: body.kind as 'deposit' | 'withdrawal',
          id: Number(body.id),
          outcome: body.outcome === 'fail' ? 'fail' : 'succeed',
          amount: body.amount === undefined ? undefined : parseDong(body.amount),
          historyType: typeof body.historyType === 'string' ? body.historyType : undefined,
          callback: (body.callback as VnKashCallbackMode | undefined) ?? 'once',
          callbackDelayMs: typeof body.callbackDelayMs === 'number' ? body.callbackDelayMs : undefined,
        });
        return json(200, stateToJson(result));
      },
    },
    flags: {
      method: 'POST',
      run: (body) => {
        controls.setFlags(body as Partial<SimAccountFlags>);
        return json(200, { ok: true, flags: state.flags });
      },
    },
    history: {
      method: 'POST',
      run: (body) => {
        // {rows: [{type?, amount, batch?, index?, order?, date? (ISO)}]}, or {document_example: true}: the document's ten DEPOSIT rows, numbered 1 … 10.
        const rows: SeedHistoryRow[] = body.document_example
          ? Array.from({ length: 10 }, (_, i) => ({ type: 'DEPOSIT', amount: 200_000n, index: i + 1 }))
          : ((body.rows as Record<string, unknown>[] | undefined) ?? []).map((row) => ({
              type: typeof row.type === 'string' ? row.type : undefined,
              amount: parseDong(row.amount),
              batch: typeof row.batch === 'string' ? row.batch : undefined,
              index: typeof row.index === 'number' ? row.index : undefined,
              order: typeof row.order === 'string' ? row.order : undefined,
              date: typeof row.date === 'string' ? new Date(row.date) : undefined,
            }));
        return json(200, stateToJson({ added: controls.addHistory(rows) }));
      },
    },
  };

  return {
    name,
    deliveries,
    controls,
    async handle(request) {
      const path = request.url.pathname;
      if (path.startsWith('/_sandbox/')) return sandboxControlRoute(request, sandboxActions);
      const match = /^\/v1\/([a-z]+)\.json$/.exec(path);
      const endpoint = match?.[1] as SimEndpoint | undefined;
      if (!endpoint || !(simEndpoints as readonly string[]).includes(endpoint)) return null;
      if (request.method !== 'POST') return { status: 405, headers: { allow: 'POST', 'content-type': 'text/plain' }, body: 'POST only' };
      const auth = authenticate(endpoint, request);
      const response = auth.ok ? applyBehaviour(endpoint, steering.take(endpoint), auth.params) : auth.response;
      logRequest(endpoint, request, response);
      return response;
    },
  };
}
