import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import {
  CardInputError,
  cardFailureOf,
  createCardConnector,
  type CardConnector,
} from '../../../src/providers/card/index.js';
import { createCardSimulator, type CardSimulator } from '../../../src/sandbox/card/index.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';
import { viettelCard } from './helpers.js';
import { ProviderBadResponseError, ProviderNotSupportedError, ProviderRefusedError, ProviderUnavailableError } from '../../../src/errors/index.js';

const partnerId = '8740404061';
const partnerKey = 'connector-test-key';
const http = { timeoutMs: 2_000, safeRetries: 2, backoffMs: 10 };

let sim: CardSimulator;
let sandbox: RunningSandbox;
let connector: CardConnector;
let baseUrl: string;

beforeAll(async () => {
  sim = createCardSimulator({ partnerId, partnerKey });
  sandbox = await startSandbox([sim]);
  baseUrl = sandbox.baseUrl('card') + '/chargingws/v2';
  connector = createCardConnector({ baseUrl, partnerId, partnerKey }, { http });
});

afterAll(async () => {
  await sandbox.close();
});

function expectNoSecrets(value: unknown, card: { code: string; serial: string }) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v));
  expect(text).not.toContain(card.code);
  expect(text).not.toContain(card.serial);
}

describe('card submit (command=charging)', () => {
  it('submits a card and reads the pending answer with trans_id and declared value', async () => {
    const card = viettelCard();
    const report = await connector.submit(card);
    expect(report).toMatchObject({ status: 'PENDING', providerStatus: 99, requestId: card.requestId, declaredValue: 50_000n, telco: 'VIETTEL', valueMismatch: false });
    expect(report.transId).toMatch(/^\d+$/);
    expect(report.amount).toBeUndefined();
    expect(sim.controls.charge(card.requestId)).toMatchObject({ status: 99, declaredValue: 50_000n });
  });

  it('keeps the card code and serial masked in the raw answer', async () => {
    const card = viettelCard();
    const report = await connector.submit(card);
    expect(report.raw.code).toBe(`…${card.code.slice(-4)}`);
    expect(report.raw.serial).toBe(`…${card.serial.slice(-4)}`);
    expectNoSecrets(report, card);
  });

  it('sends the form the provider reads, also over GET when configured', async () => {
    const viaGet = createCardConnector({ baseUrl, partnerId, partnerKey, submitMethod: 'GET' }, { http });
    const card = viettelCard(100_000n);
    const report = await viaGet.submit(card);
    expect(report).toMatchObject({ status: 'PENDING', declaredValue: 100_000n });
    expect(await viaGet.check(card)).toMatchObject({ status: 'PENDING', transId: report.transId });
  });

  it.each([
    [{ kind: 'succeed' as const }, 'SUCCEEDED', 1, null],
    [{ kind: 'fail' as const }, 'FAILED', 3, 'CARD_INVALID'],
    [{ kind: 'error' as const, code: 3 }, 'FAILED', 3, 'CARD_INVALID'],
    [{ kind: 'error' as const, code: 4 }, 'FAILED', 4, 'PROVIDER_MAINTENANCE'],
    [{ kind: 'error' as const, code: 100, message: 'Thẻ không hợp lệ' }, 'FAILED', 100, 'SUBMISSION_REJECTED'],
    [{ kind: 'error' as const, code: 2 }, 'SUCCEEDED', 2, null],
    [{ kind: 'pending' as const }, 'PENDING', 99, null],
  ])('maps an immediate answer %j to %s', async (behaviour, status, providerStatus, failureCode) => {
    sim.controls.steer('charging', behaviour);
    const card = viettelCard();
    const report = await connector.submit(card);
    expect(report).toMatchObject({ status, providerStatus });
    expect(cardFailureOf(report)?.code ?? null).toBe(failureCode);
    if (providerStatus === 4) expect(report.retryable).toBe(true);
    if (providerStatus === 100) expect(report.message).toBe('Thẻ không hợp lệ');
    if (providerStatus === 1) expect(report).toMatchObject({ amount: 35_000n, realValue: 50_000n });
    if (providerStatus === 2) expect(report).toMatchObject({ valueMismatch: true, declaredValue: 50_000n, realValue: 30_000n, amount: 10_500n });
  });

  it('lets a card refused for maintenance be submitted again with the same request id', async () => {
    sim.controls.steer('charging', { kind: 'error', code: 4 });
    const card = viettelCard();
    expect((await connector.submit(card)).retryable).toBe(true);
    expect(await connector.submit(card)).toMatchObject({ status: 'PENDING' });
  });

  it('maps an undocumented status to null and keeps it raw', async () => {
    sim.controls.steer('charging', { kind: 'error', code: 7, message: 'Trạng thái mới' });
    const card = viettelCard();
    const report = await connector.submit(card);
    expect(report).toMatchObject({ status: null, providerStatus: 7, message: 'Trạng thái mới' });
    expect(report.raw).toMatchObject({ status: 7, request_id: card.requestId });
    expect(cardFailureOf(report)).toBeNull();
  });

  it('gets status 100 "Sai chữ ký" when the partner key is wrong', async () => {
    const wrongKey = createCardConnector({ baseUrl, partnerId, partnerKey: 'not-the-key' }, { http });
    const card = viettelCard();
    const report = await wrongKey.submit(card);
    expect(report).toMatchObject({ status: 'FAILED', providerStatus: 100, message: 'Sai chữ ký' });
    expect(cardFailureOf(report)?.code).toBe('SUBMISSION_REJECTED');
    expect(sim.controls.charge(card.requestId)).toBeUndefined();
  });

  it('gets status 100 when the partner id is unknown', async () => {
    const wrongPartner = createCardConnector({ baseUrl, partnerId: '1', partnerKey }, { http });
    expect(await wrongPartner.submit(viettelCard())).toMatchObject({ providerStatus: 100, message: 'partner_id không tồn tại' });
  });

  it('gets status 100 for a request id already used, and the first charge is untouched', async () => {
    const card = viettelCard();
    await connector.submit(card);
    const again = await connector.submit({ ...viettelCard(), requestId: card.requestId });
    expect(again).toMatchObject({ status: 'FAILED', providerStatus: 100, message: 'request_id đã tồn tại' });
    expect(sim.controls.charge(card.requestId)?.status).toBe(99);
  });

  it('gets status 100 for a card already submitted under another request id', async () => {
    const card = viettelCard();
    await connector.submit(card);
    expect(await connector.submit({ ...card, requestId: `${card.requestId}-b` })).toMatchObject({ providerStatus: 100, message: 'Thẻ đã được gửi lên hệ thống' });
  });

  it('gets the provider’s status 100 for a telco or face value only the merchant allows', async () => {
    const lax = createCardConnector({ baseUrl, partnerId, partnerKey, telcos: ['VIETTEL', 'VCOIN'], faceValues: { VIETTEL: [15000] } }, { http });
    expect(await lax.submit(viettelCard(15_000n))).toMatchObject({ providerStatus: 100, message: 'Mệnh giá không hợp lệ' });
    expect(await lax.submit({ ...viettelCard(), telco: 'VCOIN', code: 'AB12345678', serial: 'CD12345678' })).toMatchObject({ providerStatus: 100, message: 'Loại thẻ không hợp lệ' });
  });

  it('refuses a malformed card before sending anything, without quoting it', async () => {
    const card = { ...viettelCard(), code: '12AB' };
    const error = await connector.submit(card).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CardInputError);
    expect((error as CardInputError).issues.map((issue) => issue.field)).toEqual(['code']);
    expectNoSecrets((error as Error).message, card);
    expect(sim.controls.charge(card.requestId)).toBeUndefined();
    await expect(connector.submit({ ...viettelCard(), telco: 'VCOIN' })).rejects.toBeInstanceOf(CardInputError);
    await expect(connector.submit(viettelCard(15_000n))).rejects.toBeInstanceOf(CardInputError);
  });

  it('reports an unknown outcome when the submit times out, and a check settles it', async () => {
    const slow = createCardConnector({ baseUrl, partnerId, partnerKey }, { http: { ...http, timeoutMs: 200 } });
    sim.controls.steer('charging', { kind: 'delay', delayMs: 1_000 });
    const card = viettelCard();
    const error = await slow.submit(card).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).outcomeUnknown).toBe(true);
    expectNoSecrets((error as Error).message, card);
    // The request did reach the provider: the check tells the truth instead of a resubmission.
    const checked = await slow.check(card);
    expect(checked).toMatchObject({ status: 'PENDING', requestId: card.requestId });
    sim.controls.settle(card.requestId, { status: 1, callback: { mode: 'none' } });
    expect(await slow.check(card)).toMatchObject({ status: 'SUCCEEDED', amount: 35_000n, transId: checked.transId });
  });

  it('reports an unknown outcome on an HTTP 500 and does not resend the card', async () => {
    sim.controls.steer('charging', { kind: 'http-500' });
    sim.controls.steer('charging', { kind: 'succeed' });
    const card = viettelCard();
    const error = await connector.submit(card).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).outcomeUnknown).toBe(true);
    // Sent once: the queued "succeed" is still waiting for the next submit.
    expect(sim.controls.charge(card.requestId)).toBeUndefined();
    expect(await connector.submit(viettelCard())).toMatchObject({ status: 'SUCCEEDED' });
  });
});

