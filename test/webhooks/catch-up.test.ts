// A backend that was down catches up: the event feed after its last cursor,
// orders changed since a time, and orderEvents resumed from a cursor. And an
// endpoint whose name comes to resolve to a private address is refused at
// send time, then disabled with the reason. Production-like address rules
// (no loopback), so nothing here receives webhooks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, gql, startTestApp, subscribe, wsClient, type TestApp } from '../support/harness.js';
import { createCashIn, sandboxControl, waitForStatus } from '../support/orders.js';
import { createEndpoint, deliveriesOf, sequenced, startReceiver, until } from './support.js';

const EVENTS = `query($after: String, $filter: EventFilter) {
  events(first: 100, after: $after, filter: $filter) { edges { cursor node { id type data } } pageInfo { endCursor hasNextPage } }
}`;

describe('catching up after a gap', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_LOOPBACK: 'false', WEBHOOK_DISABLE_AFTER_HOURS: '0' });
  });
  afterAll(() => t.stop());

  const feed = async (apiKey: string, after: string | null, filter?: unknown) => {
    const response = await gql(t.url, EVENTS, { after, filter }, apiKey);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data.events;
  };
  const summary = (edges: { node: { type: string; data: { id: string; version: number } } }[], names: Record<string, string>) => edges.map(({ node }) => [node.type, names[node.data.id], node.data.version]);

  it('returns exactly the events missed, in order, from every place a backend resumes', async () => {
    const merchant = await createMerchant(t.app);
    const other = await createMerchant(t.app, 'Other shop');
    const { data: a } = await createCashIn(t.url, merchant.apiKey, { amount: '100000', idempotencyKey: 'before-gap' });
    await sequenced(t.app, merchant.merchantId);
    const before = await feed(merchant.apiKey, null);
    expect(summary(before.edges, { [a.id]: 'A' })).toEqual([['order.created', 'A', 1]]);
    const cursor = before.pageInfo.endCursor as string;
    expect(await feed(merchant.apiKey, cursor)).toEqual({ edges: [], pageInfo: { endCursor: cursor, hasNextPage: false } });
    const gapStarted = new Date();

    // The backend is down: B is created and paid, C is created, and another merchant's order changes too.
    const { data: b } = await createCashIn(t.url, merchant.apiKey, { amount: '200000', idempotencyKey: 'in-gap-1' });
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: b.requestId, outcome: 'succeed', callback: 'once' });
    await waitForStatus(t.app, b.id, ['SUCCEEDED']);
    const { data: c } = await createCashIn(t.url, merchant.apiKey, { amount: '300000', idempotencyKey: 'in-gap-2' });
    await createCashIn(t.url, other.apiKey, { amount: '400000', idempotencyKey: 'elsewhere' });
    await sequenced(t.app, merchant.merchantId);

    const names: Record<string, string> = { [a.id]: 'A', [b.id]: 'B', [c.id]: 'C' };
    const missed = await feed(merchant.apiKey, cursor);
    expect(summary(missed.edges, names)).toEqual([
      ['order.created', 'B', 1],
      ['order.updated', 'B', 2],
      ['order.succeeded', 'B', 2],
      ['order.created', 'C', 1],
    ]);
    expect(missed.pageInfo).toEqual({ endCursor: missed.edges.at(-1).cursor, hasNextPage: false });
    // Page by page gives the same, and a filter keeps the order.
    const firstTwo = await gql(t.url, 'query($after: String) { events(first: 2, after: $after) { edges { node { id } } pageInfo { endCursor hasNextPage } } }', { after: cursor }, merchant.apiKey);
    expect(firstTwo.data.events.pageInfo.hasNextPage).toBe(true);
    const rest = await feed(merchant.apiKey, firstTwo.data.events.pageInfo.endCursor);
    expect([...firstTwo.data.events.edges, ...rest.edges].map((edge: { node: { id: string } }) => edge.node.id)).toEqual(missed.edges.map((edge: { node: { id: string } }) => edge.node.id));
    expect(summary((await feed(merchant.apiKey, cursor, { types: ['ORDER_SUCCEEDED'] })).edges, names)).toEqual([['order.succeeded', 'B', 2]]);
    // A made-up cursor is refused.
    const bad = await gql(t.url, EVENTS, { after: 'not-a-cursor' }, merchant.apiKey);
    expect(bad.errors?.[0]).toMatchObject({ message: 'after: not a cursor of the event feed', extensions: { code: 'BAD_USER_INPUT' } });

    // What changed since the gap began, as orders.
    const changed = await gql(t.url, 'query($since: DateTime) { orders(filter: { updatedAfter: $since }) { edges { node { id } } } }', { since: gapStarted.toISOString() }, merchant.apiKey);
    expect(changed.data.orders.edges.map((edge: { node: { id: string } }) => names[edge.node.id]).sort()).toEqual(['B', 'C']);

    // orderEvents from the same cursor: the missed events first, then live ones, each once.
    const client = wsClient(t.url, merchant.apiKey);
    const stream = subscribe(client, 'subscription($after: String) { orderEvents(after: $after) { id toStatus cursor order { id } } }', { after: cursor });
    try {
      await stream.next((m) => m.orderEvents.order.id === c.id);
      const { data: d } = await createCashIn(t.url, merchant.apiKey, { amount: '500000', idempotencyKey: 'after-gap' });
      await stream.next((m) => m.orderEvents.order.id === d.id);
      names[d.id] = 'D';
      expect(stream.received.map((m) => [names[m.orderEvents.order.id], m.orderEvents.toStatus])).toEqual([
        ['B', 'PENDING'],
        ['B', 'SUCCEEDED'],
        ['C', 'PENDING'],
        ['D', 'PENDING'],
      ]);
      expect(stream.received.every((m) => typeof m.orderEvents.cursor === 'string')).toBe(true);
      // Resuming from the last one seen gives nothing more.
      const last = stream.received.at(-1).orderEvents.cursor;
      expect((await feed(merchant.apiKey, last)).edges).toEqual([]);
    } finally {
      stream.dispose();
      await client.dispose();
    }
  });

  it('refuses at send time an endpoint whose name now resolves to a loopback address, and disables it with the reason', async () => {
    const merchant = await createMerchant(t.app);
    const receiver = await startReceiver();
    try {
      const created = await createEndpoint(t.url, merchant.apiKey, { url: 'https://93.184.216.34/hooks', eventTypes: ['ORDER_CREATED'] });
      const endpointId = created.data.endpoint.id as string;
      // As if the merchant's DNS name were repointed after registration (DNS rebinding).
      await t.app.db.prisma.webhookEndpoint.update({ where: { id: endpointId }, data: { url: receiver.url.replace('http://127.0.0.1', 'https://localhost') } });
      await createCashIn(t.url, merchant.apiKey, { amount: '100000', idempotencyKey: 'rebound' });

      const [delivery] = await until(() => deliveriesOf(t.app, endpointId), (rows) => rows[0]?.attempts.length === 1);
      expect(delivery!.attempts[0]).toMatchObject({ responseStatus: null, error: expect.stringMatching(/^refused to connect: localhost resolves to (127\.0\.0\.1|::1) is a loopback address$/) });
      expect(receiver.connections).toBe(0);
      const shown = await gql(t.url, `query($id: ID!) { webhookEndpoint(id: $id) { enabled disabledReason lastFailure } }`, { id: endpointId }, merchant.apiKey);
      expect(shown.data.webhookEndpoint).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('every delivery has failed since'), lastFailure: expect.stringContaining('loopback') });
      expect(delivery!.status).toBe('PENDING');
    } finally {
      await receiver.close();
    }
  });
});
