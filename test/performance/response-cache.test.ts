// The response cache (src/http/response-cache.ts): a repeated read is answered
// without the database, and never with what a change has made stale, nor with
// another merchant's or another token's answer. A "hit" is seen as a read that
// sends no SQL statement (the API key is cached per instance as well).
import { describe, expect, it } from 'vitest';
import { gql, statementsDuring, subscribe, wsClient, type TestApp } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { createCashIn, ORDER_UPDATED, isOutcome, sandboxControl } from '../support/orders.js';

const ORDER = `query($id: ID!) { order(id: $id) { id status settledAmount description events { toStatus cause } } }`;
const ORDERS = `{ orders(first: 20) { edges { node { id status } } } }`;
const CREATE_TOKEN = `mutation($orderId: ID!) { createClientToken(orderId: $orderId) { ... on MutationCreateClientTokenSuccess { data { token clientToken { id } } } ... on Error { message } } }`;
const REVOKE_KEY = 'mutation($id: ID!) { revokeApiKey(id: $id) { __typename } }';

/** The answer to one request, and how many SQL statements it cost. */
async function read(t: TestApp, query: string, variables: Record<string, unknown>, credential: string) {
  const { result: response, statements } = await statementsDuring(t.app, () => gql(t.url, query, variables, credential));
  return { response, statements: statements.length };
}

