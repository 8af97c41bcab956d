// VNKash has no status field anywhere. Its history lists movements that
// happened, so (decision) a history row of the order's kind means the money
// moved (SUCCEEDED, with the row's amount), no row means not yet (PENDING),
// and a row of another or unknown type is kept raw with status null. A row
// counts only when it cannot be another order's (historyRowsOf).
// The document shows only type "DEPOSIT"; "WITHDRAW" and "TRANSFER" are assumed.
import type { ProviderReportedStatus } from '../../domain/order-status.js';
import type { OrderRef, StatusReport } from '../types.js';
import type { VnKashHistoryRow } from './schemas.js';

export const vnKashOrderKinds = ['DEPOSIT', 'WITHDRAWAL', 'TRANSFER'] as const;
export type VnKashOrderKind = (typeof vnKashOrderKinds)[number];

export const vnKashHistoryTypes = ['DEPOSIT', 'WITHDRAW', 'TRANSFER'] as const;
export type VnKashHistoryType = (typeof vnKashHistoryTypes)[number];

export const expectedHistoryType: Record<VnKashOrderKind, VnKashHistoryType> = {
  DEPOSIT: 'DEPOSIT',
  WITHDRAWAL: 'WITHDRAW',
  TRANSFER: 'TRANSFER',
};

/** The rawStatus reported when no history row belongs to the order. */
export const NOT_IN_HISTORY = 'NOT_IN_HISTORY';

function knownType(raw: string): VnKashHistoryType | null {
  return (vnKashHistoryTypes as readonly string[]).includes(raw.toUpperCase()) ? (raw.toUpperCase() as VnKashHistoryType) : null;
}

/** What one history row says about an order of `kind`. */
export function statusOfHistoryType(kind: VnKashOrderKind, rawType: string): ProviderReportedStatus | null {
  const type = knownType(rawType);
  if (type === null) return null;
  switch (type) {
    case 'DEPOSIT':
    case 'WITHDRAW':
    case 'TRANSFER':
      // A movement of another kind under this order's key contradicts it: surface it, do not guess.
      return expectedHistoryType[kind] === type ? 'SUCCEEDED' : null;
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

const descriptionField = (row: VnKashHistoryRow, key: string): string | undefined => {
  const description = row.description;
  if (!description || typeof description !== 'object') return undefined;
  const value = description[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};

/**
 * The batch a deposit's history row will carry. The deposit answer's
 * description ("1-56665F8E445C0") reads as `<deposit id>-<13 hex>`, and
 * history rows carry a 13-hex batch ("56602A4DAA807"): an inference
 * (providers.md, Revised readings), so a description of another shape ties
 * nothing.
 */
export function depositBatchOf(transferContent: string | undefined): string | undefined {
  const match = /^\d+-([0-9A-F]{13})$/i.exec(transferContent?.trim() ?? '');
  return match?.[1]?.toUpperCase();
}

/** The order a history row is looked for on behalf of. */
export interface HistoryOrder extends Pick<OrderRef, 'kind' | 'requestId' | 'providerReference' | 'transferContent' | 'amount' | 'createdAt'> {}

const abs = (value: bigint) => (value < 0n ? -value : value);

/** A history row that names us: our order code echoed in its description (when the provider honours `order`). */
const namesOurOrder = (row: VnKashHistoryRow, order: HistoryOrder) => descriptionField(row, 'order') === order.requestId;

/**
 * The rows of `rows` that are this order's, and only those that cannot be
 * another order's. `description.index` is not used: the document never says
 * what it is, and its example numbers rows 1 to 10, so it is not our deposit id.
 * - a row that echoes our order code is ours;
 * - a deposit: the row whose batch is the one its description carries;
 * - a transfer: the row with its batch (the transfer's answer gives it);
 * - a withdrawal (its answer gives only an id), or a transfer whose answer
 *   was lost: the one row of its type and amount since it was created; two or
 *   more are ambiguous (none taken: the order goes to a person at its deadline).
 */
export function historyRowsOf(rows: VnKashHistoryRow[], order: HistoryOrder): VnKashHistoryRow[] {
  const echoed = rows.filter((row) => namesOurOrder(row, order));
  if (echoed.length > 0) return echoed;
  switch (order.kind as VnKashOrderKind) {
    case 'DEPOSIT': {
      const batch = depositBatchOf(order.transferContent);
      return batch ? rows.filter((row) => row.batch.toUpperCase() === batch) : [];
    }
    case 'TRANSFER':
      if (order.providerReference) return rows.filter((row) => row.batch === order.providerReference);
      return onlyCandidate(rows, order, 'TRANSFER');
    case 'WITHDRAWAL':
      return onlyCandidate(rows, order, 'WITHDRAWAL');
    default:
      return [];
  }
}

/** The one row of the order's type and amount since it was created (a little slack for the two clocks), or none. */
function onlyCandidate(rows: VnKashHistoryRow[], order: HistoryOrder, kind: 'WITHDRAWAL' | 'TRANSFER'): VnKashHistoryRow[] {
  const since = order.createdAt.getTime() - 60_000;
  const candidates = rows.filter(
    // A row that echoes another order's code is that order's.
    (row) => row.type.toUpperCase() === expectedHistoryType[kind] && abs(row.amount) === order.amount && row.date.getTime() >= since && descriptionField(row, 'order') === undefined,
  );
  return candidates.length === 1 ? candidates : [];
}

/** The unified report from the rows that belong to one order. History rows are the evidence: a row of the order's kind is the money having moved. */
export function statusFromHistory(kind: VnKashOrderKind, rows: VnKashHistoryRow[], raw: unknown): StatusReport {
  if (rows.length === 0) return { status: 'PENDING', rawStatus: NOT_IN_HISTORY, raw };
  const settled = rows.find((row) => statusOfHistoryType(kind, row.type) === 'SUCCEEDED');
  if (!settled) return { status: null, rawStatus: rows.map((row) => row.type).join(','), raw };
  return {
    status: 'SUCCEEDED',
    documented: true,
    rawStatus: settled.type,
    // Outgoing rows may be printed negative; the order's amount is the size of the movement.
    amount: abs(settled.amount),
    fee: abs(settled.fee),
    ...(kind === 'TRANSFER' ? { providerReference: settled.batch } : {}),
    raw,
  };
}

/**
 * Callbacks are undocumented; a status word in one is only a hint (the
 * connector says statusIsSigned: false and the order is confirmed through
 * history.json). Mapped by name; anything else is null, raw kept.
 */
export function statusOfCallbackWord(raw: string): ProviderReportedStatus | null {
  const word = raw.trim().toUpperCase();
  if (['SUCCESS', 'SUCCEEDED', 'COMPLETED', 'COMPLETE', 'PAID', 'DONE'].includes(word)) return 'SUCCEEDED';
  if (['FAILED', 'FAIL', 'ERROR', 'REJECTED'].includes(word)) return 'FAILED';
  if (['CANCEL', 'CANCELED', 'CANCELLED'].includes(word)) return 'CANCELLED';
  if (word === 'EXPIRED') return 'EXPIRED';
  if (['PENDING', 'WAITING', 'CREATED'].includes(word)) return 'PENDING';
  if (word === 'PROCESSING') return 'PROCESSING';
  return null;
}
