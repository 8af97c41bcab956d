// A pending card (status 99) settled by the provider's callback, end to end:
// the simulator calls /callbacks/card over real HTTP (POST JSON or GET), we
// verify callback_sign, judge the claim, confirm it by check, and a subscriber
// over graphql-ws sees the result. Then the attacks the unsigned status and
// amount allow: duplicates, replays with altered values, forged signs.
import { describe, expect, it } from 'vitest';
import { subscribe, wsClient } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { CARD_CHARGE_UPDATED, cardControl, chargeFromDb, inboxRows, submitCard, viettelCard, waitForCardStatus } from './support.js';

describe('card callbacks', () => {
  // Polling is slow here (a minute): every change below is a callback's doing.
  const { t, merchant } = useTestApp();
  let key = 0;


  async function pendingCharge(declaredValue = 50_000n) {
    const card = viettelCard(declaredValue);
    const { result } = await submitCard(t.url, merchant.apiKey, { ...card, idempotencyKey: `cb-${++key}` });
    expect(result.data.status).toBe('PENDING');
    return { charge: result.data as { id: string; requestId: string; transId: string }, card };
  }

  /** Settles at the simulator, waits until its callbacks were all answered, returns what it sent and got. */
  async function settle(requestId: string, body: Record<string, unknown>) {
    const state0 = await (await fetch(`${t.app.sandbox!.baseUrl('card')}/_sandbox/state`)).json();
    await cardControl(t.app, 'settle', { request_id: requestId, ...body });
    await t.app.sandbox!.idle();
    const state = await (await fetch(`${t.app.sandbox!.baseUrl('card')}/_sandbox/state`)).json();
    return (state.deliveries as { method: string; status?: number; responseBody?: string }[]).slice(state0.deliveries.length);
  }

  it('reaches a graphql-ws subscriber as SUCCEEDED after a POST JSON callback, confirmed by check', async () => {
    const { charge } = await pendingCharge();
    const client = wsClient(t.url, merchant.apiKey);
    const updates = subscribe(client, CARD_CHARGE_UPDATED, { id: charge.id });
    try {
      const first = await updates.next();
      expect(first.cardChargeUpdated.status).toBe('PENDING');
      const sent = await settle(charge.requestId, { status: 1, callback: { mode: 'once', form: 'POST_JSON' } });
      expect(sent.map((d) => [d.method, d.status, d.responseBody])).toEqual([['POST', 200, '{"status":true}']]);
      const done = await updates.next((m) => m.cardChargeUpdated.status !== 'PENDING');
      expect(done.cardChargeUpdated).toMatchObject({ status: 'SUCCEEDED', amountReceived: '35000', realValue: '50000', valueMismatch: false });
      expect(done.cardChargeUpdated.events.map((e: { toStatus: string; cause: string }) => [e.toStatus, e.cause])).toEqual([
        ['PENDING', 'API'],
        ['SUCCEEDED', 'CALLBACK'],
      ]);
    } finally {
      updates.dispose();
      await client.dispose();
    }
    const stored = await chargeFromDb(t.app, charge.id);
    expect(stored.events[1]).toMatchObject({ fromStatus: 'PENDING', toStatus: 'SUCCEEDED', cause: 'CALLBACK', actor: 'callback:card@127.0.0.1', providerStatus: 1, note: 'callback confirmed by check' });
    expect(Object.keys(stored.events[1]!.payload as object).sort()).toEqual(['callback', 'check']);
    expect((await inboxRows(t.app, charge.requestId)).map((row) => row.status)).toEqual(['PROCESSED']);
  });

  it('reads the GET form (query parameters with card_value): a status 2 shows the real value and the mismatch', async () => {
    const { charge } = await pendingCharge(100_000n);
    const sent = await settle(charge.requestId, { status: 2, real_value: 50_000, callback: { mode: 'once', form: 'GET' } });
    expect(sent.map((d) => [d.method, d.status])).toEqual([['GET', 200]]);
    const stored = await chargeFromDb(t.app, charge.id);
    expect([stored.status, stored.providerStatus, stored.valueMismatch, stored.declaredValue, stored.realValue, stored.amountReceived]).toEqual([
      'SUCCEEDED',
      2,
      true,
      100_000n,
      50_000n,
      17_500n,
    ]);
  });

  it('applies a failed card (status 3) from a callback sent as JSON labelled form-urlencoded, as the document does', async () => {
    const { charge } = await pendingCharge();
    await settle(charge.requestId, { status: 3, callback: { mode: 'once', form: 'POST_JSON_CURL' } });
    const stored = await chargeFromDb(t.app, charge.id);
    expect([stored.status, stored.providerStatus, stored.amountReceived]).toEqual(['FAILED', 3, null]);
  });

  it('acknowledges a duplicate callback and writes one event', async () => {
    const { charge } = await pendingCharge();
    const sent = await settle(charge.requestId, { status: 1, callback: { mode: 'duplicate' } });
    expect(sent.map((d) => d.status)).toEqual([200, 200]);
    const stored = await chargeFromDb(t.app, charge.id);
    expect(stored.events.map((e) => e.toStatus)).toEqual(['PENDING', 'SUCCEEDED']);
    expect(await inboxRows(t.app, charge.requestId)).toHaveLength(1);
  });

  it('keeps a final charge final when a stale pending callback arrives after it', async () => {
    const { charge } = await pendingCharge();
    await settle(charge.requestId, { status: 1, callback: { mode: 'out-of-order' } });
    const stored = await chargeFromDb(t.app, charge.id);
    expect(stored.status).toBe('SUCCEEDED');
    expect(stored.events).toHaveLength(2);
    const inbox = await inboxRows(t.app, charge.requestId);
    expect(inbox.map((row) => [row.status, row.lastError?.split(':')[0]])).toEqual([
      ['PROCESSED', undefined],
      ['IGNORED', 'already-final'],
    ]);
  });

  it('refuses a replayed callback with another status after the genuine one, changing nothing', async () => {
    const { charge } = await pendingCharge();
    // Genuine: bad card. Replay with the still-valid sign: "good card, 100 000 received".
    await settle(charge.requestId, { status: 3, callback: { mode: 'replay-altered', alter: { status: 1, amount: 100_000 } } });
    const stored = await chargeFromDb(t.app, charge.id);
    expect([stored.status, stored.providerStatus, stored.amountReceived, stored.realValue]).toEqual(['FAILED', 3, null, null]);
    expect(stored.events.map((e) => e.toStatus)).toEqual(['PENDING', 'FAILED']);
    const inbox = await inboxRows(t.app, charge.requestId);
    expect(inbox.map((row) => [row.status, row.lastError?.split(':')[0]])).toEqual([
      ['PROCESSED', undefined],
      ['IGNORED', 'already-final'],
    ]);
  });

  it('refuses a replayed callback with the same status but another amount, changing nothing', async () => {
    const { charge } = await pendingCharge();
    await settle(charge.requestId, { status: 1, callback: { mode: 'replay-altered', alter: { status: 1, amount: 49_000 } } });
    const stored = await chargeFromDb(t.app, charge.id);
    expect([stored.status, stored.amountReceived]).toEqual(['SUCCEEDED', 35_000n]);
    expect(stored.events).toHaveLength(2);
    const inbox = await inboxRows(t.app, charge.requestId);
    expect(inbox.map((row) => [row.status, row.lastError?.split(':')[0]])).toEqual([
      ['PROCESSED', undefined],
      ['IGNORED', 'replayed-with-other-values'],
    ]);
  });

  it('refuses a forged success whose amount exceeds the declared value, leaving the charge pending', async () => {
    const { charge } = await pendingCharge();
    // The provider still says 99; only a forged "status 1, amount 2 × declared" arrives.
    const beforeSettle = await chargeFromDb(t.app, charge.id);
    await settle(charge.requestId, { status: 99, callback: { mode: 'altered-only', alter: { status: 1, amount: 100_000 } } });
    const stored = await chargeFromDb(t.app, charge.id);
    expect(stored.status).toBe('PENDING');
    expect(stored.amountReceived).toBeNull();
    expect(stored.events).toHaveLength(1);
    expect(stored.updatedAt).toEqual(beforeSettle.updatedAt);
    const inbox = await inboxRows(t.app, charge.requestId);
    expect(inbox.map((row) => [row.status, row.lastError?.split(':')[0]])).toEqual([['IGNORED', 'amount-exceeds-declared']]);
  });

  it('settles a forged "good card" on a pending charge by what check says (a bad card)', async () => {
    const { charge } = await pendingCharge();
    await settle(charge.requestId, { status: 3, callback: { mode: 'altered-only', alter: { status: 1, amount: 35_000 } } });
    const stored = await chargeFromDb(t.app, charge.id);
    expect([stored.status, stored.providerStatus, stored.amountReceived]).toEqual(['FAILED', 3, null]);
    expect(stored.events[1]).toMatchObject({ toStatus: 'FAILED', cause: 'CALLBACK', note: 'callback said status 1; check says 3 (applied)' });
  });

  it('answers 403 to a callback with a forged callback_sign and writes nothing', async () => {
    const { charge, card } = await pendingCharge();
    const before = await chargeFromDb(t.app, charge.id);
    const inboxBefore = await t.app.db.prisma.callbackInbox.count();
    const forged = {
      status: 1,
      message: 'Thành công',
      request_id: charge.requestId,
      trans_id: charge.transId,
      declared_value: 50_000,
      value: 50_000,
      amount: 35_000,
      code: card.code,
      serial: card.serial,
      telco: 'VIETTEL',
      callback_sign: '0123456789abcdef0123456789abcdef',
    };
    const post = await fetch(`${t.url}/callbacks/card`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(forged) });
    expect(post.status).toBe(403);
    expect(await post.json()).toEqual({ status: false, message: 'invalid callback_sign' });
    const query = new URLSearchParams(Object.entries(forged).map(([k, v]) => [k, String(v)]));
    const get = await fetch(`${t.url}/callbacks/card?${query}`);
    expect(get.status).toBe(403);

    const after = await chargeFromDb(t.app, charge.id);
    expect(after).toEqual(before);
    expect(await t.app.db.prisma.callbackInbox.count()).toBe(inboxBefore);
  });

  it('answers 404 to a callback for a request_id we never sent, writing nothing', async () => {
    const inboxBefore = await t.app.db.prisma.callbackInbox.count();
    const response = await fetch(`${t.url}/callbacks/card?request_id=PG-NOT-OURS&status=1&code=1&serial=1&callback_sign=x`);
    expect(response.status).toBe(404);
    expect(await t.app.db.prisma.callbackInbox.count()).toBe(inboxBefore);
  });

  it('settles through waiting on the bus as well (no sleeping): a delayed callback', async () => {
    const { charge } = await pendingCharge();
    await cardControl(t.app, 'settle', { request_id: charge.requestId, status: 1, callback: { mode: 'once', delay_ms: 50 } });
    expect(await waitForCardStatus(t.app, charge.id, ['SUCCEEDED', 'FAILED'])).toBe('SUCCEEDED');
  });
});
