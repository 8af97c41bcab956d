import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallbackVerdict, CreateOrderInput, InboundCallback, OrderRef } from '../../../src/providers/types.js';
import { locateVnKashCallback, type VnKashConnector } from '../../../src/providers/vnkash/index.js';
import { statusOfCallbackWord, statusOfHistoryType } from '../../../src/providers/vnkash/status.js';
import { startCallbackReceiver, startVnKash, type CallbackReceiver, type VnKashHarness } from './helpers.js';
import { ProviderNotSupportedError, ProviderUnavailableError, ValidationError } from '../../../src/errors/index.js';

let h: VnKashHarness;
let connector: VnKashConnector;
let receiver: CallbackReceiver;
const verdicts: CallbackVerdict[] = [];
let sequence = 0;

beforeAll(async () => {
  h = await startVnKash({ balance: 2_000_000n });
  connector = h.connector();
  // Stands in for our callback route: verify, then answer as the connector says.
  receiver = await startCallbackReceiver((callback) => {
    const verdict = connector.verifyCallback(callback);
    verdicts.push(verdict);
    return verdict.ok ? connector.acknowledge() : connector.reject(verdict);
  });
});
afterAll(async () => {
  await h.sandbox.close();
  await receiver.close();
});

function orderInput(kind: CreateOrderInput['kind'], extra: Partial<CreateOrderInput> = {}): CreateOrderInput {
  const requestId = `vk-${kind.toLowerCase()}-${++sequence}`;
  return { kind, requestId, amount: 150_000n, callbackUrl: `${receiver.url}/callbacks/vnkash?ref=${requestId}`, ...extra };
}
const refOf = (input: CreateOrderInput, providerReference?: string | null, transferContent?: string): OrderRef => ({
  kind: input.kind,
  requestId: input.requestId,
  providerReference: providerReference ?? null,
  amount: input.amount,
  createdAt: new Date(),
  ...(transferContent ? { transferContent } : {}),
});
const okCallback = (verdict: CallbackVerdict | undefined) => {
  if (!verdict?.ok) throw new Error(`expected an accepted callback, got ${JSON.stringify(verdict)}`);
  return verdict.callback;
};

