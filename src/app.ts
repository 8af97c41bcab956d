// buildApp(config) → one paygraph instance: HTTP (GraphQL, SSE, health,
// callbacks), graphql-ws on the same port and path, workers, and in the
// embedded default the provider sandbox. start() / stop() make it a process.
// Longer than most files on purpose: it is the composition root, where every
// part is wired and the start and stop order is visible in one read.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createYoga, type GraphiQLOptions, type YogaServerInstance } from 'graphql-yoga';
import { GraphQLError } from 'graphql';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { assertSafeForProduction, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { openDatabase, type Database } from './db/client.js';
import { applyMigrations } from './db/migrations.js';
import { createAppPubSub, type PubSubHandle } from './pubsub.js';
import { connectRedis, reportRedisOutages } from './redis.js';
import { createServices, type Services } from './services/index.js';
import { schema } from './schema/index.js';
import type { Caller, Context } from './schema/builder.js';
import { InvalidCredentialsError, resolveCaller } from './http/auth.js';
import { queryLimitPlugins } from './http/query-limits.js';
import { currentRequestId, withRequestId } from './http/request-context.js';
import { createMemoryRateLimiter, createRedisRateLimiter, credentialKey } from './http/rate-limit.js';
import { CACHE_CHANGE_CHANNEL, createResponseCache } from './http/response-cache.js';
import { handleCallbackRequest } from './callbacks/http.js';
import { callbackRouteNamed } from './providers/registry.js';
import { callbackVerdict, createMetrics } from './metrics/index.js';
import { clientTokenFence } from './http/client-token-fence.js';
import { handleCheckoutRequest } from './checkout/http.js';
import { handleConsoleRequest } from './console/http.js';
import { loadOrCreateSealingKey, parsePreviousKeys, sealingKeyDirectory } from './services/secrets-key.js';
import { SealedBox } from './services/sealed-box.js';
import { handlePaymentLinkRequest, isPaymentLinkPath } from './checkout/payment-link.js';
import type { RunningSandbox } from './sandbox/server.js';
import type { sandboxCredentials as SandboxCredentials } from './sandbox/index.js';
import { OrderPoller } from './workers/order-poller.js';
import { CardChargePoller } from './workers/card-poller.js';
import { CallbackRetryJob, IdempotencyPurgeJob } from './workers/housekeeping.js';
import { StatementImportWorker } from './workers/statement-import.js';
import './providers/all.js';

export interface AppOptions {
  logger?: Logger;
  /** Called with the sandbox merchant's key when first start creates one (default: print it). */
  onSandboxMerchant?: (info: { merchantId: string; apiKey: string }) => void;
}

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly pubsub: PubSubHandle;
  readonly services: Services;
  /** The in-process provider sandbox, when SANDBOX is on. */
  readonly sandbox: RunningSandbox | undefined;
  readonly yoga: YogaServerInstance<Record<string, never>, Context>;
  /** http://host:port once started. */
  readonly url: string;
  start(): Promise<string>;
  stop(): Promise<void>;
}

