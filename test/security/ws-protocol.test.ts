// graphql-ws: credentials in connection_init and the protocol's close codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createMerchant, gql, startTestApp, type TestApp } from '../support/harness.js';

function open(url: string) {
  const socket = new WebSocket(url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const opened = new Promise<void>((resolve, reject) => {
    socket.on('open', () => resolve());
    socket.on('error', reject);
  });
  const messages: unknown[] = [];
  const nextMessage = () => new Promise<any>((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
  socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
  return { socket, closed, opened, nextMessage, send: (value: unknown) => socket.send(typeof value === 'string' ? value : JSON.stringify(value)) };
}

describe('graphql-ws protocol', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp();
    key = (await createMerchant(t.app)).apiKey;
  });
  afterAll(() => t.stop());

  it('closes with 4403 on a wrong key in connection_init', async () => {
    const ws = open(t.url);
    await ws.opened;
    ws.send({ type: 'connection_init', payload: { authorization: 'Bearer pg_sk_' + 'z'.repeat(40) } });
    expect((await ws.closed).code).toBe(4403);
  });

  it('acknowledges a good key, then closes with 4429 on a second init', async () => {
    const ws = open(t.url);
    await ws.opened;
    const ack = ws.nextMessage();
    ws.send({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } });
    expect((await ack).type).toBe('connection_ack');
    ws.send({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } });
    expect((await ws.closed).code).toBe(4429);
  });

  it('closes with 4401 on a subscribe before the acknowledgement', async () => {
    const ws = open(t.url);
    await ws.opened;
    ws.send({ type: 'subscribe', id: '1', payload: { query: '{ __typename }' } });
    expect((await ws.closed).code).toBe(4401);
  });

  it('closes with 4409 when a subscription id is reused', async () => {
    const ws = open(t.url);
    await ws.opened;
    const ack = ws.nextMessage();
    ws.send({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } });
    await ack;
    const subscription = 'subscription { orderEvents { id } }';
    ws.send({ type: 'subscribe', id: 'same', payload: { query: subscription } });
    ws.send({ type: 'subscribe', id: 'same', payload: { query: subscription } });
    expect((await ws.closed).code).toBe(4409);
  });

  it('closes with 4400 on a message that is not the protocol', async () => {
    const ws = open(t.url);
    await ws.opened;
    ws.send('{"type":"hello"}');
    expect((await ws.closed).code).toBe(4400);
  });

  it('closes an open connection, subscriptions and all, the moment its API key is revoked', async () => {
    const merchant = await createMerchant(t.app);
    const second = await t.app.services.apiKeys.create(merchant.merchantId, 'frontend-ish');
    const ws = open(t.url);
    await ws.opened;
    const ack = ws.nextMessage();
    ws.send({ type: 'connection_init', payload: { authorization: `Bearer ${second.key}` } });
    expect((await ack).type).toBe('connection_ack');
    ws.send({ type: 'subscribe', id: 'feed', payload: { query: 'subscription { orderEvents { id } }' } });
    const revoked = await gql(t.url, 'mutation($id: ID!) { revokeApiKey(id: $id) { __typename } }', { id: second.record.id }, merchant.apiKey);
    expect(revoked.data.revokeApiKey.__typename).toBe('MutationRevokeApiKeySuccess');
    expect(await ws.closed).toEqual({ code: 4403, reason: 'Forbidden: API key revoked' });
  });

  it('closes with 4408 when no connection_init arrives in time', async () => {
    const ws = open(t.url);
    await ws.opened;
    expect((await ws.closed).code).toBe(4408);
  });
});