describe('VNKash deposits', () => {
  it('creates a deposit and returns what the payer must transfer, pending', async () => {
    const input = orderInput('DEPOSIT', { method: 'vcb' });
    const result = await connector.create(input);
    const deposit = h.sim.controls.findDeposit({ order: input.requestId })!;
    expect(result.providerReference).toBe(String(deposit.id));
    expect(result.report).toMatchObject({ status: 'PENDING', rawStatus: 'success' });
    expect(result.instructions).toEqual({
      bankCode: 'VCB',
      accountNumber: deposit.payee,
      accountName: deposit.name,
      transferContent: `${deposit.id}-${deposit.batch}`,
      amount: 150_000n,
    });
    expect(deposit.callback).toBe(input.callbackUrl);
    await expect(connector.queryStatus(refOf(input, result.providerReference, result.instructions?.transferContent))).resolves.toMatchObject({ status: 'PENDING', rawStatus: 'NOT_IN_HISTORY' });
  });

  it('settles a paid deposit: the callback arrives once, is acknowledged, and history confirms it', async () => {
    const input = orderInput('DEPOSIT', { method: 'ACB' });
    const { providerReference, instructions } = await connector.create(input);
    const before = receiver.received.length;
    h.sim.controls.settle({ kind: 'deposit', id: Number(providerReference), outcome: 'succeed', callback: 'once' });
    await h.sim.deliveries.idle();
    expect(receiver.received.length).toBe(before + 1);
    const callback = okCallback(verdicts.at(-1));
    expect(callback.statusIsSigned).toBe(false);
    expect(callback.lookup).toEqual({ requestId: input.requestId, providerReference });
    expect(callback.report).toMatchObject({ status: 'SUCCEEDED', rawStatus: 'success', amount: 150_000n });
    expect(h.sim.deliveries.log.at(-1)).toMatchObject({ status: 200, responseBody: '{"success":true}' });
    const report = await connector.queryStatus(refOf(input, providerReference, instructions?.transferContent));
    // Tied by the batch the deposit's description carries; description.index numbers the rows, as in the document.
    expect(report).toMatchObject({ status: 'SUCCEEDED', rawStatus: 'DEPOSIT', amount: 150_000n, fee: 0n });
    const deposit = h.sim.controls.findDeposit({ id: Number(providerReference) })!;
    expect(report.raw).toMatchObject({ filter: { batch: deposit.batch }, rows: [{ type: 'DEPOSIT', amount: '150000.00', batch: deposit.batch, description: { index: expect.any(Number) } }] });
  });

  it('reports the amount actually paid when the payer paid a different amount', async () => {
    const input = orderInput('DEPOSIT', { method: 'DAB' });
    const { providerReference, instructions } = await connector.create(input);
    h.sim.controls.settle({ kind: 'deposit', id: Number(providerReference), outcome: 'succeed', amount: 120_000n, callback: 'none' });
    await expect(connector.queryStatus(refOf(input, providerReference, instructions?.transferContent))).resolves.toMatchObject({ status: 'SUCCEEDED', amount: 120_000n });
  });

  it('refuses a deposit method VNKash deposits do not take, and kinds it does not offer', async () => {
    await expect(connector.create(orderInput('DEPOSIT', { method: 'CARD' }))).rejects.toMatchObject({ constructor: ValidationError, field: 'method' });
    await expect(connector.create(orderInput('DEPOSIT'))).rejects.toMatchObject({ constructor: ValidationError, field: 'method' });
    await expect(connector.create(orderInput('CASH_IN'))).rejects.toBeInstanceOf(ProviderNotSupportedError);
    await expect(connector.queryStatus(refOf(orderInput('CASH_OUT')))).rejects.toBeInstanceOf(ProviderNotSupportedError);
    expect(connector.validate!(orderInput('DEPOSIT', { method: 'CARD' }))).toMatchObject({ field: 'method' });
    expect(connector.validate!(orderInput('DEPOSIT', { method: 'acb', amount: 0n }))).toMatchObject({ field: 'amount' });
    expect(connector.validate!(orderInput('DEPOSIT', { method: 'acb' }))).toBeNull();
    expect(connector.validate!(orderInput('WITHDRAWAL', { payee: { accountNumber: '0102030405', accountName: ' ', bankCode: 'DAB' } }))).toMatchObject({ field: 'payee.accountName' });
    expect(connector.validate!(orderInput('TRANSFER'))).toMatchObject({ field: 'payee.accountNumber' });
    // Nothing reached the provider for any of these.
    expect(h.sim.controls.state.deposits.some((d) => d.payment === 'CARD')).toBe(false);
  });

  it('leaves a history row of a type it does not know unmapped, raw kept', async () => {
    const input = orderInput('DEPOSIT', { method: 'CTG' });
    const { providerReference, instructions } = await connector.create(input);
    h.sim.controls.settle({ kind: 'deposit', id: Number(providerReference), outcome: 'succeed', historyType: 'REVERSAL', callback: 'none' });
    const report = await connector.queryStatus(refOf(input, providerReference, instructions?.transferContent));
    expect(report.status).toBeNull();
    expect(report.rawStatus).toBe('REVERSAL');
    expect(report.raw).toMatchObject({ rows: [{ type: 'REVERSAL' }] });
  });

  it('finds a deposit by its batch alone when the order code is not sent, and never takes another order\'s row', async () => {
    const noOrder = h.connector({ sendOrderCode: false });
    const first = orderInput('DEPOSIT', { method: 'VCB' });
    const second = orderInput('DEPOSIT', { method: 'VCB' });
    const a = await noOrder.create(first);
    const b = await noOrder.create(second);
    expect(h.sim.controls.findDeposit({ id: Number(a.providerReference) })!.order).toBeUndefined();
    h.sim.controls.settle({ kind: 'deposit', id: Number(b.providerReference), outcome: 'succeed', callback: 'none' });
    await expect(noOrder.queryStatus(refOf(first, a.providerReference, a.instructions?.transferContent))).resolves.toMatchObject({ status: 'PENDING' });
    await expect(noOrder.queryStatus(refOf(second, b.providerReference, b.instructions?.transferContent))).resolves.toMatchObject({ status: 'SUCCEEDED', amount: 150_000n });
    // Nothing to search with: still pending, never guessed.
    await expect(noOrder.queryStatus(refOf(first, null))).resolves.toMatchObject({ status: 'PENDING' });
  });
});

