// Hostile input gets a typed client error, never "Unexpected error." (and
// never an error-level log line), over HTTP and over graphql-ws, where one bad
// operation leaves the connection and its other subscriptions alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createMerchant, gql, logCollector, startTestApp, type TestApp } from '../support/harness.js';
import { createCashIn, sandboxControl } from '../support/orders.js';

const connections = ['orders', 'cardCharges', 'transactions'];

describe('hostile input', () => {
  const logs = logCollector();
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info' }, logs.stream);
    key = (await createMerchant(t.app)).apiKey;
  });
  afterAll(() => t.stop());

  const errorLines = () => logs.text().split('\n').filter((line) => line.startsWith('{') && JSON.parse(line).level >= 50);

  type Case = [name: string, query: string, variables: Record<string, unknown>, code: string];
  it.each<Case>([
    ...connections.flatMap((field): Case[] => [
      [`${field}(after: "garbage")`, `{ ${field}(after: "garbage") { edges { cursor } } }`, {}, 'BAD_USER_INPUT'],
      [`${field}(first: -1)`, `{ ${field}(first: -1) { edges { cursor } } }`, {}, 'BAD_USER_INPUT'],
      [`${field}(last: -1)`, `{ ${field}(last: -1) { edges { cursor } } }`, {}, 'BAD_USER_INPUT'],
    ]),
    ['a 100 KB cursor', `query($c: String) { orders(after: $c) { edges { cursor } } }`, { c: 'x'.repeat(100_000) }, 'BAD_USER_INPUT'],
    ['a NUL in the orders filter', `query($r: String) { orders(filter: { reference: $r }) { edges { cursor } } }`, { r: 'a\u0000b' }, 'BAD_USER_INPUT'],
    ['a NUL in the transactions filter', `query($s: String) { transactions(filter: { search: $s }) { edges { cursor } } }`, { s: '\u0000' }, 'BAD_USER_INPUT'],
    ['a NUL in the card charges filter', `query($t: [String!]) { cardCharges(filter: { telco: $t }) { edges { cursor } } }`, { t: ['VIETTEL\u0000'] }, 'BAD_USER_INPUT'],
    ['a 3 000-deep selection', `{ ${'a { '.repeat(3000)}id${' }'.repeat(3000)} }`, {}, 'GRAPHQL_PARSE_FAILED'],
  ])('answers %s with a client error', async (_name, query, variables, code) => {
    const response = await gql(t.url, query, variables, key);
    expect(response.status).toBeLessThan(500);
    expect(response.errors?.[0]?.extensions?.code).toBe(code);
    expect(JSON.stringify(response).length).toBeLessThan(2_000);
  });

  it('refuses 5 000 nested arrays in setProviderAccount with a ValidationError', async () => {
    const nested = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    const body = `{"query":"mutation($v: JSON!) { setProviderAccount(provider: VNKASH, values: $v) { __typename ... on ValidationError { field } } }","variables":{"v":{"publicKey":${nested}}}}`;
    const response = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
    expect((await response.json()).data.setProviderAccount).toEqual({ __typename: 'ValidationError', field: 'values' });
  });

  it('answers a callback route that is not one with 404', async () => {
    for (const route of ['%', '%E0%A4%A', '..%2Fgraphql']) {
      const response = await fetch(`${t.url}/callbacks/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status, route).toBe(404);
    }
  });

  it('over graphql-ws, fails only the bad operation: the connection and its subscription go on', async () => {
    const socket = new WebSocket(t.url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
    const messages: any[] = [];
    const waiters: (() => void)[] = [];
    socket.on('message', (data) => {
      messages.push(JSON.parse(data.toString()));
      for (const wake of waiters.splice(0)) wake();
    });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    const message = async (predicate: (m: any) => boolean) => {
      while (!messages.some(predicate)) await new Promise<void>((resolve) => waiters.push(resolve));
      return messages.find(predicate);
    };
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } }));
    await message((m) => m.type === 'connection_ack');
    socket.send(JSON.stringify({ type: 'subscribe', id: 'live', payload: { query: 'subscription { orderEvents { order { id } } }' } }));
    socket.send(JSON.stringify({ type: 'subscribe', id: 'syntax', payload: { query: 'subscription { orderEvents {' } }));
    socket.send(JSON.stringify({ type: 'subscribe', id: 'deep', payload: { query: `{ ${'a { '.repeat(3000)}id${' }'.repeat(3000)} }` } }));
    socket.send(JSON.stringify({ type: 'subscribe', id: 'tokens', payload: { query: `{ ${'a '.repeat(6000)} }` } }));
    expect((await message((m) => m.id === 'syntax')).type).toBe('error');
    expect((await message((m) => m.id === 'deep')).payload[0].message).toMatch(/Nesting limit/);
    expect((await message((m) => m.id === 'tokens')).payload[0].message).toMatch(/Token limit/);

    const order = (await createCashIn(t.url, key, { amount: '120000', idempotencyKey: 'ws-still-alive' })).data;
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'once' });
    expect((await message((m) => m.id === 'live' && m.type === 'next')).payload.data.orderEvents.order.id).toBe(order.id);
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close(1000);
    expect(await closed).toBe(1000);
  });

  it('wrote no error-level log line for any of it', () => {
    expect(errorLines()).toEqual([]);
  });
});
