// The bank statement, imported: by polling API Ngân hàng's transaction list
// (worker or on demand) and by its signed transaction.confirmed webhook (which
// reaches us through the inbound pipeline, src/callbacks/bank-webhook.ts).
// Both record their lines through BankStatementLines (bank-statement-lines.ts:
// how a poll and a webhook of one transfer make one row); after writing, the
// lines are matched to orders here, then announced on the bus.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { AppPubSub } from '../pubsub.js';
import type { ConfirmedTransaction } from '../providers/apinganhang/index.js';
import { formatVietnamDate } from '../domain/time.js';
import { fromProviderLine, fromWebhook, type BankStatementLines, type StatementLine } from './bank-statement-lines.js';
import type { BankProvider } from './bank-provider.js';
import type { PaymentMatcher } from './payment-matching.js';

/** The first import of a merchant goes this far back. */
export const FIRST_IMPORT_LOOKBACK_DAYS = 7;
/**
 * Later imports stop paging once lines are older than the last one seen by
 * this much: the bank refreshes about once a minute and may book a line a
 * little after later ones; anything re-read is skipped by (bank, refNo).
 */
export const IMPORT_OVERLAP_MS = 60 * 60_000;


export interface ImportSummary {
  /** Lines read from the provider. */
  fetched: number;
  /** Lines that were new. */
  imported: number;
  /** Orders paid or sent to review by those lines. */
  settled: number;
}

export class BankStatements {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pubsub: AppPubSub,
    private readonly provider: BankProvider,
    private readonly lines: BankStatementLines,
    private readonly matcher: PaymentMatcher,
  ) {}

  /**
   * Reads every page since the last seen point, records the new lines,
   * matches them. Safe to run concurrently with itself and with webhooks.
   */
  async importMerchant(merchantId: string, actor: string): Promise<ImportSummary> {
    const cursor = await this.prisma.bankSyncCursor.findUnique({ where: { merchantId } });
    const lastSeen = cursor?.lastSeenAt ?? null;
    const since = lastSeen ? new Date(lastSeen.getTime() - IMPORT_OVERLAP_MS) : new Date(Date.now() - FIRST_IMPORT_LOOKBACK_DAYS * 86_400_000);
    const startedAt = new Date();
    const lines: StatementLine[] = [];
    await this.provider.with(merchantId, async (client) => {
      // Newest first: once a line is older than `since`, every later one is too.
      for await (const line of client.iterateTransactions({ dateFrom: formatVietnamDate(since) })) {
        if (lastSeen && line.transactionTime < since) break;
        lines.push(fromProviderLine(line));
      }
    });
    const inserted = await this.lines.record(merchantId, lines, 'POLL');
    const newest = lines.reduce<Date | null>((max, line) => (!max || line.transactionTime > max ? line.transactionTime : max), null);
    await this.prisma.bankSyncCursor.upsert({
      where: { merchantId },
      create: { merchantId, lastSeenAt: newest, lastSyncedAt: startedAt, lastError: null },
      update: { lastSyncedAt: startedAt, lastError: null },
    });
    // Only forward: two imports running at once must not move the cursor back.
    if (newest) await this.prisma.bankSyncCursor.updateMany({ where: { merchantId, OR: [{ lastSeenAt: null }, { lastSeenAt: { lt: newest } }] }, data: { lastSeenAt: newest } });
    await this.prisma.bankAccount.updateMany({ where: { merchantId, active: true }, data: { lastSyncedAt: startedAt } });
    const { settled } = await this.matcher.matchPending(actor, merchantId);
    this.announce(merchantId, inserted);
    return { fetched: lines.length, imported: inserted.length, settled };
  }

  /** Records an import failure on the cursor (shown to whoever looks at it; the worker tries again next interval). */
  async recordImportError(merchantId: string, error: Error) {
    const message = `${error.name}: ${error.message}`.slice(0, 500);
    await this.prisma.bankSyncCursor.upsert({ where: { merchantId }, create: { merchantId, lastError: message }, update: { lastError: message } });
  }

  /** A verified transaction.confirmed webhook: the line recorded (once per trans_id), matched, announced. */
  async recordWebhook(merchantId: string, transaction: ConfirmedTransaction, actor: string): Promise<void> {
    const inserted = await this.lines.record(merchantId, [fromWebhook(transaction)], 'WEBHOOK');
    await this.matcher.matchPending(actor, merchantId);
    this.announce(merchantId, inserted);
  }

  private announce(merchantId: string, rows: { id: string; bankAccountId: string | null }[]) {
    for (const row of rows) this.pubsub.publish('merchant:bank-transactions', merchantId, { bankTransactionId: row.id, merchantId, bankAccountId: row.bankAccountId });
  }
}
