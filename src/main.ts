// The command line: `paygraph start | migrate | migration <name> | merchant create
// | schema print|check | sandbox`. npm scripts call these (see package.json).
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
  schema print                  write schema.graphql from the code
  schema check                  fail when schema.graphql is stale
  sandbox                       run the provider simulators alone
`;

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start(config());
    case 'migrate': {
      const { openDatabase } = await import('./db/client.js');
      const { applyMigrations } = await import('./db/migrations.js');
      const cfg = config();
      const db = await openDatabase(databaseTarget(cfg));
      try {
        const applied = await applyMigrations(db);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      } finally {
        await db.close();
      }
      return;
    }
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
      const { values } = parseArgs({ args: rest.slice(1), options: { name: { type: 'string' }, sandbox: { type: 'boolean' } } });
      const cfg = config();
      const { openDatabase } = await import('./db/client.js');
      const { applyMigrations } = await import('./db/migrations.js');
      const { ApiKeys } = await import('./services/api-keys.js');
      const { Merchants } = await import('./services/merchants.js');
      const db = await openDatabase(databaseTarget(cfg));
      try {
        await applyMigrations(db);
        const merchants = new Merchants(db.prisma, new ApiKeys(db.prisma));
        const { merchant, apiKey } = await merchants.create({ name: values.name ?? 'Merchant', sandbox: values.sandbox ?? false });
        console.log(`merchant ${merchant.id} (${merchant.name}${merchant.sandbox ? ', sandbox' : ''})\nAPI key ${apiKey}\nThe key is shown this once: store it now.`);
      } finally {
        await db.close();
      }
      return;
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
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  }
}

class UsageError extends Error {}

function config(): Config {
  return loadConfig();
}

function databaseTarget(cfg: Config) {
  return cfg.DATABASE_URL
    ? ({ kind: 'postgres', url: cfg.DATABASE_URL } as const)
    : ({ kind: 'pglite', dataDir: cfg.dataDir } as const);
}

async function start(cfg: Config) {
  const { buildApp } = await import('./app.js');
  const logger = createLogger(cfg.LOG_LEVEL);
  const app = await buildApp(cfg, { logger });
  await app.start();
  let signals = 0;
  const shutdown = (signal: string) => {
    if (++signals > 1) process.exit(1); // a second Ctrl-C means "now"
    logger.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main(process.argv.slice(2)).catch((error) => {
  if (error instanceof ConfigError) console.error(`paygraph: ${error.message}`);
  else if (error instanceof UsageError) console.error(`paygraph: ${error.message}\n\n${usage}`);
  else console.error(error);
  process.exit(error instanceof UsageError ? 64 : 1);
});
