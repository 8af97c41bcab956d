// Card charges decided on evidence (issue 12), end to end over real HTTP
// against the card simulator: status 2 read as the document writes it (POST
// JSON callbacks and check answers carry no card_value), and nothing left
// pending past the charge's deadline.
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app-setup.js';
import { cardControl, chargeFromDb, steerCharging, submitCard, viettelCard, waitForCardStatus } from '../cards/support.js';

describe('card charges decided on evidence', () => {
  const { t, merchant } = useTestApp({ POLL_INTERVAL_MS: '200' });
  let key = 0;


  async function pendingCharge(declaredValue = 100_000n) {
    const { result } = await submitCard(t.url, merchant.apiKey, { ...viettelCard(declaredValue), idempotencyKey: `decide-card-${++key}` });
    expect(result.data.status).toBe('PENDING');
    // The poller looks often in this file (for deadlines); this charge is left to its callback until a test says otherwise.
    await t.app.db.prisma.cardCharge.update({ where: { id: result.data.id }, data: { nextPollAt: new Date(Date.now() + 3_600_000) } });
    return result.data as { id: string; requestId: string };
  }

  it('settles status 2 from the POST JSON callback and a check that carry no card_value: a success with a value mismatch', async () => {
    const charge = await pendingCharge();
    await cardControl(t.app, 'settle', { request_id: charge.requestId, status: 2, real_value: 50_000, check_without_card_value: true, callback: { mode: 'once', form: 'POST_JSON' } });
    expect(await waitForCardStatus(t.app, charge.id, ['SUCCEEDED', 'FAILED', 'NEEDS_REVIEW'])).toBe('SUCCEEDED');
    const stored = await chargeFromDb(t.app, charge.id);
    // value 50 000 is what it was charged on; the real face value was never said, so it is not guessed.
    expect([stored.providerStatus, stored.valueMismatch, stored.declaredValue, stored.realValue, stored.amountReceived]).toEqual([2, true, 100_000n, null, 17_500n]);
    expect(stored.events.at(-1)).toMatchObject({ toStatus: 'SUCCEEDED', cause: 'CALLBACK', note: 'callback confirmed by check' });
    expect(stored.events.at(-1)!.payload).toMatchObject({ callback: { status: 2, value: 50_000 }, check: { status: 2, value: 50_000 } });
    expect((stored.events.at(-1)!.payload as { check: object }).check).not.toHaveProperty('card_value');
  });

  it('sends a charge still pending at its deadline to a person, and fails one the provider never got', async () => {
    const waiting = await pendingCharge();
    // A submission that never reached the provider: the answer is lost, and check answers "not found".
    await steerCharging(t.app, { kind: 'http-500' });
    const { result } = await submitCard(t.url, merchant.apiKey, { ...viettelCard(), idempotencyKey: `decide-card-${++key}` });
    expect(result).toMatchObject({ __typename: 'ProviderUnavailableError', outcomeUnknown: true });
    const lost = result.cardChargeId as string;
    const past = new Date(Date.now() - 1_000);
    await t.app.db.prisma.cardCharge.updateMany({ where: { id: { in: [waiting.id, lost] } }, data: { deadlineAt: past, nextPollAt: new Date() } });

    expect(await waitForCardStatus(t.app, waiting.id, ['NEEDS_REVIEW', 'FAILED', 'SUCCEEDED'])).toBe('NEEDS_REVIEW');
    expect(await waitForCardStatus(t.app, lost, ['NEEDS_REVIEW', 'FAILED', 'SUCCEEDED'])).toBe('FAILED');
    const reviewed = await chargeFromDb(t.app, waiting.id);
    expect(reviewed).toMatchObject({ reviewReason: 'UNCONFIRMED_OUTCOME', providerStatus: 99 });
    expect(reviewed.reviewOpenedAt).toBeInstanceOf(Date);
    expect(reviewed.events.at(-1)).toMatchObject({ fromStatus: 'PENDING', toStatus: 'NEEDS_REVIEW', cause: 'EXPIRY', actor: 'worker:card-poller' });
    expect((await chargeFromDb(t.app, lost)).events.at(-1)).toMatchObject({ toStatus: 'FAILED', cause: 'EXPIRY' });
  });

  it('sends a charge whose reports stay inconsistent after check to review, never leaving it pending', async () => {
    const charge = await pendingCharge(50_000n);
    // The provider's own check says "good card, right value" but names another real value: it cannot be both.
    await cardControl(t.app, 'steer', { operation: 'check', behaviour: { kind: 'error', code: 1 } });
    await cardControl(t.app, 'settle', { request_id: charge.requestId, status: 2, real_value: 20_000, callback: { mode: 'once', form: 'GET' } });
    expect(await waitForCardStatus(t.app, charge.id, ['NEEDS_REVIEW', 'SUCCEEDED', 'FAILED'])).toBe('NEEDS_REVIEW');
    const stored = await chargeFromDb(t.app, charge.id);
    expect(stored).toMatchObject({ reviewReason: 'CONTRADICTED', providerStatus: 1 });
  });
});
