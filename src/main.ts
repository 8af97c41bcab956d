// The command line: `paygraph start | migrate | migration <name> | merchant create
// | provider set | secrets rotate | review … | webhook … | schema print|check | sandbox | help`.
// npm scripts and bin/paygraph.js call these (see package.json).
import 'dotenv/config';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';

const usage = `usage: paygraph <command>

  start                         start the server (GraphQL at /graphql)
  migrate                       apply pending database migrations
  migration <name>              create a migration from prisma/schema.prisma
  merchant create [--name N] [--sandbox]
                                create a merchant and print its first API key once
  provider set --merchant ID --provider AZCONNECTPAY|APINGANHANG|VNKASH|CARD field=value …
                                save a provider account (secret fields sealed)
  secrets rotate                re-seal provider secrets with the current SECRETS_KEY
  review list [--merchant ID] [--kind K] [--reason R] [--limit N]
                                what waits for a person, oldest first
  review resolve order|card-charge <id> --outcome SUCCEEDED|FAILED [--amount N] [--real-value N] --note TEXT
  review match <transactionId> <orderId> --note TEXT
  review close <transactionId> --note TEXT
                                a person's decisions (actor cli:<os user>)
  webhook ACTION --merchant ID …
                                webhook endpoints: list, create, update, disable, delete,
                                rotate, test, deliveries, redeliver (\`paygraph webhook\` for details)
  schema print                  write schema.graphql from the code
  schema check                  fail when schema.graphql is stale
  sandbox                       run the provider simulators alone
  help                          this text

With PGlite (no DATABASE_URL), merchant create, provider set, secrets rotate and
migrate are run by the server holding DATA_DIR when one runs.
`;

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start(config());
    case 'migrate':
      return operate(config(), { command: 'migrate' });
    case 'migration': {
      const name = rest[0];
      if (!name) throw new UsageError('migration needs a name: npm run db:migration -- <name>');
      const { createMigration } = await import('./db/migrations.js');
      const folder = await createMigration(name);
      console.log(folder ? `created prisma/migrations/${folder}/migration.sql` : 'schema.prisma and the migrations agree: nothing to create');
      return;
    }
    case 'merchant': {
      if (rest[0] !== 'create') throw new UsageError('merchant create [--name N] [--sandbox]');
      const { values } = parseArguments(rest.slice(1), { name: { type: 'string' }, sandbox: { type: 'boolean' } });
      return operate(config(), { command: 'merchant create', name: (values.name as string | undefined) ?? 'Merchant', sandbox: Boolean(values.sandbox) });
    }
    case 'provider': {
      // paygraph provider set --merchant <id> --provider AZCONNECTPAY apiKey=… privateKey=…
      if (rest[0] !== 'set') throw new UsageError('provider set --merchant <id> --provider <ID> field=value …');
      const { values, positionals } = parseArguments(rest.slice(1), { merchant: { type: 'string' }, provider: { type: 'string' } }, true);
      if (!values.merchant || !values.provider) throw new UsageError('provider set needs --merchant and --provider');
      const fields = Object.fromEntries(
        positionals.map((pair) => {
          const at = pair.indexOf('=');
          if (at < 1) throw new UsageError(`expected field=value, got "${pair}"`);
          return [pair.slice(0, at), pair.slice(at + 1)];
        }),
      );
      return operate(config(), { command: 'provider set', merchantId: String(values.merchant), provider: String(values.provider).toUpperCase(), values: fields });
    }
    case 'secrets': {
      if (rest[0] !== 'rotate') throw new UsageError('secrets rotate');
      return operate(config(), { command: 'secrets rotate' });
    }
    case 'review': {
      const { parseReviewCommand, runReviewCommand } = await import('./cli/review.js');
      const command = parseReviewCommand(rest);
      if (typeof command === 'string') throw new UsageError(command);
      const cfg = config();
      const { openDatabase } = await import('./db/client.js');
      const { applyMigrations } = await import('./db/migrations.js');
      const { createAppPubSub } = await import('./pubsub.js');
      const db = await openDatabase(cfg.DATABASE_URL ? { kind: 'postgres', url: cfg.DATABASE_URL } : { kind: 'pglite', dataDir: cfg.dataDir });
      const pubsub = createAppPubSub(cfg.REDIS_URL);
      try {
        await applyMigrations(db);
        process.exitCode = await runReviewCommand(command, { prisma: db.prisma, pubsub: pubsub.pubsub, logger: createLogger('warn', process.stderr), out: (line) => console.log(line) });
      } finally {
        await pubsub.close();
        await db.close();
      }
      return;
    }
    case 'webhook': {
      const { runWebhookCommand } = await import('./webhooks/cli.js');
      return runWebhookCommand(rest, config(), (message) => new UsageError(message));
    }
    case 'schema': {
      const { printedSchema } = await import('./schema/index.js');
      const file = path.resolve('schema.graphql');
      if (rest[0] === 'print') {
        await writeFile(file, printedSchema());
        console.log('wrote schema.graphql');
        return;
      }
      if (rest[0] === 'check') {
        const committed = await readFile(file, 'utf8').catch(() => '');
        if (committed !== printedSchema()) {
          console.error('schema.graphql is stale: run `npm run schema:print` and commit it');
          process.exitCode = 1;
          return;
        }
        console.log('schema.graphql is up to date');
        return;
      }
      throw new UsageError('schema print | schema check');
    }
    case 'sandbox': {
      const { runStandaloneSandbox } = await import('./sandbox/standalone.js');
      return runStandaloneSandbox(config());
    }
    case 'help':
    case '--help':
    case '-h':
      console.log(usage);
      return;
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  }
}

