// Imports bank statements from API Ngân hàng for every merchant that has an
// account there (sandbox merchants too, while the sandbox runs), once per
// interval each, then matches the new lines to bank-transfer orders. Each
// instance claims the merchants it imports with FOR UPDATE SKIP LOCKED on
// their cursor, so several instances never import the same merchant at once
// (and if they did, (bank, refNo) keeps the rows unique). It also finishes
// matches a crashed instance left half done and drops expired OTP challenges.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import type { BankServices } from '../services/bank.js';
import { PeriodicWorker } from './periodic.js';

export interface StatementImportOptions {
  /** Time between two imports of the same merchant. */
  intervalMs: number;
  /** Time between two passes. */
  tickMs: number;
  /** Merchants claimed per pass. */
  batchSize: number;
}

export const STATEMENT_IMPORT_ACTOR = 'worker:statement-import';

export class StatementImportWorker extends PeriodicWorker {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly bank: BankServices,
    logger: Logger,
    private readonly options: StatementImportOptions,
  ) {
    super(logger, 'statement-import', options.tickMs);
  }

  /** One pass: import the merchants that are due; returns how many were imported. */
  async pass(): Promise<number> {
    const sandboxOn = this.bank.sandboxOn();
    // Every eligible merchant gets a cursor, due now.
    await this.prisma.$executeRaw`
      INSERT INTO "BankSyncCursor" ("merchantId", "nextSyncAt", "updatedAt")
      SELECT m."id", now(), now() FROM "Merchant" m
      WHERE (${sandboxOn} AND m."sandbox")
         OR EXISTS (SELECT 1 FROM "ProviderAccount" a WHERE a."merchantId" = m."id" AND a."provider" = 'APINGANHANG' AND a."enabled")
      ON CONFLICT ("merchantId") DO NOTHING`;
    const interval = `${this.options.intervalMs} milliseconds`;
    const due = await this.prisma.$queryRaw<{ merchantId: string }[]>`
      UPDATE "BankSyncCursor" SET "nextSyncAt" = now() + ${interval}::interval
      WHERE "merchantId" IN (
        SELECT c."merchantId" FROM "BankSyncCursor" c JOIN "Merchant" m ON m."id" = c."merchantId"
        WHERE c."nextSyncAt" <= now()
          AND ((${sandboxOn} AND m."sandbox")
            OR EXISTS (SELECT 1 FROM "ProviderAccount" a WHERE a."merchantId" = m."id" AND a."provider" = 'APINGANHANG' AND a."enabled"))
        ORDER BY c."nextSyncAt" LIMIT ${this.options.batchSize} FOR UPDATE OF c SKIP LOCKED)
      RETURNING "merchantId"`;
    for (const { merchantId } of due) {
      if (this.stopping) break;
      try {
        const summary = await this.bank.statements.importMerchant(merchantId, STATEMENT_IMPORT_ACTOR);
        if (summary.imported > 0) this.logger.info({ merchantId, ...summary }, 'imported bank statement lines');
      } catch (error) {
        this.logger.warn({ merchantId, err: (error as Error).message }, 'could not import a bank statement; will try again next interval');
        await this.bank.statements.recordImportError(merchantId, error as Error).catch(() => {});
      }
    }
    // Lines another instance claimed and never finished (a crash), and lines written by a webhook whose matching failed.
    await this.bank.matcher.matchPending(STATEMENT_IMPORT_ACTOR);
    await this.bank.accounts.purgeExpiredChallenges();
    return due.length;
  }
}
