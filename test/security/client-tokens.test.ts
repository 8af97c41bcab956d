// Client tokens: what a frontend holds instead of the API key. One order, read
// and followed, nothing else; revocation and expiry count at once, open
// subscriptions included.
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { gql, wsClient } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { createCashIn, ORDER_UPDATED, sandboxControl, isOutcome } from '../support/orders.js';
import { schema } from '../../src/schema/index.js';
import { fieldOutsideOrder } from '../../src/http/client-token-fence.js';
import { requireMerchant, type Context } from '../../src/schema/builder.js';
import { hashSecretToken } from '../../src/services/secret-tokens.js';

const CREATE_TOKEN = `mutation($orderId: ID!, $ttl: Int) {
  createClientToken(orderId: $orderId, ttlMinutes: $ttl) {
    __typename
    ... on MutationCreateClientTokenSuccess { data { id token expiresAt checkoutUrl clientToken { id orderId prefix revokedAt } } }
    ... on Error { message }
  }
}`;
const REVOKE_TOKEN = `mutation($id: ID!) { revokeClientToken(id: $id) { __typename ... on MutationRevokeClientTokenSuccess { data { id revokedAt } } ... on Error { message } } }`;
const READ_ORDER = `query($id: ID!) { order(id: $id) { id status amount instructions { accountNumber transferContent } } }`;

/** A connection that stays open between subscriptions (the harness' client closes when idle). */
function persistentClient(url: string, token: string): Client {
  return createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {},
  });
}

/** Follows one subscription: its messages, and how it ended (error or complete). */
function follow(client: Client, query: string, variables: Record<string, unknown>) {
  const messages: any[] = [];
  const waiters: { predicate: (m: any) => boolean; resolve: (m: any) => void; reject: (e: unknown) => void }[] = [];
  let settle!: (end: { error?: unknown }) => void;
  const ended = new Promise<{ error?: unknown }>((resolve) => (settle = resolve));
  const finish = (end: { error?: unknown }) => {
    settle(end);
    for (const waiter of waiters.splice(0)) waiter.reject(end.error ?? new Error('subscription completed'));
  };
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (message) => {
        if (message.errors) return finish({ error: message.errors });
        messages.push(message.data);
        for (const waiter of [...waiters]) {
          if (waiter.predicate(message.data)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(message.data);
          }
        }
      },
      error: (error) => finish({ error }),
      complete: () => finish({}),
    },
  );
  return {
    messages,
    ended,
    next(predicate: (m: any) => boolean = () => true): Promise<any> {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => waiters.push({ predicate, resolve, reject }));
    },
    dispose,
  };
}

const codes = (response: { errors?: { extensions?: Record<string, unknown> }[] }) => (response.errors ?? []).map((e) => e.extensions?.code);

