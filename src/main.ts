// The command line: `paygraph start | migrate | migration <name> | merchant create
// | review … | schema print|check | sandbox`. npm scripts call these (see package.json).
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
    case 'provider': {
      // paygraph provider set --merchant <id> --provider AZCONNECTPAY apiKey=… privateKey=…
      if (rest[0] !== 'set') throw new UsageError('provider set --merchant <id> --provider <ID> field=value …');
      const { values, positionals } = parseArgs({ args: rest.slice(1), allowPositionals: true, options: { merchant: { type: 'string' }, provider: { type: 'string' } } });
      if (!values.merchant || !values.provider) throw new UsageError('provider set needs --merchant and --provider');
      const fields = Object.fromEntries(
        positionals.map((pair) => {
          const at = pair.indexOf('=');
          if (at < 1) throw new UsageError(`expected field=value, got "${pair}"`);
          return [pair.slice(0, at), pair.slice(at + 1)];
        }),
      );
      await withAccounts(config(), async (accounts) => {
        await accounts.set(values.merchant!, values.provider!.toUpperCase() as never, fields);
        const described = (await accounts.describe(values.merchant!)).find((a) => a.provider === values.provider!.toUpperCase());
        console.log(JSON.stringify(described, null, 2));
      });
      return;
    }
    case 'secrets': {
      if (rest[0] !== 'rotate') throw new UsageError('secrets rotate');
      await withAccounts(config(), async (accounts) => {
        console.log(`re-sealed ${await accounts.reseal()} provider account(s) with the current SECRETS_KEY`);
      });
      return;
    }
    case 'review': {
      const { parseReviewCommand, runReviewCommand } = await import('./cli/review.js');
      const command = parseReviewCommand(rest);
      if (typeof command === 'string') throw new UsageError(command);
      const cfg = config();
      const { openDatabase } = await import('./db/client.js');
      const { applyMigrations } = await import('./db/migrations.js');
      const { createAppPubSub } = await import('./pubsub.js');
      const db = await openDatabase(databaseTarget(cfg));
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

/** Opens the database and the sealed provider accounts for a one-off command. */
async function withAccounts(cfg: Config, work: (accounts: import('./services/provider-accounts.js').ProviderAccounts) => Promise<void>) {
  await import('./providers/all.js');
  const { openDatabase } = await import('./db/client.js');
  const { applyMigrations } = await import('./db/migrations.js');
  const { ProviderAccounts } = await import('./services/provider-accounts.js');
  const { SealedBox } = await import('./services/sealed-box.js');
  const { loadOrCreateSealingKey, parsePreviousKeys } = await import('./services/secrets-key.js');
  const { createDatabaseNonceSource } = await import('./services/nonces.js');
  const { defaultHttpOptions } = await import('./providers/http.js');
  const db = await openDatabase(databaseTarget(cfg));
  try {
    await applyMigrations(db);
    const box = new SealedBox(await loadOrCreateSealingKey(cfg.SECRETS_KEY, cfg.dataDir), parsePreviousKeys(cfg.SECRETS_KEY_PREVIOUS));
    await work(new ProviderAccounts(db.prisma, box, { http: defaultHttpOptions, nonces: createDatabaseNonceSource(db.prisma) }, () => undefined));
  } finally {
    await db.close();
  }
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