export async function buildApp(config: Config, options: AppOptions = {}): Promise<App> {
  // Before anything is created: an unsafe production setting stops the start, naming itself.
  assertSafeForProduction(config);
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const db = await openDatabase(
    config.DATABASE_URL
      ? { kind: 'postgres', url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: config.DATA_DIR === ':memory:' ? 'memory' : config.dataDir },
  );
  const applied = await applyMigrations(db);
  if (applied.length) logger.info({ migrations: applied }, 'applied database migrations');

  // Redis for the rate limits and the response cache: shared by every instance.
  const sharedRedis = config.REDIS_URL ? connectRedis(config.REDIS_URL, { maxRetriesPerRequest: 2 }) : undefined;
  if (sharedRedis) reportRedisOutages(sharedRedis, logger, 'rate-limit-and-cache');
  const responseCache = createResponseCache({ ttlMs: config.RESPONSE_CACHE_TTL_MS, maxEntries: config.RESPONSE_CACHE_MAX_ENTRIES, redis: sharedRedis, logger });
  // A change reaches subscribers (and, through them, anyone) only once the cache cannot answer from before it.
  const pubsub = createAppPubSub(config.REDIS_URL, logger, responseCache.beforePublish);
  const sealedBox = new SealedBox(
    await loadOrCreateSealingKey(config.SECRETS_KEY, sealingKeyDirectory(config)),
    parsePreviousKeys(config.SECRETS_KEY_PREVIOUS),
  );
  let url = '';
  const publicUrl = () => config.PUBLIC_URL ?? url;
  // The embedded default: every provider simulated in-process, on its own port.
  // Loaded only when configured: a production process never holds the simulators.
  let sandboxCredentials: typeof SandboxCredentials | undefined;
  let sandbox: RunningSandbox | undefined;
  if (config.SANDBOX) {
    const [{ startSandbox }, simulators] = await Promise.all([import('./sandbox/server.js'), import('./sandbox/index.js')]);
    sandboxCredentials = simulators.sandboxCredentials;
    sandbox = await startSandbox(simulators.createSimulators({ callbackBaseUrl: publicUrl }), { port: config.SANDBOX_PORT });
  }
  const services = createServices({
    prisma: db.prisma,
    pubsub: pubsub.pubsub,
    logger,
    config,
    sealedBox,
    publicUrl,
    sandbox: () => (sandbox && sandboxCredentials ? { url: sandbox.url, credentials: sandboxCredentials } : undefined),
  });
  const poller = new OrderPoller(db.prisma, services.orders, services.transitions, logger, {
    intervalMs: config.POLL_INTERVAL_MS,
    tickMs: Math.min(1_000, config.POLL_INTERVAL_MS),
    batchSize: 20,
    payoutDeadlineMinutes: config.PAYOUT_DEADLINE_MINUTES,
  });
  const callbackRetries = new CallbackRetryJob(services.inbox, logger, { tickMs: Math.min(1_000, config.POLL_INTERVAL_MS) });
  const idempotencyPurge = new IdempotencyPurgeJob(services.idempotency, logger);
  const cardPoller = new CardChargePoller(services.cardCharges, logger, { tickMs: Math.min(5_000, config.POLL_INTERVAL_MS), batchSize: 20 });
  const statementImport = new StatementImportWorker(db.prisma, services.bank, logger, {
    intervalMs: config.STATEMENT_IMPORT_INTERVAL_MS,
    tickMs: Math.min(1_000, config.STATEMENT_IMPORT_INTERVAL_MS),
    batchSize: 10,
  });
  const production = config.NODE_ENV === 'production';
  const metrics = createMetrics({ prisma: db.prisma, logger });

  const yoga = createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    // The body limit is enforced before yoga (admitGraphQLRequest: Content-Length required, ≤ MAX_BODY_BYTES);
    // yoga 5.24's own guard re-streams every POST body and halves a hello world's throughput (bench/yoga-variants.ts).
    maxRequestBodySize: false,
    plugins: [
      ...queryLimitPlugins({ production, introspection: config.GRAPHQL_INTROSPECTION ?? !production }),
      clientTokenFence(),
      metrics.graphqlPlugin(),
      ...responseCache.plugins(schema, (request) => callerOrThrow(request.headers.get('authorization'))),
    ],
    cors: corsOptions(config.CORS_ORIGINS, production),
    graphiql: production ? false : { title: 'paygraph', subscriptionsProtocol: 'WS' },
    // yoga's own GraphiQL loads from a CDN (offline it stays on "Loading…"): its packaged build, served from here.
    renderGraphiQL: localGraphiQL,
    landingPage: false,
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      // yoga logs every error it masks; maskError below has already logged it once, with its request id and stack.
      error: (...args) => logger.debug(args.map(String).join(' ')),
    },
    maskedErrors: {
      maskError(error, message) {
        // By name, not instanceof: graphql can be loaded twice (ESM and CJS) under some runners.
        const isGraphQLError = (value: unknown): value is GraphQLError => (value as Error | undefined)?.name === 'GraphQLError';
        const original = isGraphQLError(error) ? error.originalError : undefined;
        if (isGraphQLError(error) && (!original || isGraphQLError(original))) return error;
        // Pothos refuses bad connection arguments (a cursor it cannot read, first: -1) this way: the caller's input.
        if (original?.name === 'PothosValidationError') {
          return new GraphQLError(clip(original.message), { nodes: (error as GraphQLError).nodes, path: (error as GraphQLError).path, extensions: { code: 'BAD_USER_INPUT' } });
        }
        logger.error({ err: original ?? error }, 'unexpected error');
        // The request id lets the caller quote the one log line that explains it.
        return new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: currentRequestId() } });
      },
    },
    context: async (initial): Promise<Context> => {
      // graphql-ws operations arrive with the caller resolved at connection_init and no HTTP request.
      const fromSocket = (initial as { socketCaller?: Caller }).socketCaller;
      const request = initial.request as Request | undefined;
      return {
        requestId: request?.headers.get('x-request-id') ?? randomUUID(),
        caller: fromSocket ?? (await (responseCache.callerOf(request) ?? callerOrThrow(request?.headers.get('authorization')))),
        prisma: db.prisma,
        services,
      };
    },
  });

  async function callerOrThrow(authorization: string | null | undefined): Promise<Caller> {
    try {
      return await resolveCaller(authorization, services);
    } catch (error) {
      if (error instanceof InvalidCredentialsError) {
        throw new GraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
      }
      throw error;
    }
  }

  const rateLimiter = sharedRedis ? createRedisRateLimiter(sharedRedis) : createMemoryRateLimiter();

  const refuse = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ errors: [{ message, extensions: { code: status === 429 ? 'RATE_LIMITED' : 'BAD_REQUEST' } }] }));
    return false;
  };

  /**
   * Per-IP (and, with a bearer credential, per-key) limits. Callbacks and the
   * checkout count in buckets of their own, so a busy API client does not
   * starve the callbacks coming from the same address.
   */
  async function admitByRate(req: IncomingMessage, res: ServerResponse, scope: 'graphql' | 'callbacks' | 'checkout' | 'console'): Promise<boolean> {
    const ip = clientIp(req);
    const credential = scope === 'graphql' ? credentialKey(req.headers.authorization) : undefined;
    const verdict = await rateLimiter.check([
      ...(credential ? [{ rule: 'key', key: credential, limit: { limit: config.RATE_LIMIT_PER_KEY, windowMs: 60_000 } }] : []),
      { rule: scope === 'graphql' ? 'ip' : `ip:${scope}`, key: ip, limit: { limit: config.RATE_LIMIT_PER_IP, windowMs: 60_000 } },
    ]);
    if (verdict.allowed) return true;
    return refuse(res, 429, `rate limit per ${verdict.rule === 'key' ? 'API key' : 'IP address'} exceeded; retry in ${verdict.retryAfterSeconds} s`, { 'retry-after': String(verdict.retryAfterSeconds) });
  }

  /** Body size, CSRF and rate limits, before yoga reads anything. Answers and returns false when refused. */
  async function admitGraphQLRequest(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (req.method === 'POST') {
      const length = Number(req.headers['content-length'] ?? NaN);
      if (Number.isNaN(length)) return refuse(res, 411, 'a Content-Length is required');
      if (length > config.MAX_BODY_BYTES) return refuse(res, 413, `request body larger than ${config.MAX_BODY_BYTES} bytes`, { connection: 'close' });
      // A browser can send a form cross-site without a preflight; a JSON body it cannot.
      if (production && !/^application\/(graphql-response\+)?json\b/i.test(req.headers['content-type'] ?? '')) return refuse(res, 415, 'send GraphQL as application/json');
    }
    return admitByRate(req, res, 'graphql');
  }

  /** GET /metrics: with METRICS_TOKEN as a bearer token when one is set; without one, open outside production and absent in it. */
  async function serveMetrics(req: IncomingMessage, res: ServerResponse) {
    if (config.METRICS_TOKEN) {
      const sent = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const digest = (text: string) => createHash('sha256').update(text).digest();
      if (!timingSafeEqual(digest(sent), digest(config.METRICS_TOKEN))) {
        res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('metrics need METRICS_TOKEN as a bearer token');
        return;
      }
    } else if (production) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(await metrics.registry.metrics());
  }

  // In-flight HTTP requests, so a graceful stop can wait for them.
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const sockets = new Set<Socket>();

  /** What the access log and the metrics say about a request: set by the route that served it. */
  interface Served {
    route: string;
    verdict?: string;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, served: Served) {
    res.setHeader('x-request-id', req.headers['x-request-id'] as string);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    served.route = path === '/healthz' || path === '/readyz' || path === '/metrics' || path === '/graphql' ? path : 'other';
    if (path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
      await serveMetrics(req, res);
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (path === '/readyz') {
      const ok = await db.prisma.$queryRawUnsafe('SELECT 1').then(
        () => true,
        () => false,
      );
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ok ? 'ready' : 'database unreachable' }));
      return;
    }
    if (path.startsWith('/callbacks/')) {
      const name = path.slice('/callbacks/'.length);
      // Route names are words: anything else ("%", "../x", 40 KB of text) is no route, and no label either.
      const known = /^[a-z0-9-]{1,40}$/.test(name) && callbackRouteNamed(name) !== undefined;
      served.route = `/callbacks/${known ? name : 'other'}`;
      try {
        if (!known) res.writeHead(404, { 'content-type': 'text/plain' }).end('unknown callback route');
        else if (await admitByRate(req, res, 'callbacks')) await handleCallbackRequest(req, res, name, services.callbacks);
      } finally {
        const verdict = callbackVerdict(res.headersSent ? res.statusCode : 500);
        served.verdict = verdict;
        metrics.callback(known ? name : 'other', verdict);
      }
      return;
    }
    if (path === '/checkout' || path.startsWith('/checkout/')) {
      served.route = path.startsWith('/checkout/assets/') ? '/checkout/assets' : path === '/checkout/demo' ? '/checkout/demo' : '/checkout/*';
      if (!(await admitByRate(req, res, 'checkout'))) return;
      await handleCheckoutRequest(req, res, { services, prisma: db.prisma, config, logger, sandbox });
      return;
    }
    if (isPaymentLinkPath(path)) {
      served.route = '/pay/*';
      if (!(await admitByRate(req, res, 'checkout'))) return;
      await handlePaymentLinkRequest(req, res, { services, prisma: db.prisma, config, logger, sandbox });
      return;
    }
    if (path === '/console' || path.startsWith('/console/')) {
      served.route = path.startsWith('/console/assets/') ? '/console/assets' : '/console';
      if (!(await admitByRate(req, res, 'console'))) return;
      await handleConsoleRequest(req, res);
      return;
    }
    // Everything that reaches yoga passes the body, CSRF and rate checks first.
    if (!(await admitGraphQLRequest(req, res))) return;
    await yoga.requestListener(req, res);
  }

  const server = createServer((req, res) => {
    inFlight++;
    const started = performance.now();
    const served: Served = { route: 'other' };
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 128) || randomUUID();
    res.on('close', () => {
      if (--inFlight === 0) drained?.();
      const seconds = (performance.now() - started) / 1000;
      const status = res.writableFinished ? res.statusCode : 499;
      metrics.httpRequest({ method: methodLabel(req.method), route: served.route, status }, seconds);
      // One line per request: the route, never the query string (it can carry a client token).
      const quiet = served.route === '/healthz' || served.route === '/readyz' || served.route === '/metrics';
      logger[quiet ? 'debug' : 'info']({ requestId, method: req.method, route: served.route, status, durationMs: Math.round(seconds * 1000), ...(served.verdict ? { verdict: served.verdict } : {}) }, 'request');
    });
    req.headers['x-request-id'] = requestId;
    withRequestId(requestId, () => handle(req, res, served)).catch((error) => {
      logger.error({ err: error }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"errors":[{"message":"Unexpected error."}]}');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  // A message over the limit closes its connection (1009) as soon as its frame header says so: nothing is buffered.
  const connectionsPerIp = new Map<string, number>();
  const wsServer = new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload: config.WS_MAX_MESSAGE_BYTES,
    verifyClient: (info, accept) => {
      const limit = config.WS_MAX_CONNECTIONS_PER_IP;
      if (limit > 0 && (connectionsPerIp.get(clientIp(info.req)) ?? 0) >= limit) accept(false, 429, 'Too many WebSocket connections from this address');
      else accept(true);
    },
  });

  const wsHandle = useServer<Record<string, unknown>, { caller?: Caller }>(
    {
      // graphql-ws runs every operation through yoga's envelop, so WebSocket
      // operations get the same plugins and context shape as HTTP.
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => args.rootValue.subscribe(args),
      onConnect: async (ctx) => {
        const payload = ctx.connectionParams ?? {};
        const authorization = typeof payload.authorization === 'string' ? payload.authorization : typeof payload.Authorization === 'string' ? payload.Authorization : undefined;
        try {
          ctx.extra.caller = await resolveCaller(authorization, services);
          if (ctx.extra.caller.kind === 'merchant') socketsByKey.add(ctx.extra.caller.apiKeyId, ctx.extra.socket, ctx.extra.caller.expiresAt);
          return true;
        } catch {
          return false; // graphql-ws closes with 4403 Forbidden
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        const { schema: envSchema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          socketCaller: ctx.extra.caller ?? { kind: 'anonymous' },
        });
        // A syntax error or a document over a limit is that operation's error; the connection and its other subscriptions go on.
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          if ((error as Error)?.name === 'GraphQLError') return [error as GraphQLError];
          throw error;
        }
        const args = {
          schema: envSchema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
      },
    },
    wsServer,
  );

  // After useServer's own listener, so its per-socket error handler is there to be replaced.
  wsServer.on('connection', (socket, req) => {
    const ip = clientIp(req);
    connectionsPerIp.set(ip, (connectionsPerIp.get(ip) ?? 0) + 1);
    metrics.webSocketOpened();
    // A socket error is the client breaking the protocol (a message over the limit, a bad frame): ws has
    // already sent the close frame with the matching code (1009, 1002 …). graphql-ws would print it to
    // stderr as an "internal error" of ours; it is a warning about a client.
    // ws would go on reading (and discarding) the rest of an oversized message until the peer closes: drop the
    // connection instead, so a 60 MB message costs us its first frame header and nothing more.
    socket.removeAllListeners('error');
    socket.on('error', (error) => {
      logger.warn({ sourceIp: ip, reason: error.message, code: (error as { code?: string }).code }, 'closed a WebSocket connection that broke the protocol');
      socket.terminate();
    });
    socket.once('close', () => {
      const left = (connectionsPerIp.get(ip) ?? 1) - 1;
      if (left > 0) connectionsPerIp.set(ip, left);
      else connectionsPerIp.delete(ip);
      metrics.webSocketClosed();
    });
  });

  // A revoked API key closes, on every instance, the WebSocket connections opened with it.
  const socketsByKey = new SocketsByKey();
  const revocations = services.pubsub.subscribe('apiKey:revoked')[Symbol.asyncIterator]();
  void (async () => {
    for (let next = await revocations.next(); !next.done; next = await revocations.next()) socketsByKey.closeAll(next.value.apiKeyId, 4403, 'Forbidden: API key revoked');
  })();
  // Valid API keys are cached per instance while revocations are heard: a request does not ask the database for its key.
  const stopFollowingKeyRevocations = services.apiKeys.followRevocations();

  /** Undoes what `start` began listening to. */
  const stopFollowing: (() => Promise<void>)[] = [];
  /** LISTENs for committed changes; without the connection, a warning says what that costs and the server goes on. */
  async function follow(listening: () => Promise<() => Promise<void>>, costWithout: string) {
    await listening().then(
      (stop) => void stopFollowing.push(stop),
      (error: Error) => logger.warn({ reason: error.message }, `could not LISTEN for changes: ${costWithout}`),
    );
  }

  let stopping: Promise<void> | undefined;

  async function bootstrapSandboxMerchant() {
    if (!config.SANDBOX || !config.BOOTSTRAP_SANDBOX_MERCHANT) return;
    if ((await services.merchants.count()) > 0) return;
    const { merchant, apiKey } = await services.merchants.create({ name: 'Sandbox merchant', sandbox: true });
    logger.info({ merchantId: merchant.id }, 'created the sandbox merchant');
    (options.onSandboxMerchant ?? printSandboxKey)({ merchantId: merchant.id, apiKey });
  }

  return {
    config,
    logger,
    db,
    pubsub,
    services,
    sandbox,
    yoga,
    get url() {
      return url;
    },
    async start() {
      await bootstrapSandboxMerchant();
      // Before the first request: no answer is cached while nobody listens for the changes that end it.
      await Promise.all([
        // Every committed change to what a cached answer shows, whoever wrote it (see the response_cache_notify
        // migration). Listening again after a lost connection may have missed some: then nobody's answers are served again.
        responseCache.enabled &&
          follow(
            () => db.listen(CACHE_CHANGE_CHANNEL, (merchantId) => void responseCache.changed(merchantId || undefined)),
            'the response cache is trusted only up to RESPONSE_CACHE_TTL_MS after a change no service announced',
          ),
        // Provider accounts are kept per instance only while their changes are heard (see provider-accounts.ts).
        follow(() => services.providerAccounts.followChanges(db.listen), 'every use reads the provider account'),
      ]);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => resolve());
      });
      const address = server.address() as AddressInfo;
      url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
      if (config.WORKERS) poller.start();
      if (config.WORKERS) callbackRetries.start();
      if (config.WORKERS) idempotencyPurge.start();
      if (config.WORKERS) cardPoller.start();
      if (config.WORKERS) statementImport.start();
      if (config.WORKERS) await services.webhooks.startWorkers(db.listen);
      logger.info({ url: `${url}/graphql`, database: db.kind, pubsub: pubsub.kind, sandbox: sandbox?.url }, 'paygraph is listening');
      return url;
    },
    stop() {
      stopping ??= (async () => {
        logger.info('stopping: no new connections, finishing what is in flight');
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Subscriptions end with "going away" so clients reconnect elsewhere.
        for (const client of wsServer.clients) client.close(1001, 'server shutting down');
        await wsHandle.dispose();
        await revocations.return?.();
        await stopFollowingKeyRevocations();
        if (inFlight > 0) {
          await Promise.race([
            new Promise<void>((resolve) => (drained = resolve)),
            new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_GRACE_MS).unref()),
          ]);
        }
        for (const socket of sockets) socket.destroy();
        await closed;
        await poller.stop();
        await callbackRetries.stop();
        await idempotencyPurge.stop();
        await cardPoller.stop();
        await statementImport.stop();
        await services.webhooks.stopWorkers();
        await sandbox?.close();
        await pubsub.close();
        metrics.close();
        await Promise.all(stopFollowing.map((stop) => stop()));
        sharedRedis?.disconnect();
        await db.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}