describe('client tokens', () => {
  const { t, merchants: [shop, other] } = useTestApp({}, ['Token shop', 'Other shop']);
  let order: any;
  let sibling: any;
  let foreign: any;

  beforeAll(async () => {
    order = (await createCashIn(t.url, shop.apiKey, { amount: '150000', idempotencyKey: 'ct-main' })).data;
    sibling = (await createCashIn(t.url, shop.apiKey, { amount: '160000', idempotencyKey: 'ct-sibling' })).data;
    foreign = (await createCashIn(t.url, other.apiKey, { amount: '170000', idempotencyKey: 'ct-foreign' })).data;
  });

  async function issue(orderId: string, ttl?: number) {
    const response = await gql(t.url, CREATE_TOKEN, { orderId, ttl }, shop.apiKey);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    expect(response.data.createClientToken.__typename).toBe('MutationCreateClientTokenSuccess');
    return response.data.createClientToken.data as { id: string; token: string; expiresAt: string; checkoutUrl: string; clientToken: any };
  }

  it('is issued once for an order: shown in full, stored as a hash, an hour by default, with the checkout link', async () => {
    const before = Date.now();
    const issued = await issue(order.id);
    expect(issued.token).toMatch(/^pg_ct_[0-9A-Za-z]{40}$/);
    expect(issued.checkoutUrl).toBe(`${t.url}/checkout/${order.id}?token=${issued.token}`);
    expect(issued.clientToken).toMatchObject({ orderId: order.id, prefix: issued.token.slice(0, 14), revokedAt: null });
    const lifetime = new Date(issued.expiresAt).getTime() - before;
    expect(lifetime).toBeGreaterThan(59 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(60 * 60_000 + 5_000);
    const row = await t.app.db.prisma.clientToken.findUniqueOrThrow({ where: { id: issued.id } });
    expect(row.secretHash).toBe(hashSecretToken(issued.token));
    expect(JSON.stringify(row)).not.toContain(issued.token);
    expect(row).toMatchObject({ merchantId: shop.merchantId, orderId: order.id, revokedAt: null });
  });

  it('is refused for another merchant\'s order, for an unknown order and for a lifetime out of bounds', async () => {
    for (const orderId of [foreign.id, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      const response = await gql(t.url, CREATE_TOKEN, { orderId }, shop.apiKey);
      expect(response.data.createClientToken.__typename).toBe('NotFoundError');
    }
    for (const ttl of [0, 24 * 60 + 1]) {
      const response = await gql(t.url, CREATE_TOKEN, { orderId: order.id, ttl }, shop.apiKey);
      expect(response.data.createClientToken.__typename).toBe('ValidationError');
    }
    expect(await t.app.db.prisma.clientToken.count({ where: { orderId: foreign.id } })).toBe(0);
  });

  it('reads its own order, and nothing for another order of the same merchant or of another merchant', async () => {
    const { token } = await issue(order.id);
    const own = await gql(t.url, READ_ORDER, { id: order.id }, token);
    expect(own.errors).toBeUndefined();
    expect(own.data.order).toMatchObject({ id: order.id, status: 'PENDING', amount: '150000' });
    expect(own.data.order.instructions.transferContent).toBe(order.instructions.transferContent);
    for (const id of [sibling.id, foreign.id]) {
      const response = await gql(t.url, READ_ORDER, { id }, token);
      expect(response.errors).toBeUndefined();
      expect(response.data.order).toBeNull();
    }
  });

  it('cannot list, call a mutation, or reach beyond its order through a relation', async () => {
    const { token, id: tokenId } = await issue(order.id);
    const refused = [
      ['orders', `{ orders { edges { node { id } } } }`, {}],
      ['merchant', `{ merchant { id name apiKeys { prefix } } }`, {}],
      ['createCashIn', `mutation { createCashIn(input: { amount: "1000", idempotencyKey: "from-a-token", method: BANK }) { __typename } }`, {}],
      ['createClientToken', `mutation($id: ID!) { createClientToken(orderId: $id) { __typename } }`, { id: sibling.id }],
      ['revokeClientToken', `mutation($id: ID!) { revokeClientToken(id: $id) { __typename } }`, { id: tokenId }],
      ['createApiKey', `mutation { createApiKey(name: "stolen") { __typename } }`, {}],
      ['cancelOrder', `mutation($id: ID!) { cancelOrder(id: $id) { __typename } }`, { id: order.id }],
      ['Order.bankTransactions', `query($id: ID!) { order(id: $id) { id bankTransactions { id } } }`, { id: order.id }],
      ['introspection', `{ __schema { types { name } } }`, {}],
    ] as const;
    for (const [name, query, variables] of refused) {
      const response = await gql(t.url, query, variables, token);
      expect(response.data ?? null, name).toBeNull();
      expect(codes(response), name).toEqual(['FORBIDDEN']);
    }
    // The same order, reached again through its events, is still only that order.
    const loop = await gql(t.url, `query($id: ID!) { order(id: $id) { events { order { id } } } }`, { id: order.id }, token);
    expect(loop.errors).toBeUndefined();
    expect(loop.data.order.events.map((e: any) => e.order.id)).toEqual([order.id]);
    // Nothing was done on its behalf.
    expect(await t.app.db.prisma.order.count({ where: { merchantId: shop.merchantId } })).toBe(2);
    expect(await t.app.db.prisma.apiKey.count({ where: { merchantId: shop.merchantId } })).toBe(1);
    expect((await t.app.db.prisma.clientToken.findUniqueOrThrow({ where: { id: tokenId } })).revokedAt).toBeNull();
    expect(await t.app.db.prisma.clientToken.count({ where: { orderId: sibling.id } })).toBe(0);
  });

  it('is fenced off every root field but order and orderUpdated, and every type outside the order', () => {
    const roots = [schema.getQueryType()!, schema.getMutationType()!, schema.getSubscriptionType()!];
    const allowed: string[] = [];
    for (const root of roots) {
      const keyword = root === schema.getQueryType() ? 'query' : root === schema.getMutationType() ? 'mutation' : 'subscription';
      for (const field of Object.keys(root.getFields())) {
        // The fence looks at fields only (it runs after validation); a bare field is enough to ask it.
        if (fieldOutsideOrder(schema, parse(`${keyword} { ${field} }`)) === null) allowed.push(`${root.name}.${field}`);
      }
    }
    expect(allowed.sort()).toEqual(['Query.order', 'Subscription.orderUpdated']);
    // Inside its order, a payer sees the timeline but not who caused each step nor the raw provider payloads.
    expect(fieldOutsideOrder(schema, parse('{ order(id: "x") { status events { toStatus cause createdAt } } }'))).toBeNull();
    expect(fieldOutsideOrder(schema, parse('{ order(id: "x") { events { payload } } }'))).toBe('OrderEvent.payload');
    expect(fieldOutsideOrder(schema, parse('{ order(id: "x") { events { actor } } }'))).toBe('OrderEvent.actor');
    expect(() => requireMerchant({ caller: { kind: 'client-token', merchantId: shop.merchantId, orderId: order.id, tokenId: 'x' } } as Context)).toThrow(/authentication required/);
  });

  it('follows its order over graphql-ws, and only its order', async () => {
    const fresh = (await createCashIn(t.url, shop.apiKey, { amount: '180000', idempotencyKey: 'ct-follow' })).data;
    const { token } = await issue(fresh.id);
    const client = wsClient(t.url, token);
    const updates = follow(client, ORDER_UPDATED, { id: fresh.id });
    const elsewhere = follow(client, ORDER_UPDATED, { id: sibling.id });
    try {
      expect((await updates.next()).orderUpdated.status).toBe('PENDING');
      expect((await elsewhere.ended).error).toBeTruthy();
      expect(elsewhere.messages).toEqual([]);
      await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: fresh.requestId, outcome: 'succeed', callback: 'once' });
      const paid = await updates.next((m) => isOutcome(m.orderUpdated.status));
      expect(paid.orderUpdated.status).toBe('SUCCEEDED');
      expect(paid.orderUpdated.id).toBe(fresh.id);
    } finally {
      updates.dispose();
      await client.dispose();
    }
  });

  it('stops working when revoked: HTTP reads fail, the open subscription ends, the same socket reads nothing', async () => {
    const issued = await issue(order.id);
    const client = persistentClient(t.url, issued.token);
    const updates = follow(client, ORDER_UPDATED, { id: order.id });
    try {
      expect((await updates.next()).orderUpdated.status).toBe('PENDING');
      const revoked = await gql(t.url, REVOKE_TOKEN, { id: issued.id }, shop.apiKey);
      expect(revoked.data.revokeClientToken.__typename).toBe('MutationRevokeClientTokenSuccess');
      expect(revoked.data.revokeClientToken.data.revokedAt).toBeTruthy();

      const end = await updates.ended;
      expect(JSON.stringify(end.error)).toMatch(/revoked or has expired/);

      const http = await gql(t.url, READ_ORDER, { id: order.id }, issued.token);
      expect(http.status).toBe(401);
      expect(codes(http)).toEqual(['UNAUTHENTICATED']);

      // The socket was authenticated before the revocation: what it asks now is refused too.
      const onSocket = await new Promise<any>((resolve) => {
        let result: any;
        client.subscribe({ query: READ_ORDER, variables: { id: order.id } }, { next: (m) => (result = m), error: (e) => resolve({ errors: e }), complete: () => resolve(result) });
      });
      expect(onSocket.data?.order ?? null).toBeNull();
      expect(JSON.stringify(onSocket.errors)).toMatch(/revoked or has expired/);
    } finally {
      updates.dispose();
      await client.dispose();
    }
    const row = await t.app.db.prisma.clientToken.findUniqueOrThrow({ where: { id: issued.id } });
    expect(row.revokedAt).not.toBeNull();
    // Revoking again is harmless; another merchant cannot revoke it (or learn that it exists).
    expect((await gql(t.url, REVOKE_TOKEN, { id: issued.id }, shop.apiKey)).data.revokeClientToken.__typename).toBe('MutationRevokeClientTokenSuccess');
    expect((await gql(t.url, REVOKE_TOKEN, { id: issued.id }, other.apiKey)).data.revokeClientToken.__typename).toBe('NotFoundError');
  });

  it('is refused at connection_init once revoked', async () => {
    const issued = await issue(order.id);
    await gql(t.url, REVOKE_TOKEN, { id: issued.id }, shop.apiKey);
    const client = wsClient(t.url, issued.token);
    const updates = follow(client, ORDER_UPDATED, { id: order.id });
    const end = await updates.ended;
    expect((end.error as { code?: number }).code).toBe(4403);
    expect(updates.messages).toEqual([]);
    await client.dispose();
  });

  it('stops working once expired, over HTTP and graphql-ws', async () => {
    const { token } = await t.app.services.clientTokens.create(shop.merchantId, order.id, { expiresAt: new Date(Date.now() - 1_000) });
    const http = await gql(t.url, READ_ORDER, { id: order.id }, token);
    expect(http.status).toBe(401);
    expect(codes(http)).toEqual(['UNAUTHENTICATED']);
    const client = wsClient(t.url, token);
    const updates = follow(client, ORDER_UPDATED, { id: order.id });
    expect(((await updates.ended).error as { code?: number }).code).toBe(4403);
    await client.dispose();
  });

  it('ends an open subscription when the token expires, without any change to the order', async () => {
    const lifetimeMs = 1_500;
    const { token, record } = await t.app.services.clientTokens.create(shop.merchantId, order.id, { expiresAt: new Date(Date.now() + lifetimeMs) });
    const client = wsClient(t.url, token);
    const updates = follow(client, ORDER_UPDATED, { id: order.id });
    try {
      expect((await updates.next()).orderUpdated.status).toBe('PENDING');
      const end = await updates.ended; // the server's expiry, not a timer in this test
      expect(JSON.stringify(end.error)).toMatch(/revoked or has expired/);
      expect(Date.now()).toBeGreaterThanOrEqual(record.expiresAt.getTime());
      expect(updates.messages).toHaveLength(1);
    } finally {
      updates.dispose();
      await client.dispose();
    }
  });

  it('still leaves API keys working as before', async () => {
    const response = await gql(t.url, `{ orders { edges { node { id } } } }`, {}, shop.apiKey);
    expect(response.errors).toBeUndefined();
    expect(response.data.orders.edges.length).toBeGreaterThanOrEqual(2);
    const wrong = await gql(t.url, READ_ORDER, { id: order.id }, 'pg_ct_' + 'x'.repeat(40));
    expect(wrong.status).toBe(401);
  });
});
