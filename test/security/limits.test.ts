// Hostile-input hygiene: query limits, body size, rate limits, production mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, gql, startTestApp, type TestApp } from '../support/harness.js';
import { queryLimits } from '../../src/http/query-limits.js';

describe('query limits', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp();
    key = (await createMerchant(t.app)).apiKey;
  });
  afterAll(() => t.stop());

  it('refuses a document nested deeper than the limit, saying which limit', async () => {
    let selection = 'id';
    for (let i = 0; i < queryLimits.maxDepth; i++) selection = `events { order { ${selection} } }`;
    const response = await gql(t.url, `{ orders(first: 1) { edges { node { ${selection} } } } }`, {}, key);
    expect(response.errors?.[0]?.message).toMatch(/depth/i);
    expect(response.data ?? null).toBeNull();
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: queryLimits.maxAliases + 1 }, (_, i) => `a${i}: merchant { id }`).join(' ');
    const response = await gql(t.url, `{ ${aliases} }`, {}, key);
    expect(response.errors?.[0]?.message).toMatch(/aliases/i);
  });

  it('refuses too many directives', async () => {
    const directives = Array.from({ length: queryLimits.maxDirectives + 1 }, () => '@include(if: true)').join(' ');
    const response = await gql(t.url, `{ __typename ${directives} }`, {}, key);
    expect(response.errors?.[0]?.message).toMatch(/directives/i);
  });

  it('refuses a document with too many tokens', async () => {
    const fields = Array.from({ length: queryLimits.maxTokens }, () => '__typename').join(' ');
    const response = await gql(t.url, `{ ${fields} }`, {}, key);
    expect(response.errors?.[0]?.message).toMatch(/token/i);
  });

  it('refuses a body over the size limit with 413 before parsing it', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }`, padding: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(response.status).toBe(413);
  });

  it('keeps an ordinary checkout query well inside every limit', async () => {
    const response = await gql(t.url, `{ orders(first: 50) { edges { node { id status amount instructions { qrData } events { toStatus cause note order { id } } } } } }`, {}, key);
    expect(response.errors).toBeUndefined();
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once a key has used its minute', async () => {
    const t = await startTestApp({ RATE_LIMIT_PER_KEY: '5', RATE_LIMIT_PER_IP: '0' });
    try {
      const { apiKey } = await createMerchant(t.app);
      const other = await createMerchant(t.app);
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await gql(t.url, '{ merchant { id } }', {}, apiKey)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      const limited = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: '{"query":"{ __typename }"}' });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await limited.json()).errors[0].message).toMatch(/per API key/);
      // Another key is not affected.
      expect((await gql(t.url, '{ merchant { id } }', {}, other.apiKey)).status).toBe(200);
    } finally {
      await t.stop();
    }
  });

  it('limits per IP address too', async () => {
    const t = await startTestApp({ RATE_LIMIT_PER_IP: '3' });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await gql(t.url, '{ __typename }')).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      // Callbacks and the checkout have buckets of their own, limited the same way.
      const callback = () => fetch(`${t.url}/callbacks/azconnectpay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.status);
      const checkout = () => fetch(`${t.url}/checkout/assets/checkout.css`).then((r) => r.status);
      const seen = { callbacks: [] as number[], checkout: [] as number[] };
      for (let i = 0; i < 4; i++) seen.callbacks.push(await callback());
      for (let i = 0; i < 4; i++) seen.checkout.push(await checkout());
      expect(seen).toEqual({ callbacks: [400, 400, 400, 429], checkout: [200, 200, 200, 429] });
    } finally {
      await t.stop();
    }
  });
});

describe('production mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ NODE_ENV: 'production', PUBLIC_URL: 'https://pay.example', ALLOW_UNSAFE: 'DATA_DIR' });
  });
  afterAll(() => t.stop());

  it('serves no GraphiQL', async () => {
    const response = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toMatch(/graphiql/i);
  });

  it('refuses introspection and suggests no field names', async () => {
    const introspection = await gql(t.url, '{ __schema { types { name } } }');
    expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
    const typo = await gql(t.url, '{ merchnt { id } }');
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  it('refuses a form-encoded POST a browser could send cross-site', async () => {
    const response = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'query=%7B__typename%7D' });
    expect(response.status).toBe(415);
  });

  it('masks unexpected errors down to a request id', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-42' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.headers.get('x-request-id')).toBe('req-42');
  });
});
