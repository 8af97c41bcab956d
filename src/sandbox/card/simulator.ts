// The card-charging provider, simulated from its side of the wire:
// POST|GET /chargingws/v2 with command=charging (submit) or command=check
// (not in the document; common in this API family, can be turned off), and
// callbacks to the partner's configured URL once a charge is settled.
// Over 300 lines on purpose: one provider's protocol, seen from its side, in
// one file that reads against its document top to bottom (the routes share
// the simulated state; what simulators share lives in ../kit.ts).
import { z } from 'zod';
import { parseDong } from '../../domain/money.js';
import { CallbackDeliveries, json, sandboxControlRoute, type SandboxActions, readParams, SteeringQueue, text, type Behaviour, type OutgoingCallback, type Simulator, type SimulatorRequest, type SimulatorResponse } from '../kit.js';
import { cardLooksValid, messages, simulatorFaceValues } from './catalogue.js';
import { providerSign } from './signing.js';

export type CardCallbackForm = 'POST_JSON' | 'POST_JSON_CURL' | 'GET';
export type CardCallbackMode = 'once' | 'duplicate' | 'none' | 'out-of-order' | 'replay-altered' | 'altered-only';

export interface CardSimulatorOptions {
  partnerId?: string;
  partnerKey?: string;
  /**
   * The partner's callback URL, configured at the provider (not sent per
   * request). A function is read at each settle (for a URL known only once
   * the merchant's server listens).
   */
  callbackUrl?: string | (() => string | undefined);
  /**
   * POST_JSON: JSON with content-type application/json. POST_JSON_CURL: the
   * same body under application/x-www-form-urlencoded, as the document's
   * `curl --data` sends it. GET: query parameters (adds card_value).
   */
  callbackForm?: CardCallbackForm;
  /** What the merchant receives, in % of the value paid on (the document's example: 35 000 of 50 000). */
  discountPercent?: number;
  /** Extra cut, in %, when the declared value was wrong (status 2). */
  mismatchPenaltyPercent?: number;
  /** Whether command=check is answered (true by default). */
  supportsCheck?: boolean;
  faceValues?: Record<string, number[]>;
}

export interface SimulatedCharge {
  transId: number;
  requestId: string;
  telco: string;
  code: string;
  serial: string;
  declaredValue: bigint;
  status: number;
  message: string;
  /** Value paid on ("value"). */
  value: bigint | null;
  /** Real face value ("card_value"). */
  cardValue: bigint | null;
  amount: bigint;
  createdAt: string;
  settledAt?: string;
  /** Answers (submit, check) without card_value, as the document's submit answer and POST JSON callback show it. */
  answersWithoutCardValue?: boolean;
}

export interface SettleCallback {
  mode?: CardCallbackMode;
  form?: CardCallbackForm;
  delayMs?: number;
  /** For replay-altered / altered-only: what the forged copy changes (the sign stays valid). */
  alter?: { status?: number; amount?: bigint };
}

export interface SettleOptions {
  /** 1, 2, 3, 4, 100 as documented; any other integer is sent as is (to test unknown statuses). */
  status: number;
  /** Status 2: the card's real face value (default: the next face value below the declared one, or above for the smallest). */
  realValue?: bigint;
  /** Override what the merchant receives. */
  amount?: bigint;
  message?: string;
  callback?: SettleCallback;
  /** From now on, this charge's check answers carry no card_value (only value, the value charged on). */
  checkWithoutCardValue?: boolean;
}

export interface CardSimulatorControls {
  steer(operation: 'charging' | 'check' | '*', behaviour: Behaviour, times?: number): void;
  settle(requestId: string, options: SettleOptions): SimulatedCharge;
  setCallbackUrl(url: string): void;
  charge(requestId: string): SimulatedCharge | undefined;
  state(): unknown;
  reset(): void;
}

export interface CardSimulator extends Simulator {
  readonly controls: CardSimulatorControls;
}

const SUBMIT_PATH = '/chargingws/v2';
const requiredFields = ['telco', 'code', 'serial', 'amount', 'request_id', 'partner_id', 'sign', 'command'] as const;