describe('VNKash withdrawals', () => {
  const payee = { accountNumber: '0102030405', accountName: 'LE DUONG SY MY', bankCode: 'DAB' };

  it('creates a withdrawal as processing, holds the money, and confirms it from history once paid', async () => {
    const balance = h.sim.controls.state.balance;
    const input = orderInput('WITHDRAWAL', { payee, amount: 100_000n });
    const result = await connector.create(input);
    expect(result.report).toMatchObject({ status: 'PROCESSING', amount: 100_000n, providerReference: result.providerReference });
    expect(h.sim.controls.state.balance).toBe(balance - 100_000n);
    const withdrawal = h.sim.controls.findWithdrawal({ order: input.requestId })!;
    expect(withdrawal).toMatchObject({ account: '0102030405', name: 'LE DUONG SY MY', payment: 'DAB', amount: 100_000n });
    await expect(connector.queryStatus(refOf(input, result.providerReference))).resolves.toMatchObject({ status: 'PENDING' });
    const before = receiver.received.length;
    h.sim.controls.settle({ kind: 'withdrawal', id: withdrawal.id, outcome: 'succeed', callback: 'duplicate' });
    await h.sim.deliveries.idle();
    expect(receiver.received.length).toBe(before + 2);
    const [first, second] = verdicts.slice(-2).map(okCallback);
    // A resend of the same event has the same inbox key.
    expect(first!.eventKey).toBe(second!.eventKey);
    await expect(connector.queryStatus(refOf(input, result.providerReference))).resolves.toMatchObject({ status: 'SUCCEEDED', rawStatus: 'WITHDRAW', amount: 100_000n });
  });

  it('takes a card payee, and refuses a payee bank VNKash does not pay to', async () => {
    const card = await connector.create(orderInput('WITHDRAWAL', { payee: { accountNumber: '9704366800000001', accountName: 'PHAM THI BICH', bankCode: 'card' }, amount: 60_000n }));
    expect(card.report.status).toBe('PROCESSING');
    await expect(connector.create(orderInput('WITHDRAWAL', { payee: { ...payee, bankCode: 'MOMO' } }))).rejects.toMatchObject({ constructor: ValidationError, field: 'payee.bankCode' });
    await expect(connector.create(orderInput('WITHDRAWAL'))).rejects.toMatchObject({ constructor: ValidationError, field: 'payee' });
  });

  it('gets a failed withdrawal\'s callbacks out of order as hints, while history (which lists no failure) keeps it pending', async () => {
    const input = orderInput('WITHDRAWAL', { payee, amount: 70_000n });
    const { providerReference } = await connector.create(input);
    const balance = h.sim.controls.state.balance;
    const before = receiver.received.length;
    h.sim.controls.settle({ kind: 'withdrawal', id: Number(providerReference), outcome: 'fail', callback: 'out-of-order' });
    await h.sim.deliveries.idle();
    expect(receiver.received.length).toBe(before + 2);
    const [final, older] = verdicts.slice(-2).map(okCallback);
    expect(final!.report.status).toBe('FAILED');
    expect(older!.report.status).toBe('PENDING');
    expect(final!.eventKey).not.toBe(older!.eventKey);
    expect(final!.statusIsSigned).toBe(false);
    expect(h.sim.controls.state.balance).toBe(balance + 70_000n);
    await expect(connector.queryStatus(refOf(input, providerReference))).resolves.toMatchObject({ status: 'PENDING', rawStatus: 'NOT_IN_HISTORY' });
  });

  it('sends no callback when told none, and a late one when told to wait', async () => {
    const silent = orderInput('WITHDRAWAL', { payee, amount: 55_000n });
    const late = orderInput('WITHDRAWAL', { payee, amount: 56_000n });
    const a = await connector.create(silent);
    const b = await connector.create(late);
    const before = receiver.received.length;
    h.sim.controls.settle({ kind: 'withdrawal', id: Number(a.providerReference), outcome: 'succeed', callback: 'none' });
    const arrived = receiver.waitFor(before + 1);
    h.sim.controls.settle({ kind: 'withdrawal', id: Number(b.providerReference), outcome: 'succeed', callback: 'once', callbackDelayMs: 50 });
    const all = await arrived;
    await h.sim.deliveries.idle();
    expect(receiver.received.length).toBe(before + 1);
    expect(all.at(-1)!.url.searchParams.get('ref')).toBe(late.requestId);
  });
});

