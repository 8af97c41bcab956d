// A crash between two steps (issue 12): an idempotency claim whose process
// died before it created anything is released after its lease, and a
// callback recorded by a process that died before applying it is applied by
// the next one. The crash is real where the sandbox can hold it: it keeps a
// provider answer back while the process's database is cut off under it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant, startTestApp, until } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { orderFromDb, waitForStatus } from '../support/orders.js';
import { newOrder, signedWebhook } from '../bank/support.js';
import { CLAIM_LEASE_MS, hashInput } from '../../src/services/idempotency.js';
import type { ApiNganHangSimulator } from '../../src/sandbox/apinganhang/index.js';
import { created } from './support.js';

describe('an idempotency claim whose process died', () => {
  const { t, merchant } = useTestApp({ WORKERS: 'false' });

  it('is released after its lease, so a retry with the key creates the order (once), instead of a conflict for 24 hours', async () => {
    // What a crash between the claim and the order insert leaves: a claim, nothing attached, older than the lease.
    const input = { provider: 'AZCONNECTPAY', kind: 'CASH_IN', method: 'bank', amount: 125_000n };
    await t.app.db.prisma.idempotencyKey.create({
      data: {
        merchantId: merchant.merchantId,
        key: 'died-after-claim',
        operation: 'create:CASH_IN',
        requestHash: hashInput('create:CASH_IN', input),
        createdAt: new Date(Date.now() - CLAIM_LEASE_MS - 1_000),
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    const order = await created(t.url, merchant.apiKey, 'CreateCashIn', { method: 'BANK', amount: '125000', idempotencyKey: 'died-after-claim' });
    expect(order.status).toBe('PENDING');
    const again = await created(t.url, merchant.apiKey, 'CreateCashIn', { method: 'BANK', amount: '125000', idempotencyKey: 'died-after-claim' });
    expect(again.id).toBe(order.id);
    expect(await t.app.db.prisma.order.count({ where: { merchantId: merchant.merchantId, amount: 125_000n } })).toBe(1);
  });
});

describe('a callback recorded by a process that died before applying it', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'paygraph-crash-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is applied by the next process once its lease has run out', async () => {
    const env = { DATA_DIR: dir, STATEMENT_IMPORT_INTERVAL_MS: '3600000' };
    const first = await startTestApp({ ...env, WORKERS: 'false' });
    const merchant = await createMerchant(first.app);
    const order = await newOrder(first.url, merchant.apiKey, '135000', 'crash-webhook');
    const simulator = first.app.sandbox!.simulators.get('apinganhang') as ApiNganHangSimulator;
    // The line names an account we have not listed: recording it asks API Ngân hàng for the account list, which the sandbox holds.
    simulator.controls.steer('accounts.list', { kind: 'delay', delayMs: 3_000 });
    const held = simulator.controls.nextRequest('accounts.list');
    const body = signedWebhook({ order_code: order.requestId, amount: 135_000, trans_id: `FTCRASH${Date.now()}`, paid_at: Math.floor(Date.now() / 1000), account: '0000000001' });
    const inFlight = fetch(`${first.url}/callbacks/apinganhang`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).catch(() => undefined);
    await held;
    // Recorded, not applied: the process dies here (its database is gone before it can write another thing).
    const row = await first.app.db.prisma.callbackInbox.findFirstOrThrow({ where: { merchantId: merchant.merchantId } });
    expect(row.status).toBe('RECEIVED');
    await first.app.db.close();
    await first.stop().catch(() => undefined);
    await inFlight;

    const second = await startTestApp({ ...env, POLL_INTERVAL_MS: '200' });
    try {
      expect((await orderFromDb(second.app, order.id)).status).toBe('PENDING');
      // The dead process's lease runs out (as a minute passing would).
      await second.app.db.prisma.callbackInbox.update({ where: { id: row.id }, data: { nextAttemptAt: new Date(Date.now() - 1_000) } });
      expect(await waitForStatus(second.app, order.id, ['SUCCEEDED'])).toBe('SUCCEEDED');
      // The inbox row is marked after the change it caused has been published.
      await until(async () => (await second.app.db.prisma.callbackInbox.findUniqueOrThrow({ where: { id: row.id } })).status !== 'RECEIVED');
      const retried = await second.app.db.prisma.callbackInbox.findUniqueOrThrow({ where: { id: row.id } });
      expect([retried.status, retried.attempts]).toEqual(['PROCESSED', 2]);
      expect(await second.app.db.prisma.bankTransaction.count({ where: { merchantId: merchant.merchantId, matchedOrderId: order.id } })).toBe(1);
    } finally {
      await second.stop();
    }
  });
});
