// The transaction ledger as the document describes it: newest first, filters
// (bank, type INCOME|EXPENSE, date_from/date_to in the Vietnam calendar,
// search in description or ref_no, account_id), pages (limit ≤ 100) and totals
// over everything the filter matches.
import { epochSeconds, vietnamDate, vietnamDateTime } from './format.js';
import type { SimTransaction } from './store.js';

export class LedgerQueryError extends Error {}

export interface LedgerFilter {
  bank?: string;
  type?: 'in' | 'out';
  dateFrom?: string;
  dateTo?: string;
  search?: string;
  accountId?: number;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the documented query parameters; a malformed one is a 422. */
export function readFilter(query: URLSearchParams): LedgerFilter {
  const filter: LedgerFilter = {};
  const bank = query.get('bank');
  if (bank) filter.bank = bank.toUpperCase();
  const type = query.get('type');
  if (type) {
    if (type === 'INCOME') filter.type = 'in';
    else if (type === 'EXPENSE') filter.type = 'out';
    else throw new LedgerQueryError('type phải là INCOME hoặc EXPENSE');
  }
  for (const [param, key] of [
    ['date_from', 'dateFrom'],
    ['date_to', 'dateTo'],
  ] as const) {
    const value = query.get(param);
    if (value) {
      if (!isoDate.test(value)) throw new LedgerQueryError(`${param} phải có dạng YYYY-MM-DD`);
      filter[key] = value;
    }
  }
  const search = query.get('search');
  if (search) filter.search = search;
  const accountId = query.get('account_id');
  if (accountId) {
    if (!/^\d+$/.test(accountId)) throw new LedgerQueryError('account_id không hợp lệ');
    filter.accountId = Number(accountId);
  }
  return filter;
}

export function readPaging(query: URLSearchParams): { page: number; limit: number } {
  const page = Number.parseInt(query.get('page') ?? '1', 10);
  const limit = Number.parseInt(query.get('limit') ?? '20', 10);
  return {
    page: Number.isFinite(page) && page >= 1 ? page : 1,
    // The document's "max 100": larger asks are clamped, as PHP's min() would.
    limit: Number.isFinite(limit) && limit >= 1 ? Math.min(limit, 100) : 20,
  };
}

export function applyFilter(transactions: SimTransaction[], filter: LedgerFilter): SimTransaction[] {
  const search = filter.search?.toLowerCase();
  return transactions
    .filter((t) => !filter.bank || t.bank === filter.bank)
    .filter((t) => !filter.type || (filter.type === 'in' ? t.amount > 0 : t.amount < 0))
    .filter((t) => !filter.dateFrom || vietnamDate(t.at) >= filter.dateFrom)
    .filter((t) => !filter.dateTo || vietnamDate(t.at) <= filter.dateTo)
    .filter((t) => !search || t.description.toLowerCase().includes(search) || t.refNo.toLowerCase().includes(search))
    .filter((t) => filter.accountId === undefined || t.accountId === filter.accountId)
    .sort((a, b) => b.at.getTime() - a.at.getTime() || b.id - a.id);
}

export function totalsOf(transactions: SimTransaction[]) {
  const totalIn = transactions.filter((t) => t.amount > 0).reduce((sum, t) => sum + t.amount, 0);
  const totalOut = transactions.filter((t) => t.amount < 0).reduce((sum, t) => sum - t.amount, 0);
  return { total_in: totalIn, total_out: totalOut, net: totalIn - totalOut };
}

export function wireTransaction(t: SimTransaction) {
  return {
    id: t.id,
    amount: t.amount,
    bank: t.bank,
    ref_no: t.refNo,
    description: t.description,
    type: t.amount >= 0 ? 'in' : 'out',
    account: t.account,
    balance_after: t.balanceAfter,
    transaction_time: vietnamDateTime(t.at),
    created_at: epochSeconds(t.at),
  };
}

export function listPage(transactions: SimTransaction[], filter: LedgerFilter, paging: { page: number; limit: number }) {
  const matching = applyFilter(transactions, filter);
  const start = (paging.page - 1) * paging.limit;
  return {
    success: true,
    data: matching.slice(start, start + paging.limit).map(wireTransaction),
    pagination: { page: paging.page, limit: paging.limit, total: matching.length, total_pages: Math.ceil(matching.length / paging.limit) },
    totals: totalsOf(matching),
  };
}

const csvCell = (value: string | number) => {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** UTF-8 with a BOM (so spreadsheet programs read the Vietnamese right); filters apply, paging does not. */
export function exportCsv(transactions: SimTransaction[], filter: LedgerFilter): string {
  const header = ['ID', 'Ngân hàng', 'Số tài khoản', 'Mã GD', 'Nội dung', 'Loại', 'Số tiền', 'Số dư sau', 'Thời gian'];
  const rows = applyFilter(transactions, filter).map((t) => [t.id, t.bank, t.account, t.refNo, t.description, t.amount >= 0 ? 'Tiền vào' : 'Tiền ra', t.amount, t.balanceAfter, vietnamDateTime(t.at)]);
  return '\uFEFF' + [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function periodTotals(transactions: SimTransaction[], from: string, to: string) {
  const within = transactions.filter((t) => vietnamDate(t.at) >= from && vietnamDate(t.at) <= to);
  return { ...totalsOf(within), count: within.length };
}

const DAY = 86_400_000;

export function dashboardSummary(transactions: SimTransaction[], now: Date) {
  const today = vietnamDate(now);
  const [year, month] = today.split('-').map(Number) as [number, number];
  const quarterStartMonth = Math.floor((month - 1) / 3) * 3 + 1;
  return {
    today: periodTotals(transactions, today, today),
    week: periodTotals(transactions, vietnamDate(new Date(now.getTime() - 6 * DAY)), today),
    month: periodTotals(transactions, `${today.slice(0, 7)}-01`, today),
    quarter: periodTotals(transactions, `${year}-${String(quarterStartMonth).padStart(2, '0')}-01`, today),
    recent: applyFilter(transactions, {}).slice(0, 5).map(wireTransaction),
  };
}

export function dashboardCharts(transactions: SimTransaction[], now: Date) {
  const daily = [];
  for (let back = 29; back >= 0; back--) {
    const date = vietnamDate(new Date(now.getTime() - back * DAY));
    const { total_in, total_out } = periodTotals(transactions, date, date);
    daily.push({ date, total_in, total_out });
  }
  const banks = [...new Set(transactions.map((t) => t.bank))].sort();
  const categories = banks.map((bank) => {
    const { total_in, total_out } = totalsOf(transactions.filter((t) => t.bank === bank));
    return { name: bank, total_in, total_out };
  });
  return { daily, categories };
}
