// The bank statement, imported: by polling API Ngân hàng's transaction list
// (worker or on demand) and by its signed transaction.confirmed webhook. Both
// write through `record`, keyed by (merchant, bank, refNo), so a poll and a
// webhook of the same transfer make one row whichever comes first (the poll
// then fills in what the webhook does not carry: description, balance, ids).
// After writing, lines are matched to orders, then announced on the bus.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { AppPubSub } from '../pubsub.js';
import type { Logger } from '../logger.js';
import type { CallbackReply, InboundCallback } from '../providers/types.js';
import {
  transactionWebhookAcknowledgement,
  transactionWebhookRejection,
  verifyTransactionWebhook,
  type BankTransaction as ProviderLine,
  type ConfirmedTransaction,
} from '../providers/apinganhang/index.js';
import { formatVietnamDate } from '../domain/time.js';
import { normalizeForMatching } from '../domain/payment-matching.js';
import type { BankAccounts } from './bank-accounts.js';
import { BankProviderNotConfiguredError, type BankProvider } from './bank-provider.js';
import type { PaymentMatcher } from './payment-matching.js';

/** The first import of a merchant goes this far back. */
export const FIRST_IMPORT_LOOKBACK_DAYS = 7;
/**
 * Later imports stop paging once lines are older than the last one seen by
 * this much: the bank refreshes about once a minute and may book a line a
 * little after later ones; anything re-read is skipped by (bank, refNo).
 */
export const IMPORT_OVERLAP_MS = 60 * 60_000;

const isUniqueViolation = (error: unknown) => (error as { code?: string })?.code === 'P2002' || /unique constraint/i.test(String((error as Error)?.message));
const reply = (status: number, body: string): CallbackReply => ({ status, contentType: 'text/plain; charset=utf-8', body });

export interface ImportSummary {
  /** Lines read from the provider. */
  fetched: number;
  /** Lines that were new. */
  imported: number;
  /** Orders paid or sent to review by those lines. */
  settled: number;
}