describe('card check (command=check)', () => {
  it.each([
    [1, {}, { status: 'SUCCEEDED', valueMismatch: false, amount: 35_000n, realValue: 50_000n }],
    [2, { realValue: 20_000n }, { status: 'SUCCEEDED', valueMismatch: true, declaredValue: 50_000n, realValue: 20_000n, chargedValue: 20_000n, amount: 7_000n }],
    [3, {}, { status: 'FAILED', message: 'Thẻ lỗi' }],
    [4, {}, { status: 'FAILED', retryable: true }],
    [100, { message: 'Thẻ đã sử dụng' }, { status: 'FAILED', providerStatus: 100, message: 'Thẻ đã sử dụng' }],
  ] as const)('reads a charge settled with status %i', async (status, extra, expected) => {
    const card = viettelCard();
    const submitted = await connector.submit(card);
    sim.controls.settle(card.requestId, { status, ...extra, callback: { mode: 'none' } });
    const report = await connector.check(card);
    expect(report).toMatchObject({ ...expected, transId: submitted.transId, requestId: card.requestId });
    expectNoSecrets(report, card);
  });

  it('retries a check after an HTTP 500 (a read is safe to repeat)', async () => {
    const card = viettelCard();
    await connector.submit(card);
    sim.controls.steer('check', { kind: 'http-500' });
    expect(await connector.check(card)).toMatchObject({ status: 'PENDING' });
  });

  it('throws a refusal with code 100 for a charge the provider does not know', async () => {
    const error = await connector.check(viettelCard()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRefusedError);
    expect(error).toMatchObject({ code: '100' });
    expect((error as ProviderRefusedError).options.providerMessage).toBe('Không tìm thấy giao dịch');
  });

  it('maps an undocumented status in a check answer to null', async () => {
    const card = viettelCard();
    await connector.submit(card);
    sim.controls.steer('check', { kind: 'error', code: 42 });
    expect(await connector.check(card)).toMatchObject({ status: null, providerStatus: 42 });
  });

  it('answers "not supported" without calling the provider when check is turned off', async () => {
    const noCheck = createCardConnector({ baseUrl, partnerId, partnerKey, checkEnabled: false }, { http });
    expect(noCheck.checkEnabled).toBe(false);
    await expect(noCheck.check(viettelCard())).rejects.toBeInstanceOf(ProviderNotSupportedError);
  });

  it('throws a refusal when the provider does not know command=check', async () => {
    const plain = createCardSimulator({ partnerId, partnerKey, supportsCheck: false });
    const other = await startSandbox([plain]);
    try {
      const against = createCardConnector({ baseUrl: other.baseUrl('card') + '/chargingws/v2', partnerId, partnerKey }, { http });
      const card = viettelCard();
      await against.submit(card);
      await expect(against.check(card)).rejects.toMatchObject({ code: '100', options: { providerMessage: 'command không hợp lệ' } });
    } finally {
      await other.close();
    }
  });
});

