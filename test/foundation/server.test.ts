import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMerchant, gql, startTestApp, type TestApp } from '../support/harness.js';

describe('the server', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.stop());

  it('answers { __typename } without credentials', async () => {
    const response = await gql(t.url, '{ __typename }');
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ __typename: 'Query' });
  });

  it('reports health and readiness', async () => {
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${t.url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('tags every response with a request id, echoing the caller’s', async () => {
    const response = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(response.headers.get('x-request-id')).toBe('abc-123');
    const fresh = await fetch(`${t.url}/healthz`);
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves GraphiQL to a browser outside production', async () => {
    const response = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('paygraph');
  });

  it('refuses a wrong key with a 401 and UNAUTHENTICATED', async () => {
    const response = await gql(t.url, '{ merchant { id } }', {}, 'pg_sk_' + 'x'.repeat(40));
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('asks for a key when a merchant field is read without one', async () => {
    const response = await gql(t.url, '{ merchant { id } }');
    expect(response.errors?.[0], JSON.stringify(response)).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(response.data ?? null).toBeNull();
  });

  it('shows each merchant only itself', async () => {
    const a = await createMerchant(t.app, 'A');
    const b = await createMerchant(t.app, 'B');
    const asA = await gql(t.url, '{ merchant { id apiKeys { prefix } } }', {}, a.apiKey);
    const asB = await gql(t.url, '{ merchant { id apiKeys { prefix } } }', {}, b.apiKey);
    expect(asA.data.merchant.id).toBe(a.merchantId);
    expect(asB.data.merchant.id).toBe(b.merchantId);
    expect(asA.data.merchant.apiKeys).toEqual([{ prefix: a.apiKey.slice(0, 14) }]);
  });

  it('creates a key shown once, lists it by prefix, and revokes it for good', async () => {
    const m = await createMerchant(t.app);
    const created = await gql(t.url, 'mutation { createApiKey(name: "ci") { ... on MutationCreateApiKeySuccess { data { secret apiKey { id prefix name } } } } }', {}, m.apiKey);
    const { secret, apiKey } = created.data.createApiKey.data;
    expect(secret).toMatch(/^pg_sk_[0-9A-Za-z]{40}$/);
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
    const stored = await t.app.db.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(JSON.stringify(stored)).not.toContain(secret.slice(14));

    expect((await gql(t.url, '{ merchant { id } }', {}, secret)).data.merchant.id).toBe(m.merchantId);
    const revoked = await gql(t.url, 'mutation($id: ID!) { revokeApiKey(id: $id) { __typename ... on MutationRevokeApiKeySuccess { data { revokedAt } } } }', { id: apiKey.id }, m.apiKey);
    expect(revoked.data.revokeApiKey.data.revokedAt).toBeTruthy();
    expect((await gql(t.url, '{ merchant { id } }', {}, secret)).status).toBe(401);
  });

  it('refuses a key name with control characters', async () => {
    const m = await createMerchant(t.app);
    const created = await gql(t.url, 'mutation($name: String!) { createApiKey(name: $name) { __typename ... on ValidationError { field } } }', { name: 'ci\u0000' }, m.apiKey);
    expect(created.data.createApiKey).toEqual({ __typename: 'ValidationError', field: 'name' });
  });

  it("cannot revoke another merchant's key", async () => {
    const a = await createMerchant(t.app);
    const b = await createMerchant(t.app);
    const bKey = await t.app.db.prisma.apiKey.findFirstOrThrow({ where: { merchantId: b.merchantId } });
    const attempt = await gql(t.url, 'mutation($id: ID!) { revokeApiKey(id: $id) { __typename } }', { id: bKey.id }, a.apiKey);
    expect(attempt.data.revokeApiKey.__typename).toBe('NotFoundError');
    expect((await gql(t.url, '{ merchant { id } }', {}, b.apiKey)).data.merchant.id).toBe(b.merchantId);
  });
});

describe('the embedded database', () => {
  it('keeps merchants and keys across a restart', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'paygraph-'));
    try {
      const first = await startTestApp({ DATA_DIR: dir, BOOTSTRAP_SANDBOX_MERCHANT: 'true' });
      let key = '';
      // The bootstrap callback is not reachable through startTestApp; make our own merchant instead.
      const m = await createMerchant(first.app);
      key = m.apiKey;
      await first.stop();

      const second = await startTestApp({ DATA_DIR: dir });
      try {
        const response = await gql(second.url, '{ merchant { id } }', {}, key);
        expect(response.data.merchant.id).toBe(m.merchantId);
      } finally {
        await second.stop();
      }
      const keyFile = await stat(path.join(dir, 'secrets.key')).catch(() => null);
      // SECRETS_KEY is set in tests, so no key file is generated.
      expect(keyFile).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
