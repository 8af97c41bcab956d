// Delivery survives the server: a change committed by an instance that stops
// before any webhook went out is delivered by the next instance on the same
// database; the CLI manages endpoints there; and two instances on one
// PostgreSQL send each attempt once.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { createMerchant, createTestDatabase, postgresAvailable, startTestApp, TEST_SECRETS_KEY, type TestApp } from '../support/harness.js';
import { loadConfig } from '../../src/config.js';
import { runWebhookCommand } from '../../src/webhooks/cli.js';
import { createCashIn } from '../support/orders.js';
import { createEndpoint, startReceiver, until, type Receiver } from './support.js';

describe('on a data directory that outlives each process (PGlite on disk)', () => {
  let dataDir: string;
  let receiver: Receiver;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'paygraph-webhooks-'));
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('delivers after a restart what it had committed but not sent', async () => {
    // The first instance commits the order and stops before any worker ran: no feed event, no delivery, no request.
    const first = await startTestApp({ DATA_DIR: dataDir, WORKERS: 'false' });
    let secret: string;
    let orderId: string;
    try {
      const merchant = await createMerchant(first.app);
      secret = (await createEndpoint(first.url, merchant.apiKey, { url: receiver.url, eventTypes: ['ORDER_CREATED'] })).data.secret;
      orderId = (await createCashIn(first.url, merchant.apiKey, { amount: '180000', idempotencyKey: 'before-stop' })).data.id;
      expect(await first.app.db.prisma.webhookDelivery.count()).toBe(0);
    } finally {
      await first.stop();
    }
    expect(receiver.connections).toBe(0);

    const second = await startTestApp({ DATA_DIR: dataDir });
    try {
      const [webhook] = await receiver.waitFor(1);
      expect(new Webhook(secret).verify(webhook!.body, webhook!.headers)).toMatchObject({ type: 'order.created', data: { id: orderId } });
    } finally {
      await second.stop();
    }
  });

  it('manages endpoints from the command line, printing a secret only when one is made', async () => {
    const app = await startTestApp({ DATA_DIR: dataDir, WORKERS: 'false' });
    const { merchantId } = await createMerchant(app.app);
    await app.stop();
    const config = loadConfig({ DATA_DIR: dataDir, SECRETS_KEY: TEST_SECRETS_KEY, LOG_LEVEL: 'silent' });
    const cli = async (...args: string[]) => {
      const lines: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
      const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line));
      try {
        await runWebhookCommand([...args, '--merchant', merchantId], config, (message) => new Error(message));
      } finally {
        log.mockRestore();
        error.mockRestore();
      }
      return lines.join('\n');
    };
    const created = await cli('create', '--url', receiver.url, '--events', 'order.created,order.succeeded', '--description', 'from the CLI');
    const secret = /signing secret (whsec_\S+)/.exec(created)?.[1];
    expect(secret).toBeDefined();
    const id = JSON.parse(created.slice(0, created.indexOf('\nsigning secret'))).id as string;
    const listed = await cli('list');
    expect(JSON.parse(listed)).toEqual([expect.objectContaining({ id, url: receiver.url, eventTypes: ['order.created', 'order.succeeded'], description: 'from the CLI', enabled: true })]);
    expect(listed).not.toMatch(/whsec_|sealed/);
    const rotated = await cli('rotate', id, '--grace-hours', '2');
    expect(/new signing secret (whsec_\S+)/.exec(rotated)?.[1]).not.toBe(secret);
    expect(JSON.parse(await cli('disable', id))).toMatchObject({ enabled: false, disabledReason: 'disabled by the merchant' });
    expect(await cli('create', '--url', 'https://10.0.0.1/hook', '--events', 'order.created')).toMatch(/^paygraph: url: 10\.0\.0\.1 is not a public address \(private\)/);
    process.exitCode = undefined;
    expect(await cli('delete', id)).toBe(`deleted ${id}`);
  });
});

const available = await postgresAvailable();
if (!available) console.warn('PostgreSQL is not reachable here: the two-instance webhook test does not run on this machine (it runs on CI).');

describe.runIf(available)('two instances on one PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: TestApp;
  let b: TestApp;
  let receiver: Receiver;
  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { DATABASE_URL: database.url, WEBHOOK_RETRY_BASE_MS: '10', WEBHOOK_RETRY_MAX_DELAY_MS: '40' };
    [a, b] = await Promise.all([startTestApp(env), startTestApp(env)]);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await Promise.allSettled([a?.stop(), b?.stop(), receiver?.close()]);
    await database?.drop();
  });

  it('sequences each change once and sends each attempt once, retries included', async () => {
    const merchant = await createMerchant(a.app);
    // Each event is refused twice, then accepted: three attempts per event, whichever instance makes them.
    const seen = new Map<string, number>();
    receiver.answer = (request) => {
      const count = (seen.get(request.headers['webhook-id']!) ?? 0) + 1;
      seen.set(request.headers['webhook-id']!, count);
      return count <= 2 ? 500 : 204;
    };
    const endpointId = (await createEndpoint(a.url, merchant.apiKey, { url: receiver.url, eventTypes: ['ORDER_CREATED'] })).data.endpoint.id as string;
    const orders = await Promise.all(Array.from({ length: 10 }, (_, i) => createCashIn(i % 2 ? a.url : b.url, merchant.apiKey, { amount: String(100_000 + i), idempotencyKey: `both-${i}` })));

    await receiver.waitFor(30);
    const deliveries = await until(
      () => a.app.db.prisma.webhookDelivery.findMany({ where: { endpointId }, include: { attempts: { orderBy: { number: 'asc' } } } }),
      (rows) => rows.length === 10 && rows.every((row) => row.status === 'DELIVERED'),
    );
    expect(deliveries.map((row) => row.attempts.map((attempt) => attempt.responseStatus))).toEqual(Array(10).fill([500, 500, 204]));
    expect(receiver.received).toHaveLength(30);
    expect([...seen.values()]).toEqual(Array(10).fill(3));

    const feed = await a.app.db.prisma.feedEvent.findMany({ where: { merchantId: merchant.merchantId }, orderBy: { position: 'asc' } });
    expect(feed.map((event) => event.objectId).sort()).toEqual(orders.map((order) => order.data.id).sort());
  });
});
