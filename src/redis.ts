// Redis clients, for the pub/sub, the rate limits, the response cache and the
// preflight check. ioredis is loaded at the first client, that is only with
// REDIS_URL: a process without Redis does not hold it (about 6 MB of RSS). It is
// required as CommonJS, as Node resolves it from node_modules (the build leaves
// it out of the bundle: esbuild's interop loses its named exports).
import { createRequire } from 'node:module';
import type { Redis, RedisOptions } from 'ioredis';
import type { Logger } from './logger.js';

const require = createRequire(import.meta.url);

export function connectRedis(url: string, options: RedisOptions): Redis {
  const { Redis: Client } = require('ioredis') as typeof import('ioredis');
  return new Client(url, options);
}

/**
 * An ioredis client with no `error` listener prints "[ioredis] Unhandled error
 * event" and a stack trace at every failed reconnection. One warning per outage
 * instead, and one line when it is over (ioredis reconnects by itself).
 */
export function reportRedisOutages(client: Redis, logger: Pick<Logger, 'warn' | 'info'>, role: string) {
  let down = false;
  client.on('error', (error: NodeJS.ErrnoException) => {
    if (down) return;
    down = true;
    logger.warn({ redis: role, reason: error.code ?? error.message }, 'Redis unreachable; reconnecting');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info({ redis: role }, 'Redis reachable again');
  });
}
