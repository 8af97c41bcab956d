// Submitting a telco card end to end: GraphQL over HTTP, the card simulator
// over HTTP, each provider status at submission, idempotency, validation, and
// a submission whose answer never comes (settled later by check).
import { beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, gql, startTestApp } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { cardControl, chargeFromDb, REFRESH, steerCharging, submitCard, viettelCard, waitForCardStatus } from './support.js';

describe('submitting a card', () => {
  // Polling is slow here (a minute): every change below is the submission's or the test's doing.
  const { t, merchant } = useTestApp();
  let apiKeyId: string;
  let key = 0;
  const nextKey = () => `card-${++key}`;

  beforeAll(async () => {
    apiKeyId = (await t.app.db.prisma.apiKey.findFirstOrThrow({ where: { merchantId: merchant.merchantId } })).id;
  });

  it('records status 1 as SUCCEEDED with the amount received, in one event after the submission', async () => {
    await steerCharging(t.app, { kind: 'succeed' });
    const card = viettelCard(50_000n);
    const { result } = await submitCard(t.url, merchant.apiKey, { ...card, idempotencyKey: nextKey() });
    expect(result.__typename).toBe('MutationSubmitCardChargeSuccess');
    expect(result.data).toMatchObject({ status: 'SUCCEEDED', providerStatus: 1, valueMismatch: false, declaredValue: '50000', realValue: '50000', amountReceived: '35000', failureCode: null });
    expect(result.data.transId).toMatch(/^\d+$/);

    const stored = await chargeFromDb(t.app, result.data.id);
    expect(stored.status).toBe('SUCCEEDED');
    expect(stored.amountReceived).toBe(35_000n);
    expect(stored.completedAt).not.toBeNull();
    expect(stored.nextPollAt).toBeNull();
    expect(stored.events.map((e) => [e.fromStatus, e.toStatus, e.cause, e.actor, e.providerStatus])).toEqual([
      [null, 'PENDING', 'API', `api-key:${apiKeyId}`, null],
      ['PENDING', 'SUCCEEDED', 'API', `api-key:${apiKeyId}`, 1],
    ]);
  });

  it('records status 2 as SUCCEEDED with the mismatch visible: declared and real value, and the reduced amount', async () => {
    await steerCharging(t.app, { kind: 'error', code: 2 });
    const card = viettelCard(50_000n);
    const { result } = await submitCard(t.url, merchant.apiKey, { ...card, idempotencyKey: nextKey() });
    expect(result.__typename).toBe('MutationSubmitCardChargeSuccess');
    // The simulator's real value is the next face value below (30 000), paid at 70 % less a 50 % penalty.
    expect(result.data).toMatchObject({ status: 'SUCCEEDED', providerStatus: 2, valueMismatch: true, declaredValue: '50000', realValue: '30000', amountReceived: '10500' });
    const stored = await chargeFromDb(t.app, result.data.id);
    expect([stored.valueMismatch, stored.declaredValue, stored.realValue, stored.amountReceived]).toEqual([true, 50_000n, 30_000n, 10_500n]);
  });

  it('answers status 3 with CardRefusedError CARD_INVALID and keeps the charge FAILED', async () => {
    await steerCharging(t.app, { kind: 'fail' });
    const { result } = await submitCard(t.url, merchant.apiKey, { ...viettelCard(), idempotencyKey: nextKey() });
    expect(result).toMatchObject({ __typename: 'CardRefusedError', code: 'CARD_INVALID', retryable: false, providerStatus: 3 });
    const stored = await chargeFromDb(t.app, result.cardChargeId);
    expect(stored.status).toBe('FAILED');
    expect(stored.providerStatus).toBe(3);
    expect(stored.amountReceived).toBeNull();
    expect(stored.events.map((e) => e.toStatus)).toEqual(['PENDING', 'FAILED']);
  });

  it('answers status 4 with a retryable PROVIDER_MAINTENANCE refusal', async () => {
    await steerCharging(t.app, { kind: 'error', code: 4 });
    const { result } = await submitCard(t.url, merchant.apiKey, { ...viettelCard(), idempotencyKey: nextKey() });
    expect(result).toMatchObject({ __typename: 'CardRefusedError', code: 'PROVIDER_MAINTENANCE', retryable: true, providerStatus: 4 });
    const charge = await gql(t.url, `query($id: ID!) { cardCharge(id: $id) { status failureCode retryable } }`, { id: result.cardChargeId }, merchant.apiKey);
    expect(charge.data.cardCharge).toEqual({ status: 'FAILED', failureCode: 'PROVIDER_MAINTENANCE', retryable: true });
  });

  it("answers status 100 with SUBMISSION_REJECTED and the provider's reason", async () => {
    await steerCharging(t.app, { kind: 'error', code: 100, message: 'Thẻ đã được sử dụng' });
    const { result } = await submitCard(t.url, merchant.apiKey, { ...viettelCard(), idempotencyKey: nextKey() });
    expect(result).toMatchObject({ __typename: 'CardRefusedError', code: 'SUBMISSION_REJECTED', retryable: false, providerStatus: 100, providerMessage: 'Thẻ đã được sử dụng' });
    const stored = await chargeFromDb(t.app, result.cardChargeId);
    expect([stored.status, stored.providerMessage]).toEqual(['FAILED', 'Thẻ đã được sử dụng']);
  });

  it('keeps status 99 PENDING with the provider trans_id, and refreshCardCharge settles it by check', async () => {
    const { result } = await submitCard(t.url, merchant.apiKey, { ...viettelCard(), idempotencyKey: nextKey() });
    expect(result.data).toMatchObject({ status: 'PENDING', providerStatus: 99, realValue: null, amountReceived: null });
    expect(result.data.transId).toMatch(/^\d+$/);

    await cardControl(t.app, 'settle', { request_id: result.data.requestId, status: 1, callback: { mode: 'none' } });
    const refreshed = await gql(t.url, REFRESH, { id: result.data.id }, merchant.apiKey);
    expect(refreshed.data.refreshCardCharge.data).toMatchObject({ status: 'SUCCEEDED', providerStatus: 1, amountReceived: '35000' });
    const stored = await chargeFromDb(t.app, result.data.id);
    expect(stored.events.map((e) => [e.toStatus, e.cause, e.actor, e.note])).toEqual([
      ['PENDING', 'API', `api-key:${apiKeyId}`, 'card submitted'],
      ['SUCCEEDED', 'POLL', `api-key:${apiKeyId}`, 'check'],
    ]);
  });

  it('keeps an undocumented status raw on a PENDING charge instead of guessing', async () => {
    await steerCharging(t.app, { kind: 'error', code: 7, message: 'Trạng thái lạ' });
    const { result } = await submitCard(t.url, merchant.apiKey, { ...viettelCard(), idempotencyKey: nextKey() });
    expect(result.data).toMatchObject({ status: 'PENDING', providerStatus: 7, failureCode: null });
    expect((await chargeFromDb(t.app, result.data.id)).events).toHaveLength(1);
  });

  it('submits a card once per idempotency key, replays refusals, and refuses the key for another card', async () => {
    const card = viettelCard();
    const input = { ...card, idempotencyKey: 'same-card-twice' };
    const [first, second] = await Promise.all([submitCard(t.url, merchant.apiKey, input), submitCard(t.url, merchant.apiKey, input)]);
    expect(first.result.data.id).toBe(second.result.data.id);
    const state = await (await fetch(`${t.app.sandbox!.baseUrl('card')}/_sandbox/state`)).json();
    expect(state.charges.filter((c: { request_id: string }) => c.request_id === first.result.data.requestId)).toHaveLength(1);
    expect(await t.app.db.prisma.cardCharge.count({ where: { merchantId: merchant.merchantId, maskedCode: `…${card.code.slice(-4)}` } })).toBe(1);

    const other = await submitCard(t.url, merchant.apiKey, { ...viettelCard(), idempotencyKey: 'same-card-twice' });
    expect(other.result).toMatchObject({ __typename: 'IdempotencyKeyReusedError', key: 'same-card-twice' });

    await steerCharging(t.app, { kind: 'fail' });
    const refusedInput = { ...viettelCard(), idempotencyKey: 'refused-twice' };
    const refused = await submitCard(t.url, merchant.apiKey, refusedInput);
    const again = await submitCard(t.url, merchant.apiKey, refusedInput);
    expect(refused.result.__typename).toBe('CardRefusedError');
    expect(again.result).toEqual(refused.result);
  });

  it('refuses a card outside the configured telcos, face values or shapes before anything is written', async () => {
    const before = await t.app.db.prisma.cardCharge.count();
    const cases: [Record<string, unknown>, string][] = [
      [{ ...viettelCard(), telco: 'NOKIA' }, 'telco'],
      [{ ...viettelCard(), declaredValue: '15000' }, 'declaredValue'],
      [{ ...viettelCard(), code: '12345' }, 'code'],
      [{ ...viettelCard(), serial: '12AB5678901' }, 'serial'],
      [{ ...viettelCard(), declaredValue: '0' }, 'declaredValue'],
    ];
    const keys: string[] = [];
    for (const [input, field] of cases) {
      keys.push(nextKey());
      const { result, raw } = await submitCard(t.url, merchant.apiKey, { ...input, idempotencyKey: keys.at(-1) });
      expect(result.__typename, raw).toBe('ValidationError');
      expect(result.field).toBe(field);
      // Messages name fields and lengths, never the card.
      expect(raw).not.toContain(String(input.code));
    }
    expect(await t.app.db.prisma.cardCharge.count()).toBe(before);
    // The key was released: the same key works for a valid card.
    const retried = await submitCard(t.url, merchant.apiKey, { ...viettelCard(), idempotencyKey: keys[2] });
    expect(retried.result.__typename).toBe('MutationSubmitCardChargeSuccess');
  });
});

