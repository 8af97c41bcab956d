// The process a new user runs: `npm start` (here: the same CLI entry), the key
// it prints once, a clean stop on SIGTERM, and `merchant create`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gql } from '../support/harness.js';
import { runCli as run } from '../support/cli.js';

describe('the paygraph command', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'paygraph-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('starts on an empty data directory, prints the sandbox key once, serves it, and stops cleanly on SIGTERM', async () => {
    const env = { DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: '', REDIS_URL: '' };
    const server = run(['start'], env);
    const [, key] = await server.waitFor(/API key\s+(pg_sk_\w+)/);
    const [, url] = await server.waitFor(/"url":"(http:\/\/[^"]+)\/graphql"/);
    expect((await gql(url!, '{ __typename }')).data).toEqual({ __typename: 'Query' });
    const me = await gql(url!, '{ merchant { name sandbox } }', {}, key);
    expect(me.data.merchant).toEqual({ name: 'Sandbox merchant', sandbox: true });
    // The key went to the terminal once, never into a log line.
    expect(server.output.split('\n').filter((line) => line.includes(key!))).toHaveLength(1);
    expect(server.output.split('\n').some((line) => line.startsWith('{') && line.includes(key!))).toBe(false);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output).toMatch(/"msg":"stopped"/);

    // A second start keeps the data and does not make another sandbox merchant.
    const again = run(['start'], env);
    const [, url2] = await again.waitFor(/"url":"(http:\/\/[^"]+)\/graphql"/);
    expect((await gql(url2!, '{ merchant { name } }', {}, key)).data.merchant.name).toBe('Sandbox merchant');
    expect(again.output).not.toMatch(/API key/);
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  });

  it('creates a merchant from the command line and prints its key once', async () => {
    const made = run(['merchant', 'create', '--name', 'Cửa hàng Hoa'], { DATA_DIR: path.join(dir, 'other'), DATABASE_URL: '' });
    expect(await made.exited).toBe(0);
    expect(made.output).toMatch(/merchant [0-9a-f-]{36} \(Cửa hàng Hoa\)\nAPI key pg_sk_\w{40}/);
  });

  it('refuses a bad setting with a message naming it', async () => {
    const bad = run(['start'], { DATA_DIR: dir, PORT: 'eighty' });
    expect(await bad.exited).toBe(1);
    expect(bad.output).toMatch(/invalid configuration:\n\s+PORT:/);
  });
});
