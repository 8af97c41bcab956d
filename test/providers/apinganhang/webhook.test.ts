// The transaction.confirmed webhook: the simulator pushes it when money
// arrives for an order code; a local merchant server verifies it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transactionWebhookAcknowledgement, transactionWebhookRejection, verifyTransactionWebhook, type TransactionWebhookVerdict } from '../../../src/providers/apinganhang/index.js';
import type { InboundCallback } from '../../../src/providers/types.js';
import { createApiNganHangSimulator } from '../../../src/sandbox/apinganhang/index.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';
import { startReceiver, type Receiver } from './receiver.js';

const SECRET = 'whsec-test';
const sim = createApiNganHangSimulator();
let sandbox: RunningSandbox;
let receiver: Receiver;
const verdicts: TransactionWebhookVerdict[] = [];

beforeAll(async () => {
  sandbox = await startSandbox([sim]);
  receiver = await startReceiver((callback) => {
    const verdict = verifyTransactionWebhook(callback, SECRET);
    verdicts.push(verdict);
    return verdict.ok ? transactionWebhookAcknowledgement() : transactionWebhookRejection(verdict);
  });
  sim.controls.setWebhook(`${receiver.url}/webhooks/apinganhang`, SECRET);
});
afterAll(async () => {
  await receiver?.close();
  await sandbox?.close();
});

const post = (body: unknown, method = 'POST'): InboundCallback => ({
  method,
  url: new URL('http://merchant.test/webhooks/apinganhang'),
  headers: { 'content-type': 'application/json' },
  rawBody: typeof body === 'string' ? body : JSON.stringify(body),
  sourceIp: '127.0.0.1',
});

describe('transaction webhook', () => {
  it('verifies the webhook sent for an incoming transfer and answers {"received":true}', async () => {
    const n = receiver.received.length + 1;
    const line = sim.controls.addTransaction({ direction: 'in', amount: 500_000, description: 'CK INV20260416001', orderCode: 'INV20260416001', refNo: 'FT26105370000088' });
    await receiver.nth(n);
    expect(verdicts[n - 1]).toEqual({
      ok: true,
      transaction: { orderCode: 'INV20260416001', amount: 500_000n, bank: 'MBBANK', transId: 'FT26105370000088', account: '0368492618', paidAt: new Date(line.created_at * 1000) },
      // Signed fields only: bank and account are not signed (providers.md, Revised readings).
      eventKey: 'transaction.confirmed:FT26105370000088',
    });
    await sim.deliveries.idle();
    expect(sim.deliveries.log.at(-1)).toMatchObject({ status: 200, responseBody: '{"received":true}' });
  });

  it('sends a duplicate with the same event key (the inbox deduplicates)', async () => {
    const n = receiver.received.length + 1;
    sim.controls.addTransaction({ direction: 'in', amount: 120_000, description: 'CK ORDER-2', orderCode: 'ORDER-2', webhook: 'duplicate' });
    await receiver.nth(n + 1);
    const [a, b] = [verdicts[n - 1]!, verdicts[n]!];
    expect(a.ok && b.ok && a.eventKey === b.eventKey).toBe(true);
  });

  it('sends nothing for money out or without an order code', async () => {
    const before = receiver.received.length;
    sim.controls.addTransaction({ direction: 'out', amount: 10_000, description: 'phí', orderCode: 'X' });
    sim.controls.addTransaction({ direction: 'in', amount: 10_000, description: 'không mã' });
    await sim.deliveries.idle();
    expect(receiver.received.length).toBe(before);
  });

  it("verifies the document's sample payload", () => {
    // printf '%s' 'INV20260416001|500000|FT26105370000088|1776395400' | openssl dgst -sha256 -hmac 'YOUR_SECRET'
    const sample = {
      event: 'transaction.confirmed',
      order_code: 'INV20260416001',
      amount: 500000,
      bank: 'MBBANK',
      trans_id: 'FT26105370000088',
      account: '0368492618',
      paid_at: 1776395400,
      sign: '238152f419564ea82966db039e2bf5c41217f80108e9e9efa93f148c28395c04',
    };
    expect(verifyTransactionWebhook(post(sample), 'YOUR_SECRET')).toMatchObject({ ok: true, transaction: { amount: 500_000n, paidAt: new Date('2026-04-17T03:10:00Z') } });
  });

  it('rejects a webhook whose amount was changed, answering 403', async () => {
    const n = receiver.received.length + 1;
    sim.controls.addTransaction({ direction: 'in', amount: 77_000, description: 'CK ORDER-3', orderCode: 'ORDER-3' });
    const genuine = await receiver.nth(n);
    const body = JSON.parse(genuine.rawBody);
    const verdict = verifyTransactionWebhook({ ...genuine, rawBody: JSON.stringify({ ...body, amount: 770_000 }) }, SECRET);
    expect(verdict).toMatchObject({ ok: false, reason: 'bad-signature' });
    if (!verdict.ok) expect(transactionWebhookRejection(verdict).status).toBe(403);
  });

  it('rejects a webhook signed with another secret, or without a sign', async () => {
    const n = receiver.received.length + 1;
    sim.controls.addTransaction({ direction: 'in', amount: 88_000, description: 'CK ORDER-4', orderCode: 'ORDER-4' });
    const genuine = await receiver.nth(n);
    expect(verifyTransactionWebhook(genuine, 'another-secret')).toMatchObject({ ok: false, reason: 'bad-signature' });
    const { sign: _sign, ...unsigned } = JSON.parse(genuine.rawBody);
    expect(verifyTransactionWebhook(post(unsigned), SECRET)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a body that is not JSON, a GET, and a fractional amount', () => {
    expect(verifyTransactionWebhook(post('order_code=1'), SECRET)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyTransactionWebhook(post({}, 'GET'), SECRET)).toMatchObject({ ok: false, reason: 'method' });
    // printf '%s' 'A|100.5|T|1776395400' | openssl dgst -sha256 -hmac 'whsec-test'
    const fractional = { event: 'transaction.confirmed', order_code: 'A', amount: 100.5, trans_id: 'T', paid_at: 1776395400, sign: 'feb4cd4ad6d9f8375e8d86967c9ef7204cd1b3ae91e975898f37776a34eeddf6' };
    expect(verifyTransactionWebhook(post(fractional), SECRET)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