type NewLine = {
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
export function fromProviderLine(line: ProviderLine): NewLine {
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

export function fromWebhook(confirmed: ConfirmedTransaction): NewLine {
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

export class BankStatements {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pubsub: AppPubSub,
    private readonly provider: BankProvider,
    private readonly accounts: BankAccounts,
    private readonly matcher: PaymentMatcher,
    private readonly logger: Logger,
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
    const lines: NewLine[] = [];
    await this.provider.with(merchantId, async (client) => {
      // Newest first: once a line is older than `since`, every later one is too.
      for await (const line of client.iterateTransactions({ dateFrom: formatVietnamDate(since) })) {
        if (lastSeen && line.transactionTime < since) break;
        lines.push(fromProviderLine(line));
      }
    });
    const inserted = await this.record(merchantId, lines, 'POLL');
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

  /**
   * Writes new lines, fills in lines the webhook recorded without details,
   * and returns the ids of the rows created.
   */
  async record(merchantId: string, lines: NewLine[], source: 'POLL' | 'WEBHOOK'): Promise<{ id: string; bankAccountId: string | null }[]> {
    if (lines.length === 0) return [];
    let index = await this.accounts.accountIndex(merchantId);
    if (lines.some((line) => line.accountNumber && !index.has(`${line.bank}|${line.accountNumber}`))) {
      // A line of an account we have not listed yet: list once, best effort (the line is kept either way).
      await this.accounts.sync(merchantId).catch((error) => this.logger.warn({ merchantId, err: (error as Error).message }, 'could not refresh bank accounts while importing'));
      index = await this.accounts.accountIndex(merchantId);
    }
    const accountOf = (line: NewLine) => index.get(`${line.bank}|${line.accountNumber}`) ?? null;
    const created: { id: string; bankAccountId: string | null }[] = [];
    // Pages of 100 at most: one INSERT … ON CONFLICT DO NOTHING each.
    for (let start = 0; start < lines.length; start += 100) {
      const chunk = lines.slice(start, start + 100);
      const rows = await this.prisma.bankTransaction.createManyAndReturn({
        data: chunk.map((line) => ({ merchantId, bankAccountId: accountOf(line), source, ...line })),
        skipDuplicates: true,
        select: { id: true, bankAccountId: true, bank: true, refNo: true },
      });
      created.push(...rows.map(({ id, bankAccountId }) => ({ id, bankAccountId })));
      const createdKeys = new Set(rows.map((row) => `${row.bank}|${row.refNo}`));
      const existing = chunk.filter((line) => !createdKeys.has(`${line.bank}|${line.refNo}`));
      if (existing.length) await this.complete(merchantId, existing, accountOf);
    }
    return created;
  }

  /** A line seen before: add what this sighting knows and the first did not. */
  private async complete(merchantId: string, lines: NewLine[], accountOf: (line: NewLine) => string | null) {
    const polled = lines.filter((line) => line.providerId !== null);
    if (polled.length) {
      const bare = await this.prisma.bankTransaction.findMany({
        where: { merchantId, providerId: null, refNo: { in: polled.map((line) => line.refNo) } },
        select: { id: true, bank: true, refNo: true, matchedOrderId: true },
      });
      for (const row of bare) {
        const line = polled.find((candidate) => candidate.bank === row.bank && candidate.refNo === row.refNo);
        if (!line) continue;
        await this.prisma.bankTransaction.update({
          where: { id: row.id },
          data: {
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
      }
    }
    for (const line of lines.filter((candidate) => candidate.providerOrderCode)) {
      // A webhook after the poll: keep the order code it names, and match again
      // if the description alone matched nothing (the code may).
      const named = await this.prisma.bankTransaction.updateMany({
        where: { merchantId, bank: line.bank, refNo: line.refNo, providerOrderCode: null },
        data: { providerOrderCode: line.providerOrderCode },
      });
      if (named.count > 0) {
        await this.prisma.bankTransaction.updateMany({ where: { merchantId, bank: line.bank, refNo: line.refNo, matchedOrderId: null }, data: { matchCheckedAt: null } });
      }
    }
  }

  /** The transaction.confirmed webhook (POST /callbacks/apinganhang). */
  async receiveWebhook(callback: InboundCallback): Promise<CallbackReply> {
    const log = this.logger.child({ route: 'apinganhang', sourceIp: callback.sourceIp });
    if (callback.method !== 'POST') return transactionWebhookRejection({ ok: false, reason: 'method', detail: callback.method });
    const merchantId = await this.webhookMerchant(callback);
    if (!merchantId) {
      // Nothing to verify it against: nothing is written (a real transfer still arrives by polling).
      log.warn('transaction webhook for no order or merchant we know');
      return reply(404, 'unknown order');
    }
    const webhookSecret = await this.provider.credentials(merchantId).then(
      (credentials) => credentials.webhookSecret,
      (error: Error) => (error instanceof BankProviderNotConfiguredError ? undefined : Promise.reject(error)),
    );
    if (!webhookSecret) {
      log.warn({ merchantId }, 'transaction webhook for a merchant without a webhook secret; refused');
      return transactionWebhookRejection({ ok: false, reason: 'bad-signature', detail: 'no webhook secret configured' });
    }
    const verdict = verifyTransactionWebhook(callback, webhookSecret);
    if (!verdict.ok) {
      log.warn({ merchantId, reason: verdict.reason, detail: verdict.detail }, 'refused a transaction webhook');
      return transactionWebhookRejection(verdict);
    }
    const inserted = await this.record(merchantId, [fromWebhook(verdict.transaction)], 'WEBHOOK');
    try {
      await this.prisma.callbackInbox.create({
        data: {
          provider: 'APINGANHANG',
          eventKey: verdict.eventKey,
          merchantId,
          method: callback.method,
          sourceIp: callback.sourceIp,
          body: callback.rawBody,
          status: 'PROCESSED',
          attempts: 1,
          processedAt: new Date(),
        },
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      log.info({ eventKey: verdict.eventKey }, 'duplicate transaction webhook; already recorded');
    }
    await this.matcher.matchPending(`callback:apinganhang@${callback.sourceIp}`, merchantId);
    this.announce(merchantId, inserted);
    return transactionWebhookAcknowledgement();
  }

  /**
   * Whose webhook this is: `?merchant=<id>` when the merchant put it in the
   * URL configured at API Ngân hàng, else the merchant of the bank-transfer
   * order whose code the webhook names.
   */
  private async webhookMerchant(callback: InboundCallback): Promise<string | null> {
    const named = callback.url.searchParams.get('merchant');
    if (named && /^[0-9a-f-]{36}$/i.test(named)) {
      const merchant = await this.prisma.merchant.findUnique({ where: { id: named }, select: { id: true } });
      if (merchant) return merchant.id;
    }
    let code: unknown;
    try {
      code = (JSON.parse(callback.rawBody) as { order_code?: unknown }).order_code;
    } catch {
      return null;
    }
    if (typeof code !== 'string' || !code) return null;
    const order = await this.prisma.order.findFirst({ where: { kind: 'BANK_TRANSFER', requestId: { in: [...new Set([code, normalizeForMatching(code)])] } }, select: { merchantId: true } });
    return order?.merchantId ?? null;
  }

  private announce(merchantId: string, rows: { id: string; bankAccountId: string | null }[]) {
    for (const row of rows) this.pubsub.publish('merchant:bank-transactions', merchantId, { bankTransactionId: row.id, merchantId, bankAccountId: row.bankAccountId });
  }
}
