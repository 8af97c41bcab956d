// Provider credentials per merchant: set through GraphQL, sealed at rest,
// write-only, used by the connectors, and rotatable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createMerchant, gql, startTestApp, statementsDuring, until, type TestApp } from '../support/harness.js';
import { ProviderNotConfiguredError } from '../../src/errors/index.js';

const SET = `mutation($provider: Provider!, $values: JSON!) { setProviderAccount(provider: $provider, values: $values) {
  __typename ... on MutationSetProviderAccountSuccess { data { provider enabled settings secrets { name isSet hint } } } ... on ValidationError { message field } } }`;
const CASH_IN = `mutation($input: CreateCashInInput!) { createCashIn(input: $input) { __typename ... on MutationCreateCashInSuccess { data { status } } ... on Error { message } } }`;

describe('provider credentials', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.stop());

  // Sandbox merchants with accounts of their own: only they may point an account at the loopback simulator.
  it('are set through GraphQL, shown only as hints, stored sealed, and used for the provider calls', async () => {
    const merchant = await createMerchant(t.app, 'Live shop');
    const privateKey = 'sandbox-azconnectpay-private-key';
    const saved = await gql(t.url, SET, { provider: 'AZCONNECTPAY', values: { baseUrl: t.app.sandbox!.baseUrl('azconnectpay'), apiKey: 'sandbox-azconnectpay-apikey', privateKey } }, merchant.apiKey);
    const account = saved.data.setProviderAccount.data;
    expect(account.secrets).toEqual([
      { name: 'apiKey', isSet: true, hint: '…ikey' },
      { name: 'privateKey', isSet: true, hint: '…-key' },
    ]);
    expect(JSON.stringify(saved)).not.toContain(privateKey);
    const row = await t.app.db.prisma.providerAccount.findFirstOrThrow({ where: { merchantId: merchant.merchantId } });
    expect(JSON.stringify(row)).not.toContain(privateKey);
    expect(JSON.stringify(row)).not.toContain('sandbox-azconnectpay-apikey');

    const paid = await gql(t.url, CASH_IN, { input: { amount: '100000', method: 'BANK', idempotencyKey: 'live-1' } }, merchant.apiKey);
    expect(paid.data.createCashIn.__typename).toBe('MutationCreateCashInSuccess');

    // An empty secret keeps the stored one.
    const kept = await gql(t.url, SET, { provider: 'AZCONNECTPAY', values: { baseUrl: t.app.sandbox!.baseUrl('azconnectpay'), apiKey: '', privateKey: '' } }, merchant.apiKey);
    expect(kept.data.setProviderAccount.data.secrets.every((s: { isSet: boolean }) => s.isSet)).toBe(true);
  });

  it('can pin the addresses callbacks come from: others are refused and write nothing', async () => {
    const merchant = await createMerchant(t.app, 'Pinned');
    const values = { baseUrl: t.app.sandbox!.baseUrl('azconnectpay'), apiKey: 'sandbox-azconnectpay-apikey', privateKey: 'sandbox-azconnectpay-private-key' };
    await gql(t.url, SET, { provider: 'AZCONNECTPAY', values: { ...values, callbackSourceIps: '203.0.113.7, 203.0.113.8' } }, merchant.apiKey);
    const order = await gql(t.url, `mutation($input: CreateCashInInput!) { createCashIn(input: $input) { ... on MutationCreateCashInSuccess { data { id requestId } } } }`, { input: { amount: '100000', method: 'BANK', idempotencyKey: 'pinned' } }, merchant.apiKey);
    const { id, requestId } = order.data.createCashIn.data;
    const post = () => fetch(`${t.url}/callbacks/azconnectpay?ref=${requestId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request_id: requestId, status: 'SUCCESS' }) });
    expect((await post()).status).toBe(403);
    expect(await t.app.db.prisma.callbackInbox.count({ where: { orderId: id } })).toBe(0);
    await gql(t.url, SET, { provider: 'AZCONNECTPAY', values: { ...values, callbackSourceIps: '127.0.0.1' } }, merchant.apiKey);
    expect((await post()).status).toBe(200);
    expect(await t.app.db.prisma.callbackInbox.count({ where: { orderId: id } })).toBe(1);
  });

  it('are read once per instance while their changes are heard, and a change by anyone else is followed', async () => {
    const merchant = await createMerchant(t.app, 'Kept account');
    const values = { baseUrl: t.app.sandbox!.baseUrl('azconnectpay'), apiKey: 'sandbox-azconnectpay-apikey', privateKey: 'sandbox-azconnectpay-private-key' };
    await gql(t.url, SET, { provider: 'AZCONNECTPAY', values }, merchant.apiKey);
    const accounts = t.app.services.providerAccounts;
    await accounts.credentials(merchant.merchantId, 'AZCONNECTPAY');
    const again = await statementsDuring(t.app, () => accounts.credentials(merchant.merchantId, 'AZCONNECTPAY'));
    expect(again.result).toMatchObject({ apiKey: 'sandbox-azconnectpay-apikey' });
    expect(again.statements).toEqual([]);
    // A hand edit (the CLI, another instance, psql): the database announces it, and the next use reads the account again.
    await t.app.db.prisma.providerAccount.update({ where: { merchantId_provider: { merchantId: merchant.merchantId, provider: 'AZCONNECTPAY' } }, data: { enabled: false } });
    const refused = () => accounts.credentials(merchant.merchantId, 'AZCONNECTPAY').then(() => false, (error) => error instanceof ProviderNotConfiguredError);
    await until(refused);
  });

  it('say which provider is missing when a merchant has none', async () => {
    const merchant = await createMerchant(t.app, 'Unconfigured', false);
    const response = await gql(t.url, CASH_IN, { input: { amount: '100000', method: 'BANK', idempotencyKey: 'none' } }, merchant.apiKey);
    expect(response.data.createCashIn).toMatchObject({ __typename: 'ProviderNotConfiguredError' });
  });

  it('turn a wrong private key into a typed provider error, not a crash', async () => {
    const merchant = await createMerchant(t.app, 'Wrong key');
    await gql(t.url, SET, { provider: 'AZCONNECTPAY', values: { baseUrl: t.app.sandbox!.baseUrl('azconnectpay'), apiKey: 'sandbox-azconnectpay-apikey', privateKey: 'not-the-key' } }, merchant.apiKey);
    const response = await gql(t.url, CASH_IN, { input: { amount: '100000', method: 'BANK', idempotencyKey: 'wrong' } }, merchant.apiKey);
    expect(['ProviderAuthError', 'ProviderRefusedError']).toContain(response.data.createCashIn.__typename);
  });

  it('refuse values the connector does not accept, naming the field', async () => {
    const merchant = await createMerchant(t.app, 'Bad values', false);
    const response = await gql(t.url, SET, { provider: 'VNKASH', values: { publicKey: 'K', secretKey: 'S', signatureAlgorithm: 'md5' } }, merchant.apiKey);
    expect(response.data.setProviderAccount).toMatchObject({ __typename: 'ValidationError', field: 'signatureAlgorithm' });
    expect(await t.app.db.prisma.providerAccount.count({ where: { merchantId: merchant.merchantId } })).toBe(0);
  });
});

describe('the sealing key', () => {
  it('is generated once into the data directory, owner-only, when none is configured', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'paygraph-key-'));
    try {
      const t = await startTestApp({ DATA_DIR: dir, SECRETS_KEY: '' });
      await t.stop();
      const info = await stat(path.join(dir, 'secrets.key'));
      expect(info.mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rotates: old secrets open with the previous key, and re-sealing moves them to the new one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'paygraph-rotate-'));
    const oldKey = `old:${randomBytes(32).toString('base64')}`;
    const newKey = `new:${randomBytes(32).toString('base64')}`;
    try {
      const first = await startTestApp({ DATA_DIR: dir, SECRETS_KEY: oldKey });
      const merchant = await createMerchant(first.app, 'Rotating', true);
      await first.app.services.providerAccounts.set(merchant.merchantId, 'VNKASH', { publicKey: 'PUB', secretKey: 'very-secret-value' });
      await first.stop();

      const second = await startTestApp({ DATA_DIR: dir, SECRETS_KEY: newKey, SECRETS_KEY_PREVIOUS: oldKey });
      expect(await second.app.services.providerAccounts.credentials(merchant.merchantId, 'VNKASH')).toMatchObject({ secretKey: 'very-secret-value' });
      expect(await second.app.services.providerAccounts.reseal()).toBe(1);
      await second.stop();

      const third = await startTestApp({ DATA_DIR: dir, SECRETS_KEY: newKey });
      try {
        expect(await third.app.services.providerAccounts.credentials(merchant.merchantId, 'VNKASH')).toMatchObject({ secretKey: 'very-secret-value' });
        const row = await third.app.db.prisma.providerAccount.findFirstOrThrow({ where: { merchantId: merchant.merchantId } });
        expect(row.sealedSecrets).toMatch(/^v1\.new\./);
      } finally {
        await third.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
