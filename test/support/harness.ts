// Builds a real paygraph instance for a test: its own database (in-memory
// PGlite, or a fresh PostgreSQL database), its own sandbox, a merchant and a
// key; plus small GraphQL-over-HTTP and graphql-ws clients.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import pg from 'pg';
import { postgresReachable, redisReachable } from './services.js';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

export const TEST_SECRETS_KEY = `test:${Buffer.alloc(32, 7).toString('base64')}`;

export interface TestApp {
  app: App;
  url: string;
  stop(): Promise<void>;
}

/** Every log line the app writes, for tests that read the logs. */
export function logCollector() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => lines.join('') };
}

export async function startTestApp(env: Record<string, string> = {}, logSink?: NodeJS.WritableStream): Promise<TestApp> {
  const config = loadConfig({
    DATA_DIR: ':memory:',
    PORT: '0',
    LOG_LEVEL: 'silent',
    BOOTSTRAP_SANDBOX_MERCHANT: 'false',
    SECRETS_KEY: TEST_SECRETS_KEY,
    POLL_INTERVAL_MS: '60000',
    SHUTDOWN_GRACE_MS: '2000',
    ...env,
  });
  const app = await buildApp(config, { logger: logSink ? createLogger('trace', logSink as never) : createLogger(config.LOG_LEVEL) });
  const url = await app.start();
  return { app, url, stop: () => app.stop() };
}

export async function createMerchant(app: App, name = 'Test shop', sandbox = true) {
  const { merchant, apiKey } = await app.services.merchants.create({ name: `${name} ${randomBytes(3).toString('hex')}`, sandbox });
  return { merchantId: merchant.id, apiKey };
}

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export async function gql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, apiKey?: string): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLResponse<T>;
  return { ...body, status: response.status };
}

export function wsClient(url: string, apiKey?: string): Client {
  return createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

/** Subscribes and collects messages; `next(predicate)` waits for the first that matches. */
export function subscribe<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const received: T[] = [];
  const waiters: { predicate: (value: T) => boolean; resolve: (value: T) => void; reject: (error: unknown) => void }[] = [];
  let failure: unknown;
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (message) => {
        if (message.errors) {
          failure = message.errors;
          for (const waiter of waiters.splice(0)) waiter.reject(message.errors);
          return;
        }
        const value = message.data as T;
        received.push(value);
        for (const waiter of [...waiters]) {
          if (waiter.predicate(value)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(value);
          }
        }
      },
      error: (error) => {
        failure = error;
        for (const waiter of waiters.splice(0)) waiter.reject(error);
      },
      complete: () => {},
    },
  );
  return {
    received,
    next(predicate: (value: T) => boolean = () => true): Promise<T> {
      const found = received.find(predicate);
      if (found) return Promise.resolve(found);
      if (failure) return Promise.reject(failure);
      return new Promise<T>((resolve, reject) => waiters.push({ predicate, resolve, reject }));
    },
    dispose,
  };
}

// ---- PostgreSQL and Redis, when this machine has them (CI does) ----------

const ADMIN_URL = process.env.TEST_POSTGRES_ADMIN_URL ?? 'postgresql://root@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const postgresAvailable = (url = ADMIN_URL) => postgresReachable(url);
export const redisAvailable = (url = TEST_REDIS_URL) => redisReachable(url);

/** A fresh database for one test file; drop() removes it (and any connection left to it). */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `paygraph_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/** The SQL statements `app` sends while `work` runs, with what `work` returned (no-N+1 and cache tests count them). */
export async function statementsDuring<T>(app: App, work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const stop = app.db.onQuery((sql) => statements.push(sql));
  try {
    return { result: await work(), statements };
  } finally {
    stop();
  }
}

/**
 * Waits until `check` answers true: for bookkeeping that no event announces
 * (an inbox row marked processed just after the change it caused was
 * published). The test's own timeout bounds the wait.
 */
export async function until(check: () => Promise<boolean>, pauseMs = 25): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, pauseMs));
}
