// VNKash has no status field anywhere. Its history lists movements that
// happened, so (decision) a history row of the order's kind means the money
// moved (SUCCEEDED, with the row's amount), no row means not yet (PENDING),
// and a row of another or unknown type is kept raw with status null.
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
 * Whether a history row is this order's. The identification must be positive
 * (a server that ignored our `order`/`batch` filter would otherwise hand us
 * somebody else's movement): our request id in the row's description.order,
 * the deposit/withdrawal id in description.index (the document's
 * {"index": 1} next to deposit id 1), or a transfer's batch.
 */
export function historyRowBelongsTo(row: VnKashHistoryRow, order: Pick<OrderRef, 'kind' | 'requestId' | 'providerReference'>): boolean {
  if (descriptionField(row, 'order') === order.requestId) return true;
  const reference = order.providerReference ?? undefined;
  if (reference === undefined) return false;
  if (order.kind === 'TRANSFER') return row.batch === reference;
  return descriptionField(row, 'index') === reference;
}

const abs = (value: bigint) => (value < 0n ? -value : value);

/** The unified report from the rows that belong to one order. */
export function statusFromHistory(kind: VnKashOrderKind, rows: VnKashHistoryRow[], raw: unknown): StatusReport {
  if (rows.length === 0) return { status: 'PENDING', rawStatus: NOT_IN_HISTORY, raw };
  const settled = rows.find((row) => statusOfHistoryType(kind, row.type) === 'SUCCEEDED');
  if (!settled) return { status: null, rawStatus: rows.map((row) => row.type).join(','), raw };
  return {
    status: 'SUCCEEDED',
    rawStatus: settled.type,
    // Outgoing rows may be printed negative; the order's amount is the size of the movement.
    amount: abs(settled.amount),
    fee: abs(settled.fee),
    providerReference: kind === 'TRANSFER' ? settled.batch : descriptionField(settled, 'index'),
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