const mask = (value: string) => (value.length <= 4 ? '…' : `…${value.slice(-4)}`);
const num = (value: bigint | null) => (value === null ? null : Number(value));

export function createCardSimulator(options: CardSimulatorOptions = {}): CardSimulator {
  const partnerId = options.partnerId ?? '8740404061';
  const partnerKey = options.partnerKey ?? 'sandbox-partner-key';
  const discountPercent = BigInt(options.discountPercent ?? 70);
  const penaltyPercent = BigInt(options.mismatchPenaltyPercent ?? 50);
  const supportsCheck = options.supportsCheck ?? true;
  const faceValues = options.faceValues ?? simulatorFaceValues;
  let callbackUrlSource = options.callbackUrl;
  const currentCallbackUrl = () => (typeof callbackUrlSource === 'function' ? callbackUrlSource() : callbackUrlSource);
  const defaultForm: CardCallbackForm = options.callbackForm ?? 'POST_JSON';

  const steering = new SteeringQueue();
  const deliveries = new CallbackDeliveries();
  const charges = new Map<string, SimulatedCharge>();
  let nextTransId = 1;

  const fail100 = (message: string) => json(200, { status: 100, message });

  /** The answer body for a charge, in the document's field order (code and serial echoed, as the document shows). */
  const answerOf = (charge: SimulatedCharge) => ({
    trans_id: charge.transId,
    request_id: charge.requestId,
    amount: Number(charge.amount),
    value: num(charge.value),
    ...(charge.answersWithoutCardValue ? {} : { card_value: num(charge.cardValue) }),
    declared_value: Number(charge.declaredValue),
    telco: charge.telco,
    serial: charge.serial,
    code: charge.code,
    status: charge.status,
    message: charge.message,
  });

  /** Masks every known card code and serial in a logged callback. */
  const redact = (value: string) => {
    let result = value;
    for (const charge of charges.values()) result = result.split(charge.code).join(mask(charge.code)).split(charge.serial).join(mask(charge.serial));
    return result;
  };

  const pendingEstimate = (declared: bigint) => (declared * discountPercent) / 100n;

  /** Sets a charge's final figures for a status, as the provider computes them. */
  function applyOutcome(charge: SimulatedCharge, status: number, overrides: { realValue?: bigint; amount?: bigint; message?: string } = {}) {
    charge.status = status;
    charge.settledAt = new Date().toISOString();
    if (status === 1) {
      charge.cardValue = charge.declaredValue;
      charge.value = charge.declaredValue;
      charge.amount = overrides.amount ?? (charge.value * discountPercent) / 100n;
    } else if (status === 2) {
      const real = overrides.realValue ?? differentFaceValue(charge.telco, charge.declaredValue);
      charge.cardValue = real;
      // Paid on the lower of the two, with a penalty for the wrong declaration.
      charge.value = real < charge.declaredValue ? real : charge.declaredValue;
      charge.amount = overrides.amount ?? (charge.value * discountPercent * (100n - penaltyPercent)) / 10_000n;
    } else if (status === 99) {
      charge.amount = pendingEstimate(charge.declaredValue);
    } else {
      charge.cardValue = null;
      charge.value = null;
      charge.amount = overrides.amount ?? 0n;
    }
    charge.message = overrides.message ?? (messages as Record<number, string>)[status] ?? 'UNKNOWN';
  }

  function differentFaceValue(telco: string, declared: bigint): bigint {
    const values = (faceValues[telco] ?? []).map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const lower = values.filter((value) => value < declared).pop();
    if (lower !== undefined) return lower;
    return values.find((value) => value > declared) ?? declared * 2n;
  }

  // --- callbacks -------------------------------------------------------------

  function callbackFields(charge: SimulatedCharge, form: CardCallbackForm, alter?: { status?: number; amount?: bigint }) {
    const status = alter?.status ?? charge.status;
    return {
      status,
      message: alter?.status !== undefined ? ((messages as Record<number, string>)[status] ?? 'UNKNOWN') : charge.message,
      request_id: charge.requestId,
      declared_value: Number(charge.declaredValue),
      // The GET form of the document carries card_value; the POST JSON example does not.
      ...(form === 'GET' ? { card_value: num(charge.cardValue) } : {}),
      value: num(charge.value),
      amount: Number(alter?.amount ?? charge.amount),
      code: charge.code,
      serial: charge.serial,
      telco: charge.telco,
      trans_id: charge.transId,
      callback_sign: providerSign(partnerKey, charge.code, charge.serial),
    };
  }

  function outgoing(fields: Record<string, unknown>, form: CardCallbackForm): OutgoingCallback {
    const callbackUrl = currentCallbackUrl();
    if (!callbackUrl) throw new Error('no callbackUrl configured for the card simulator');
    if (form === 'GET') {
      const url = new URL(callbackUrl);
      for (const [key, value] of Object.entries(fields)) if (value !== null && value !== undefined) url.searchParams.set(key, String(value));
      return { url: url.toString(), method: 'GET' };
    }
    return {
      url: callbackUrl,
      method: 'POST',
      headers: { 'content-type': form === 'POST_JSON' ? 'application/json' : 'application/x-www-form-urlencoded' },
      body: JSON.stringify(fields),
    };
  }

  function sendCallbacks(charge: SimulatedCharge, callback: SettleCallback = {}) {
    const mode = callback.mode ?? 'once';
    if (mode === 'none') return;
    const form = callback.form ?? defaultForm;
    const genuine = outgoing(callbackFields(charge, form), form);
    const alter = callback.alter ?? { status: 1, amount: charge.declaredValue * 2n };
    const forged = () => outgoing(callbackFields(charge, form, alter), form);
    let batch: OutgoingCallback[];
    switch (mode) {
      case 'once':
        batch = [genuine];
        break;
      case 'duplicate':
        batch = [genuine, genuine];
        break;
      case 'out-of-order': {
        // A stale "pending" report arriving after the final one.
        const stale = { ...callbackFields(charge, form), status: 99, message: messages[99], value: null, amount: Number(pendingEstimate(charge.declaredValue)) };
        if (form === 'GET') (stale as Record<string, unknown>).card_value = null;
        batch = [genuine, outgoing(stale, form)];
        break;
      }
      case 'replay-altered':
        batch = [genuine, forged()];
        break;
      case 'altered-only':
        batch = [forged()];
        break;
      default: {
        const unhandled: never = mode;
        throw new Error(`unknown callback mode ${String(unhandled)}`);
      }
    }
    deliveries.send(batch, callback.delayMs ?? 0);
  }

  // --- the provider's endpoint ----------------------------------------------

  function params(request: SimulatorRequest): Record<string, string> {
    const fields: Record<string, string> = Object.fromEntries(request.url.searchParams);
    if (request.method === 'POST') {
      for (const [key, value] of Object.entries(readParams(request))) if (value !== undefined && value !== null) fields[key] = String(value);
    }
    return fields;
  }

  /** Missing fields, partner, sign, telco, amount, card shape: the provider's status-100 checks. */
  function validate(fields: Record<string, string>): SimulatorResponse | null {
    for (const field of requiredFields) if (!fields[field]) return fail100(messages.missing(field));
    if (fields.partner_id !== partnerId) return fail100(messages.badPartner);
    if (fields.sign !== providerSign(partnerKey, fields.code!, fields.serial!)) return fail100(messages.badSign);
    const offered = faceValues[fields.telco!];
    if (!offered) return fail100(messages.badTelco);
    if (!/^\d+$/.test(fields.amount!) || !offered.includes(Number(fields.amount))) return fail100(messages.badAmount);
    if (!cardLooksValid(fields.telco!, fields.code!, fields.serial!)) return fail100(messages.badCard);
    return null;
  }

  function charging(fields: Record<string, string>): SimulatorResponse {
    const invalid = validate(fields);
    if (invalid) return invalid;
    const requestId = fields.request_id!;
    if (charges.has(requestId)) return fail100(messages.duplicateRequest);
    for (const other of charges.values()) {
      if (other.code === fields.code && other.serial === fields.serial && [1, 2, 99].includes(other.status)) return fail100(messages.cardInUse);
    }
    const behaviour = steering.take('charging');
    return answerCharging(fields, behaviour);
  }

  function answerCharging(fields: Record<string, string>, behaviour: Behaviour | undefined): SimulatorResponse {
    if (behaviour?.kind === 'delay') return { ...answerCharging(fields, behaviour.then), delayMs: behaviour.delayMs };
    if (behaviour?.kind === 'http-500') return text(500, 'Internal Server Error');
    const status = behaviourStatus(behaviour);
    // Maintenance and a refused submission leave no charge: the same request_id may be sent again.
    if (status === 4) return json(200, { status: 4, message: messages[4] });
    if (status === 100) return fail100(behaviour?.kind === 'error' && behaviour.message ? behaviour.message : messages[100]);
    const declaredValue = BigInt(fields.amount!);
    const charge: SimulatedCharge = {
      transId: nextTransId++,
      requestId: fields.request_id!,
      telco: fields.telco!,
      code: fields.code!,
      serial: fields.serial!,
      declaredValue,
      status: 99,
      message: messages[99],
      value: null,
      cardValue: null,
      amount: pendingEstimate(declaredValue),
      createdAt: new Date().toISOString(),
    };
    if (status !== 99) applyOutcome(charge, status, behaviour?.kind === 'error' && behaviour.message ? { message: behaviour.message } : {});
    charges.set(charge.requestId, charge);
    return json(200, answerOf(charge));
  }

  function behaviourStatus(behaviour: Behaviour | undefined): number {
    if (!behaviour) return 99;
    switch (behaviour.kind) {
      case 'succeed':
        return 1;
      case 'fail':
        return 3;
      case 'pending':
        return 99;
      case 'error': {
        const code = Number(behaviour.code);
        return Number.isInteger(code) ? code : 100;
      }
      case 'delay':
      case 'http-500':
        return 99; // handled by the caller
      default: {
        const unhandled: never = behaviour;
        throw new Error(`unknown behaviour ${JSON.stringify(unhandled)}`);
      }
    }
  }

  function check(fields: Record<string, string>): SimulatorResponse {
    if (!supportsCheck) return fail100(messages.badCommand);
    const invalid = validate(fields);
    if (invalid) return invalid;
    return answerCheck(fields, steering.take('check'));
  }

  function answerCheck(fields: Record<string, string>, behaviour: Behaviour | undefined): SimulatorResponse {
    if (behaviour?.kind === 'delay') return { ...answerCheck(fields, behaviour.then), delayMs: behaviour.delayMs };
    if (behaviour?.kind === 'http-500') return text(500, 'Internal Server Error');
    if (behaviour?.kind === 'error' && Number(behaviour.code) === 100) return fail100(behaviour.message ?? messages[100]);
    const charge = charges.get(fields.request_id!);
    if (!charge) return fail100(messages.notFound);
    if (charge.code !== fields.code || charge.serial !== fields.serial) return fail100(messages.cardMismatch);
    const answer = answerOf(charge);
    if (behaviour?.kind === 'error') return json(200, { ...answer, status: Number(behaviour.code), message: behaviour.message ?? 'UNKNOWN' });
    return json(200, answer);
  }

  // --- steering over HTTP ------------------------------------------------------

  const behaviourSchema: z.ZodType<Behaviour> = z.lazy(() =>
    z.union([
      z.object({ kind: z.enum(['succeed', 'fail', 'pending', 'http-500']) }),
      z.object({ kind: z.literal('error'), code: z.union([z.string(), z.number()]), message: z.string().optional() }),
      z.object({ kind: z.literal('delay'), delayMs: z.number().int().min(0), then: behaviourSchema.optional() }),
    ]),
  ) as z.ZodType<Behaviour>;
  const dong = z.union([z.number(), z.string()]).transform((value) => parseDong(value));
  const steerBody = z.object({ operation: z.enum(['charging', 'check', '*']), behaviour: behaviourSchema, times: z.number().int().min(1).optional() });
  const settleBody = z.object({
    request_id: z.union([z.string(), z.number()]).transform(String),
    status: z.number().int(),
    real_value: dong.optional(),
    amount: dong.optional(),
    message: z.string().optional(),
    check_without_card_value: z.boolean().optional(),
    callback: z
      .object({
        mode: z.enum(['once', 'duplicate', 'none', 'out-of-order', 'replay-altered', 'altered-only']).optional(),
        form: z.enum(['POST_JSON', 'POST_JSON_CURL', 'GET']).optional(),
        delay_ms: z.number().int().min(0).optional(),
        alter: z.object({ status: z.number().int().optional(), amount: dong.optional() }).optional(),
      })
      .optional(),
  });

  const controls: CardSimulatorControls = {
    steer: (operation, behaviour, times = 1) => steering.push(operation, behaviour, times),
    settle(requestId, settle) {
      const charge = charges.get(requestId);
      if (!charge) throw new Error(`no charge with request_id ${requestId}`);
      if (charge.status !== 99) throw new Error(`charge ${requestId} is already settled (status ${charge.status})`);
      if ((settle.callback?.mode ?? 'once') !== 'none' && !currentCallbackUrl()) throw new Error('no callbackUrl configured: set one, or settle with callback mode none');
      applyOutcome(charge, settle.status, settle);
      if (settle.checkWithoutCardValue) charge.answersWithoutCardValue = true;
      sendCallbacks(charge, settle.callback);
      return { ...charge };
    },
    setCallbackUrl(url) {
      callbackUrlSource = url;
    },
    charge: (requestId) => {
      const charge = charges.get(requestId);
      return charge ? { ...charge } : undefined;
    },
    state: () => ({
      partnerId,
      callbackUrl: currentCallbackUrl() ?? null,
      callbackForm: defaultForm,
      supportsCheck,
      discountPercent: Number(discountPercent),
      mismatchPenaltyPercent: Number(penaltyPercent),
      faceValues,
      // Card codes are bearer secrets even in a sandbox: show them as a client should.
      charges: [...charges.values()].map((charge) => ({ ...answerOf(charge), code: mask(charge.code), serial: mask(charge.serial), created_at: charge.createdAt, settled_at: charge.settledAt ?? null })),
      deliveries: deliveries.log.map((record) => ({ ...record, url: redact(record.url), body: record.body === undefined ? undefined : redact(record.body) })),
    }),
    reset() {
      charges.clear();
      steering.clear();
      nextTransId = 1;
    },
  };

  const ok = () => json(200, { ok: true });
  const sandboxActions: SandboxActions = {
    state: { method: 'GET', run: () => json(200, controls.state()) },
    steer: {
      method: 'POST',
      run: (body) => {
        const input = steerBody.parse(body);
        controls.steer(input.operation, input.behaviour, input.times);
        return ok();
      },
    },
    settle: {
      method: 'POST',
      run: (body) => {
        const input = settleBody.parse(body);
        const charge = controls.settle(input.request_id, {
          status: input.status,
          realValue: input.real_value,
          amount: input.amount,
          message: input.message,
          checkWithoutCardValue: input.check_without_card_value,
          callback: input.callback && { mode: input.callback.mode, form: input.callback.form, delayMs: input.callback.delay_ms, alter: input.callback.alter },
        });
        return json(200, { ok: true, charge: { ...answerOf(charge), code: mask(charge.code), serial: mask(charge.serial) } });
      },
    },
    'callback-url': {
      method: 'POST',
      run: (body) => {
        controls.setCallbackUrl(z.object({ url: z.string().url() }).parse(body).url);
        return ok();
      },
    },
    reset: {
      method: 'POST',
      run: () => {
        controls.reset();
        return ok();
      },
    },
  };
  const sandboxFailure = (error: unknown) =>
    json(400, { error: error instanceof z.ZodError ? error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') : String((error as Error).message) });

  return {
    name: 'card',
    deliveries,
    controls,
    async handle(request) {
      const path = request.url.pathname.replace(/\/+$/, '');
      if (path.startsWith('/_sandbox/')) return sandboxControlRoute(request, sandboxActions, sandboxFailure);
      if (path !== SUBMIT_PATH) return null;
      if (request.method !== 'GET' && request.method !== 'POST') return json(405, { status: 100, message: 'Method not allowed' });
      const fields = params(request);
      switch (fields.command) {
        case 'charging':
          return charging(fields);
        case 'check':
          return check(fields);
        case undefined:
        case '':
          return fail100(messages.missing('command'));
        default:
          return fail100(messages.badCommand);
      }
    },
  };
}