describe('VNKash transfers', () => {
  it('transfers to a VNKash user and is final at once, with batch and fee', async () => {
    const input = orderInput('TRANSFER', { payee: { accountNumber: '840909090909', accountName: 'Nguyen Hong Duc', bankCode: 'VNKASH' }, amount: 25_000n, description: 'Mua Hàng Online' });
    const result = await connector.create(input);
    expect(result.report).toMatchObject({ status: 'SUCCEEDED', amount: 25_000n, fee: 0n });
    expect(result.providerReference).toMatch(/^[0-9A-F]{13}$/);
    const row = h.sim.controls.state.history.find((candidate) => candidate.batch === result.providerReference)!;
    expect(row.description).toMatchObject({ memo: 'Mua Hàng Online', account: '840909090909' });
    await expect(connector.queryStatus(refOf(input, result.providerReference))).resolves.toMatchObject({ status: 'SUCCEEDED', rawStatus: 'TRANSFER', providerReference: result.providerReference });
  });
});

describe('VNKash timeouts on money calls', () => {
  const impatient = () => h.connector({}, { timeoutMs: 150 });
  const payee = { accountNumber: '0102030405', accountName: 'LE DUONG SY MY', bankCode: 'DAB' };

  it('reports a timed-out deposit as outcome unknown, and a status query settles it', async () => {
    const input = orderInput('DEPOSIT', { method: 'ACB' });
    h.sim.controls.steer('deposit', { kind: 'delay', delayMs: 600 });
    const error = await impatient().create(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).outcomeUnknown).toBe(true);
    // The provider did create it; we only know our request id.
    await expect(connector.queryStatus(refOf(input, null))).resolves.toMatchObject({ status: 'PENDING' });
    const deposit = h.sim.controls.findDeposit({ order: input.requestId })!;
    h.sim.controls.settle({ kind: 'deposit', id: deposit.id, outcome: 'succeed', callback: 'none' });
    // Without the answer there is no batch, and rows that do not name our order could be anyone's: still pending
    // (the payer never saw the instructions; the order expires at its deadline).
    await expect(connector.queryStatus(refOf(input, null))).resolves.toMatchObject({ status: 'PENDING' });
    // A provider that echoes our order code in the row ties it positively.
    h.sim.controls.setFlags({ historyEchoesOrder: true });
    try {
      const echoed = orderInput('DEPOSIT', { method: 'ACB' });
      h.sim.controls.steer('deposit', { kind: 'delay', delayMs: 600 });
      await impatient().create(echoed).catch(() => undefined);
      const second = h.sim.controls.findDeposit({ order: echoed.requestId })!;
      h.sim.controls.settle({ kind: 'deposit', id: second.id, outcome: 'succeed', callback: 'none' });
      await expect(connector.queryStatus(refOf(echoed, null))).resolves.toMatchObject({ status: 'SUCCEEDED', amount: 150_000n });
    } finally {
      h.sim.controls.setFlags({ historyEchoesOrder: false });
    }
  });

  it('reports a timed-out withdrawal as outcome unknown without sending it again', async () => {
    const input = orderInput('WITHDRAWAL', { payee, amount: 80_000n });
    h.sim.controls.steer('withdraw', { kind: 'delay', delayMs: 600 });
    const error = await impatient().create(input).catch((e: unknown) => e);
    expect(error).toMatchObject({ outcomeUnknown: true });
    // The simulator acted before holding its answer: exactly one withdrawal, never a second.
    expect(h.sim.controls.state.withdrawals.filter((w) => w.order === input.requestId)).toHaveLength(1);
    const withdrawal = h.sim.controls.findWithdrawal({ order: input.requestId })!;
    h.sim.controls.settle({ kind: 'withdrawal', id: withdrawal.id, outcome: 'succeed', callback: 'none' });
    await expect(connector.queryStatus(refOf(input, null))).resolves.toMatchObject({ status: 'SUCCEEDED', amount: 80_000n });
  });

  it('finds a timed-out transfer through history by its order code', async () => {
    const input = orderInput('TRANSFER', { payee: { accountNumber: 'buyer@example.vn', accountName: 'Tran Thi Mai', bankCode: 'VNKASH' }, amount: 30_000n });
    h.sim.controls.steer('transfer', { kind: 'delay', delayMs: 600 });
    const error = await impatient().create(input).catch((e: unknown) => e);
    expect(error).toMatchObject({ outcomeUnknown: true });
    const report = await connector.queryStatus(refOf(input, null));
    expect(report).toMatchObject({ status: 'SUCCEEDED', amount: 30_000n });
    expect(report.providerReference).toMatch(/^[0-9A-F]{13}$/);
  });
});