class UsageError extends Error {}

function config(): Config {
  return loadConfig();
}

function parseArguments(args: string[], options: Record<string, { type: 'string' | 'boolean' }>, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * Runs an operator command (merchant create, provider set, secrets rotate,
 * migrate). PGlite allows one process per data directory: when a server holds
 * it, the server runs the command (src/operator/socket.ts); otherwise, and
 * always on PostgreSQL, this process opens the database itself.
 */
async function operate(cfg: Config, input: Record<string, unknown>) {
  const { OperatorCommandError, parseOperatorRequest, runOperatorRequest } = await import('./operator/commands.js');
  const request = parseOperatorRequest(input);
  const { readDataDirHolder, setLockCommand } = await import('./db/data-dir-lock.js');
  setLockCommand(request.command);
  if (!cfg.DATABASE_URL) {
    if (cfg.DATA_DIR === ':memory:') throw new OperatorCommandError(`${request.command} on DATA_DIR=:memory: would write into a database thrown away at exit: set DATA_DIR or DATABASE_URL`);
    const holder = readDataDirHolder(cfg.dataDir);
    if (holder?.socket) {
      const { sendOperatorRequest } = await import('./operator/socket.js');
      console.log(await sendOperatorRequest(holder.socket, request));
      console.error(`(run by the paygraph server that holds ${cfg.dataDir}: pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''})`);
      return;
    }
    // Held by a process that takes no commands: opening the database below names it.
  }
  const { openLocalOperatorContext } = await import('./operator/local.js');
  const context = await openLocalOperatorContext(cfg, { migrateFirst: request.command !== 'migrate' });
  try {
    console.log(await runOperatorRequest(context, request));
  } finally {
    await context.close();
  }
}

async function start(cfg: Config) {
  const { setLockCommand } = await import('./db/data-dir-lock.js');
  setLockCommand('start');
  const { checkBeforeStart } = await import('./preflight.js');
  // Port, data directory, Redis, PostgreSQL: said plainly before anything is created or printed.
  await checkBeforeStart(cfg);
  const { buildApp } = await import('./app.js');
  const logger = createLogger(cfg.LOG_LEVEL);
  const app = await buildApp(cfg, { logger });
  let operatorSocket: { close(): Promise<void> } | undefined;
  let signals = 0;
  const shutdown = (signal: string) => {
    if (++signals > 1) process.exit(1); // a second Ctrl-C means "now"
    logger.info({ signal }, 'shutting down');
    Promise.resolve(operatorSocket?.close())
      .then(() => app.stop())
      .then(
        () => process.exit(0),
        (error) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  const url = await app.start();
  if (signals === 0) operatorSocket = await acceptOperatorCommands(cfg, app, url);
}

/** A server on a PGlite directory runs the CLI's commands for it (the CLI cannot open the directory meanwhile). */
async function acceptOperatorCommands(cfg: Config, app: import('./app.js').App, url: string) {
  const lock = app.db.dataDirLock;
  if (!lock) return undefined;
  const { listenForOperatorRequests, operatorSocketPath } = await import('./operator/socket.js');
  const { runOperatorRequest } = await import('./operator/commands.js');
  const context = { db: app.db, merchants: async () => app.services.merchants, providerAccounts: async () => app.services.providerAccounts };
  try {
    const socket = await listenForOperatorRequests(operatorSocketPath(cfg.dataDir), (request) => runOperatorRequest(context, request), app.logger);
    lock.announce({ url, socket: socket.path });
    app.logger.info({ socket: socket.path }, 'running the CLI\'s commands for this data directory');
    return socket;
  } catch (error) {
    // The server works without it; the CLI then says the directory is in use instead of writing into it.
    lock.announce({ url });
    app.logger.warn({ reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message }, 'no operator socket: CLI data commands must wait until this server stops');
    return undefined;
  }
}

/** Refusals a user acts on (a setting, a busy port, a held data directory): one line, no stack trace. */
const plainRefusals = new Set(['ConfigError', 'DataDirInUseError', 'OperatorCommandError', 'PreflightError']);

main(process.argv.slice(2)).catch((error) => {
  if (error instanceof UsageError) console.error(`paygraph: ${error.message}\n\n${usage}`);
  else if (error instanceof ConfigError || plainRefusals.has((error as Error | undefined)?.name ?? '')) console.error(`paygraph: ${(error as Error).message}`);
  else console.error(error);
  process.exit(error instanceof UsageError ? 64 : 1);
});
