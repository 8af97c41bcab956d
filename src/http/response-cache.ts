// Cached answers for the hot reads: a frontend polling its order, a backend
// listing orders or card charges. Built on @graphql-yoga/plugin-response-cache,
// which answers a hit before the document is even parsed.
//
// Correctness rests on one idea: a cached answer is stored under its merchant's
// *epoch*, read before the request reads the database, and every change to what
// such an answer can show moves that epoch on after its commit. A request that
// read the old data (it started before the commit) stores its answer under the
// old epoch, where nobody looks again; nothing has to be found and deleted, so
// there is no window where a stale answer is put back after its invalidation.
// The epoch moves:
//   - when a status changes (the pubsub announces it: `beforePublish`, before
//     any subscriber or webhook can hear of the change);
//   - after every GraphQL mutation of the merchant, before its answer is sent;
//   - on every committed write to an order, its events or attempts, a bank line
//     or a card charge (database triggers NOTIFY "paygraph_cache" with the
//     merchant id: writers that publish nothing are covered too);
//   - for everyone, when that NOTIFY connection was lost for a while.
// The TTL bounds what a lost epoch write (Redis down) could leave behind.
//
// Only the root fields in CACHED_QUERY_FIELDS are cached; anything else in a
// document (provider balances, health, the review queue …) makes it uncached.
// Scope: one merchant's API keys share answers; a client token has its own.
import { randomUUID } from 'node:crypto';
import { getOperationAST, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { hashSHA256, useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';
import type { Caller } from '../schema/builder.js';
import type { Logger } from '../logger.js';
import type { BeforePublish, PubSubChannels } from '../pubsub.js';

/** The reads worth caching: every change to what they show moves the merchant's epoch (see above). */
export const CACHED_QUERY_FIELDS: ReadonlySet<string> = new Set(['order', 'orders', 'cardCharge', 'cardCharges']);

/** The NOTIFY channel the database triggers announce a merchant's committed change on. */
export const CACHE_CHANGE_CHANNEL = 'paygraph_cache';

const REDIS_PREFIX = 'paygraph:cache:';

export interface ResponseCacheOptions {
  /** How long an answer may be served at most; 0 turns the cache off. */
  ttlMs: number;
  /** Answers kept in memory (when there is no Redis). */
  maxEntries: number;
  /** Shared by every instance when REDIS_URL is set: answers and epochs. */
  redis?: Redis;
  logger: Pick<Logger, 'warn'>;
}

export interface ResponseCache {
  readonly enabled: boolean;
  /** The yoga plugins: the cache itself and the epoch move after mutations. `authenticate` is the context's own caller resolution. */
  plugins(schema: GraphQLSchema, authenticate: (request: Request) => Promise<Caller>): Plugin[];
  /** The caller as resolved while looking the answer up (or its refusal), so the context does not resolve it twice. */
  callerOf(request: Request | undefined): Promise<Caller> | undefined;
  /** What `merchantId`'s cached answers can show has changed (or, without an id, anyone's): none of them is served again. */
  changed(merchantId?: string): void | Promise<void>;
  /** The pubsub's hook: a message saying a merchant's data changed goes out once that merchant's epoch has moved. */
  readonly beforePublish: BeforePublish;
}

/** The messages that say a merchant's data changed (a status, a new bank line), and where they name the merchant. */
const CHANGE_CHANNELS: ReadonlySet<keyof PubSubChannels> = new Set(['order:changed', 'cardCharge:changed', 'merchant:bank-transactions'] as const);

/** Where each merchant's epoch lives: this process, or Redis for every instance. */
interface Epochs {
  read(merchantId: string): string | Promise<string>;
  bump(merchantId: string | undefined): void | Promise<void>;
}

function memoryEpochs(): Epochs {
  let everyone = 0;
  const perMerchant = new Map<string, number>();
  return {
    read: (merchantId) => `${everyone}.${perMerchant.get(merchantId) ?? 0}`,
    bump(merchantId) {
      if (merchantId === undefined) everyone++;
      else perMerchant.set(merchantId, (perMerchant.get(merchantId) ?? 0) + 1);
    },
  };
}

/**
 * An epoch in Redis is a fresh random value, never a counter: its key expires
 * twice the TTL after its last move (every answer stored before that move has
 * expired by then), and when it is set again it cannot come back to a value an
 * old answer was stored under.
 */
function redisEpochs(redis: Redis, ttlMs: number): Epochs {
  const everyoneKey = `${REDIS_PREFIX}epoch:*`;
  return {
    async read(merchantId) {
      const [everyone, merchant] = await redis.mget(everyoneKey, `${REDIS_PREFIX}epoch:${merchantId}`);
      return `${everyone ?? 0}.${merchant ?? 0}`;
    },
    async bump(merchantId) {
      await redis.set(merchantId === undefined ? everyoneKey : `${REDIS_PREFIX}epoch:${merchantId}`, randomUUID(), 'PX', ttlMs * 2);
    },
  };
}

/**
 * Answers in this process: an LRU with a TTL per answer. Not the plugin's createInMemoryCache: it keeps an
 * index from every entity of an answer (150 for 50 orders with their events) to the answer, for entity
 * invalidation the epochs make unnecessary.
 */
function memoryAnswers(maxEntries: number): Cache {
  const entries = new LRUCache<string, object>({ max: maxEntries });
  return {
    get: (key) => (entries.get(key) as never) ?? null,
    set(key, result, _entities, ttl) {
      entries.set(key, result, { ttl: Math.max(1, Math.round(ttl)) });
    },
    invalidate() {},
  };
}

/**
 * Answers in Redis: the epoch in their key does the invalidating, so there is no entity index to keep (and
 * `invalidate` has nothing to do). Redis out of reach is a miss, and an answer not kept: never a failed request.
 */
function redisAnswers(redis: Redis, onError: (error: Error) => void): Cache {
  return {
    async get(key) {
      const text = await redis.get(`${REDIS_PREFIX}answer:${key}`).catch((error: Error) => (onError(error), null));
      return text === null ? null : JSON.parse(text);
    },
    async set(key, result, _entities, ttl) {
      await redis.set(`${REDIS_PREFIX}answer:${key}`, JSON.stringify(result), 'PX', Math.max(1, Math.round(ttl))).catch(onError);
    },
    invalidate() {},
  };
}

/** Whose answers a request reads and stores: its merchant (for the epoch) and its session (merchant or client token). */
interface Scope {
  merchantId: string;
  session: string;
}

/** The scope of a caller's answers, or undefined when its answers are not cached (anonymous, bad credentials). */
function scopeOf(caller: Caller | undefined): Scope | undefined {
  if (caller?.kind === 'merchant') return { merchantId: caller.merchantId, session: `merchant:${caller.merchantId}` };
  if (caller?.kind === 'client-token') return { merchantId: caller.merchantId, session: `client-token:${caller.tokenId}` };
  return undefined;
}

export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const enabled = options.ttlMs > 0;
  /** A Redis problem is said once per outage, not once per request. */
  let failing = false;
  const warnOnce = (message: string) => (error: Error) => {
    if (!failing) options.logger.warn({ reason: error.message }, message);
    failing = true;
  };
  const epochs = options.redis ? redisEpochs(options.redis, options.ttlMs) : memoryEpochs();
  const answers = options.redis ? redisAnswers(options.redis, warnOnce('response cache: Redis unreachable; answering uncached')) : memoryAnswers(options.maxEntries);
  const resolutions = new WeakMap<Request, Promise<Caller>>();

  /** Never lets a cache problem fail a request or a publish: an unreadable epoch means "do not cache this one". */
  const bump = (merchantId: string | undefined) => {
    const moved = epochs.bump(merchantId);
    if (!moved) return;
    return moved.then(() => void (failing = false), warnOnce('response cache: could not move an epoch; cached answers live until their TTL'));
  };

  return {
    enabled,
    callerOf: (request) => (request ? resolutions.get(request) : undefined),
    changed: (merchantId) => (enabled ? bump(merchantId) : undefined),
    beforePublish(channel, args) {
      if (!enabled || !CHANGE_CHANNELS.has(channel)) return;
      const merchantId = (args[args.length - 1] as { merchantId?: string } | undefined)?.merchantId;
      if (merchantId) return bump(merchantId);
    },
    plugins(schema, authenticate) {
      if (!enabled) return [];
      // Every root query field but the cached ones gives its document a TTL of 0.
      const uncached = Object.keys(schema.getQueryType()?.getFields() ?? {}).filter((name) => !CACHED_QUERY_FIELDS.has(name));
      /** The requests whose answer may come from, and go to, the cache: an authenticated caller whose epoch could be read. */
      const cacheable = new WeakMap<Request, Scope>();
      const cachePlugin = useResponseCache({
        cache: answers,
        ttl: options.ttlMs,
        ttlPerSchemaCoordinate: Object.fromEntries(uncached.map((name) => [`Query.${name}`, 0])),
        // The epochs do the invalidating (see above).
        invalidateViaMutation: false,
        includeExtensionMetadata: false,
        // The yoga plugin looks an answer up before the context exists: the caller is resolved here (the same
        // resolution, with the same API key cache). A bad credential is not cached and fails in the context as usual.
        async session(request) {
          const resolution = authenticate(request);
          resolutions.set(request, resolution);
          const scope = scopeOf(await resolution.catch(() => undefined));
          if (scope) cacheable.set(request, scope);
          return scope?.session ?? null;
        },
        // Called before `session` too (a conditional request's 304): no scope is known yet, so nothing is answered then.
        // graphql-ws operations have no Request: never cached.
        enabled: (request) => request !== undefined && cacheable.has(request),
        async buildResponseCacheKey({ documentString, variableValues, operationName, sessionId, request }) {
          const scope = cacheable.get(request);
          if (!scope) return randomUUID(); // not looked up, not stored
          try {
            const variables = JSON.stringify(variableValues ?? {});
            const epoch = await epochs.read(scope.merchantId);
            return hashSHA256([documentString, operationName ?? '', variables, sessionId ?? '', epoch].join('|'));
          } catch (error) {
            // Variables too deep to write out (5 000 nested arrays), or an epoch Redis could not give: this request is
            // answered and fails or succeeds as it would without the cache.
            if (!(error instanceof RangeError)) warnOnce('response cache: could not read an epoch; answering uncached')(error as Error);
            cacheable.delete(request);
            return randomUUID();
          }
        },
      });
      const moveAfterMutations: Plugin<{ caller?: Caller }> = {
        onExecute({ args }) {
          const operation = getOperationAST(args.document, args.operationName);
          const merchantId = scopeOf(args.contextValue.caller)?.merchantId;
          if (operation?.operation !== 'mutation' || !merchantId) return;
          // Awaited: when the mutation's answer arrives, no read of the merchant's can be answered from before it.
          return { onExecuteDone: () => bump(merchantId) };
        },
      };
      return [cachePlugin, moveAfterMutations as Plugin];
    },
  };
}
