import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVnKash, type VnKashHarness } from './helpers.js';
import { vnKashSandboxKey } from '../../../src/sandbox/vnkash/index.js';
import { createVnKashClient } from '../../../src/providers/vnkash/index.js';

let h: VnKashHarness;
beforeAll(async () => {
  h = await startVnKash();
});
afterAll(async () => {
  await h.sandbox.close();
});

const sandboxUrl = (route: string) => `${h.sandbox.baseUrl('vnkash')}/_sandbox/${route}`;
const post = (route: string, body: unknown) => fetch(sandboxUrl(route), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('VNKash simulator steering over HTTP', () => {
  it('queues a documented error for the next request of an endpoint', async () => {
    expect((await post('steer', { operation: 'name', behaviour: { kind: 'error', code: 5 } })).status).toBe(200);
    const client = h.connector().client;
    await expect(client.lookupName('840909090909')).rejects.toMatchObject({ kind: 'auth', code: '5' });
    await expect(client.lookupName('840909090909')).resolves.toMatchObject({ name: 'Nguyen Hong Duc' });
  });

  it('refuses to steer an error code the endpoint does not document', async () => {
    const response = await post('steer', { operation: 'transfer', behaviour: { kind: 'error', code: 11 } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: expect.stringContaining('documents no error 11') });
  });

  it('settles a deposit and shows it in the state, without any secret key', async () => {
    const connector = h.connector();
    const { providerReference } = await connector.create({ kind: 'DEPOSIT', requestId: 'sim-dep-1', amount: 200_000n, method: 'DAB', callbackUrl: 'http://127.0.0.1:9/unused' });
    const settled = await post('settle', { kind: 'deposit', id: Number(providerReference), outcome: 'succeed', amount: '200.000', callback: 'none' });
    expect(settled.status).toBe(200);
    expect(await settled.json()).toMatchObject({ deposit: { state: 'succeeded', amount: '200000' } });
    const again = await post('settle', { kind: 'deposit', id: Number(providerReference), outcome: 'fail' });
    expect(again.status).toBe(400);
    const stateText = await (await fetch(sandboxUrl('state'))).text();
    expect(stateText).not.toContain(vnKashSandboxKey.secretKey);
    const state = JSON.parse(stateText);
    expect(state.history).toContainEqual(expect.objectContaining({ type: 'DEPOSIT', amount: '200000', order: 'sim-dep-1' }));
    expect(state.keys[0]).toEqual({ publicKey: h.publicKey });
  });

  it('sets account flags through the flags route', async () => {
    expect((await post('flags', { historyLocked: true })).status).toBe(200);
    await expect(h.connector().client.history()).rejects.toMatchObject({ code: '1' });
    await post('flags', { historyLocked: false });
    await expect(h.connector().client.history()).resolves.toBeInstanceOf(Array);
  });

  it('answers only POST on API endpoints, and 404 on unknown ones', async () => {
    expect((await fetch(`${h.baseUrl}/balance.json`)).status).toBe(405);
    expect((await fetch(`${h.baseUrl}/refund.json`, { method: 'POST' })).status).toBe(404);
  });

  it('escapes slashes in dates the way PHP\'s json_encode does, and the client reads them', async () => {
    const bodies: string[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      bodies.push(await response.clone().text());
      return response;
    };
    const client = createVnKashClient(
      { baseUrl: h.baseUrl, publicKey: h.publicKey, secretKey: vnKashSandboxKey.secretKey },
      { nonces: h.nonces, http: { fetch: recordingFetch } },
    );
    const transfer = await client.transfer({ account: '840909090909', amount: 10_000n, memo: 'slash' });
    expect(bodies[0]).toMatch(/"date":"\d{2}\\\/\d{2}\\\/\d{4} \d{2}:\d{2}"/);
    const [row] = await client.history({ batch: transfer.data.batch });
    expect(row!.date.getTime()).toBe(transfer.data.date.getTime());
  });
});