/** The peer's address (IPv4-mapped IPv6 written as IPv4), for rate limits and connection caps. */
function clientIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

/** A label a client cannot invent: the method when it is one of HTTP's, else "other". */
function methodLabel(method: string | undefined): string {
  return method && /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(method) ? method : 'other';
}

/** An error message as a caller may see it again: short (a 100 KB cursor is not repeated back). */
function clip(message: string, max = 200): string {
  return message.length > max ? `${message.slice(0, max)}…` : message;
}

/** yoga's packaged GraphiQL (about 9 MB, every asset inlined): loaded on the first visit, rendered once. */
let graphiqlPage: Promise<string> | undefined;
function localGraphiQL(options: GraphiQLOptions): Promise<string> {
  graphiqlPage ??= import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(options));
  return graphiqlPage;
}

function printSandboxKey({ merchantId, apiKey }: { merchantId: string; apiKey: string }) {
  // Printed once, straight to the terminal (never through the logger): it is a secret.
  process.stdout.write(
    [
      '',
      '  A sandbox merchant was created. Its API key is shown this once:',
      '',
      `    merchant  ${merchantId}`,
      `    API key   ${apiKey}`,
      '',
      '  Send it as "Authorization: Bearer <key>". Make more with `npm run merchant:create`.',
      '',
    ].join('\n') + '\n',
  );
}

