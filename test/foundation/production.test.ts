// The production start as an operator runs it: the JavaScript `npm run build`
// writes (no TypeScript compiled at run time), NODE_ENV=production.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { createTestDatabase, postgresAvailable, redisAvailable, TEST_REDIS_URL, TEST_SECRETS_KEY } from '../support/harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const METRICS_TOKEN = 'production-metrics-token-42';

/** `node dist/main.js start` with this environment; resolves `listening` with the URL, or `exited` with the code. */
function startBuilt(env: Record<string, string>) {
  const child = spawn(process.execPath, ['dist/main.js', 'start'], { cwd: root, env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const listening = new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk;
      const url = /"url":"(http:\/\/[^"]+)\/graphql"/.exec(output)?.[1];
      if (url) resolve(url);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then((code) => reject(new Error(`exited (${code}):\n${output}`)));
  });
  listening.catch(() => {});
  return { child, exited, listening, output: () => output };
}

const withServices = (await postgresAvailable()) && (await redisAvailable());

const rssMb = async (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

describe('a production start', () => {
  let dir: string;
  beforeAll(async () => {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    dir = await mkdtemp(path.join(tmpdir(), 'paygraph-production-'));
    return () => rm(dir, { recursive: true, force: true });
  });

  it('stops before creating anything when a setting is unsafe, naming each', async () => {
    const dataDir = path.join(dir, 'never');
    const server = startBuilt({ NODE_ENV: 'production', SANDBOX: 'true', CORS_ORIGINS: '*', DATA_DIR: dataDir, SECRETS_KEY: '', PUBLIC_URL: '' });
    expect(await server.exited).toBe(1);
    for (const name of ['SANDBOX', 'SECRETS_KEY', 'CORS_ORIGINS', 'PUBLIC_URL', 'ALLOW_UNSAFE=']) expect(server.output()).toContain(name);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('runs without the sandbox or its demo, keeps /metrics behind its token, and refuses a 60 MB WebSocket message without growing', async () => {
    const server = startBuilt({ NODE_ENV: 'production', SECRETS_KEY: TEST_SECRETS_KEY, PUBLIC_URL: 'https://pay.example', DATA_DIR: path.join(dir, 'data'), METRICS_TOKEN, LOG_LEVEL: 'info' });
    const url = await server.listening;
    try {
      expect(server.output()).not.toMatch(/API key|"sandbox":"http/);
      expect((await fetch(`${url}/checkout/demo`, { redirect: 'manual' })).status).toBe(404);
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);

      const before = await rssMb(server.child.pid!);
      const socket = new WebSocket(url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(Buffer.alloc(60 * 1024 * 1024, 0x61));
      expect([1009, 1006]).toContain(await closed); // 1009 when the close frame beats the dropped connection
      // A server that read the message would hold it at least twice (frames, then the joined text): 120 MB and more.
      // Refused from its first frame header, it costs nothing near half of it (what remains is the young server's own growth).
      expect(await rssMb(server.child.pid!)).toBeLessThan(before + 30);
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  });

  // The bundle leaves the Redis client in node_modules (loaded only with REDIS_URL): this is the start that loads it.
  it.runIf(withServices)('runs on PostgreSQL with Redis, migrating a new database first', async () => {
    const database = await createTestDatabase();
    const server = startBuilt({ NODE_ENV: 'production', SECRETS_KEY: TEST_SECRETS_KEY, PUBLIC_URL: 'https://pay.example', DATA_DIR: path.join(dir, 'pg'), DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: 'info' });
    try {
      const url = await server.listening;
      expect(server.output()).toMatch(/"database":"postgres","pubsub":"redis"/);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      await database.drop();
    }
  });
});
