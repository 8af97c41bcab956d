// The statement import: every page, no duplicates (also across a restart of
// the app on the same data directory), done by the worker on its own.
import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createMerchant, gql, startTestApp } from '../support/harness.js';
import { bankLine, countProviderCalls, syncStatement, waitForRows } from './support.js';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('the statement import', () => {
  it('reads every page and records each line once, however often it runs', async () => {
    const t = await startTestApp({ WORKERS: 'false' });
    try {
      const m = await createMerchant(t.app);
      for (let i = 0; i < 230; i++) await bankLine(t.app, { amount: 1_000 + i, description: `line ${i}`, ref_no: `FTPAGE${String(i).padStart(4, '0')}`, at: minutesAgo(240 - i) });
      const calls = countProviderCalls(t.app);
      const first = await syncStatement(t.url, m.apiKey);
      expect(first).toMatchObject({ fetched: 230, imported: 230 });
      // 100 a page: three pages.
      expect(calls.count('/transactions/index.php')).toBe(3);
      const again = await syncStatement(t.url, m.apiKey);
      expect(again.imported).toBe(0);

      const rows = await t.app.db.prisma.bankTransaction.findMany({ where: { merchantId: m.merchantId } });
      expect(rows).toHaveLength(230);
      expect(new Set(rows.map((r) => r.refNo)).size).toBe(230);
      expect(rows.every((r) => r.source === 'POLL' && r.bankAccountId !== null && r.providerId !== null)).toBe(true);
      const newest = rows.reduce((max, r) => (r.transactionTime > max ? r.transactionTime : max), new Date(0));
      const cursor = await t.app.db.prisma.bankSyncCursor.findUniqueOrThrow({ where: { merchantId: m.merchantId } });
      expect(cursor.lastSeenAt).toEqual(newest);

      // Paging through the API sees every line once.
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const page: any = await gql(t.url, `query($after: String) { transactions(first: 100, after: $after) { edges { node { refNo } } pageInfo { hasNextPage endCursor } totals { count totalIn } } }`, { after }, m.apiKey);
        expect(page.errors).toBeUndefined();
        seen.push(...page.data.transactions.edges.map((e: { node: { refNo: string } }) => e.node.refNo));
        expect(page.data.transactions.totals.count).toBe(230);
        expect(page.data.transactions.totals.totalIn).toBe(String(Array.from({ length: 230 }, (_, i) => 1_000 + i).reduce((a, b) => a + b, 0)));
        after = page.data.transactions.pageInfo.hasNextPage ? page.data.transactions.pageInfo.endCursor : null;
      } while (after);
      expect(seen).toHaveLength(230);
      expect(seen[0]).toBe('FTPAGE0229');
      expect(new Set(seen).size).toBe(230);
    } finally {
      await t.stop();
    }
  });

  it('is run by the worker, and continues after a restart without duplicating what it had', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'paygraph-bank-'));
    const env = { DATA_DIR: dir, STATEMENT_IMPORT_INTERVAL_MS: '100' };
    const old = Array.from({ length: 120 }, (_, i) => ({ amount: 5_000 + i, description: `before restart ${i}`, ref_no: `FTOLD${String(i).padStart(4, '0')}`, at: minutesAgo(90 - i / 2) }));
    try {
      const first = await startTestApp(env);
      let merchant: { merchantId: string; apiKey: string };
      try {
        merchant = await createMerchant(first.app);
        for (const line of old) await bankLine(first.app, line);
        expect(await waitForRows(first.app, merchant.merchantId, 120)).toBe(120);
        const cursor = await first.app.db.prisma.bankSyncCursor.findUniqueOrThrow({ where: { merchantId: merchant.merchantId } });
        expect(cursor.lastError).toBeNull();
      } finally {
        await first.stop();
      }

      // A new process: a new sandbox too, whose bank still shows the old lines (same references), plus new ones.
      const second = await startTestApp(env);
      try {
        for (const line of old) await bankLine(second.app, line);
        for (let i = 0; i < 130; i++) await bankLine(second.app, { amount: 7_000 + i, description: `after restart ${i}`, ref_no: `FTNEW${String(i).padStart(4, '0')}`, at: minutesAgo(30 - i / 10) });
        expect(await waitForRows(second.app, merchant.merchantId, 250)).toBe(250);
        // Importing once more finds nothing new.
        expect((await syncStatement(second.url, merchant.apiKey)).imported).toBe(0);
        const rows = await second.app.db.prisma.bankTransaction.findMany({ where: { merchantId: merchant.merchantId } });
        expect(rows).toHaveLength(250);
        expect(new Set(rows.map((r) => r.refNo)).size).toBe(250);
        expect(rows.filter((r) => r.refNo.startsWith('FTOLD'))).toHaveLength(120);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
