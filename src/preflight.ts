// What `paygraph start` checks before it creates anything (a database, a
// sandbox merchant, a printed key): that its ports are free, that no other
// process holds the PGlite directory, and that the PostgreSQL and Redis it is
// told to use answer. Each problem is one sentence naming the setting to change.
import net from 'node:net';
import pg from 'pg';
import type { Config } from './config.js';
import { DataDirInUseError, readDataDirHolder } from './db/data-dir-lock.js';
import { connectRedis } from './redis.js';

export class PreflightError extends Error {
  override readonly name = 'PreflightError';
}

export async function checkBeforeStart(config: Config): Promise<void> {
  if (!config.DATABASE_URL && config.DATA_DIR !== ':memory:') {
    const holder = readDataDirHolder(config.dataDir);
    if (holder) throw new DataDirInUseError(config.dataDir, holder);
  }
  await checkPortFree(config.HOST, config.PORT, 'PORT');
  if (config.SANDBOX && config.SANDBOX_PORT !== config.PORT) await checkPortFree(config.HOST, config.SANDBOX_PORT, 'SANDBOX_PORT');
  if (config.DATABASE_URL) {
    const problem = await postgresProblem(config.DATABASE_URL);
    if (problem) throw new PreflightError(`PostgreSQL at ${hostOf(config.DATABASE_URL)} does not answer (${problem}): start it, or correct or unset DATABASE_URL`);
  }
  if (config.REDIS_URL) {
    const problem = await redisProblem(config.REDIS_URL);
    if (problem) throw new PreflightError(`Redis at ${hostOf(config.REDIS_URL)} does not answer (${problem}): start it, or correct or unset REDIS_URL`);
  }
}

/** Binds and lets go at once: a busy port is named before anything else happens (PORT=0 picks a free one). */
async function checkPortFree(host: string, port: number, variable: string): Promise<void> {
  if (port === 0) return;
  const problem = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(null)));
  });
  if (!problem) return;
  if (problem.code === 'EADDRINUSE') throw new PreflightError(`port ${port} is in use; set ${variable} (${variable}=0 picks a free port)`);
  if (problem.code === 'EACCES') throw new PreflightError(`port ${port} needs privileges this user lacks; set ${variable} to a port above 1023`);
  if (problem.code === 'EADDRNOTAVAIL') throw new PreflightError(`HOST ${host} is not an address of this machine; set HOST`);
  throw new PreflightError(`cannot listen on ${host}:${port} (${problem.code ?? problem.message}); set ${variable} or HOST`);
}

/** null when PostgreSQL answers a query at `url`, else why not. */
export async function postgresProblem(url: string, timeoutMs = 3000): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return reason(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** null when Redis answers PING at `url`, else why not. One attempt, no retries. */
export async function redisProblem(url: string, timeoutMs = 3000): Promise<string | null> {
  const redis = connectRedis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // Without a listener ioredis prints "Unhandled error event" with a stack trace. The event
  // carries the cause (ECONNREFUSED); the rejected connect() only says "Connection is closed".
  let cause: unknown;
  redis.on('error', (error) => (cause ??= error));
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG' ? null : 'no PONG';
  } catch (error) {
    return reason(cause ?? error);
  } finally {
    redis.disconnect();
  }
}

const reason = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** host:port only: the URL may carry a password. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured address';
  }
}
