import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NonceSource } from '../../../src/providers/nonce.js';
import { createMemoryNonceSource } from '../../../src/providers/nonce.js';
import { createVnKashClient, vnKashErrorTables, vnKashEndpoints, type VnKashClient, type VnKashEndpoint } from '../../../src/providers/vnkash/index.js';
import { buildSignedString, signVnKash } from '../../../src/providers/vnkash/signing.js';
import { vnKashSandboxKey } from '../../../src/sandbox/vnkash/index.js';
import { startVnKash, type VnKashHarness } from './helpers.js';
import { ProviderAuthError, ProviderBadResponseError, ProviderRefusedError, ProviderUnavailableError } from '../../../src/errors/index.js';

let h: VnKashHarness;
let client: VnKashClient;
const publicKeyOf = () => client.credentials.publicKey;

beforeAll(async () => {
  h = await startVnKash({ balance: 5_000_000n, bankAccounts: [
    { payment: 'DAB', account: '0102030405', name: 'LE DUONG SY MY' },
    { payment: 'VCB', account: '0071000111111', name: 'KHOA TAM', locked: true },
  ], users: [
    { account: '840909090909', name: 'Nguyen Hong Duc' },
    { account: 'closed@example.vn', name: 'Closed', locked: true },
    { account: 'noreceive@example.vn', name: 'No Receive', receiveLocked: true },
  ] });
  client = h.connector().client;
});
afterAll(async () => {
  await h.sandbox.close();
});

/** One call per endpoint that would succeed on a healthy account. */
const calls: Record<VnKashEndpoint, (c: VnKashClient) => Promise<unknown>> = {
  balance: (c) => c.balance(),
  name: (c) => c.lookupName('840909090909'),
  bank: (c) => c.lookupBankAccount('DAB', '0102030405'),
  deposit: (c) => c.deposit({ amount: 100_000n, payment: 'VCB' }),
  history: (c) => c.history(),
  withdraw: (c) => c.withdraw({ account: '0102030405', name: 'LE DUONG SY MY', amount: 60_000n, payment: 'DAB' }),
  transfer: (c) => c.transfer({ account: '840909090909', amount: 10_000n, memo: 'Mua Hang Online' }),
};