/** CORS from configuration: a list of origins, "*", or (unset) any origin outside production and none in it. */
function corsOptions(origins: string | undefined, production: boolean) {
  if (!origins) return production ? false : undefined;
  if (origins.trim() === '*') return { origin: '*' };
  return { origin: origins.split(',').map((origin) => origin.trim()).filter(Boolean), credentials: false };
}

/** Open WebSocket connections per API key id, forgotten as they close. */
class SocketsByKey {
  private readonly sockets = new Map<string, Set<import('ws').WebSocket>>();

  /** `expiresAt`: a short-lived key's connections close when it expires, as a revoked key's do. */
  add(apiKeyId: string, socket: import('ws').WebSocket, expiresAt?: Date | null) {
    const set = this.sockets.get(apiKeyId) ?? new Set();
    set.add(socket);
    this.sockets.set(apiKeyId, set);
    const expiry = expiresAt ? setTimeout(() => socket.close(4403, 'Forbidden: API key expired'), Math.max(0, expiresAt.getTime() - Date.now())) : undefined;
    socket.once('close', () => {
      clearTimeout(expiry);
      set.delete(socket);
      if (set.size === 0) this.sockets.delete(apiKeyId);
    });
  }

  closeAll(apiKeyId: string, code: number, reason: string) {
    for (const socket of this.sockets.get(apiKeyId) ?? []) socket.close(code, reason);
  }
}
