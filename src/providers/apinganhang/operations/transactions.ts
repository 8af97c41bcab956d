// Bank statement: one page, one transaction, every page of a query, and the
// CSV export.
import { z } from 'zod';
import type { Answer, ApiNganHangHttp } from '../client.js';
import { transactionDetailAnswerSchema, transactionListAnswerSchema } from '../schemas.js';
import { toBankTransaction, type BankTransaction } from '../transaction.js';

export const MAX_PAGE_SIZE = 100;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD (Vietnam calendar)');

/** The filters the document lists; the CSV export accepts the same ones. */
export const transactionFilterSchema = z.object({
  bank: z.string().min(1).optional(),
  /** INCOME = money in, EXPENSE = money out. */
  type: z.enum(['INCOME', 'EXPENSE']).optional(),
  dateFrom: isoDate.optional(),
  dateTo: isoDate.optional(),
  /** Matches the description or the bank reference. */
  search: z.string().min(1).optional(),
  accountId: z.number().int().positive().optional(),
});
export type TransactionFilter = z.input<typeof transactionFilterSchema>;

export const transactionQuerySchema = transactionFilterSchema.extend({
  page: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
});
export type TransactionQuery = z.input<typeof transactionQuerySchema>;

export interface TransactionPage {
  transactions: BankTransaction[];
  pagination: { page: number; limit: number; total: number; totalPages: number };
  /** Over every transaction the filter matches, not just this page. */
  totals: { totalIn: bigint; totalOut: bigint; net: bigint };
}

function filterQuery(filter: z.output<typeof transactionFilterSchema>) {
  return { bank: filter.bank, type: filter.type, date_from: filter.dateFrom, date_to: filter.dateTo, search: filter.search, account_id: filter.accountId };
}

export function transactionOperations(http: ApiNganHangHttp) {
  async function listTransactions(query: TransactionQuery = {}): Promise<Answer<TransactionPage>> {
    const valid = transactionQuerySchema.parse(query);
    const answer = await http.json(
      'listTransactions',
      { query: { page: valid.page, limit: valid.limit, ...filterQuery(valid) }, idempotency: 'safe' },
      transactionListAnswerSchema,
    );
    const { data, pagination, totals } = answer.data;
    return {
      data: {
        transactions: data.map(toBankTransaction),
        pagination: { page: pagination.page, limit: pagination.limit, total: pagination.total, totalPages: pagination.total_pages },
        totals: { totalIn: totals.total_in, totalOut: totals.total_out, net: totals.net },
      },
      raw: answer.raw,
    };
  }

  /**
   * Every transaction matching `filter`, page after page (100 a page). The
   * list is newest first, so a transaction arriving mid-way shifts the pages:
   * lines seen on an earlier page are skipped by id, and the import must still
   * be idempotent (bank + refNo) because a later run will see them again.
   */
  async function* iterateTransactions(filter: TransactionFilter = {}, options: { pageSize?: number; maxPages?: number } = {}): AsyncGenerator<BankTransaction> {
    const limit = options.pageSize ?? MAX_PAGE_SIZE;
    const maxPages = options.maxPages ?? 10_000;
    const seen = new Set<number>();
    for (let page = 1; page <= maxPages; page++) {
      const { data } = await listTransactions({ ...filter, page, limit });
      for (const transaction of data.transactions) {
        if (seen.has(transaction.id)) continue;
        seen.add(transaction.id);
        yield transaction;
      }
      if (data.transactions.length === 0 || page >= data.pagination.totalPages) return;
    }
  }

  return {
    listTransactions,
    iterateTransactions,
    async fetchAllTransactions(filter: TransactionFilter = {}, options: { pageSize?: number; maxPages?: number } = {}): Promise<BankTransaction[]> {
      const all: BankTransaction[] = [];
      for await (const transaction of iterateTransactions(filter, options)) all.push(transaction);
      return all;
    },
    /** One transaction by API Ngân hàng's id (assumed path and answer: `data` is one list item). */
    async getTransaction(id: number): Promise<Answer<BankTransaction>> {
      const answer = await http.json('transactionDetail', { query: { id }, idempotency: 'safe' }, transactionDetailAnswerSchema);
      return { data: toBankTransaction(answer.data.data), raw: answer.raw };
    },
    /** The CSV export as text (UTF-8 decoded, BOM removed), with the same filters as the list. */
    exportTransactionsCsv(filter: TransactionFilter = {}): Promise<string> {
      return http.text('exportTransactions', { query: filterQuery(transactionFilterSchema.parse(filter)), idempotency: 'safe' });
    },
  };
}
