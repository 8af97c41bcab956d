// The card's code and serial are bearer secrets: never in a GraphQL answer,
// only sealed in the database. And one merchant never sees another's charges.
import { describe, expect, it } from 'vitest';
import { createMerchant, gql, subscribe, wsClient } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { CARD_CHARGE, CARD_CHARGE_UPDATED, CHARGE_FIELDS, REFRESH, cardControl, storedText, submitCard, viettelCard } from './support.js';

describe('card charges: masking and isolation', () => {
  const { t, merchants: [shopA, shopB] } = useTestApp({}, ['Shop A', 'Shop B']);

  it('never answers the full code or serial over GraphQL, and stores them only sealed', async () => {
    const card = viettelCard();
    const answers: string[] = [];
    const submitted = await submitCard(t.url, shopA.apiKey, { ...card, idempotencyKey: 'mask-1' });
    answers.push(submitted.raw);
    const charge = submitted.result.data;
    expect(charge.maskedCode).toBe(`…${card.code.slice(-4)}`);
    expect(charge.maskedSerial).toBe(`…${card.serial.slice(-4)}`);

    // Settled by a GET callback: the card travels in the query string, and the events keep the payloads.
    await cardControl(t.app, 'settle', { request_id: charge.requestId, status: 2, callback: { mode: 'replay-altered', form: 'GET' } });
    await t.app.sandbox!.idle();
    answers.push(JSON.stringify(await gql(t.url, CARD_CHARGE, { id: charge.id }, shopA.apiKey)));
    answers.push(JSON.stringify(await gql(t.url, `{ cardCharges(first: 50) { edges { node { ${CHARGE_FIELDS} } } } }`, {}, shopA.apiKey)));
    answers.push(JSON.stringify(await gql(t.url, REFRESH, { id: charge.id }, shopA.apiKey)));
    // A replayed submission answers from the stored result.
    answers.push((await submitCard(t.url, shopA.apiKey, { ...card, idempotencyKey: 'mask-1' })).raw);
    const events = JSON.parse(answers[1]!).data.cardCharge.events;
    expect(events.map((e: { toStatus: string }) => e.toStatus)).toEqual(['PENDING', 'SUCCEEDED']);
    expect(JSON.stringify(events[1].payload)).toContain(`…${card.code.slice(-4)}`);

    for (const answer of answers) {
      expect(answer).not.toContain(card.code);
      expect(answer).not.toContain(card.serial);
    }

    const stored = await storedText(t.app, charge.id, charge.requestId);
    expect(stored).toContain(charge.requestId);
    expect(stored).not.toContain(card.code);
    expect(stored).not.toContain(card.serial);
    const row = await t.app.db.prisma.cardCharge.findUniqueOrThrow({ where: { id: charge.id } });
    expect(row.sealedCard).toMatch(/^v1\./);
  });

  it("does not show, refresh, list or stream another merchant's charge", async () => {
    const { result } = await submitCard(t.url, shopA.apiKey, { ...viettelCard(), idempotencyKey: 'iso-1' });
    const id = result.data.id;

    const read = await gql(t.url, `query($id: ID!) { cardCharge(id: $id) { id } }`, { id }, shopB.apiKey);
    expect(read.errors).toBeUndefined();
    expect(read.data.cardCharge).toBeNull();
    expect((await gql(t.url, `query($id: ID!) { cardCharge(id: $id) { id } }`, { id }, shopA.apiKey)).data.cardCharge.id).toBe(id);

    const refresh = await gql(t.url, REFRESH, { id }, shopB.apiKey);
    expect(refresh.data.refreshCardCharge).toMatchObject({ __typename: 'NotFoundError' });

    const listB = await gql(t.url, `{ cardCharges(first: 100) { edges { node { id } } } }`, {}, shopB.apiKey);
    expect(listB.data.cardCharges.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(id);

    const client = wsClient(t.url, shopB.apiKey);
    const updates = subscribe(client, CARD_CHARGE_UPDATED, { id });
    try {
      await expect(updates.next()).rejects.toBeTruthy();
    } finally {
      updates.dispose();
      await client.dispose();
    }

    const anonymous = await gql(t.url, `query($id: ID!) { cardCharge(id: $id) { id } }`, { id });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Nothing above changed the charge.
    expect((await t.app.db.prisma.cardCharge.findUniqueOrThrow({ where: { id }, include: { events: true } })).events).toHaveLength(1);
  });

  it('lists charges newest first, filtered by status and telco', async () => {
    const shop = await createMerchant(t.app, 'Shop C');
    await cardControl(t.app, 'steer', { operation: 'charging', behaviour: { kind: 'succeed' } });
    const ok = (await submitCard(t.url, shop.apiKey, { ...viettelCard(), idempotencyKey: 'list-1' })).result.data;
    await cardControl(t.app, 'steer', { operation: 'charging', behaviour: { kind: 'fail' } });
    const bad = (await submitCard(t.url, shop.apiKey, { ...viettelCard(), idempotencyKey: 'list-2' })).result;
    const pending = (await submitCard(t.url, shop.apiKey, { ...viettelCard(), idempotencyKey: 'list-3' })).result.data;

    const ids = async (filter: Record<string, unknown> | null) =>
      (await gql(t.url, `query($f: CardChargeFilter) { cardCharges(first: 10, filter: $f) { edges { node { id } } } }`, { f: filter }, shop.apiKey)).data.cardCharges.edges.map(
        (e: { node: { id: string } }) => e.node.id,
      );
    expect(await ids(null)).toEqual([pending.id, bad.cardChargeId, ok.id]);
    expect(await ids({ status: ['SUCCEEDED', 'FAILED'] })).toEqual([bad.cardChargeId, ok.id]);
    expect(await ids({ telco: ['MOBIFONE'] })).toEqual([]);
    expect(await ids({ telco: ['viettel'], status: ['PENDING'] })).toEqual([pending.id]);
    expect(await ids({ createdAfter: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
  });
});
