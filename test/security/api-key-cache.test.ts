// API keys are cached per instance (a request does not ask the database for
// its key), yet a revoked key stops at once on every instance: the revocation
// travels on the pubsub. An expired key is refused even while cached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, createTestDatabase, gql, postgresAvailable, redisAvailable, startTestApp, statementsDuring, TEST_REDIS_URL, type TestApp } from '../support/harness.js';
import { ApiKeys } from '../../src/services/api-keys.js';
import { createAppPubSub } from '../../src/pubsub.js';
import { credentialKey } from '../../src/http/rate-limit.js';

const ME = '{ merchant { id } }';
const REVOKE = 'mutation($id: ID!) { revokeApiKey(id: $id) { __typename } }';

/** The SELECTs on ApiKey that `work` makes `t` send. */
async function keyLookupsDuring(t: TestApp, work: () => Promise<unknown>): Promise<number> {
  const { statements } = await statementsDuring(t.app, work);
  return statements.filter((sql) => /FROM "public"\."ApiKey"/.test(sql)).length;
}

async function secondKey(t: TestApp, apiKey: string) {
  const created = await gql(t.url, 'mutation { createApiKey(name: "cached") { ... on MutationCreateApiKeySuccess { data { secret apiKey { id } } } } }', {}, apiKey);
  return created.data.createApiKey.data as { secret: string; apiKey: { id: string } };
}

describe('the API key cache of one instance', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ WORKERS: 'false' });
  });
  afterAll(() => t?.stop());

  it('asks the database for a key once, and refuses it on the next request after its revocation', async () => {
    const merchant = await createMerchant(t.app);
    const { secret, apiKey } = await secondKey(t, merchant.apiKey);
    expect(await keyLookupsDuring(t, () => gql(t.url, ME, {}, secret))).toBe(1);
    expect(await keyLookupsDuring(t, async () => expect((await gql(t.url, ME, {}, secret)).data.merchant.id).toBe(merchant.merchantId))).toBe(0);

    expect((await gql(t.url, REVOKE, { id: apiKey.id }, merchant.apiKey)).data.revokeApiKey.__typename).toBe('MutationRevokeApiKeySuccess');
    const refused = await gql(t.url, ME, {}, secret);
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]?.message).toBe('invalid or revoked API key');
    // The merchant's other key is untouched.
    expect((await gql(t.url, ME, {}, merchant.apiKey)).data.merchant.id).toBe(merchant.merchantId);
  });

  it('never caches a refusal: an unknown key is looked up each time', async () => {
    const unknown = `pg_sk_${'x'.repeat(40)}`;
    expect(await keyLookupsDuring(t, () => gql(t.url, ME, {}, unknown))).toBe(1);
    expect(await keyLookupsDuring(t, () => gql(t.url, ME, {}, unknown))).toBe(1);
  });

  it('refuses a cached key once its expiry has passed, without asking the database', async () => {
    let now = Date.now();
    const pubsub = createAppPubSub();
    const keys = new ApiKeys(t.app.db.prisma, pubsub.pubsub, { now: () => now, ttlMs: 3_600_000 });
    const stop = keys.followRevocations();
    try {
      const merchant = await createMerchant(t.app);
      const { key } = await keys.create(merchant.merchantId, 'session', new Date(now + 60_000));
      expect(await keys.authenticate(key)).toMatchObject({ merchantId: merchant.merchantId });
      now += 59_000;
      expect(await keyLookupsDuring(t, async () => expect(await keys.authenticate(key)).toMatchObject({ merchantId: merchant.merchantId }))).toBe(0);
      now += 1_000;
      expect(await keyLookupsDuring(t, async () => expect(await keys.authenticate(key)).toBeNull())).toBe(0);
      // And it stays refused when asked again (from the database this time).
      expect(await keys.authenticate(key)).toBeNull();
    } finally {
      await stop();
    }
  });

  it('hears a revocation made by another holder of the same bus', async () => {
    const pubsub = createAppPubSub();
    const here = new ApiKeys(t.app.db.prisma, pubsub.pubsub);
    const elsewhere = new ApiKeys(t.app.db.prisma, pubsub.pubsub);
    const stop = here.followRevocations();
    try {
      const merchant = await createMerchant(t.app);
      const { key, record } = await here.create(merchant.merchantId, 'shared');
      expect(await here.authenticate(key)).not.toBeNull();
      expect(await keyLookupsDuring(t, () => here.authenticate(key))).toBe(0);
      const heard = pubsub.pubsub.subscribe('apiKey:revoked')[Symbol.asyncIterator]();
      const next = heard.next();
      expect(await elsewhere.revoke(merchant.merchantId, record.id)).toBe(true);
      await next;
      await heard.return?.();
      expect(await here.authenticate(key)).toBeNull();
    } finally {
      await stop();
    }
  });
});

const scaleOut = (await postgresAvailable()) && (await redisAvailable());

describe.runIf(scaleOut)('the API key cache of two instances sharing PostgreSQL and Redis', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: TestApp;
  let b: TestApp;
  const keys: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, RATE_LIMIT_PER_IP: '0', WORKERS: 'false' };
    [a, b] = await Promise.all([startTestApp(env), startTestApp(env)]);
  });
  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await database?.drop();
    if (keys.length) {
      const { Redis } = await import('ioredis');
      const redis = new Redis(TEST_REDIS_URL);
      await redis.del(...keys.map((key) => `paygraph:ratelimit:key:${credentialKey(`Bearer ${key}`)}`));
      redis.disconnect();
    }
  });

  it('refuses a key revoked on A on the next request to B, whose cache held it', async () => {
    const merchant = await createMerchant(a.app);
    const { secret, apiKey } = await secondKey(a, merchant.apiKey);
    keys.push(merchant.apiKey, secret);
    await gql(b.url, ME, {}, secret);
    expect(await keyLookupsDuring(b, async () => expect((await gql(b.url, ME, {}, secret)).data.merchant.id).toBe(merchant.merchantId))).toBe(0);

    // B hears the revocation over Redis; its cache follows the same bus and was listening first.
    const heard = b.app.services.pubsub.subscribe('apiKey:revoked')[Symbol.asyncIterator]();
    const arrived = heard.next();
    expect((await gql(a.url, REVOKE, { id: apiKey.id }, merchant.apiKey)).data.revokeApiKey.__typename).toBe('MutationRevokeApiKeySuccess');
    expect((await arrived).value).toEqual({ apiKeyId: apiKey.id });
    await heard.return?.();
    const refused = await gql(b.url, ME, {}, secret);
    expect(refused.status).toBe(401);
    expect((await gql(a.url, ME, {}, secret)).status).toBe(401);
  });
});