describe('the response cache', () => {
  // No workers: no poll or import reads the database while a hit is counted.
  const { t, merchants } = useTestApp({ WORKERS: 'false' }, ['Shop A', 'Shop B']);
  const [shopA, shopB] = merchants;

  it('answers a repeated read without the database, and only the reads it is meant for', async () => {
    const { data: order } = await createCashIn(t.url, shopA.apiKey, { amount: '120000', idempotencyKey: 'cache-hit' });
    const first = await read(t, ORDER, { id: order.id }, shopA.apiKey);
    expect(first.response.data.order).toMatchObject({ id: order.id, status: 'PENDING' });
    expect(first.statements).toBeGreaterThan(0);
    const second = await read(t, ORDER, { id: order.id }, shopA.apiKey);
    expect(second.response.data).toEqual(first.response.data);
    expect(second.statements).toBe(0);
    // A document that also asks for something not cached (the review queue's age) is read every time.
    const mixed = `query($id: ID!) { order(id: $id) { id status } reviewQueueAge { total } }`;
    expect((await read(t, mixed, { id: order.id }, shopA.apiKey)).response.data.reviewQueueAge.total).toBe(0);
    expect((await read(t, mixed, { id: order.id }, shopA.apiKey)).statements).toBeGreaterThan(0);
  });

  it('never serves a status a callback has changed: as soon as a subscriber hears of it, a read says it too', async () => {
    const { data: order } = await createCashIn(t.url, shopA.apiKey, { amount: '130000', idempotencyKey: 'cache-callback' });
    await read(t, ORDER, { id: order.id }, shopA.apiKey);
    await read(t, ORDERS, {}, shopA.apiKey);
    expect((await read(t, ORDER, { id: order.id }, shopA.apiKey)).statements).toBe(0);
    const client = wsClient(t.url, shopA.apiKey);
    const updates = subscribe(client, ORDER_UPDATED, { id: order.id });
    try {
      expect((await updates.next()).orderUpdated.status).toBe('PENDING');
      await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'once' });
      expect((await updates.next((m) => isOutcome(m.orderUpdated.status))).orderUpdated.status).toBe('SUCCEEDED');
    } finally {
      updates.dispose();
      await client.dispose();
    }
    const after = await read(t, ORDER, { id: order.id }, shopA.apiKey);
    expect(after.response.data.order.status).toBe('SUCCEEDED');
    expect(after.response.data.order.events.map((e: { toStatus: string }) => e.toStatus)).toEqual(['PENDING', 'SUCCEEDED']);
    const list = (await read(t, ORDERS, {}, shopA.apiKey)).response.data.orders.edges.map((e: any) => e.node);
    expect(list.find((o: { id: string }) => o.id === order.id).status).toBe('SUCCEEDED');
  });

  it('shows a mutation’s change to the next read: a new order is in the cached list at once', async () => {
    await read(t, ORDERS, {}, shopA.apiKey);
    expect((await read(t, ORDERS, {}, shopA.apiKey)).statements).toBe(0);
    const { data: order } = await createCashIn(t.url, shopA.apiKey, { amount: '140000', idempotencyKey: 'cache-mutation' });
    const ids = (await read(t, ORDERS, {}, shopA.apiKey)).response.data.orders.edges.map((e: any) => e.node.id);
    expect(ids).toContain(order.id);
  });

  it('follows a change no service announces (a hand edit in the database) once it is committed', async () => {
    const { data: order } = await createCashIn(t.url, shopA.apiKey, { amount: '150000', idempotencyKey: 'cache-hand-edit' });
    await read(t, ORDER, { id: order.id }, shopA.apiKey);
    expect((await read(t, ORDER, { id: order.id }, shopA.apiKey)).statements).toBe(0);
    await t.app.db.prisma.order.update({ where: { id: order.id }, data: { description: 'edited by hand' } });
    // The database's NOTIFY arrives after the commit: wait for it, never for time.
    await expect.poll(async () => (await read(t, ORDER, { id: order.id }, shopA.apiKey)).response.data.order.description).toBe('edited by hand');
  });

  it('never gives one merchant another’s answer to the same document', async () => {
    const { data: ofA } = await createCashIn(t.url, shopA.apiKey, { amount: '160000', idempotencyKey: 'cache-scope-a' });
    const { data: ofB } = await createCashIn(t.url, shopB.apiKey, { amount: '170000', idempotencyKey: 'cache-scope-b' });
    const listA = (await read(t, ORDERS, {}, shopA.apiKey)).response.data.orders.edges.map((e: any) => e.node.id);
    const listB = (await read(t, ORDERS, {}, shopB.apiKey)).response.data.orders.edges.map((e: any) => e.node.id);
    expect(listA).toContain(ofA.id);
    expect(listA).not.toContain(ofB.id);
    expect(listB).toEqual([ofB.id]);
    // A's cached answer for its own order id is not B's: B still cannot see it.
    await read(t, ORDER, { id: ofA.id }, shopA.apiKey);
    expect((await read(t, ORDER, { id: ofA.id }, shopB.apiKey)).response.data.order).toBeNull();
  });

  it('keeps a client token’s answers its own, and stops answering a revoked key from the cache', async () => {
    const { data: order } = await createCashIn(t.url, shopA.apiKey, { amount: '180000', idempotencyKey: 'cache-token' });
    const { data: other } = await createCashIn(t.url, shopA.apiKey, { amount: '190000', idempotencyKey: 'cache-token-other' });
    const issued = (await gql(t.url, CREATE_TOKEN, { orderId: order.id }, shopA.apiKey)).data.createClientToken.data;
    // The merchant reads the other order (cached under the merchant's scope); the token may not read it.
    expect((await read(t, ORDER, { id: other.id }, shopA.apiKey)).response.data.order.id).toBe(other.id);
    const refused = (await read(t, ORDER, { id: other.id }, issued.token)).response;
    expect(refused.data?.order ?? null).toBeNull();
    expect((await read(t, ORDER, { id: order.id }, issued.token)).response.data.order.id).toBe(order.id);

    const created = await gql(t.url, 'mutation { createApiKey(name: "cache") { ... on MutationCreateApiKeySuccess { data { secret apiKey { id } } } } }', {}, shopA.apiKey);
    const { secret, apiKey } = created.data.createApiKey.data;
    await read(t, ORDER, { id: order.id }, secret);
    expect((await read(t, ORDER, { id: order.id }, secret)).statements).toBe(0);
    expect((await gql(t.url, REVOKE_KEY, { id: apiKey.id }, shopA.apiKey)).data.revokeApiKey.__typename).toBe('MutationRevokeApiKeySuccess');
    const revoked = await gql(t.url, ORDER, { id: order.id }, secret);
    expect(revoked.status).toBe(401);
    expect(revoked.data ?? null).toBeNull();
  });
});

describe('without the response cache (RESPONSE_CACHE_TTL_MS=0)', () => {
  const { t, merchant } = useTestApp({ WORKERS: 'false', RESPONSE_CACHE_TTL_MS: '0' });

  it('reads the database every time', async () => {
    const { data: order } = await createCashIn(t.url, merchant.apiKey, { amount: '110000', idempotencyKey: 'no-cache' });
    await read(t, ORDER, { id: order.id }, merchant.apiKey);
    expect((await read(t, ORDER, { id: order.id }, merchant.apiKey)).statements).toBeGreaterThan(0);
  });
});