describe('card answers that break the protocol', () => {
  const card = viettelCard();
  const withBody = (status: number, body: string) =>
    createCardConnector({ baseUrl, partnerId, partnerKey }, { http: { ...http, safeRetries: 0, fetch: async () => new Response(body, { status }) } });

  it('rejects an answer about another request id', async () => {
    const error = await withBody(200, JSON.stringify({ status: 1, request_id: 'someone-else', trans_id: 1 })).submit(card).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderBadResponseError);
  });

  it('rejects a body that is not JSON and masks the card it echoes', async () => {
    const error = await withBody(200, `<html>error for ${card.code} / ${card.serial}</html>`).submit(card).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderBadResponseError);
    expectNoSecrets((error as ProviderBadResponseError).body, card);
    expect((error as ProviderBadResponseError).body).toContain(`…${card.code.slice(-4)}`);
  });

  it('rejects a fractional amount and a missing status', async () => {
    await expect(withBody(200, JSON.stringify({ status: 1, amount: 35000.5 })).submit(card)).rejects.toBeInstanceOf(ProviderBadResponseError);
    await expect(withBody(200, JSON.stringify({ message: 'ok' })).submit(card)).rejects.toBeInstanceOf(ProviderBadResponseError);
  });

  it('rejects a non-200 answer', async () => {
    await expect(withBody(404, 'Not Found').submit(card)).rejects.toBeInstanceOf(ProviderBadResponseError);
  });

  it('masks the card in the message of a 5xx that echoes it', async () => {
    const error = await withBody(502, `bad gateway ${card.code}`).submit(card).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).outcomeUnknown).toBe(true);
    expectNoSecrets((error as Error).message, card);
  });
});
