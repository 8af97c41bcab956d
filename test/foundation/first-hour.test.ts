// What a new user meets in the first hour, following the README: the real CLI
// in child processes (the commands as the README writes them), and the traps
// each of these once was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMerchant, createTestDatabase, gql, postgresAvailable, redisAvailable, startTestApp, TEST_REDIS_URL, TEST_SECRETS_KEY, type TestApp } from '../support/harness.js';
import { projectRoot, runCli } from '../support/cli.js';
import { sandboxControl, waitForStatus } from '../support/orders.js';
import { createAppPubSub } from '../../src/pubsub.js';
import { createLogger } from '../../src/logger.js';

const bin = [process.execPath, path.join(projectRoot, 'bin/paygraph.js')];
const npmScript = (name: string) => ['npm', 'run', '-s', name, '--'];
const withPostgres = await postgresAvailable();
const quiet = { LOG_LEVEL: 'info', DATABASE_URL: '', REDIS_URL: '', SECRETS_KEY: TEST_SECRETS_KEY, POLL_INTERVAL_MS: '60000' };
/** A stack trace line: what a user must never be shown for a refusal. */
const STACK = /^\s+at /m;

/** A port nobody listens on (bound, then let go). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the first hour, from the README', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'paygraph-first-hour-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('runs merchant create, provider set and secrets rotate through the server that holds the PGlite directory, and what they made survives a restart', async () => {
    const dataDir = await tempDir();
    const env = { ...quiet, DATA_DIR: dataDir, PORT: '0' };
    const server = runCli(['start'], env);
    const [, url] = await server.waitFor(/"url":"(http:\/\/[^"]+)\/graphql"/);
    await server.waitFor(/running the CLI's commands for this data directory/);

    // `npm run merchant:create -- --name …` while `npm start` runs.
    const made = runCli(['--name', 'Cửa hàng Sen'], env, { command: npmScript('merchant:create') });
    expect(await made.exited).toBe(0);
    const [, merchantId, key] = made.output.match(/merchant ([0-9a-f-]{36}) \(Cửa hàng Sen\)\nAPI key (pg_sk_\w{40})/)!;
    expect(made.output).toMatch(/run by the paygraph server that holds .*: pid \d+, http:\/\/127\.0\.0\.1:\d+/);
    // The key works at once against the running server.
    expect((await gql(url!, '{ merchant { id name } }', {}, key)).data.merchant).toEqual({ id: merchantId, name: 'Cửa hàng Sen' });

    // `npx paygraph provider set …` (the bin), secrets sealed by the server.
    const provider = runCli(['provider', 'set', '--merchant', merchantId!, '--provider', 'vnkash', 'publicKey=VYTTA-PUBLIC', 'secretKey=very-secret-value-42'], env, { command: bin });
    expect(await provider.exited).toBe(0);
    expect(JSON.parse(provider.output.slice(provider.output.indexOf('{'), provider.output.lastIndexOf('}') + 1))).toMatchObject({ provider: 'VNKASH' });
    expect(provider.output).not.toContain('very-secret-value-42');
    const accounts = await gql(url!, '{ providerAccounts { provider } }', {}, key);
    expect(accounts.data.providerAccounts).toEqual([{ provider: 'VNKASH' }]);

    // `paygraph secrets rotate`: nothing sealed under an old key here.
    const rotate = runCli(['secrets', 'rotate'], env);
    expect(await rotate.exited).toBe(0);
    expect(rotate.output).toMatch(/^re-sealed 0 provider account\(s\) with the current SECRETS_KEY$/m);

    // A second server on the same directory is refused before it creates or prints anything.
    const second = runCli(['start'], { ...env, PORT: '0' });
    expect(await second.exited).toBe(1);
    expect(second.output).toMatch(/^paygraph: the data directory .* is in use by a paygraph server \(pid \d+, http:\/\/127\.0\.0\.1:\d+\)/);
    expect(second.output).not.toMatch(/API key|"level"/);
    expect(second.output).not.toMatch(STACK);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(existsSync(path.join(dataDir, 'paygraph.lock'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'paygraph.sock'))).toBe(false);

    // After a restart the merchant and its provider account are still there.
    const again = runCli(['start'], env);
    const [, url2] = await again.waitFor(/"url":"(http:\/\/[^"]+)\/graphql"/);
    expect((await gql(url2!, '{ merchant { name } providerAccounts { provider } }', {}, key)).data).toEqual({ merchant: { name: 'Cửa hàng Sen' }, providerAccounts: [{ provider: 'VNKASH' }] });
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 180_000);

  it('says a busy port, a wrong argument, or a Redis that does not answer, before creating anything', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as net.AddressInfo;
    try {
      const dataDir = path.join(await tempDir(), 'data');
      const start = runCli(['start'], { ...quiet, DATA_DIR: dataDir, PORT: String(port) });
      expect(await start.exited).toBe(1);
      expect(start.output).toBe(`paygraph: port ${port} is in use; set PORT (PORT=0 picks a free port)\n`);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      busy.close();
    }

    // A wrong provider name is a plain refusal, before any database is opened.
    const wrong = runCli(['provider', 'set', '--merchant', '2b0e7f4c-0d5e-4c43-9a51-8f6f3f0d7a10', '--provider', 'NOPE', 'a=b'], { ...quiet, DATA_DIR: path.join(await tempDir(), 'data') });
    expect(await wrong.exited).toBe(1);
    expect(wrong.output).toBe('paygraph: --provider: one of AZCONNECTPAY, APINGANHANG, VNKASH, CARD\n');

    const redisPort = await closedPort();
    const dataDir = path.join(await tempDir(), 'data');
    const start = runCli(['start'], { ...quiet, DATA_DIR: dataDir, PORT: '0', REDIS_URL: `redis://:hunter2@127.0.0.1:${redisPort}` });
    expect(await start.exited).toBe(1);
    expect(start.output).toBe(`paygraph: Redis at 127.0.0.1:${redisPort} does not answer (ECONNREFUSED): start it, or correct or unset REDIS_URL\n`);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('runs from any directory through the bin; DATA_DIR=:memory: leaves nothing behind; Redis mode starts without ioredis stack traces', async () => {
    const cwd = await tempDir();
    const redis = await redisAvailable();
    const env = { ...quiet, DATA_DIR: ':memory:', PORT: '0', ...(redis ? { REDIS_URL: TEST_REDIS_URL } : {}) };
    const server = runCli(['start'], env, { command: bin, cwd });
    const [, url] = await server.waitFor(/"url":"(http:\/\/[^"]+)\/graphql"/);
    const [, key] = server.output.match(/API key\s+(pg_sk_\w+)/)!;
    expect((await gql(url!, '{ merchant { sandbox } }', {}, key)).data.merchant).toEqual({ sandbox: true });
    if (redis) expect(server.output).toMatch(/"pubsub":"redis"/);

    // A merchant in a database thrown away at exit would be a key that never works again.
    const made = runCli(['merchant', 'create'], env, { command: bin, cwd });
    expect(await made.exited).toBe(1);
    expect(made.output).toMatch(/^paygraph: merchant create on DATA_DIR=:memory: would write into a database thrown away at exit/);
    expect(made.output).not.toMatch(/pg_sk_/);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output).not.toMatch(/ioredis|Unhandled error event/);
    expect(server.output).not.toMatch(STACK);
    expect(await readdir(cwd)).toEqual([]);
  });

  it.runIf(withPostgres)('on PostgreSQL, creates a merchant directly while a server uses the same database', async () => {
    const database = await createTestDatabase();
    // The server in this process (the CLI's side is what is tested); two processes share PostgreSQL.
    const server = await startTestApp({ DATABASE_URL: database.url });
    try {
      const made = runCli(['merchant', 'create', '--name', 'Shop on PostgreSQL'], { ...quiet, DATABASE_URL: database.url, DATA_DIR: await tempDir() });
      expect(await made.exited).toBe(0);
      expect(made.output).not.toMatch(/run by the paygraph server/);
      const [, key] = made.output.match(/API key (pg_sk_\w{40})/)!;
      expect((await gql(server.url, '{ merchant { name } }', {}, key)).data.merchant).toEqual({ name: 'Shop on PostgreSQL' });
    } finally {
      await server.stop();
      await database.drop();
    }
  });
});

describe('npm run example', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.stop());

  it('generates its typed client, says how to pay the order it made, and ends when it is paid', async () => {
    const { apiKey } = await createMerchant(t.app, 'Example shop');
    const example = runCli([], { PAYGRAPH_URL: t.url, PAYGRAPH_KEY: apiKey }, { command: ['npm', 'run', '-s', 'example'] });
    const [, orderId] = await example.waitFor(/^order ([0-9a-f-]{36}) \(PG\w+\)/m);
    const [, checkoutUrl] = await example.waitFor(/open the checkout page, as the payer would: (\S+)/);
    expect(checkoutUrl).toMatch(new RegExp(`^${t.url}/checkout/${orderId}\\?token=pg_ct_\\w+$`));
    const [, requestId] = await example.waitFor(/"request_id":"(PG\w+)"/);
    await example.waitFor(/status: PENDING/);
    // Paid as the printed command says.
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: requestId, outcome: 'succeed', callback: 'once' });
    await example.waitFor(/status: SUCCEEDED/);
    expect(await example.exited).toBe(0);
    expect(await waitForStatus(t.app, orderId!, ['SUCCEEDED'])).toBe('SUCCEEDED');
  });
});

describe('Redis outages', () => {
  it('are one warning per client in the log, not an ioredis stack trace per retry', async () => {
    const warnings: Record<string, unknown>[] = [];
    let bothWarned!: () => void;
    const done = new Promise<void>((resolve) => (bothWarned = resolve));
    const sink = new Writable({
      write(chunk, _encoding, next) {
        const line = JSON.parse(String(chunk)) as Record<string, unknown>;
        warnings.push(line);
        if (warnings.length === 2) bothWarned();
        next();
      },
    });
    const handle = createAppPubSub(`redis://127.0.0.1:${await closedPort()}`, createLogger('info', sink as never));
    try {
      await done;
      expect(warnings.map((line) => [line.redis, line.reason, line.msg]).sort()).toEqual([
        ['pubsub-publish', 'ECONNREFUSED', 'Redis unreachable; reconnecting'],
        ['pubsub-subscribe', 'ECONNREFUSED', 'Redis unreachable; reconnecting'],
      ]);
    } finally {
      await handle.close();
    }
  });
});
