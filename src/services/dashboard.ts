// What an operator's overview shows at a glance: the money that moved in a
// period, per provider and method, and how long the review queue has waited.
// Aggregates in the database, a fixed number of statements whatever the
// number of orders (no row per order is read).
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { directionOf, type OrderKind, type ProviderId } from '../providers/types.js';
import { formatVietnamDate } from '../domain/time.js';
import type { ReviewItemKind } from './review/queue.js';

export type MoneyDirection = 'IN' | 'OUT';

/** Settled money of one provider, method and direction in the period. */
export interface MoneyFlowGroup {
  direction: MoneyDirection;
  provider: ProviderId;
  /** Null for card charges (not orders). */
  kind: OrderKind | null;
  /** An order's method (bank, momo, a Hub channel, a VNKash payment), a card charge's telco. */
  method: string | null;
  gateway: string | null;
  count: number;
  amount: bigint;
}

export interface MoneyFlow {
  from: Date;
  to: Date;
  groups: MoneyFlowGroup[];
  totalIn: bigint;
  totalOut: bigint;
}

/** The longest period one question may cover, so one call stays one cheap aggregate. */
export const MAX_MONEY_FLOW_DAYS = 31;

/** Upper bounds of the review-age buckets, in minutes: under 1 h, 1–4 h, 4–24 h, 1–3 days, then more. */
export const REVIEW_AGE_BOUNDS_MINUTES = [60, 240, 1440, 4320] as const;

export interface ReviewAgeBucket {
  minMinutes: number;
  /** Null: open-ended (the oldest bucket). */
  maxMinutes: number | null;
  orders: number;
  cardCharges: number;
  bankTransactions: number;
}

export interface ReviewQueueAge {
  total: number;
  oldestOpenedAt: Date | null;
  buckets: ReviewAgeBucket[];
}

/** Today in Vietnam (UTC+7): [00:00, next 00:00). */
export function vietnamToday(now = new Date()): { from: Date; to: Date } {
  const from = new Date(`${formatVietnamDate(now)}T00:00:00+07:00`);
  return { from, to: new Date(from.getTime() + 24 * 60 * 60 * 1000) };
}

export class Dashboard {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Orders and card charges that reached SUCCEEDED in [from, to), by when they
   * completed. An order counts what was accepted as settled (settledAmount when
   * it differs from amount), a card charge what the provider credited.
   */
  async moneyFlow(merchantId: string, period: { from: Date; to: Date }): Promise<MoneyFlow> {
    const completed = { gte: period.from, lt: period.to };
    const orders = { merchantId, status: 'SUCCEEDED' as const, completedAt: completed };
    const by = ['provider', 'kind', 'method', 'gateway'] as const;
    const [asked, settled, cards] = await Promise.all([
      this.prisma.order.groupBy({ by: [...by], where: { ...orders, settledAmount: null }, _sum: { amount: true }, _count: { _all: true } }),
      this.prisma.order.groupBy({ by: [...by], where: { ...orders, settledAmount: { not: null } }, _sum: { settledAmount: true }, _count: { _all: true } }),
      this.prisma.cardCharge.groupBy({ by: ['telco'], where: { merchantId, status: 'SUCCEEDED', completedAt: completed }, _sum: { amountReceived: true }, _count: { _all: true } }),
    ]);
    const groups = new Map<string, MoneyFlowGroup>();
    const add = (group: Omit<MoneyFlowGroup, 'count' | 'amount'>, count: number, amount: bigint) => {
      const key = JSON.stringify([group.provider, group.kind, group.method, group.gateway]);
      const existing = groups.get(key);
      if (existing) {
        existing.count += count;
        existing.amount += amount;
      } else groups.set(key, { ...group, count, amount });
    };
    for (const row of asked) add(orderGroup(row), row._count._all, row._sum.amount ?? 0n);
    for (const row of settled) add(orderGroup(row), row._count._all, row._sum.settledAmount ?? 0n);
    for (const row of cards) add({ direction: 'IN', provider: 'CARD', kind: null, method: row.telco, gateway: null }, row._count._all, row._sum.amountReceived ?? 0n);
    const list = [...groups.values()].sort((a, b) => (a.direction === b.direction ? (b.amount > a.amount ? 1 : b.amount < a.amount ? -1 : 0) : a.direction === 'IN' ? -1 : 1));
    const total = (direction: MoneyDirection) => list.filter((group) => group.direction === direction).reduce((sum, group) => sum + group.amount, 0n);
    return { ...period, groups: list, totalIn: total('IN'), totalOut: total('OUT') };
  }

  /** How long the merchant's review queue has waited: counts per age bucket and kind, in one statement. */
  async reviewQueueAge(merchantId: string): Promise<ReviewQueueAge> {
    const [b0, b1, b2, b3] = REVIEW_AGE_BOUNDS_MINUTES.map((minutes) => minutes * 60);
    const rows = await this.prisma.$queryRaw<{ kind: ReviewItemKind; bucket: number; count: number; oldest: Date }[]>(Prisma.sql`
      SELECT kind,
             CASE WHEN age < ${b0} THEN 0 WHEN age < ${b1} THEN 1 WHEN age < ${b2} THEN 2 WHEN age < ${b3} THEN 3 ELSE 4 END AS bucket,
             count(*)::int AS count, min(opened) AS oldest
      FROM (
        SELECT kind, opened, EXTRACT(EPOCH FROM (now() - opened)) AS age FROM (
          SELECT 'ORDER' AS kind, "reviewOpenedAt" AS opened FROM "Order" WHERE "merchantId" = ${merchantId}::uuid AND "reviewOpenedAt" IS NOT NULL
          UNION ALL
          SELECT 'CARD_CHARGE', "reviewOpenedAt" FROM "CardCharge" WHERE "merchantId" = ${merchantId}::uuid AND "reviewOpenedAt" IS NOT NULL
          UNION ALL
          SELECT 'BANK_TRANSACTION', "reviewOpenedAt" FROM "BankTransaction" WHERE "merchantId" = ${merchantId}::uuid AND "reviewOpenedAt" IS NOT NULL
        ) waiting
      ) aged
      GROUP BY 1, 2`);
    const bounds = [0, ...REVIEW_AGE_BOUNDS_MINUTES];
    const buckets: ReviewAgeBucket[] = bounds.map((minMinutes, i) => ({ minMinutes, maxMinutes: bounds[i + 1] ?? null, orders: 0, cardCharges: 0, bankTransactions: 0 }));
    const field = { ORDER: 'orders', CARD_CHARGE: 'cardCharges', BANK_TRANSACTION: 'bankTransactions' } as const satisfies Record<ReviewItemKind, keyof ReviewAgeBucket>;
    let oldestOpenedAt: Date | null = null;
    for (const row of rows) {
      buckets[Number(row.bucket)]![field[row.kind]] += Number(row.count);
      if (!oldestOpenedAt || row.oldest < oldestOpenedAt) oldestOpenedAt = row.oldest;
    }
    return { total: rows.reduce((sum, row) => sum + Number(row.count), 0), oldestOpenedAt, buckets };
  }
}

function orderGroup(row: { provider: string; kind: string; method: string | null; gateway: string | null }): Omit<MoneyFlowGroup, 'count' | 'amount'> {
  const kind = row.kind as OrderKind;
  return { direction: directionOf[kind], provider: row.provider as ProviderId, kind, method: row.method, gateway: row.gateway };
}
