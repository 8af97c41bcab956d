// `paygraph webhook …`: a merchant's endpoints from the command line, through
// the same service as GraphQL. A running server sends what these commands
// queue (test events, redeliveries) at its next delivery pass.
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { createLogger } from '../logger.js';
import { webhookEventTypes } from '../domain/event-feed.js';
import type { WebhookEndpoint } from '../generated/prisma/client.js';

export const webhookUsage = `  webhook list --merchant ID
  webhook create --merchant ID --url URL --events TYPE,TYPE… [--description TEXT]
                                add an endpoint (its whsec_ secret is printed once)
  webhook update ENDPOINT --merchant ID [--url URL] [--events …] [--description TEXT] [--enable | --disable]
  webhook disable ENDPOINT --merchant ID
  webhook delete ENDPOINT --merchant ID
  webhook rotate ENDPOINT --merchant ID [--grace-hours N]
                                new secret (printed once); the old one signs too for N hours (24)
  webhook test ENDPOINT --merchant ID
                                queue a webhook.test event (a running server sends it)
  webhook deliveries ENDPOINT --merchant ID [--limit N]
                                the delivery log, newest first
  webhook redeliver DELIVERY --merchant ID
`;

const options = {
  merchant: { type: 'string' },
  url: { type: 'string' },
  events: { type: 'string' },
  description: { type: 'string' },
  enable: { type: 'boolean' },
  disable: { type: 'boolean' },
  'grace-hours': { type: 'string' },
  limit: { type: 'string' },
} as const;

export async function runWebhookCommand(args: string[], config: Config, usageError: (message: string) => Error): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options });
  const [action, target] = positionals;
  if (!action || !values.merchant) throw usageError(`webhook commands need an action and --merchant\n\n${webhookUsage}`);
  const merchantId: string = values.merchant;
  const needsTarget = !['list', 'create'].includes(action);
  if (needsTarget && !target) throw usageError(`webhook ${action} needs the id it acts on`);
  const events = values.events?.split(',').map((type) => type.trim()).filter(Boolean);

  const { openDatabase } = await import('../db/client.js');
  const { applyMigrations } = await import('../db/migrations.js');
  const { SealedBox } = await import('../services/sealed-box.js');
  const { loadOrCreateSealingKey, parsePreviousKeys } = await import('../services/secrets-key.js');
  const { createAppPubSub } = await import('../pubsub.js');
  const { createWebhookServices } = await import('./index.js');
  const db = await openDatabase(config.DATABASE_URL ? { kind: 'postgres', url: config.DATABASE_URL } : { kind: 'pglite', dataDir: config.dataDir });
  const pubsub = createAppPubSub();
  try {
    await applyMigrations(db);
    const sealedBox = new SealedBox(await loadOrCreateSealingKey(config.SECRETS_KEY, config.dataDir), parsePreviousKeys(config.SECRETS_KEY_PREVIOUS));
    const { endpoints } = createWebhookServices({ prisma: db.prisma, pubsub: pubsub.pubsub, logger: createLogger('silent'), config, sealedBox });
    const print = (value: unknown) => console.log(JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
    const shown = ({ sealedSecret: _sealed, sealedPreviousSecret: _previous, ...endpoint }: WebhookEndpoint) => endpoint;
    try {
      await run();
    } catch (error) {
      // A refused input is an answer, not a crash.
      if (!['ValidationError', 'NotFoundError'].includes((error as Error).name)) throw error;
      console.error(`paygraph: ${(error as Error).message}`);
      process.exitCode = 1;
    }

    async function run() {
      switch (action) {
        case 'list':
          return print((await endpoints.list(merchantId)).map(shown));
        case 'create': {
          if (!values.url || !events?.length) throw usageError(`webhook create needs --url and --events (${webhookEventTypes.join(', ')})`);
          const { endpoint, secret } = await endpoints.create(merchantId, { url: values.url, eventTypes: events, description: values.description });
          print(shown(endpoint));
          return console.log(`signing secret ${secret}\nThe secret is shown this once: store it now.`);
        }
        case 'update':
          return print(shown(await endpoints.update(merchantId, target!, { url: values.url, eventTypes: events, description: values.description, enabled: values.enable ? true : values.disable ? false : undefined })));
        case 'disable':
          return print(shown(await endpoints.disable(merchantId, target!)));
        case 'delete':
          return console.log(`deleted ${await endpoints.delete(merchantId, target!)}`);
        case 'rotate': {
          const { endpoint, secret } = await endpoints.rotateSecret(merchantId, target!, values['grace-hours'] === undefined ? undefined : Number(values['grace-hours']));
          print(shown(endpoint));
          return console.log(`new signing secret ${secret}\nThe secret is shown this once: store it now.`);
        }
        case 'test':
          return print(await endpoints.sendTest(merchantId, target!));
        case 'deliveries': {
          await endpoints.find(merchantId, target!);
          const limit = Math.min(Math.max(Number(values.limit ?? 20) || 20, 1), 200);
          return print(await db.prisma.webhookDelivery.findMany({ where: { endpointId: target!, merchantId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit, include: { attempts: { orderBy: { number: 'asc' } } } }));
        }
        case 'redeliver':
          return print(await endpoints.redeliver(merchantId, target!));
        default:
          throw usageError(`unknown webhook action "${action}"\n\n${webhookUsage}`);
      }
    }
  } finally {
    await pubsub.close();
    await db.close();
  }
}
