// The rows the sequencer turns into feed events, read in one statement: the
// oldest unsequenced order events (with their order), card-charge events
// (with their charge) and bank lines, and the reviews that changed since the
// feed last announced them. One statement is one snapshot, and every round
// trip counts: the sequencer is the one writer of the feed for the whole
// cluster, so its pass time bounds the feed's throughput.
import type { Prisma } from '../generated/prisma/client.js';

export interface OrderSnapshot {
  id: string;
  merchantId: string;
  kind: string;
  provider: string;
  method: string | null;
  gateway: string | null;
  /** Whole đồng, as text. */
  amount: string;
  fee: string | null;
  settledAmount: string | null;
  currency: string;
  merchantReference: string | null;
  requestId: string;
  providerReference: string | null;
  reviewReason: string | null;
  /** ISO 8601, UTC. */
  expiresAt: string | null;
  createdAt: string;
  completedAt: string | null;
}

export interface OrderEventRow {
  id: string;
  orderId: string;
  merchantId: string;
  fromStatus: string | null;
  toStatus: string;
  cause: string;
  rawStatus: string | null;
  note: string | null;
  /** The bank line the event names (a match by code, or by hand). */
  bankTransactionId: string | null;
  createdAt: Date;
  order: OrderSnapshot;
}

export interface CardEventRow {
  id: string;
  fromStatus: string | null;
  toStatus: string;
  cause: string;
  note: string | null;
  createdAt: Date;
  cardCharge: {
    id: string;
    merchantId: string;
    telco: string;
    declaredValue: string;
    realValue: string | null;
    amountReceived: string | null;
    valueMismatch: boolean;
    providerStatus: number | null;
    requestId: string;
    maskedCode: string;
    maskedSerial: string;
    reviewReason: string | null;
    createdAt: string;
    completedAt: string | null;
  };
}

export interface BankLineRow {
  id: string;
  merchantId: string;
  bankAccountId: string | null;
  bank: string;
  refNo: string;
  amount: string;
  direction: string;
  description: string;
  accountNumber: string;
  balanceAfter: string | null;
  transactionTime: string;
  source: string;
  matchedOrderId: string | null;
  reviewReason: string | null;
  createdAt: Date;
  /** Null while the line is not in the feed yet. */
  feedPosition: string | null;
}

/** A review's state on an order, a card charge or a bank line, against what the feed last announced. */
export interface ReviewStateRow {
  subject: 'order' | 'card_charge' | 'bank_transaction';
  id: string;
  merchantId: string;
  reviewOpenedAt: Date | null;
  feedReviewOpenedAt: Date | null;
  reviewReason: string | null;
  status: string | null;
  at: Date;
  resolvedBy: string | null;
  note: string | null;
}

export type SourceRow = { kind: 'order'; row: OrderEventRow } | { kind: 'card'; row: CardEventRow } | { kind: 'bank'; row: BankLineRow };

/** A review opened, closed or replaced since the feed last announced one. */
export const REVIEW_CHANGED = `("reviewOpenedAt" IS NOT NULL OR "feedReviewOpenedAt" IS NOT NULL) AND "reviewOpenedAt" IS DISTINCT FROM "feedReviewOpenedAt"`;
export const sourceTables = { order: 'OrderEvent', card: 'CardChargeEvent', bank: 'BankTransaction' } as const;
export const reviewTables = { order: 'Order', card_charge: 'CardCharge', bank_transaction: 'BankTransaction' } as const;

/** A timestamp(3) column as ISO 8601 UTC text (the columns hold UTC without a zone). */
const iso = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const text = (column: string) => `${column}::text`;

const bankLineJson = (t: string) => `jsonb_build_object(
  'id', ${t}."id", 'merchantId', ${t}."merchantId", 'bankAccountId', ${t}."bankAccountId", 'bank', ${t}."bank", 'refNo', ${t}."refNo",
  'amount', ${text(`${t}."amount"`)}, 'direction', ${t}."direction", 'description', ${t}."description", 'accountNumber', ${t}."accountNumber",
  'balanceAfter', ${text(`${t}."balanceAfter"`)}, 'transactionTime', ${iso(`${t}."transactionTime"`)}, 'source', ${t}."source",
  'matchedOrderId', ${t}."matchedOrderId", 'reviewReason', ${t}."reviewReason", 'createdAt', ${iso(`${t}."createdAt"`)}, 'feedPosition', ${text(`${t}."feedPosition"`)})`;

