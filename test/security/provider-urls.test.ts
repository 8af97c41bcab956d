// An API key lets a merchant set its providers' base URLs: that must not let
// it aim our server at the inside, nor read what the inside answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMerchant, gql, logCollector, startTestApp, type TestApp } from '../support/harness.js';

const SET = `mutation($provider: Provider!, $values: JSON!) { setProviderAccount(provider: $provider, values: $values) {
  __typename ... on ValidationError { message field } ... on MutationSetProviderAccountSuccess { data { secrets { name hint } } } } }`;
const CASH_IN = `mutation($input: CreateCashInInput!) { createCashIn(input: $input) { __typename ... on Error { message } ... on ProviderUnavailableError { outcomeUnknown } } }`;

describe('provider base URLs', () => {
  const logs = logCollector();
  let t: TestApp;
  let inside: Server;
  let insideUrl: string;
  beforeAll(async () => {
    // Something on the inside that answers 500 with what it knows, echoing what it was sent.
    inside = createServer((req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`INSIDE-ONLY-7f3a; you sent APIKEY ${req.headers.apikey}`));
    await new Promise<void>((resolve) => inside.listen(0, '127.0.0.1', resolve));
    insideUrl = `http://127.0.0.1:${(inside.address() as AddressInfo).port}`;
    t = await startTestApp({ PROVIDER_HOSTS: 'CARD=thecao.example', LOG_LEVEL: 'info' }, logs.stream);
  });
  afterAll(async () => {
    await t.stop();
    inside.close();
  });

  it('refuses, for a merchant outside the sandbox, any URL but https to its provider\'s hosts, and stores nothing', async () => {
    const merchant = await createMerchant(t.app, 'Live', false);
    const keys = { apiKey: 'live-api-key-0001', privateKey: 'live-private-key-0001' };
    for (const baseUrl of [`${insideUrl}/x#`, `${insideUrl}/x`, 'https://user:pw@azconnectpay.site', 'https://azconnectpay.site/api#', 'http://azconnectpay.site', 'https://169.254.169.254/latest', 'https://evil.example']) {
      const response = await gql(t.url, SET, { provider: 'AZCONNECTPAY', values: { baseUrl, ...keys } }, merchant.apiKey);
      expect(response.data.setProviderAccount, baseUrl).toMatchObject({ __typename: 'ValidationError', field: 'baseUrl' });
    }
    expect(await t.app.db.prisma.providerAccount.count({ where: { merchantId: merchant.merchantId } })).toBe(0);
    // The documented host is fine; the card provider's host is the operator's to name (PROVIDER_HOSTS).
    expect((await gql(t.url, SET, { provider: 'AZCONNECTPAY', values: { baseUrl: 'https://azconnectpay.site', ...keys } }, merchant.apiKey)).data.setProviderAccount.__typename).toBe('MutationSetProviderAccountSuccess');
    const card = { partnerId: 'P1', partnerKey: 'partner-key-0001' };
    expect((await gql(t.url, SET, { provider: 'CARD', values: { baseUrl: 'https://thecao.example/chargingws/v2', ...card } }, merchant.apiKey)).data.setProviderAccount.__typename).toBe('MutationSetProviderAccountSuccess');
    const other = await gql(t.url, SET, { provider: 'CARD', values: { baseUrl: 'https://azconnectpay.site/chargingws/v2', ...card } }, merchant.apiKey);
    expect(other.data.setProviderAccount).toMatchObject({ __typename: 'ValidationError', message: expect.stringMatching(/PROVIDER_HOSTS; CARD allows thecao\.example/) });
  });

  it('never hands a provider\'s answer to the caller: the log keeps its start, without what we sent', async () => {
    // Sandbox merchants may use loopback (the simulators): here, something that is not one.
    const merchant = await createMerchant(t.app, 'Sandbox');
    const apiKey = 'echoed-api-key-5c1d';
    expect((await gql(t.url, SET, { provider: 'AZCONNECTPAY', values: { baseUrl: insideUrl, apiKey, privateKey: 'private-key-5c1d' } }, merchant.apiKey)).data.setProviderAccount.__typename).toBe('MutationSetProviderAccountSuccess');
    const response = await gql(t.url, CASH_IN, { input: { amount: '100000', method: 'BANK', idempotencyKey: 'inside' } }, merchant.apiKey);
    expect(response.data.createCashIn).toMatchObject({ __typename: 'ProviderUnavailableError', outcomeUnknown: true });
    expect(JSON.stringify(response)).not.toContain('INSIDE-ONLY');
    const line = logs.text().split('\n').find((l) => l.includes('provider answered with a server error'));
    expect(JSON.parse(line!)).toMatchObject({ level: 40, provider: 'AZCONNECTPAY', operation: 'v2/cash-in', status: 500, answer: 'INSIDE-ONLY-7f3a; you sent APIKEY [sent value]' });
    expect(logs.text()).not.toContain(apiKey);
  });

  it('shows no characters of a short secret', async () => {
    const merchant = await createMerchant(t.app, 'Hints');
    const response = await gql(t.url, SET, { provider: 'VNKASH', values: { publicKey: 'PUB', secretKey: 'hunter' } }, merchant.apiKey);
    expect(response.data.setProviderAccount.data.secrets).toEqual([{ name: 'secretKey', hint: '…' }]);
  });
});
