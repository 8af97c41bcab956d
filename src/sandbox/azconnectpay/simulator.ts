// AZConnectPay v2 from the provider's side of the wire: the five documented
// endpoints with APIKEY + Checksum checks, orders kept per request_id, status
// answers that tell the truth, and callbacks POSTed (JSON) to the URL given at
// creation when an order settles. The document has no error codes: every
// refusal is `{success:false, message}` with a fitting HTTP status.
// Over 300 lines on purpose: one provider's protocol, seen from its side, in
// one file that reads against its document top to bottom (the routes share
// the simulated state; what simulators share lives in ../kit.ts).
import { z } from 'zod';
import { parseDong } from '../../domain/money.js';
import { CallbackDeliveries, SteeringQueue, json, sandboxControlRoute, type SandboxActions, type Behaviour, type OutgoingCallback, type Simulator, type SimulatorRequest, type SimulatorResponse } from '../kit.js';
import { cashInBodyToSign, cashOutBodyToSign, hmacMd5Hex, sameHex, sameText } from './checksum.js';
import { QR_IMAGE, defaultBanks, momoDeepLink, momoQr, pickMomoWallet, pickReceivingAccount, transferContent, vietQr } from './fixtures.js';

export const azConnectPayOperations = ['cash-in', 'cash-out', 'cash-in-status', 'cash-out-status', 'banks'] as const;
export type AzConnectPayOperation = (typeof azConnectPayOperations)[number];
export type AzConnectPayOrderKind = 'cash-in' | 'cash-out';
export type AzConnectPayCallbackMode = 'once' | 'duplicate' | 'none' | 'out-of-order';
export type AzConnectPayOutcome = 'succeed' | 'fail' | 'expire' | 'processing';

export interface AzConnectPaySimulatorOptions {
  name?: string;
  apiKey?: string;
  privateKey?: string;
  /** "Min 100k VND" for cash-out. */
  cashOutMinimum?: number;
  /** The document's example charges 2 000 on 50 000: 4 %. */
  cashInFeePercent?: number;
  cashOutFee?: number;
  banks?: readonly { code: string; name: string }[];
  now?: () => Date;
}

export interface SimulatedOrder {
  kind: AzConnectPayOrderKind;
  request_id: string;
  type: 'bank' | 'momo';
  /** What was asked for. */
  amount: number;
  /** What the payer actually transferred (cash-in), once paid. */
  paid_amount: number | null;
  fee_amount: number;
  /** The provider's status name, verbatim (a steered unknown name included). */
  status: string;
  callback: string;
  created_at: Date;
  updated_at: Date;
  history: { status: string; at: Date }[];
  /** Cash-in: the instructions handed out. */
  payment?: Record<string, unknown>;
  /** Cash-out: who is paid. */
  payee?: { account: string; bank_code: string; bank_fullname: string };
}

export interface SettleInput {
  kind: AzConnectPayOrderKind;
  requestId: string;
  outcome: AzConnectPayOutcome;
  /** Cash-in only: the payer transferred this instead of the amount asked. */
  amount?: number | bigint | string;
  /** Write this status name instead of the outcome's (e.g. "COMPLETED", or an unknown "ON_HOLD"). */
  status?: string;
  callback?: AzConnectPayCallbackMode;
  callbackDelayMs?: number;
}

/** A steering request the simulator cannot honour (unknown order, already final …). */
export class AzConnectPaySandboxError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
  }
}

export interface AzConnectPayControls {
  /** Queue a behaviour for the next `times` requests of an operation ('*' for any). */
  steer(operation: AzConnectPayOperation | '*', behaviour: Behaviour, times?: number): void;
  settle(input: SettleInput): SimulatedOrder;
  order(kind: AzConnectPayOrderKind, requestId: string): SimulatedOrder | undefined;
  state(): unknown;
  reset(): void;
}

export interface AzConnectPaySimulator extends Simulator {
  readonly controls: AzConnectPayControls;
  /** The keys a connector must use against this simulator. */
  readonly credentials: { apiKey: string; privateKey: string };
}

const OUTCOME_STATUS: Record<AzConnectPayOutcome, string> = { succeed: 'SUCCESS', fail: 'FAILED', expire: 'EXPIRED', processing: 'PROCESSING' };
const FINAL = new Set(['SUCCESS', 'FAILED', 'EXPIRED']);

const failure = (status: number, message: string) => json(status, { success: false, message });

