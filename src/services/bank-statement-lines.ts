// Recording bank statement lines, from either sighting: a polled line is keyed
// by (merchant, bank, refNo); a webhook line by (merchant, trans_id) alone,
// because the webhook does not sign `bank` or `account`: a replay with either
// changed is the same line. A poll and a webhook of the same transfer make one
// row whichever comes first (the poll then fills in what the webhook does not
// carry or sign: bank, account, description, balance, ids). Writes of one
// merchant's lines are serialized (an advisory lock) so those checks cannot
// race. Matching and announcing are the importer's (bank-statements.ts).
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import type { BankTransaction as ProviderLine, ConfirmedTransaction } from '../providers/apinganhang/index.js';
import type { BankAccounts } from './bank-accounts.js';

/** One statement line in our shape, from a poll or a webhook. */
export type StatementLine = {
  bank: string;
  refNo: string;
  amount: bigint;
  direction: 'IN' | 'OUT';
  description: string;
  accountNumber: string;
  balanceAfter: bigint | null;
  transactionTime: Date;
  providerId: string | null;
  providerOrderCode: string | null;
};

/**
 * Bank text as PostgreSQL stores it: a NUL (refused by PostgreSQL) or another
 * control character in one description must not make every later import of
 * the statement fail on the same line.
 */
// eslint-disable-next-line no-control-regex
const storable = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ');

/** The provider's line in our shape. A line without ref_no is keyed by the provider's id (else they would all collapse into one). */
export function fromProviderLine(line: ProviderLine): StatementLine {
  return {
    bank: storable(line.bank),
    refNo: storable(line.refNo) || `id:${line.id}`,
    amount: line.amount,
    direction: line.direction,
    description: storable(line.description),
    accountNumber: storable(line.account),
    balanceAfter: line.balanceAfter,
    transactionTime: line.transactionTime,
    providerId: String(line.id),
    providerOrderCode: null,
  };
}

export function fromWebhook(confirmed: ConfirmedTransaction): StatementLine {
  return {
    bank: storable(confirmed.bank),
    refNo: storable(confirmed.transId),
    // The webhook confirms money in; its amount is a magnitude.
    amount: confirmed.amount < 0n ? -confirmed.amount : confirmed.amount,
    direction: 'IN',
    description: '',
    accountNumber: storable(confirmed.account),
    balanceAfter: null,
    transactionTime: confirmed.paidAt,
    providerId: null,
    providerOrderCode: storable(confirmed.orderCode),
  };
}

export class BankStatementLines {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly accounts: BankAccounts,
    private readonly logger: Logger,
  ) {}

  /**
   * Writes new lines, fills in lines seen before with what this sighting
   * knows, and returns the rows created. A webhook line is the same line as
   * any row with its trans_id (its bank is not signed); a polled line is the
   * same as a row with its bank and ref_no, or as a webhook-only row with its
   * ref_no (the poll's bank and account are the truth).
   */
  async record(merchantId: string, lines: StatementLine[], source: 'POLL' | 'WEBHOOK'): Promise<{ id: string; bankAccountId: string | null }[]> {
    if (lines.length === 0) return [];
    let index = await this.accounts.accountIndex(merchantId);
    if (lines.some((line) => line.accountNumber && !index.has(`${line.bank}|${line.accountNumber}`))) {
      // A line of an account we have not listed yet: list once, best effort (the line is kept either way).
      await this.accounts.sync(merchantId).catch((error) => this.logger.warn({ merchantId, err: (error as Error).message }, 'could not refresh bank accounts while importing'));
      index = await this.accounts.accountIndex(merchantId);
    }
    const accountOf = (line: StatementLine) => index.get(`${line.bank}|${line.accountNumber}`) ?? null;
    const created: { id: string; bankAccountId: string | null }[] = [];
    // Pages of 100 at most, each in one transaction holding the merchant's statement lock.
    for (let start = 0; start < lines.length; start += 100) {
      const chunk = lines.slice(start, start + 100);
      const rows = await this.prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${`bank-lines:${merchantId}`}, 0))`;
        const seen = await tx.bankTransaction.findMany({
          where: { merchantId, refNo: { in: [...new Set(chunk.map((line) => line.refNo))] } },
          select: { id: true, bank: true, refNo: true, providerId: true, providerOrderCode: true, matchedOrderId: true },
        });
        const sameLine = (line: StatementLine) =>
          source === 'WEBHOOK'
            ? seen.find((row) => row.refNo === line.refNo)
            : (seen.find((row) => row.refNo === line.refNo && row.bank === line.bank) ?? seen.find((row) => row.refNo === line.refNo && row.providerId === null));
        const fresh: StatementLine[] = [];
        for (const line of chunk) {
          const row = sameLine(line);
          if (!row) {
            // The same line twice in one page (a provider repeating itself) is one row.
            if (!fresh.some((other) => other.refNo === line.refNo && (source === 'WEBHOOK' || other.bank === line.bank))) fresh.push(line);
            continue;
          }
          if (source === 'POLL' && row.providerId === null) {
            // The webhook came first: the poll brings what it did not carry, and the bank and account it did not sign.
            await tx.bankTransaction.update({
              where: { id: row.id },
              data: {
                bank: line.bank,
                providerId: line.providerId,
                description: line.description,
                balanceAfter: line.balanceAfter,
                accountNumber: line.accountNumber,
                bankAccountId: accountOf(line),
                transactionTime: line.transactionTime,
                // Unmatched so far: the description may name an order; match again.
                ...(row.matchedOrderId ? {} : { matchCheckedAt: null }),
              },
            });
            row.providerId = line.providerId;
          } else if (source === 'WEBHOOK' && line.providerOrderCode && row.providerOrderCode === null) {
            // A webhook after the poll: keep the order code it names, and match again if nothing matched (the code may).
            await tx.bankTransaction.update({ where: { id: row.id }, data: { providerOrderCode: line.providerOrderCode, ...(row.matchedOrderId ? {} : { matchCheckedAt: null }) } });
            row.providerOrderCode = line.providerOrderCode;
          }
        }
        if (fresh.length === 0) return [];
        return tx.bankTransaction.createManyAndReturn({
          data: fresh.map((line) => ({ merchantId, bankAccountId: accountOf(line), source, ...line })),
          skipDuplicates: true,
          select: { id: true, bankAccountId: true },
        });
      });
      created.push(...rows);
    }
    return created;
  }
}
