// eventFeedHead: where "now" is in a merchant's event feed, so a client that
// reads its current state can follow every change after it (the console's
// live order list does: new orders and their changes, without a gap).
import { describe, expect, it } from 'vitest';
import { createMerchant, gql, subscribe, wsClient } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { createCashIn } from '../support/orders.js';

const FOLLOW = `subscription($after: String) { orderEvents(after: $after) { toStatus cause order { id } } }`;

describe('the event feed head', () => {
  const { t, merchant: shop } = useTestApp({}, ['Head shop']);

  const head = async (apiKey = shop.apiKey) => {
    const response = await gql(t.url, '{ eventFeedHead }', {}, apiKey);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data.eventFeedHead as string;
  };

  it('follows from now: orders created after the head come, earlier ones do not', async () => {
    const empty = await head();
    expect((await gql(t.url, 'query($after: String) { events(after: $after, first: 10) { edges { cursor } } }', { after: empty }, shop.apiKey)).data.events.edges).toEqual([]);

    // The first order, followed from the empty feed's head: its creation arrives once sequenced.
    const client = wsClient(t.url, shop.apiKey);
    try {
      const fromStart = subscribe(client, FOLLOW, { after: empty });
      const first = (await createCashIn(t.url, shop.apiKey, { amount: '120000', idempotencyKey: 'head-1' })).data;
      expect((await fromStart.next((m: any) => m.orderEvents.order.id === first.id)).orderEvents).toMatchObject({ toStatus: 'PENDING', cause: 'API' });
      fromStart.dispose();

      // Now the head is past the first order: following from it brings the second only.
      const now = await head();
      expect(now).not.toBe(empty);
      const fromNow = subscribe(client, FOLLOW, { after: now });
      const second = (await createCashIn(t.url, shop.apiKey, { amount: '130000', idempotencyKey: 'head-2' })).data;
      const message = await fromNow.next();
      expect(message.orderEvents.order.id).toBe(second.id);
      expect(fromNow.received.some((m: any) => m.orderEvents.order.id === first.id)).toBe(false);
      fromNow.dispose();
      const events = await gql(t.url, 'query($after: String) { events(after: $after, first: 10) { edges { node { type data } } } }', { after: now }, shop.apiKey);
      expect(events.data.events.edges.map((edge: any) => [edge.node.type, edge.node.data.id])).toEqual([['order.created', second.id]]);
    } finally {
      await client.dispose();
    }
  });

  it("is each merchant's own", async () => {
    const other = await createMerchant(t.app, 'Other head shop');
    const before = await head(other.apiKey);
    const client = wsClient(t.url, shop.apiKey);
    try {
      const follow = subscribe(client, FOLLOW, { after: await head() });
      const order = (await createCashIn(t.url, shop.apiKey, { amount: '140000', idempotencyKey: 'head-3' })).data;
      await follow.next((m: any) => m.orderEvents.order.id === order.id); // in the feed now
      follow.dispose();
    } finally {
      await client.dispose();
    }
    expect(await head(other.apiKey)).toBe(before);
    expect((await gql(t.url, '{ eventFeedHead }', {})).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