function vietnamTime(instant: Date): string {
  return new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

const behaviourSchema: z.ZodType<Behaviour> = z.lazy(() =>
  z.union([
    z.object({ kind: z.literal('succeed') }),
    z.object({ kind: z.literal('fail') }),
    z.object({ kind: z.literal('pending') }),
    z.object({ kind: z.literal('error'), code: z.union([z.string(), z.number()]), message: z.string().optional() }),
    z.object({ kind: z.literal('delay'), delayMs: z.number().int().nonnegative(), then: behaviourSchema.optional() }),
    z.object({ kind: z.literal('http-500') }),
  ]),
);

const steerSchema = z.object({
  operation: z.enum([...azConnectPayOperations, '*']),
  behaviour: behaviourSchema,
  times: z.number().int().positive().optional(),
});

const settleSchema = z.object({
  kind: z.enum(['cash-in', 'cash-out']),
  request_id: z.string().min(1),
  outcome: z.enum(['succeed', 'fail', 'expire', 'processing']),
  amount: z.union([z.number(), z.string()]).optional(),
  status: z.string().min(1).optional(),
  callback: z.enum(['once', 'duplicate', 'none', 'out-of-order']).optional(),
  callback_delay_ms: z.number().int().nonnegative().optional(),
});

export function createAzConnectPaySimulator(options: AzConnectPaySimulatorOptions = {}): AzConnectPaySimulator {
  const apiKey = options.apiKey ?? 'sandbox-azconnectpay-apikey';
  const privateKey = options.privateKey ?? 'sandbox-azconnectpay-private-key';
  const cashOutMinimum = options.cashOutMinimum ?? 100_000;
  const cashInFeePercent = options.cashInFeePercent ?? 4;
  const cashOutFee = options.cashOutFee ?? 0;
  const banks = options.banks ?? defaultBanks;
  const now = options.now ?? (() => new Date());
  const steering = new SteeringQueue();
  const deliveries = new CallbackDeliveries();
  const orders = new Map<string, SimulatedOrder>();
  const keyOf = (kind: AzConnectPayOrderKind, requestId: string) => `${kind}:${requestId}`;

  // ---- wire format -------------------------------------------------------

  function statusAnswer(order: SimulatedOrder) {
    const common = {
      success: true,
      request_id: order.request_id,
      amount: order.paid_amount ?? order.amount,
    };
    // The document's cash-out status example carries `type` and no fee_amount.
    return order.kind === 'cash-in'
      ? { ...common, fee_amount: order.fee_amount, status: order.status, created_at: vietnamTime(order.created_at), updated_at: vietnamTime(order.updated_at) }
      : { ...common, status: order.status, type: order.type, created_at: vietnamTime(order.created_at), updated_at: vietnamTime(order.updated_at) };
  }

  function callbackBody(order: SimulatedOrder, older?: { status: string }) {
    return {
      request_id: order.request_id,
      amount: older ? order.amount : (order.paid_amount ?? order.amount),
      fee_amount: older ? 0 : order.fee_amount,
      status: older ? older.status : order.status,
      type: order.type,
      created_at: vietnamTime(order.created_at),
      updated_at: vietnamTime(order.updated_at),
    };
  }

  function sendCallbacks(order: SimulatedOrder, previousStatus: string, mode: AzConnectPayCallbackMode, delayMs = 0) {
    if (!order.callback || mode === 'none') return;
    const post = (body: unknown): OutgoingCallback => ({
      url: order.callback,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'AZConnectPay-Sandbox/2' },
      body: JSON.stringify(body),
    });
    const final = post(callbackBody(order));
    const batch =
      mode === 'once' ? [final] : mode === 'duplicate' ? [final, final] : [final, post(callbackBody(order, { status: previousStatus }))];
    deliveries.send(batch, delayMs);
  }

  // ---- state changes -----------------------------------------------------

  function settle(input: SettleInput): SimulatedOrder {
    const order = orders.get(keyOf(input.kind, input.requestId));
    if (!order) throw new AzConnectPaySandboxError(404, `no ${input.kind} with request_id ${input.requestId}`);
    if (FINAL.has(order.status)) throw new AzConnectPaySandboxError(409, `${input.kind} ${input.requestId} is already ${order.status}`);
    if (input.amount !== undefined && (order.kind !== 'cash-in' || input.outcome !== 'succeed')) {
      throw new AzConnectPaySandboxError(400, 'a different amount only makes sense for a cash-in that succeeds');
    }
    const previousStatus = order.status;
    const at = now();
    if (input.outcome === 'succeed') {
      if (order.kind === 'cash-in') {
        const paid = input.amount === undefined ? order.amount : Number(parseDong(input.amount));
        order.paid_amount = paid;
        order.fee_amount = Math.floor((paid * cashInFeePercent) / 100);
      } else {
        order.fee_amount = cashOutFee;
      }
    }
    order.status = input.status ?? OUTCOME_STATUS[input.outcome];
    order.updated_at = at;
    order.history.push({ status: order.status, at });
    sendCallbacks(order, previousStatus, input.callback ?? 'once', input.callbackDelayMs);
    return order;
  }

  /** 'succeed' / 'fail' steered on a create or status call settle the order (the demo's "auto-pay"). */
  function applySettlingBehaviour(order: SimulatedOrder, behaviour: Behaviour | undefined, callback: AzConnectPayCallbackMode) {
    if (FINAL.has(order.status)) return;
    if (behaviour?.kind === 'succeed') settle({ kind: order.kind, requestId: order.request_id, outcome: 'succeed', callback });
    if (behaviour?.kind === 'fail') settle({ kind: order.kind, requestId: order.request_id, outcome: 'fail', callback });
  }

  // ---- request checks ----------------------------------------------------

  function checkApiKey(request: SimulatorRequest): SimulatorResponse | null {
    const given = request.headers['apikey'];
    if (!given) return failure(401, 'Missing APIKEY');
    return sameText(apiKey, given) ? null : failure(401, 'Invalid APIKEY');
  }

  function readJsonBody(request: SimulatorRequest): { fields: Record<string, unknown> } | { refused: SimulatorResponse } {
    try {
      const value: unknown = JSON.parse(request.rawBody);
      if (value && typeof value === 'object' && !Array.isArray(value)) return { fields: value as Record<string, unknown> };
    } catch {
      // answered below
    }
    return { refused: failure(400, 'Invalid JSON body') };
  }

  function checkCommonFields(body: Record<string, unknown>): SimulatorResponse | null {
    if (typeof body.request_id !== 'string' || body.request_id.trim() === '') return failure(400, 'Missing field: request_id');
    if (body.type === undefined || body.type === '') return failure(400, 'Missing field: type');
    if (body.type !== 'bank' && body.type !== 'momo') return failure(400, 'Invalid type: must be bank or momo');
    if (body.amount === undefined) return failure(400, 'Missing field: amount');
    if (typeof body.amount !== 'number' || !Number.isSafeInteger(body.amount) || body.amount <= 0) return failure(400, 'Invalid amount: a positive whole number of VND');
    if (body.callback !== undefined && body.callback !== '') {
      if (typeof body.callback !== 'string' || !/^https?:\/\//i.test(body.callback)) return failure(400, 'Invalid callback URL');
    }
    return null;
  }

  function checkChecksum(request: SimulatorRequest, signingString: string): SimulatorResponse | null {
    const given = request.headers['checksum'];
    if (!given) return failure(401, 'Missing Checksum');
    return sameHex(hmacMd5Hex(privateKey, signingString), given) ? null : failure(401, 'Invalid Checksum');
  }

  // ---- endpoints ---------------------------------------------------------

  function uniqueContent(prefix: string): string {
    const inUse = new Set([...orders.values()].map((order) => order.payment?.content));
    for (;;) {
      const content = `${prefix}${transferContent()}`;
      if (!inUse.has(content)) return content;
    }
  }

  function createCashIn(request: SimulatorRequest, behaviour: Behaviour | undefined): SimulatorResponse {
    const unauthorised = checkApiKey(request);
    if (unauthorised) return unauthorised;
    const body = readJsonBody(request);
    if ('refused' in body) return body.refused;
    const fields = body.fields;
    const invalid = checkCommonFields(fields) ?? checkChecksum(request, cashInBodyToSign(fields));
    if (invalid) return invalid;
    const requestId = fields.request_id as string;
    if (orders.has(keyOf('cash-in', requestId))) return failure(409, 'request_id already exists');
    const amount = fields.amount as number;
    const type = fields.type as 'bank' | 'momo';
    let payment: Record<string, unknown>;
    let extra: Record<string, unknown>;
    if (type === 'bank') {
      const account = pickReceivingAccount();
      const content = uniqueContent('ck ');
      const qr = vietQr(account, amount, content);
      payment = { account: account.account, account_name: account.account_name, amount, bank: account.bank, bank_code: account.bank_code, content, qr_data: qr, qr_img: QR_IMAGE };
      extra = { qr_link: qr };
    } else {
      const wallet = pickMomoWallet();
      const content = uniqueContent('');
      const qr = momoQr(wallet, amount, content);
      const deepLink = momoDeepLink(qr);
      payment = { amount, content, deep_link: deepLink, name: wallet.name, phone: wallet.phone, qr_data: qr, qr_img: QR_IMAGE };
      extra = { qr_link: qr, deep_link: deepLink };
    }
    const at = now();
    const order: SimulatedOrder = {
      kind: 'cash-in',
      request_id: requestId,
      type,
      amount,
      paid_amount: null,
      fee_amount: 0,
      status: 'PENDING',
      callback: typeof fields.callback === 'string' ? fields.callback : '',
      created_at: at,
      updated_at: at,
      history: [{ status: 'PENDING', at }],
      payment,
    };
    orders.set(keyOf('cash-in', requestId), order);
    applySettlingBehaviour(order, behaviour, 'once');
    // `status: true` means accepted, whatever happened since.
    return json(200, { success: true, request_id: requestId, amount, status: true, message: 'success', results: payment, ...extra });
  }

  function createCashOut(request: SimulatorRequest, behaviour: Behaviour | undefined): SimulatorResponse {
    const unauthorised = checkApiKey(request);
    if (unauthorised) return unauthorised;
    const body = readJsonBody(request);
    if ('refused' in body) return body.refused;
    const fields = body.fields;
    const invalid =
      checkCommonFields(fields) ??
      (typeof fields.account !== 'string' || fields.account.trim() === '' ? failure(400, 'Missing field: account') : null) ??
      (typeof fields.bank_fullname !== 'string' || fields.bank_fullname.trim() === '' ? failure(400, 'Missing field: bank_fullname') : null) ??
      (fields.type === 'bank' && (typeof fields.bank_code !== 'string' || fields.bank_code === '') ? failure(400, 'Missing field: bank_code') : null) ??
      checkChecksum(request, cashOutBodyToSign(fields));
    if (invalid) return invalid;
    const bankCode = typeof fields.bank_code === 'string' && fields.bank_code ? fields.bank_code : 'MOMO';
    if (!banks.some((bank) => bank.code === bankCode)) return failure(400, `Invalid bank_code: ${bankCode}`);
    const amount = fields.amount as number;
    if (amount < cashOutMinimum) return failure(400, `Minimum cash-out amount is ${cashOutMinimum} VND`);
    const requestId = fields.request_id as string;
    if (orders.has(keyOf('cash-out', requestId))) return failure(409, 'request_id already exists');
    const at = now();
    const order: SimulatedOrder = {
      kind: 'cash-out',
      request_id: requestId,
      type: fields.type as 'bank' | 'momo',
      amount,
      paid_amount: null,
      fee_amount: 0,
      status: 'PENDING',
      callback: typeof fields.callback === 'string' ? fields.callback : '',
      created_at: at,
      updated_at: at,
      history: [{ status: 'PENDING', at }],
      payee: { account: fields.account as string, bank_code: bankCode, bank_fullname: fields.bank_fullname as string },
    };
    orders.set(keyOf('cash-out', requestId), order);
    applySettlingBehaviour(order, behaviour, 'once');
    return json(200, { success: true, request_id: requestId, amount, status: order.status, message: 'OK', results: {} });
  }

  function status(kind: AzConnectPayOrderKind, request: SimulatorRequest, behaviour: Behaviour | undefined): SimulatorResponse {
    const unauthorised = checkApiKey(request);
    if (unauthorised) return unauthorised;
    const requestId = request.url.searchParams.get('request_id');
    if (!requestId) return failure(400, 'Missing field: request_id');
    const order = orders.get(keyOf(kind, requestId));
    if (!order) return failure(404, 'Transaction not found');
    // A steered succeed/fail on a status query settles silently: the answer is the callback.
    applySettlingBehaviour(order, behaviour, 'none');
    return json(200, statusAnswer(order));
  }

  function bankList(request: SimulatorRequest, behaviour: Behaviour | undefined): SimulatorResponse {
    const unauthorised = checkApiKey(request);
    if (unauthorised) return unauthorised;
    if (behaviour?.kind === 'fail') return failure(400, 'Cannot load bank list');
    return json(200, { success: true, data: banks.map(({ code, name }) => ({ code, name })) });
  }

  const routes: Record<string, { method: 'GET' | 'POST'; operation: AzConnectPayOperation; run: (request: SimulatorRequest, behaviour: Behaviour | undefined) => SimulatorResponse }> = {
    '/api/v2/cash-in': { method: 'POST', operation: 'cash-in', run: createCashIn },
    '/api/v2/cash-out': { method: 'POST', operation: 'cash-out', run: createCashOut },
    '/api/v2/cash-in/status': { method: 'GET', operation: 'cash-in-status', run: (request, behaviour) => status('cash-in', request, behaviour) },
    '/api/v2/cash-out/status': { method: 'GET', operation: 'cash-out-status', run: (request, behaviour) => status('cash-out', request, behaviour) },
    '/api/v2/banks': { method: 'GET', operation: 'banks', run: bankList },
  };

  /** Steered errors answer before anything is checked; a delay holds whatever the request earns. */
  function answer(run: (behaviour: Behaviour | undefined) => SimulatorResponse, behaviour: Behaviour | undefined): SimulatorResponse {
    if (!behaviour) return run(undefined);
    switch (behaviour.kind) {
      case 'http-500':
        return { status: 500, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>500 Internal Server Error</h1></body></html>' };
      case 'error': {
        const code = Number(behaviour.code);
        const httpStatus = Number.isInteger(code) && code >= 400 && code < 600 ? code : 400;
        return failure(httpStatus, behaviour.message ?? 'Error');
      }
      case 'delay': {
        const response = answer(run, behaviour.then);
        return { ...response, delayMs: (response.delayMs ?? 0) + behaviour.delayMs };
      }
      case 'succeed':
      case 'fail':
      case 'pending':
        return run(behaviour);
    }
  }

  // ---- steering over HTTP ------------------------------------------------

  function snapshot(order: SimulatedOrder) {
    return { ...order, created_at: order.created_at.toISOString(), updated_at: order.updated_at.toISOString(), history: order.history.map((h) => ({ status: h.status, at: h.at.toISOString() })) };
  }

  const controls: AzConnectPayControls = {
    steer: (operation, behaviour, times = 1) => steering.push(operation, behaviour, times),
    settle,
    order: (kind, requestId) => orders.get(keyOf(kind, requestId)),
    state: () => ({ orders: [...orders.values()].map(snapshot), deliveries: deliveries.log }),
    reset: () => {
      orders.clear();
      steering.clear();
    },
  };

  const sandboxActions: SandboxActions = {
    state: { method: 'GET', run: () => json(200, controls.state()) },
    reset: {
      method: 'POST',
      run: () => {
        controls.reset();
        return json(200, { ok: true });
      },
    },
    steer: {
      method: 'POST',
      run: (body) => {
        const parsed = steerSchema.safeParse(body);
        if (!parsed.success) return json(400, { ok: false, error: parsed.error.message });
        controls.steer(parsed.data.operation, parsed.data.behaviour, parsed.data.times);
        return json(200, { ok: true });
      },
    },
    settle: {
      method: 'POST',
      run: (body) => {
        const parsed = settleSchema.safeParse(body);
        if (!parsed.success) return json(400, { ok: false, error: parsed.error.message });
        const { kind, request_id, outcome, amount, status, callback, callback_delay_ms } = parsed.data;
        const order = settle({ kind, requestId: request_id, outcome, amount, status, callback, callbackDelayMs: callback_delay_ms });
        return json(200, { ok: true, order: snapshot(order) });
      },
    },
  };
  const sandboxFailure = (error: unknown) =>
    error instanceof AzConnectPaySandboxError ? json(error.httpStatus, { ok: false, error: error.message }) : json(400, { ok: false, error: String((error as Error).message) });

  return {
    name: options.name ?? 'azconnectpay',
    deliveries,
    controls,
    credentials: { apiKey, privateKey },
    async handle(request) {
      const path = request.url.pathname;
      if (path.startsWith('/_sandbox/')) return sandboxControlRoute(request, sandboxActions, sandboxFailure);
      const route = routes[path];
      if (!route) return null;
      if (request.method !== route.method) return failure(405, 'Method not allowed');
      return answer((behaviour) => route.run(request, behaviour), steering.take(route.operation));
    },
  };
}