function unsequencedSql(batch: number) {
  const orderEvents = `SELECT 'order' AS "kind", jsonb_build_object(
      'id', e."id", 'orderId', e."orderId", 'merchantId', e."merchantId", 'fromStatus', e."fromStatus", 'toStatus', e."toStatus", 'cause', e."cause",
      'rawStatus', e."rawStatus", 'note', e."note", 'bankTransactionId', e."payload"->>'bankTransactionId', 'createdAt', ${iso('e."createdAt"')},
      'order', jsonb_build_object(
        'id', o."id", 'merchantId', o."merchantId", 'kind', o."kind", 'provider', o."provider", 'method', o."method", 'gateway', o."gateway",
        'amount', ${text('o."amount"')}, 'fee', ${text('o."fee"')}, 'settledAmount', ${text('o."settledAmount"')}, 'currency', o."currency",
        'merchantReference', o."merchantReference", 'requestId', o."requestId", 'providerReference', o."providerReference", 'reviewReason', o."reviewReason",
        'expiresAt', ${iso('o."expiresAt"')}, 'createdAt', ${iso('o."createdAt"')}, 'completedAt', ${iso('o."completedAt"')})) AS "row"
    FROM "OrderEvent" AS e JOIN "Order" AS o ON o."id" = e."orderId"
    WHERE e."feedPosition" IS NULL ORDER BY e."createdAt", e."id" LIMIT ${batch}`;
  const cardEvents = `SELECT 'card' AS "kind", jsonb_build_object(
      'id', e."id", 'fromStatus', e."fromStatus", 'toStatus', e."toStatus", 'cause', e."cause", 'note', e."note", 'createdAt', ${iso('e."createdAt"')},
      'cardCharge', jsonb_build_object(
        'id', c."id", 'merchantId', c."merchantId", 'telco', c."telco", 'declaredValue', ${text('c."declaredValue"')}, 'realValue', ${text('c."realValue"')},
        'amountReceived', ${text('c."amountReceived"')}, 'valueMismatch', c."valueMismatch", 'providerStatus', c."providerStatus", 'requestId', c."requestId",
        'maskedCode', c."maskedCode", 'maskedSerial', c."maskedSerial", 'reviewReason', c."reviewReason", 'createdAt', ${iso('c."createdAt"')},
        'completedAt', ${iso('c."completedAt"')})) AS "row"
    FROM "CardChargeEvent" AS e JOIN "CardCharge" AS c ON c."id" = e."cardChargeId"
    WHERE e."feedPosition" IS NULL ORDER BY e."createdAt", e."id" LIMIT ${batch}`;
  const bankLines = `SELECT 'bank' AS "kind", ${bankLineJson('b')} AS "row"
    FROM "BankTransaction" AS b WHERE b."feedPosition" IS NULL ORDER BY b."createdAt", b."id" LIMIT ${batch}`;
  const review = (subject: keyof typeof reviewTables, status: string, at: string, resolvedBy: string, note: string) => `SELECT 'review' AS "kind", jsonb_build_object(
      'subject', '${subject}', 'id', "id", 'merchantId', "merchantId", 'reviewOpenedAt', ${iso('"reviewOpenedAt"')},
      'feedReviewOpenedAt', ${iso('"feedReviewOpenedAt"')}, 'reviewReason', "reviewReason", 'status', ${status}, 'at', ${iso(at)},
      'resolvedBy', ${resolvedBy}, 'note', ${note}) AS "row"
    FROM "${reviewTables[subject]}" WHERE ${REVIEW_CHANGED} LIMIT ${batch}`;
  return [
    orderEvents,
    cardEvents,
    bankLines,
    review('order', '"status"', '"updatedAt"', 'NULL', 'NULL'),
    review('card_charge', '"status"', '"updatedAt"', 'NULL', 'NULL'),
    review('bank_transaction', 'NULL', `COALESCE("reviewedAt", (now() AT TIME ZONE 'UTC')::timestamp(3))`, '"reviewedBy"', '"reviewNote"'),
  ]
    .map((part) => `(${part})`)
    .join(' UNION ALL ');
}

type Json = Record<string, unknown>;
const date = (value: unknown) => (value === null ? null : new Date(value as string));

/** The oldest `batch` unsequenced rows of each table, and the changed reviews (one statement, one snapshot). */
export async function readSourceRows(tx: Prisma.TransactionClient, batch: number): Promise<{ rows: { order: OrderEventRow[]; card: CardEventRow[]; bank: BankLineRow[] }; reviews: ReviewStateRow[] }> {
  const result = await tx.$queryRawUnsafe<{ kind: 'order' | 'card' | 'bank' | 'review'; row: Json }[]>(unsequencedSql(batch));
  const rows = { order: [] as OrderEventRow[], card: [] as CardEventRow[], bank: [] as BankLineRow[] };
  const reviews: ReviewStateRow[] = [];
  for (const { kind, row } of result) {
    if (kind === 'review') reviews.push({ ...row, reviewOpenedAt: date(row.reviewOpenedAt), feedReviewOpenedAt: date(row.feedReviewOpenedAt), at: date(row.at)! } as ReviewStateRow);
    else if (kind === 'order') rows.order.push({ ...row, createdAt: date(row.createdAt)! } as OrderEventRow);
    else if (kind === 'card') rows.card.push({ ...row, createdAt: date(row.createdAt)! } as CardEventRow);
    else rows.bank.push(bankLineFrom(row));
  }
  return { rows, reviews };
}

const bankLineFrom = (row: Json) => ({ ...row, createdAt: date(row.createdAt)! }) as BankLineRow;

/** Bank lines by id (the ones order events name). */
export async function readBankLines(tx: Prisma.TransactionClient, ids: string[]): Promise<BankLineRow[]> {
  if (ids.length === 0) return [];
  const result = await tx.$queryRawUnsafe<{ row: Json }[]>(`SELECT ${bankLineJson('b')} AS "row" FROM "BankTransaction" AS b WHERE b."id" = ANY($1::uuid[])`, ids);
  return result.map(({ row }) => bankLineFrom(row));
}