describe('a card submission whose answer never comes', () => {
  it('stays PENDING (outcome unknown, never resubmitted) and is settled by the card poller with check', async () => {
    const polling = await startTestApp({ PROVIDER_TIMEOUT_MS: '300', POLL_INTERVAL_MS: '200' });
    try {
      const m = await createMerchant(polling.app);
      await steerCharging(polling.app, { kind: 'delay', delayMs: 1_500 });
      const card = viettelCard();
      const { result } = await submitCard(polling.url, m.apiKey, { ...card, idempotencyKey: 'timeout-1' });
      expect(result).toMatchObject({ __typename: 'ProviderUnavailableError', outcomeUnknown: true });
      const pending = await chargeFromDb(polling.app, result.cardChargeId);
      // Still PENDING (the poller may already have checked it and learnt its trans_id: the provider says 99).
      expect(pending.status).toBe('PENDING');
      expect(pending.events).toHaveLength(1);

      // The provider did take the card; it settles without a callback.
      await cardControl(polling.app, 'settle', { request_id: pending.requestId, status: 1, callback: { mode: 'none' } });
      expect(await waitForCardStatus(polling.app, pending.id, ['SUCCEEDED', 'FAILED'])).toBe('SUCCEEDED');
      const settled = await chargeFromDb(polling.app, pending.id);
      expect(settled.transId).toMatch(/^\d+$/);
      expect(settled.amountReceived).toBe(35_000n);
      expect(settled.events.map((e) => [e.toStatus, e.cause, e.actor])).toEqual([
        ['PENDING', 'API', expect.stringMatching(/^api-key:/)],
        ['SUCCEEDED', 'POLL', 'worker:card-poller'],
      ]);
      const state = await (await fetch(`${polling.app.sandbox!.baseUrl('card')}/_sandbox/state`)).json();
      expect(state.charges.filter((c: { request_id: string }) => c.request_id === pending.requestId)).toHaveLength(1);
    } finally {
      await polling.stop();
    }
  });
});