/** Sends a hand-built, correctly signed request (for what the typed client cannot send). */
async function rawCall(endpoint: string, params: [string, string][], headers: Record<string, string | undefined> = {}) {
  const body = buildSignedString(params, await h.nonces.next(`vnkash:${publicKeyOf()}`));
  const response = await fetch(`${h.baseUrl}/${endpoint}.json`, {
    method: 'POST',
    headers: Object.fromEntries(
      Object.entries({
        'content-type': 'application/x-www-form-urlencoded',
        KEY: publicKeyOf(),
        SIGNATURE: signVnKash(body, vnKashSandboxKey.secretKey, 'hmac-sha512'),
        ...headers,
      }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
    body,
  });
  return { status: response.status, body: await response.text() };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('VNKash reads over HTTP', () => {
  it('reads the wallet balance as đồng', async () => {
    const [vnd] = await client.balance();
    expect(vnd).toMatchObject({ code: 'VND', name: 'Vietnam Dong', sign: '₫', decimal: '0' });
    expect(vnd!.balance).toBe(h.sim.controls.state.balance);
  });

  it('looks up a VNKash user by phone or e-mail', async () => {
    await expect(client.lookupName('840909090909')).resolves.toEqual({ account: '840909090909', name: 'Nguyen Hong Duc' });
  });

  it('looks up a bank account holder', async () => {
    await expect(client.lookupBankAccount('DAB', '0102030405')).resolves.toEqual({ payment: 'DAB', account: '0102030405', name: 'LE DUONG SY MY' });
  });

  it('filters history by batch, order, currency, record count and time window', async () => {
    const first = await client.transfer({ account: '840909090909', amount: 12_000n, memo: 'history one', order: 'hist-1' });
    const second = await client.transfer({ account: '840909090909', amount: 13_000n, memo: 'history two', order: 'hist-2' });
    const byBatch = await client.history({ batch: first.data.batch });
    expect(byBatch.map((row) => row.batch)).toEqual([first.data.batch]);
    expect(byBatch[0]).toMatchObject({ type: 'TRANSFER', currency: 'VND', amount: 12_000n, fee: 0n, source: 'API' });
    const byOrder = await client.history({ order: 'hist-2' });
    expect(byOrder.map((row) => row.batch)).toEqual([second.data.batch]);
    expect(await client.history({ currency: 'USD' })).toEqual([]);
    const lastOne = await client.history({ record: 1 });
    expect(lastOne.map((row) => row.batch)).toEqual([second.data.batch]);
    const future = new Date(Date.now() + 3_600_000);
    expect(await client.history({ from: future })).toEqual([]);
    const window = await client.history({ from: new Date(Date.now() - 3_600_000), to: future, order: 'hist-1' });
    expect(window).toHaveLength(1);
    // "08/12/2015 07:17" is Vietnam time: the parsed instant is within a minute of now.
    expect(Math.abs(window[0]!.date.getTime() - Date.now())).toBeLessThan(120_000);
  });

  it('refuses to ask history for more than 250 records', async () => {
    await expect(client.history({ record: 251 })).rejects.toThrow(/1 to 250/);
  });
});

describe('VNKash error tables: every documented code of every endpoint', () => {
  const cases = vnKashEndpoints.flatMap((endpoint) => Object.entries(vnKashErrorTables[endpoint]).map(([code, meaning]) => ({ endpoint, code: Number(code), meaning })));

  it.each(cases)('maps $endpoint.json error $code to its typed error and meaning', async ({ endpoint, code, meaning }) => {
    // Nonce codes are retried once with a fresh nonce, so queue the code twice to see it surface.
    h.sim.controls.steer(endpoint, { kind: 'error', code }, meaning.nonce ? 2 : 1);
    const error = await caught(calls[endpoint](client));
    if (meaning.kind === 'auth' || (endpoint === 'transfer' && code === 12)) {
      expect(error).toBeInstanceOf(ProviderAuthError);
      expect((error as ProviderAuthError).code).toBe(String(code));
    } else {
      expect(error).toBeInstanceOf(ProviderRefusedError);
      expect((error as ProviderRefusedError).code).toBe(String(code));
      expect((error as ProviderRefusedError).retryable).toBe(meaning.retryable ?? false);
    }
    expect((error as Error).message).toContain(meaning.meaning);
    expect((error as Error).message).toContain(`${endpoint}.json error ${code}`);
    expect((error as Error).message).not.toContain(vnKashSandboxKey.secretKey);
  });

  it('marks lost bank connections and unchecked balances as retryable', async () => {
    h.sim.controls.steer('bank', { kind: 'error', code: 3 });
    expect(await caught(client.lookupBankAccount('DAB', '0102030405'))).toMatchObject({ code: '3', retryable: true, message: expect.stringContaining('Lost the connection to the bank') });
    h.sim.controls.steer('withdraw', { kind: 'error', code: 3 });
    expect(await caught(calls.withdraw(client))).toMatchObject({ code: '3', retryable: true, message: expect.stringContaining('Could not check the balance') });
  });

  it('names a code the endpoint does not document as such', async () => {
    const error = await caught(cannedClient('{"error": 42}').history());
    expect(error).toBeInstanceOf(ProviderRefusedError);
    expect((error as ProviderRefusedError).code).toBe('42');
    expect((error as Error).message).toMatch(/does not list/);
  });
});

/** A client whose HTTP answers are canned (for shapes the simulator never sends). */
function cannedClient(body: string, status = 200): VnKashClient {
  const fakeFetch: typeof fetch = async () => new Response(body, { status, headers: { 'content-type': 'application/json' } });
  return createVnKashClient(
    { baseUrl: 'http://vnkash.invalid/v1', publicKey: 'canned-key', secretKey: 'canned-secret' },
    { nonces: createMemoryNonceSource(), http: { fetch: fakeFetch, safeRetries: 0, timeoutMs: 1000 } },
  );
}

describe('VNKash refusals the simulator reaches on its own', () => {
  it('rejects a request signed with the wrong secret with each endpoint\'s signature code', async () => {
    const wrong = h.connector({ secretKey: 'not-the-secret' }).client;
    for (const endpoint of vnKashEndpoints) {
      const error = await caught(calls[endpoint](wrong));
      expect(error, endpoint).toBeInstanceOf(ProviderAuthError);
      const expected = { balance: '3', name: '3', bank: '10', deposit: '8', history: '4', withdraw: '11', transfer: '12' }[endpoint];
      expect((error as ProviderAuthError).code, endpoint).toBe(expected);
      expect((error as Error).message).not.toContain('not-the-secret');
    }
  });

  it('rejects an HMAC signature when the key is set to plain SHA-512, and accepts a matching client', async () => {
    h.sim.controls.setKey({ publicKey: 'concat-key', secretKey: 'concat-secret', signatureAlgorithm: 'sha512-concat' });
    const hmacClient = h.connector({ publicKey: 'concat-key', secretKey: 'concat-secret' }).client;
    expect(await caught(hmacClient.balance())).toMatchObject({ code: '3' });
    const concatClient = h.connector({ publicKey: 'concat-key', secretKey: 'concat-secret', signatureAlgorithm: 'sha512-concat' }).client;
    await expect(concatClient.balance()).resolves.toHaveLength(1);
  });

  it('refuses an unknown public key, a locked API key, a foreign IP and a missing permission', async () => {
    expect(await caught(h.connector({ publicKey: 'NO-SUCH-KEY' }).client.lookupName('840909090909'))).toMatchObject({ kind: 'auth', code: '7' });
    h.sim.controls.setKey({ publicKey: 'locked-key', secretKey: 's', apiLocked: true });
    expect(await caught(h.connector({ publicKey: 'locked-key', secretKey: 's' }).client.balance())).toMatchObject({ kind: 'auth', code: '6' });
    h.sim.controls.setKey({ publicKey: 'ip-key', secretKey: 's', allowedIps: ['203.0.113.9'] });
    expect(await caught(h.connector({ publicKey: 'ip-key', secretKey: 's' }).client.history())).toMatchObject({ kind: 'auth', code: '3' });
    h.sim.controls.setKey({ publicKey: 'no-withdraw', secretKey: 's', denied: ['withdraw'] });
    expect(await caught(calls.withdraw(h.connector({ publicKey: 'no-withdraw', secretKey: 's' }).client))).toMatchObject({ kind: 'auth', code: '13' });
  });

  it('answers the missing KEY / SIGNATURE code when a header is absent', async () => {
    expect(await rawCall('balance', [], { KEY: undefined })).toMatchObject({ body: '{"error":8}' });
    expect(await rawCall('transfer', [], { SIGNATURE: undefined })).toMatchObject({ body: '{"error":16}' });
  });

  it('refuses a body encoded differently from PHP urlencode even when those bytes were signed', async () => {
    const nonce = await h.nonces.next(`vnkash:${publicKeyOf()}`);
    const body = `account=${encodeURIComponent('buyer@example.vn')}&amount=10000&currency=VND&memo=${encodeURIComponent('a b')}&Nonce=${nonce}`;
    const response = await fetch(`${h.baseUrl}/transfer.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', KEY: publicKeyOf(), SIGNATURE: signVnKash(body, vnKashSandboxKey.secretKey, 'hmac-sha512') },
      body,
    });
    expect(await response.text()).toBe('{"error":12}');
  });

  it('refuses decimal amounts on withdraw and transfer with their own codes', async () => {
    expect((await rawCall('withdraw', [['account', '0102030405'], ['name', 'LE DUONG SY MY'], ['amount', '100000.5'], ['currency', 'VND'], ['payment', 'DAB']])).body).toBe('{"error":5}');
    expect((await rawCall('transfer', [['account', '840909090909'], ['amount', '10000.50'], ['currency', 'VND'], ['memo', 'x']])).body).toBe('{"error":8}');
  });

  it('reports unknown users and wrong, malformed or locked bank accounts', async () => {
    expect(await caught(client.lookupName('nobody@example.vn'))).toMatchObject({ kind: 'refused', code: '1', message: expect.stringContaining('does not exist') });
    expect(await caught(client.lookupBankAccount('DAB', '9999999999'))).toMatchObject({ code: '2' });
    expect(await caught(client.lookupBankAccount('DAB', '01-02'))).toMatchObject({ code: '4' });
    expect(await caught(client.lookupBankAccount('XYZ' as 'DAB', '0102030405'))).toMatchObject({ code: '5' });
    expect(await caught(client.lookupBankAccount('VCB', '0071000111111'))).toMatchObject({ code: '1', message: expect.stringContaining('temporarily locked') });
    expect((await rawCall('bank', [['account', '0102030405']])).body).toBe('{"error":8}');
    expect((await rawCall('bank', [['payment', 'DAB']])).body).toBe('{"error":6}');
  });

  it('refuses deposits below the minimum, by card, in another currency, or while locked', async () => {
    expect(await caught(client.deposit({ amount: 9_999n, payment: 'ACB' }))).toMatchObject({ code: '3' });
    expect(await caught(client.deposit({ amount: 100_000n, payment: 'CARD' as 'ACB' }))).toMatchObject({ code: '2' });
    expect(await caught(h.connector({ currency: 'USD' }).client.deposit({ amount: 100_000n, payment: 'ACB' }))).toMatchObject({ code: '4' });
    h.sim.controls.setFlags({ depositLocked: true });
    expect(await caught(client.deposit({ amount: 100_000n, payment: 'ACB' }))).toMatchObject({ code: '5' });
    h.sim.controls.setFlags({ depositLocked: false, userLocked: true });
    expect(await caught(client.deposit({ amount: 100_000n, payment: 'ACB' }))).toMatchObject({ code: '6' });
    expect(await caught(client.history())).toMatchObject({ code: '2' });
    expect(await caught(calls.withdraw(client))).toMatchObject({ code: '9' });
    expect(await caught(calls.transfer(client))).toMatchObject({ code: '7' });
    h.sim.controls.setFlags({ userLocked: false, historyLocked: true, withdrawLocked: true, sendLocked: true, ownerLocked: true });
    expect(await caught(client.history())).toMatchObject({ code: '1' });
    expect(await caught(calls.withdraw(client))).toMatchObject({ code: '8' });
    expect(await caught(calls.transfer(client))).toMatchObject({ code: '6' });
    expect(await caught(client.balance())).toMatchObject({ kind: 'auth', code: '1' });
    h.sim.controls.setFlags({ historyLocked: false, withdrawLocked: false, sendLocked: false, ownerLocked: false });
  });

  it('refuses withdrawals below the minimum, beyond the balance, or to an invalid account', async () => {
    expect(await caught(client.withdraw({ account: '0102030405', name: 'X', amount: 49_999n, payment: 'DAB' }))).toMatchObject({ code: '4' });
    expect(await caught(client.withdraw({ account: '0102030405', name: 'X', amount: 999_000_000n, payment: 'DAB' }))).toMatchObject({ code: '2', message: expect.stringContaining('not enough') });
    expect(await caught(client.withdraw({ account: 'abc', name: 'X', amount: 60_000n, payment: 'DAB' }))).toMatchObject({ code: '6' });
    expect(await caught(h.connector({ currency: 'USD' }).client.withdraw({ account: '0102030405', name: 'X', amount: 60_000n, payment: 'DAB' }))).toMatchObject({ code: '7' });
  });

  it('refuses transfers to unknown, locked or non-receiving users, beyond the balance, or in another currency', async () => {
    expect(await caught(client.transfer({ account: 'nobody@example.vn', amount: 10_000n, memo: 'x' }))).toMatchObject({ code: '5' });
    expect(await caught(client.transfer({ account: 'closed@example.vn', amount: 10_000n, memo: 'x' }))).toMatchObject({ code: '5' });
    expect(await caught(client.transfer({ account: 'noreceive@example.vn', amount: 10_000n, memo: 'x' }))).toMatchObject({ code: '4' });
    expect(await caught(client.transfer({ account: '840909090909', amount: 999_000_000n, memo: 'x' }))).toMatchObject({ code: '2' });
    expect(await caught(h.connector({ currency: 'USD' }).client.transfer({ account: '840909090909', amount: 10_000n, memo: 'x' }))).toMatchObject({ code: '9' });
  });
});

describe('VNKash nonces', () => {
  // Each test here uses its own key, so the nonces it spends do not disturb the other tests.
  const ownKey = (publicKey: string) => {
    h.sim.controls.setKey({ publicKey, secretKey: vnKashSandboxKey.secretKey });
    return publicKey;
  };
  const counting = (values: string[]): NonceSource => ({ next: async () => values.shift() ?? '999999' });

  it('retries once with a fresh nonce when another process used a larger one', async () => {
    const publicKey = ownKey('nonce-retry');
    await h.connector({ publicKey }, { nonces: counting(['500']) }).client.balance();
    // This instance's counter is behind (5), its next one (1000) is ahead.
    const behind = h.connector({ publicKey }, { nonces: counting(['5', '1000']) }).client;
    await expect(behind.balance()).resolves.toHaveLength(1);
    expect(h.sim.controls.state.nonces.get(publicKey)).toBe(100_000n);
  });

  it('surfaces a retryable nonce refusal when the fresh nonce is still too small', async () => {
    const publicKey = ownKey('nonce-stuck');
    await h.connector({ publicKey }, { nonces: counting(['500']) }).client.balance();
    const stuck = h.connector({ publicKey }, { nonces: counting(['5', '6']) }).client;
    const error = await caught(stuck.lookupName('840909090909'));
    expect(error).toBeInstanceOf(ProviderRefusedError);
    expect(error).toMatchObject({ code: '4', retryable: true });
  });

  it('treats a repeated transfer code 12 (signature or nonce) as a bad signature after the nonce retry', async () => {
    const publicKey = ownKey('nonce-transfer');
    await h.connector({ publicKey }, { nonces: counting(['500']) }).client.balance();
    const stuck = h.connector({ publicKey }, { nonces: counting(['5', '6']) }).client;
    const error = await caught(stuck.transfer({ account: '840909090909', amount: 10_000n, memo: 'x' }));
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as Error).message).toMatch(/code 12 to both/);
    expect(h.sim.controls.state.history.filter((row) => row.type === 'TRANSFER' && row.description.memo === 'x')).toEqual([]);
  });

  it('accepts two-decimal nonces and compares them as numbers, not text', async () => {
    const publicKey = ownKey('nonce-decimal');
    const c = h.connector({ publicKey }, { nonces: counting(['9.99', '10.5', '10.51', '100']) }).client;
    for (let i = 0; i < 4; i++) await c.balance();
    expect(h.sim.controls.state.nonces.get(publicKey)).toBe(10_000n);
  });

  it('refuses to send a nonce outside the documented range', async () => {
    const exhausted = h.connector({}, { nonces: { next: async () => '100000000000000' } }).client;
    expect(await caught(exhausted.balance())).toBeInstanceOf(ProviderAuthError);
  });

  it('serializes concurrent calls with one key so every nonce arrives in increasing order', async () => {
    const publicKey = ownKey('nonce-serial');
    // Like a database sequence under load: nonces are handed out in order, but
    // an earlier caller may get its answer later than a later one.
    let counter = 1000;
    let pending = 0;
    const slowSource: NonceSource = {
      next: async () => {
        const value = String(++counter);
        const wait = 20 - 4 * pending++;
        await new Promise((resolve) => setTimeout(resolve, Math.max(wait, 0)));
        pending--;
        return value;
      },
    };
    // Two connectors with the same key share the per-key queue.
    const a = h.connector({ publicKey }, { nonces: slowSource }).client;
    const b = h.connector({ publicKey }, { nonces: slowSource }).client;
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).lookupName('840909090909')));
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    const seen = h.sim.controls.state.requests.filter((entry) => entry.publicKey === publicKey);
    // No nonce refusal at all (the retry would hide one), and the nonces arrived in increasing order.
    expect(seen.filter((entry) => entry.error !== undefined)).toEqual([]);
    expect(seen.map((entry) => Number(entry.nonce))).toEqual([1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008]);
  });
});

describe('VNKash answers that break the document', () => {
  it('rejects a history amount with a fractional đồng', async () => {
    const row = { batch: 'B', source: 'WEB', type: 'DEPOSIT', currency: 'VND', amount: '100.50', fee: '0.00', description: { index: 1 }, date: '03/12/2015 11:41' };
    expect(await caught(cannedClient(JSON.stringify([row])).history())).toBeInstanceOf(ProviderBadResponseError);
  });

  it('parses the document\'s own history example, dates in Vietnam time', async () => {
    const body = '[{"batch":"56602A4DAA807","source":"WEB","type":"DEPOSIT","currency":"VND","amount":"200000.00","fee":"0.00","description":{"index":1},"date":"03\\/12\\/2015 11:41"}]';
    const [row] = await cannedClient(body).history();
    expect(row).toMatchObject({ batch: '56602A4DAA807', amount: 200_000n, fee: 0n, description: { index: 1 } });
    expect(row!.date.toISOString()).toBe('2015-12-03T04:41:00.000Z');
  });

  it('rejects a body that is not JSON, and an HTTP error without an error code', async () => {
    expect(await caught(cannedClient('<html>maintenance</html>').balance())).toBeInstanceOf(ProviderBadResponseError);
    expect(await caught(cannedClient('{"message":"nope"}', 403).balance())).toBeInstanceOf(ProviderBadResponseError);
  });

  it('retries a read after an HTTP 500 and still gets its answer', async () => {
    h.sim.controls.steer('balance', { kind: 'http-500' });
    await expect(client.balance()).resolves.toHaveLength(1);
  });

  it('does not resend a money call after an HTTP 500: outcome unknown', async () => {
    h.sim.controls.steer('transfer', { kind: 'http-500' });
    const error = await caught(calls.transfer(client));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).outcomeUnknown).toBe(true);
  });
});
