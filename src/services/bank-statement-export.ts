// API Ngân hàng's own CSV export of a merchant's statement: the filter checked
// and put in the provider's terms, and the file handed over whole or refused
// as too large for one answer.
import { hasControlCharacters } from '../domain/text.js';
import type { TransactionFilter } from '../providers/apinganhang/index.js';
import { BankStatementExportTooLargeError, ValidationError } from '../errors/index.js';

/** The most paygraph hands over in one GraphQL answer (a month of a busy account is far below this). */
export const BANK_EXPORT_MAX_BYTES = 5 * 1024 * 1024;

export interface BankStatementExport {
  /** The provider's file as it sent it (UTF-8, without its BOM). */
  csv: string;
  bytes: number;
  filename: string;
}

export interface BankExportFilter {
  bank?: string | null;
  direction?: 'IN' | 'OUT' | null;
  /** YYYY-MM-DD, Vietnam calendar. */
  dateFrom?: string | null;
  dateTo?: string | null;
  search?: string | null;
  /** API Ngân hàng's id of a linked account (BankAccount.providerAccountId). */
  accountId?: number | null;
}

function providerFilter(filter: BankExportFilter): TransactionFilter {
  const date = (field: 'dateFrom' | 'dateTo') => {
    const value = filter[field];
    if (value == null) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new ValidationError(`${field}: a date YYYY-MM-DD (Vietnam calendar)`, field);
    return value;
  };
  const dateFrom = date('dateFrom');
  const dateTo = date('dateTo');
  if (dateFrom && dateTo && dateFrom > dateTo) throw new ValidationError('dateFrom: on or before dateTo', 'dateFrom');
  const bank = filter.bank?.trim().toUpperCase();
  if (bank !== undefined && !/^[A-Z0-9]{2,20}$/.test(bank)) throw new ValidationError('bank: a bank code such as MBBANK', 'bank');
  const search = filter.search?.trim();
  if (search !== undefined && (search === '' || search.length > 128 || hasControlCharacters(search))) throw new ValidationError('search: 1–128 characters', 'search');
  if (filter.accountId != null && !(Number.isInteger(filter.accountId) && filter.accountId > 0)) throw new ValidationError('accountId: a positive account id', 'accountId');
  return {
    ...(bank ? { bank } : {}),
    ...(filter.direction ? { type: filter.direction === 'IN' ? 'INCOME' : 'EXPENSE' } : {}),
    ...(dateFrom ? { dateFrom } : {}),
    ...(dateTo ? { dateTo } : {}),
    ...(search ? { search } : {}),
    ...(filter.accountId != null ? { accountId: filter.accountId } : {}),
  };
}

/** Checks the filter, asks the provider for its CSV (`download`), and refuses a file too large for one answer. */
export async function exportStatement(filter: BankExportFilter, download: (query: TransactionFilter) => Promise<string>): Promise<BankStatementExport> {
  const query = providerFilter(filter);
  const csv = await download(query);
  const bytes = Buffer.byteLength(csv, 'utf8');
  if (bytes > BANK_EXPORT_MAX_BYTES) throw new BankStatementExportTooLargeError(bytes, BANK_EXPORT_MAX_BYTES);
  const span = [query.dateFrom, query.dateTo].filter(Boolean).join('_');
  return { csv, bytes, filename: `apinganhang-transactions${span ? `-${span}` : ''}.csv` };
}
