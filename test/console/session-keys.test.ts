// Short-lived API keys, as the console's sessions use them: a key created with
// expiresInMinutes works until then, is refused afterwards over HTTP, and its
// open WebSocket connections close when it expires, as a revoked key's do.
import { describe, expect, it, vi } from 'vitest';
import { gql, subscribe, wsClient } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';

const CREATE_KEY = `mutation($name: String!, $expiresInMinutes: Int) {
  createApiKey(name: $name, expiresInMinutes: $expiresInMinutes) {
    __typename
    ... on MutationCreateApiKeySuccess { data { secret apiKey { id name expiresAt revokedAt } } }
    ... on ValidationError { field message }
  }
}`;

describe('short-lived API keys', () => {
  const { t, merchant: shop } = useTestApp({ WORKERS: 'false' }, ['Session shop']);

  it('works until it expires, then is refused like a revoked key', async () => {
    const before = Date.now();
    const created = await gql(t.url, CREATE_KEY, { name: 'console session (Lan)', expiresInMinutes: 480 }, shop.apiKey);
    expect(created.data.createApiKey.__typename).toBe('MutationCreateApiKeySuccess');
    const { secret, apiKey } = created.data.createApiKey.data;
    expect(apiKey.name).toBe('console session (Lan)');
    const expiresAt = new Date(apiKey.expiresAt).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + 480 * 60_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 480 * 60_000);
    expect((await gql(t.url, '{ merchant { name } }', {}, secret)).data.merchant.name).toMatch(/^Session shop/);

    // Eight hours pass (only the clock the server reads moves; the key, already known to this instance, was cached with its expiry).
    vi.useFakeTimers({ toFake: ['Date'] });
    let refused;
    try {
      vi.setSystemTime(expiresAt + 1);
      refused = await gql(t.url, '{ merchant { name } }', {}, secret);
    } finally {
      vi.useRealTimers();
    }
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]?.message).toBe('invalid or revoked API key');
    // The key it was made from is untouched, and lists the session with its expiry.
    const keys = (await gql(t.url, '{ merchant { apiKeys { id name expiresAt } } }', {}, shop.apiKey)).data.merchant.apiKeys;
    expect(keys.find((key: { id: string }) => key.id === apiKey.id).expiresAt).not.toBeNull();
    expect(keys.find((key: { name: string }) => key.name === 'default').expiresAt).toBeNull();
  });

  it('closes its WebSocket connections when it expires', async () => {
    // A lifetime of one second, set through the service (GraphQL counts in minutes).
    const { key } = await t.app.services.apiKeys.create(shop.merchantId, 'console session', new Date(Date.now() + 1_000));
    const client = wsClient(t.url, key);
    const closed = new Promise<{ code: number }>((resolve) => client.on('closed', (event) => resolve(event as { code: number })));
    const feed = subscribe(client, 'subscription { orderEvents { id } }');
    // Connected and subscribed: the server acknowledged the connection.
    await new Promise<void>((resolve) => client.on('connected', () => resolve()));
    expect((await closed).code).toBe(4403);
    feed.dispose();
    await client.dispose();
  });

  it('refuses a lifetime outside 1 minute to 7 days, creating nothing', async () => {
    const count = () => t.app.db.prisma.apiKey.count({ where: { merchantId: shop.merchantId } });
    const before = await count();
    for (const expiresInMinutes of [0, -5, 10_081]) {
      const response = await gql(t.url, CREATE_KEY, { name: 'console session', expiresInMinutes }, shop.apiKey);
      expect(response.data.createApiKey).toEqual({ __typename: 'ValidationError', field: 'expiresInMinutes', message: 'expiresInMinutes: 1 to 10080' });
    }
    expect(await count()).toBe(before);
  });
});
