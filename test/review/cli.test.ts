// `paygraph review …` run as a child process, as an operator would, on the
// database a server used (PGlite on disk; the server is stopped first, as
// PGlite has one process at a time).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../../src/db/client.js';
import { createMerchant, startTestApp } from '../support/harness.js';
import { cardInReview, lineInReview, openBankOrder, underpaidBankOrder } from './support.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function paygraph(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

describe('the review commands', () => {
  let dir: string;
  let env: Record<string, string>;
  let ids: { merchantId: string; underpaid: string; open: string; line: string; card: string };
  const actor = `cli:${userInfo().username}`;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'paygraph-review-cli-'));
    env = { DATA_DIR: dir, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'warn' };
    // A server on that data directory puts things in the queue by the real paths, then stops.
    const t = await startTestApp({ DATA_DIR: dir, WORKERS: 'false' });
    try {
      const merchant = await createMerchant(t.app);
      const underpaid = await underpaidBankOrder(t, merchant, 150_000, 100_000);
      const open = await openBankOrder(t, merchant, 64_000);
      const line = await lineInReview(t, merchant, 64_000);
      const card = await cardInReview(t, merchant, 20_000n);
      ids = { merchantId: merchant.merchantId, underpaid: underpaid.id, open: open.id, line: line.id, card: card.id };
    } finally {
      await t.stop();
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lists the queue oldest first, resolves an order and a card charge, ties a line, and refuses with a reason', async () => {
    const list = await paygraph(['review', 'list', '--merchant', ids.merchantId], env);
    expect(list.code, list.output).toBe(0);
    const lines = list.output.trim().split('\n');
    expect(lines.slice(0, 3).map((line) => line.split(/\s+/).slice(1, 4))).toEqual([
      ['ORDER', ids.underpaid, 'UNDERPAID'],
      ['BANK_TRANSACTION', ids.line, 'UNMATCHED_PAYMENT'],
      ['CARD_CHARGE', ids.card, 'UNCONFIRMED_OUTCOME'],
    ]);
    expect(lines[0]).toContain('NEEDS_REVIEW expected 150000 settled 100000');
    expect(lines[3]).toBe('3 waiting');

    const unsaid = await paygraph(['review', 'resolve', 'order', ids.underpaid, '--outcome', 'SUCCEEDED', '--note', 'ok'], env);
    expect([unsaid.code, unsaid.output]).toEqual([1, expect.stringMatching(/^refused: settledAmount: 100000 đ arrived for 150000 đ expected.*nothing changed\n$/)]);
    const resolved = await paygraph(['review', 'resolve', 'order', ids.underpaid, '--outcome', 'succeeded', '--amount', '100000', '--note', 'khách xác nhận chuyển thiếu'], env);
    expect([resolved.code, resolved.output]).toEqual([0, `order ${ids.underpaid}: SUCCEEDED, settled 100000 of 150000\n`]);
    const tied = await paygraph(['review', 'match', ids.line, ids.open, '--note', 'khách quên ghi mã'], env);
    expect([tied.code, tied.output]).toEqual([0, `bank line ${ids.line} tied to order ${ids.open}: SUCCEEDED\n`]);
    const failed = await paygraph(['review', 'resolve', 'card-charge', ids.card, '--outcome', 'FAILED', '--note', 'nhà cung cấp không nhận được thẻ'], env);
    expect([failed.code, failed.output]).toEqual([0, `card charge ${ids.card}: FAILED\n`]);
    // Bad arguments are refused before the database is opened.
    const usage = await paygraph(['review', 'resolve', 'order', ids.underpaid, '--outcome', 'MAYBE', '--note', 'x'], env);
    expect([usage.code, usage.output]).toEqual([64, expect.stringContaining('--outcome: SUCCEEDED or FAILED')]);

    const db: Database = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      const order = await db.prisma.order.findUniqueOrThrow({ where: { id: ids.underpaid }, include: { events: { orderBy: { createdAt: 'asc' } } } });
      expect([order.status, order.settledAmount, order.reviewOpenedAt]).toEqual(['SUCCEEDED', 100_000n, null]);
      expect(order.events.at(-1)).toMatchObject({ fromStatus: 'NEEDS_REVIEW', toStatus: 'SUCCEEDED', cause: 'MANUAL', actor, note: 'khách xác nhận chuyển thiếu' });
      const paid = await db.prisma.order.findUniqueOrThrow({ where: { id: ids.open }, include: { events: { orderBy: { createdAt: 'asc' } } } });
      expect([paid.status, paid.events.at(-1)?.cause, paid.events.at(-1)?.actor]).toEqual(['SUCCEEDED', 'MANUAL', actor]);
      expect(await db.prisma.bankTransaction.findUniqueOrThrow({ where: { id: ids.line } })).toMatchObject({ matchedOrderId: ids.open, reviewOpenedAt: null, reviewedBy: actor, reviewNote: 'khách quên ghi mã' });
      const card = await db.prisma.cardCharge.findUniqueOrThrow({ where: { id: ids.card }, include: { events: { orderBy: { createdAt: 'asc' } } } });
      expect([card.status, card.reviewOpenedAt, card.events.at(-1)?.cause, card.events.at(-1)?.actor]).toEqual(['FAILED', null, 'MANUAL', actor]);
    } finally {
      await db.close();
    }
    // Each run starts a process and opens the database: minutes on a loaded machine, seconds on CI.
  }, 240_000);
});
