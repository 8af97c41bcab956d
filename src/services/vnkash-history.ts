// VNKash's history.json as pages: a read-only view, newest first, with a
// cursor of our own because the provider has no page number.
import type { VnKashClient } from '../providers/vnkash/index.js';
import { ProviderNotSupportedError, ValidationError } from '../errors/index.js';

export const VNKASH_HISTORY_MAX = 250;

export interface VnKashHistoryQuery {
  first?: number | null;
  /** A page's olderCursor (with the same filters as that page). */
  before?: string | null;
  from?: Date | null;
  to?: Date | null;
  currency?: string | null;
  batch?: string | null;
}

export interface VnKashHistoryEntry {
  batch: string;
  source: string;
  type: string;
  currency: string;
  amount: bigint;
  fee: bigint;
  date: Date;
  description: unknown;
}

export interface VnKashHistoryPage {
  /** Newest first. */
  rows: VnKashHistoryEntry[];
  /** Pass as `before` for the rows before these; null when there are none. */
  olderCursor: string | null;
}

/**
 * history.json has no page number: it returns at most `record` (≤ 250) rows
 * of a from/to window, and rows carry the minute only ("03/12/2015 11:41").
 * A cursor is therefore a minute and how many of that minute's rows were
 * already shown: the next page asks for the window up to the end of that
 * minute with that many more records, and leaves those out.
 */
interface HistoryCursor {
  minute: number;
  shown: number;
}

const encodeCursor = (cursor: HistoryCursor) => Buffer.from(JSON.stringify([cursor.minute, cursor.shown])).toString('base64url');

function decodeCursor(text: string): HistoryCursor {
  try {
    const [minute, shown] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (Number.isSafeInteger(minute) && (minute as number) % 60_000 === 0 && Number.isInteger(shown) && (shown as number) > 0) return { minute: minute as number, shown: shown as number };
  } catch {
    // falls through to the typed error
  }
  throw new ValidationError('before: a cursor from a previous page (olderCursor)', 'before');
}

/** One page of history.json, newest first, with the cursor of the page before it; `connect` is called only once the query is valid. */
export async function readVnKashHistory(query: VnKashHistoryQuery, connect: () => Promise<Pick<VnKashClient, 'history'>>): Promise<VnKashHistoryPage> {
  const first = query.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > VNKASH_HISTORY_MAX) throw new ValidationError(`first: 1 to ${VNKASH_HISTORY_MAX}`, 'first');
  if (query.currency != null && !/^[A-Z]{3,8}$/.test(query.currency)) throw new ValidationError('currency: a currency code such as VND', 'currency');
  if (query.batch != null && !/^[A-Za-z0-9]{1,64}$/.test(query.batch)) throw new ValidationError('batch: a history reference (letters and digits)', 'batch');
  if (query.from && query.to && query.from > query.to) throw new ValidationError('from: on or before to', 'from');
  const cursor = query.before ? decodeCursor(query.before) : null;
  const skip = cursor?.shown ?? 0;
  if (skip >= VNKASH_HISTORY_MAX) throw new ProviderNotSupportedError('VNKASH', `more than ${VNKASH_HISTORY_MAX - 1} history rows share one minute: history.json cannot page past them; narrow with batch or currency`);
  const record = Math.min(first + skip, VNKASH_HISTORY_MAX);
  const client = await connect();
  // Up to the end of the cursor's minute, but never past the caller's own `to` (the same filters on every page).
  const minuteEnd = cursor ? new Date(cursor.minute + 59_000) : undefined;
  const to = minuteEnd && query.to ? (minuteEnd < query.to ? minuteEnd : query.to) : (minuteEnd ?? query.to ?? undefined);
  const answer = await client.history({
    ...(query.currency ? { currency: query.currency } : {}),
    ...(query.batch ? { batch: query.batch } : {}),
    ...(query.from ? { from: query.from } : {}),
    ...(to ? { to } : {}),
    record,
  });
  // Oldest first, as the document's example runs (a stable sort keeps the provider's order within a minute).
  const ascending = [...answer].sort((a, b) => a.date.getTime() - b.date.getTime());
  let left = skip;
  while (left > 0 && ascending.length > 0 && ascending[ascending.length - 1]!.date.getTime() === cursor!.minute) {
    ascending.pop();
    left--;
  }
  const rows = ascending.reverse().map((row) => ({ ...row, description: row.description ?? null }));
  const windowFull = answer.length >= record;
  const oldest = rows[rows.length - 1];
  let olderCursor: string | null = null;
  if (windowFull && oldest) {
    const minute = oldest.date.getTime() - (oldest.date.getTime() % 60_000);
    const shownInMinute = rows.filter((row) => row.date.getTime() - (row.date.getTime() % 60_000) === minute).length + (cursor?.minute === minute ? skip : 0);
    olderCursor = encodeCursor({ minute, shown: shownInMinute });
  }
  return { rows, olderCursor };
}