describe('VNKash callbacks at our route', () => {
  const inbound = (method: string, query: string, body = '', contentType = 'application/json'): InboundCallback => ({
    method,
    url: new URL(`https://pay.example/callbacks/vnkash${query}`),
    headers: { 'content-type': contentType },
    rawBody: body,
    sourceIp: '203.0.113.7',
  });

  it('never lets a forged "success" callback settle a deposit: it is unsigned, and history still says pending', async () => {
    const input = orderInput('DEPOSIT', { method: 'VCB' });
    const { providerReference } = await connector.create(input);
    const forged = JSON.stringify({ id: Number(providerReference), status: 'success', amount: 150000 });
    const response = await fetch(`${receiver.url}/callbacks/vnkash?ref=${input.requestId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: forged });
    expect(response.status).toBe(200);
    const callback = okCallback(verdicts.at(-1));
    expect(callback.statusIsSigned).toBe(false);
    await expect(connector.queryStatus(refOf(input, providerReference))).resolves.toMatchObject({ status: 'PENDING' });
  });

  it('rejects a callback that names no order, one that is not JSON, and a method other than GET or POST', async () => {
    const noRef = connector.verifyCallback(inbound('POST', '', '{"status":"success"}'));
    expect(noRef).toMatchObject({ ok: false, reason: 'malformed' });
    expect(connector.reject(noRef as Exclude<CallbackVerdict, { ok: true }>)).toMatchObject({ status: 400 });
    expect(connector.verifyCallback(inbound('POST', '?ref=x', '{not json'))).toMatchObject({ ok: false, reason: 'malformed' });
    const put = connector.verifyCallback(inbound('PUT', '?ref=x', '{}'));
    expect(put).toMatchObject({ ok: false, reason: 'method' });
    expect(connector.reject(put as Exclude<CallbackVerdict, { ok: true }>).status).toBe(405);
    const response = await fetch(`${receiver.url}/callbacks/vnkash`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(400);
  });

  it('accepts form posts and GET callbacks, and gives a tampered copy its own inbox key', async () => {
    const form = okCallback(connector.verifyCallback(inbound('POST', '?ref=r-1', 'id=7&status=success&amount=100000', 'application/x-www-form-urlencoded')));
    expect(form.lookup).toEqual({ requestId: 'r-1', providerReference: '7' });
    expect(form.report).toMatchObject({ status: 'SUCCEEDED', amount: 100_000n });
    const get = okCallback(connector.verifyCallback(inbound('GET', '?ref=r-1&id=7&status=pending')));
    expect(get.report.status).toBe('PENDING');
    const tampered = okCallback(connector.verifyCallback(inbound('POST', '?ref=r-1', 'id=7&status=success&amount=900000', 'application/x-www-form-urlencoded')));
    expect(tampered.eventKey).not.toBe(form.eventKey);
    const weird = okCallback(connector.verifyCallback(inbound('POST', '?ref=r-1', '{"status":"reticulating"}')));
    expect(weird.report).toMatchObject({ status: null, rawStatus: 'reticulating' });
  });

  it('locates the order from ref in the URL and an id in the body', () => {
    expect(locateVnKashCallback(inbound('POST', '?ref=abc', '{"id":12}'))).toEqual({ requestId: 'abc', providerReference: '12' });
    expect(locateVnKashCallback(inbound('POST', '', '{"withdrawal":{"id":3}}'))).toEqual({ providerReference: '3' });
    expect(locateVnKashCallback(inbound('POST', '', '{}'))).toBeNull();
    expect(connector.acknowledge()).toEqual({ status: 200, contentType: 'application/json; charset=utf-8', body: '{"success":true}' });
  });
});

describe('VNKash status mapping', () => {
  it('maps a history row of the order\'s own kind to succeeded and anything else to null', () => {
    expect(statusOfHistoryType('DEPOSIT', 'DEPOSIT')).toBe('SUCCEEDED');
    expect(statusOfHistoryType('WITHDRAWAL', 'withdraw')).toBe('SUCCEEDED');
    expect(statusOfHistoryType('TRANSFER', 'TRANSFER')).toBe('SUCCEEDED');
    expect(statusOfHistoryType('DEPOSIT', 'WITHDRAW')).toBeNull();
    expect(statusOfHistoryType('DEPOSIT', 'REFUND')).toBeNull();
  });

  it('reads callback status words by name and leaves unknown ones null', () => {
    expect(statusOfCallbackWord('success')).toBe('SUCCEEDED');
    expect(statusOfCallbackWord('FAILED')).toBe('FAILED');
    expect(statusOfCallbackWord('pending')).toBe('PENDING');
    expect(statusOfCallbackWord('42')).toBeNull();
  });
});

describe('VNKash history rows that could be another order\'s (providers.md, Revised readings)', () => {
  const payee = { accountNumber: '0102030405', accountName: 'LE DUONG SY MY', bankCode: 'DAB' };
  const ignoringFilters = async <T>(run: () => Promise<T>) => {
    h.sim.controls.setFlags({ historyIgnoresFilters: true });
    try {
      return await run();
    } finally {
      h.sim.controls.setFlags({ historyIgnoresFilters: false });
    }
  };

  it('never settles an unpaid deposit on the document\'s own rows, whose description.index runs 1 to 10', async () => {
    const input = orderInput('DEPOSIT', { method: 'VCB' });
    const result = await connector.create(input);
    // The document's example: ten DEPOSIT rows of others, numbered 1 … 10 (one of them the same number as our deposit id, or more).
    const top = Math.max(10, Number(result.providerReference));
    h.sim.controls.addHistory(Array.from({ length: top }, (_, i) => ({ type: 'DEPOSIT', amount: input.amount, index: i + 1 })));
    await ignoringFilters(async () => {
      await expect(connector.queryStatus(refOf(input, result.providerReference, result.instructions?.transferContent))).resolves.toMatchObject({ status: 'PENDING', rawStatus: 'NOT_IN_HISTORY' });
    });
  });

  it('ties a paid deposit by its batch among every order\'s rows', async () => {
    const mine = orderInput('DEPOSIT', { method: 'ACB' });
    const other = orderInput('DEPOSIT', { method: 'ACB' });
    const a = await connector.create(mine);
    const b = await connector.create(other);
    h.sim.controls.settle({ kind: 'deposit', id: Number(b.providerReference), outcome: 'succeed', callback: 'none' });
    await ignoringFilters(async () => {
      await expect(connector.queryStatus(refOf(mine, a.providerReference, a.instructions?.transferContent))).resolves.toMatchObject({ status: 'PENDING' });
      h.sim.controls.settle({ kind: 'deposit', id: Number(a.providerReference), outcome: 'succeed', amount: 140_000n, callback: 'none' });
      await expect(connector.queryStatus(refOf(mine, a.providerReference, a.instructions?.transferContent))).resolves.toMatchObject({ status: 'SUCCEEDED', amount: 140_000n });
    });
  });

  it('confirms a withdrawal only by a row no other withdrawal could claim: one of its type and amount', async () => {
    const amount = 91_000n;
    const first = orderInput('WITHDRAWAL', { payee, amount });
    const a = await connector.create(first);
    h.sim.controls.settle({ kind: 'withdrawal', id: Number(a.providerReference), outcome: 'succeed', callback: 'none' });
    await ignoringFilters(async () => {
      await expect(connector.queryStatus(refOf(first, a.providerReference))).resolves.toMatchObject({ status: 'SUCCEEDED', amount });
      // Another withdrawal of the same amount is paid too: its row could be either's, so neither is settled by the window.
      const second = orderInput('WITHDRAWAL', { payee, amount });
      const b = await connector.create(second);
      h.sim.controls.settle({ kind: 'withdrawal', id: Number(b.providerReference), outcome: 'succeed', callback: 'none' });
      await expect(connector.queryStatus(refOf(second, b.providerReference))).resolves.toMatchObject({ status: 'PENDING', rawStatus: 'NOT_IN_HISTORY' });
    });
  });
});
