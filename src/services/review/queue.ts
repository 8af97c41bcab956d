// The review queue: every order, card charge and bank line of a merchant that
// waits for a person (reviewOpenedAt set), oldest first. Three indexed reads
// (merchantId, reviewOpenedAt), merged by (reviewOpenedAt, id), which is also
// the cursor: a page is stable while items are added or resolved around it.
import type { BankTransaction, CardCharge, Order, Prisma, PrismaClient } from '../../generated/prisma/client.js';
import type { ReviewReason } from '../../domain/order-status.js';

export const reviewItemKinds = ['ORDER', 'CARD_CHARGE', 'BANK_TRANSACTION'] as const;
export type ReviewItemKind = (typeof reviewItemKinds)[number];

/** Whose queue: one merchant's (the API), or every merchant's (an operator's CLI). */
export type ReviewScope = { merchantId: string } | { allMerchants: true };

export const scopeWhere = (scope: ReviewScope) => ('merchantId' in scope ? { merchantId: scope.merchantId } : {});

export interface ReviewFilter {
  kinds?: readonly ReviewItemKind[] | null;
  reasons?: readonly ReviewReason[] | null;
}

/** Where an item sits in the queue. */
export interface ReviewPosition {
  openedAt: Date;
  id: string;
}

export interface ReviewPageRequest {
  scope: ReviewScope;
  filter?: ReviewFilter | null;
  /** Items strictly after / before these positions. */
  after?: ReviewPosition;
  before?: ReviewPosition;
  /** At most this many. */
  limit: number;
  /** Newest first (a backwards page); the default is oldest first. */
  newestFirst?: boolean;
}

/** The Prisma selection to load each kind with (GraphQL passes what the query asks for; default: every column). */
export interface ReviewSelections {
  order?: { select?: Prisma.OrderSelect | null; include?: Prisma.OrderInclude | null };
  cardCharge?: { select?: Prisma.CardChargeSelect | null; include?: Prisma.CardChargeInclude | null };
  bankTransaction?: { select?: Prisma.BankTransactionSelect | null; include?: Prisma.BankTransactionInclude | null };
}

interface Entry<K extends ReviewItemKind, Row> extends ReviewPosition {
  kind: K;
  reason: ReviewReason;
  /** The row, with at least what the selection asked for. */
  row: Row;
}
export type ReviewEntry = Entry<'ORDER', Order> | Entry<'CARD_CHARGE', CardCharge> | Entry<'BANK_TRANSACTION', BankTransaction>;

const comparePositions = (a: ReviewPosition, b: ReviewPosition) => a.openedAt.getTime() - b.openedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The queue's keys are read whatever the caller selected. */
function withKeys<Q extends { select?: object | null; include?: object | null }>(query: Q | undefined) {
  if (query?.select) return { ...query, select: { ...query.select, id: true, reviewOpenedAt: true, reviewReason: true } };
  return query ?? {};
}

function entriesOf<K extends ReviewItemKind, Row extends { id: string; reviewOpenedAt: Date | null; reviewReason: string | null }>(kind: K, rows: Row[]) {
  return rows.map((row) => ({ kind, id: row.id, openedAt: row.reviewOpenedAt!, reason: row.reviewReason, row }));
}

export class ReviewQueue {
  constructor(private readonly prisma: PrismaClient) {}

  /** One page of the queue, in queue order (newest first when asked). */
  async page(request: ReviewPageRequest, selections: ReviewSelections = {}): Promise<ReviewEntry[]> {
    const kinds = this.kindsOf(request.filter);
    const where = this.where(request);
    const direction = request.newestFirst ? 'desc' : 'asc';
    const orderBy = [{ reviewOpenedAt: direction }, { id: direction }] as const;
    const read = { where, orderBy: [...orderBy], take: request.limit };
    // Each kind's first `limit` by the same order hold the merged page's first `limit`.
    const [orders, charges, lines] = await Promise.all([
      kinds.has('ORDER') ? this.prisma.order.findMany({ ...withKeys(selections.order), ...read }) : [],
      kinds.has('CARD_CHARGE') ? this.prisma.cardCharge.findMany({ ...withKeys(selections.cardCharge), ...read }) : [],
      kinds.has('BANK_TRANSACTION') ? this.prisma.bankTransaction.findMany({ ...withKeys(selections.bankTransaction), ...read }) : [],
    ]);
    const entries = [...entriesOf('ORDER', orders as Order[]), ...entriesOf('CARD_CHARGE', charges as CardCharge[]), ...entriesOf('BANK_TRANSACTION', lines as BankTransaction[])] as ReviewEntry[];
    entries.sort((a, b) => (request.newestFirst ? comparePositions(b, a) : comparePositions(a, b)));
    return entries.slice(0, request.limit);
  }

  /** How many items wait, over the whole queue the filter selects. */
  async count(scope: ReviewScope, filter?: ReviewFilter | null): Promise<number> {
    const kinds = this.kindsOf(filter);
    const where = this.where({ scope, filter });
    const counts = await Promise.all([
      kinds.has('ORDER') ? this.prisma.order.count({ where }) : 0,
      kinds.has('CARD_CHARGE') ? this.prisma.cardCharge.count({ where }) : 0,
      kinds.has('BANK_TRANSACTION') ? this.prisma.bankTransaction.count({ where }) : 0,
    ]);
    return counts.reduce((sum, n) => sum + n, 0);
  }

  private kindsOf(filter: ReviewFilter | null | undefined): Set<ReviewItemKind> {
    return new Set(filter?.kinds?.length ? filter.kinds : reviewItemKinds);
  }

  /** The same columns exist on the three tables, so one condition serves them all. */
  private where(request: Pick<ReviewPageRequest, 'scope' | 'filter' | 'after' | 'before'>) {
    const beyond = (position: ReviewPosition, op: 'gt' | 'lt') => ({
      OR: [{ reviewOpenedAt: { [op]: position.openedAt } }, { reviewOpenedAt: position.openedAt, id: { [op]: position.id } }],
    });
    return {
      ...scopeWhere(request.scope),
      reviewOpenedAt: { not: null },
      ...(request.filter?.reasons?.length ? { reviewReason: { in: [...request.filter.reasons] } } : {}),
      AND: [...(request.after ? [beyond(request.after, 'gt')] : []), ...(request.before ? [beyond(request.before, 'lt')] : [])],
    } satisfies Prisma.OrderWhereInput & Prisma.CardChargeWhereInput & Prisma.BankTransactionWhereInput;
  }
}
