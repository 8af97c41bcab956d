// The feed sequencer: the one place events enter the merchant's feed and
// their webhook deliveries are created.
//
// Every change of money is already written as a row in the same transaction
// as the change: OrderEvent, CardChargeEvent, BankTransaction. Those rows are
// the transactional outbox. A pass reads committed rows that have no feed
// position yet, oldest first, turns each into its event documents, gives them
// positions from one PostgreSQL sequence, marks the rows, and creates the
// deliveries for every enabled endpoint subscribed to each event — all in one
// transaction, under an advisory lock so that one instance at a time does it.
// Rows are visible only once committed and each pass commits before the next
// begins, so positions grow in the order readers can see them: a reader that
// has read up to position p never later finds an event below p (a sequence
// value taken at insert time would not promise that: a slow transaction
// commits a small value after a fast one commits a larger). A crash anywhere
// loses nothing: the rows stay unmarked until a pass commits.
//
// Reviews are columns, not rows (reviewOpenedAt on orders, card charges and
// bank lines): a pass compares each with the value last announced
// (feedReviewOpenedAt) and emits review.opened / review.resolved.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { AppPubSub } from '../pubsub.js';
import type { Logger } from '../logger.js';
import { reviewEventType } from '../domain/event-feed.js';
import {
  BANK_LINE_ROW,
  CARD_EVENT_ROW,
  ORDER_EVENT_ROW,
  bankLineDrafts,
  bankLineNamedBy,
  cardEventDrafts,
  orderEventDrafts,
  reviewDrafts,
  type BankLineRow,
  type CardEventRow,
  type EventDraft,
  type OrderEventRow,
  type ReviewChange,
} from './documents.js';

type Tx = Prisma.TransactionClient;

type SourceItem =
  | { kind: 'order'; at: Date; id: string; row: OrderEventRow }
  | { kind: 'card'; at: Date; id: string; row: CardEventRow }
  | { kind: 'bank'; at: Date; id: string; row: BankLineRow };

export interface SequencerOptions {
  /** Rows read per table and pass. */
  batchSize: number;
  /** Called after a pass that created deliveries committed. */
  onDeliveries: () => void;
}

export interface PassOutcome {
  sequenced: number;
  events: number;
  deliveries: number;
}

const sourceTables = { order: 'OrderEvent', card: 'CardChargeEvent', bank: 'BankTransaction' } as const;
const reviewTables = { order: 'Order', card_charge: 'CardCharge', bank_transaction: 'BankTransaction' } as const;
/** A review opened, closed or replaced since the feed last announced one. */
const REVIEW_CHANGED = `("reviewOpenedAt" IS NOT NULL OR "feedReviewOpenedAt" IS NOT NULL) AND "reviewOpenedAt" IS DISTINCT FROM "feedReviewOpenedAt"`;
const byTime = (a: { at: Date; id: string }, b: { at: Date; id: string }) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class FeedSequencer {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly pubsub: AppPubSub,
    private readonly logger: Logger,
    private readonly options: SequencerOptions,
  ) {}

  async pass(): Promise<number> {
    // Most passes find nothing: ask once, outside any transaction and lock.
    if (!(await this.anythingToDo())) return 0;
    const { outcome, heads } = await this.prisma.$transaction((tx) => this.sequence(tx), { timeout: 60_000, maxWait: 30_000 });
    // After the commit: orderEvents(after) subscribers read on, the delivery worker sends.
    for (const [merchantId, position] of heads) this.pubsub.publish('feed:appended', merchantId, { merchantId, position: position.toString() });
    if (outcome.deliveries > 0) this.options.onDeliveries();
    if (outcome.events > 0) this.logger.debug({ ...outcome }, 'sequenced feed events');
    return outcome.sequenced;
  }

  private async sequence(tx: Tx): Promise<{ outcome: PassOutcome; heads: Map<string, bigint> }> {
    // One sequencer at a time, cluster-wide; released by the commit (after which the next one sees our rows).
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('paygraph:feed-sequencer'))`;
    // Reviews are read before the rows: a review committed with its row then finds the row readable below.
    const reviews = await this.reviewChanges(tx);
    const { items, complete } = await this.unsequencedRows(tx);
    const drafts: EventDraft[] = [];
    const marks: Record<keyof typeof sourceTables, Map<string, number>> = { order: new Map(), card: new Map(), bank: new Map() };
    for (const item of items) {
      if (item.kind === 'order') drafts.push(...orderEventDrafts(item.row, item.namedLine));
      else if (item.kind === 'card') drafts.push(...cardEventDrafts(item.row));
      else drafts.push(...bankLineDrafts(item.row));
      // A row is marked with the position of its last event: a cursor there is past all of them.
      marks[item.kind].set(item.id, drafts.length - 1);
    }
    // While rows are left for the next pass, a review may belong to one of them: announce it once they are in.
    const announced = complete ? reviews : [];
    for (const review of announced) drafts.push(...reviewDrafts(review));
    if (drafts.length === 0) return { outcome: { sequenced: 0, events: 0, deliveries: 0 }, heads: new Map() };

    await this.assignVersions(tx, drafts);
    const positions = await this.takePositions(tx, drafts.length);
    await tx.feedEvent.createMany({
      data: drafts.map((draft, index) => ({
        position: positions[index]!,
        id: draft.id,
        merchantId: draft.merchantId,
        type: draft.type,
        objectId: draft.objectId,
        version: (draft.data as { version: number }).version,
        occurredAt: draft.occurredAt,
        data: draft.data as Prisma.InputJsonValue,
      })),
    });
    for (const kind of Object.keys(marks) as (keyof typeof sourceTables)[]) {
      const entries = [...marks[kind]];
      if (entries.length) await markSequenced(tx, sourceTables[kind], entries.map(([id]) => id), entries.map(([, index]) => positions[index]!));
    }
    for (const subject of Object.keys(reviewTables) as (keyof typeof reviewTables)[]) {
      const changes = announced.filter((review) => review.subject === subject);
      if (changes.length) await markReviewsAnnounced(tx, reviewTables[subject], changes);
    }
    const deliveries = await this.createDeliveries(tx, drafts, positions);
    const heads = new Map<string, bigint>();
    drafts.forEach((draft, index) => heads.set(draft.merchantId, positions[index]!));
    return { outcome: { sequenced: items.length + announced.length, events: drafts.length, deliveries }, heads };
  }

  /**
   * The oldest unsequenced rows of the three tables, merged by time. When a
   * table fills its batch, rows after its last one may exist unread: the
   * merge stops there (`complete` false) so that no row is skipped ahead of.
   * An order event that names a bank line brings that line in first, so
   * bank_transaction.received always precedes bank_transaction.matched.
   */
  private async unsequencedRows(tx: Tx): Promise<{ items: (SourceItem & { namedLine?: BankLineRow })[]; complete: boolean }> {
    const take = this.options.batchSize;
    const oldestFirst = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];
    const [orders, cards, lines] = [
      await tx.orderEvent.findMany({ where: { feedPosition: null }, orderBy: oldestFirst, take, select: ORDER_EVENT_ROW }),
      await tx.cardChargeEvent.findMany({ where: { feedPosition: null }, orderBy: oldestFirst, take, select: CARD_EVENT_ROW }),
      await tx.bankTransaction.findMany({ where: { feedPosition: null }, orderBy: oldestFirst, take, select: BANK_LINE_ROW }),
    ];
    const merged: SourceItem[] = [
      ...orders.map((row) => ({ kind: 'order' as const, at: row.createdAt, id: row.id, row })),
      ...cards.map((row) => ({ kind: 'card' as const, at: row.createdAt, id: row.id, row })),
      ...lines.map((row) => ({ kind: 'bank' as const, at: row.createdAt, id: row.id, row })),
    ].sort(byTime);
    const fullTables = [orders, cards, lines].filter((rows) => rows.length === take);
    const cutoff = fullTables.map((rows) => rows[rows.length - 1]!).map((row) => ({ at: row.createdAt, id: row.id })).sort(byTime)[0];
    const kept = cutoff ? merged.filter((item) => byTime(item, cutoff) <= 0) : merged;

    const namedIds = [...new Set(kept.flatMap((item) => (item.kind === 'order' ? [bankLineNamedBy(item.row)] : [])).filter((id): id is string => id !== null))];
    const named = new Map((namedIds.length ? await tx.bankTransaction.findMany({ where: { id: { in: namedIds } }, select: BANK_LINE_ROW }) : []).map((line) => [line.id, line]));
    const items: (SourceItem & { namedLine?: BankLineRow })[] = [];
    const linesIn = new Set<string>();
    for (const item of kept) {
      if (item.kind === 'bank') {
        if (linesIn.has(item.id)) continue;
        linesIn.add(item.id);
        items.push(item);
        continue;
      }
      if (item.kind !== 'order') {
        items.push(item);
        continue;
      }
      const lineId = bankLineNamedBy(item.row);
      const line = lineId ? named.get(lineId) : undefined;
      if (line && line.merchantId !== item.row.merchantId) {
        this.logger.warn({ orderEventId: item.id, bankTransactionId: lineId }, 'an order event names another merchant’s bank line: no bank_transaction.matched');
        items.push(item);
        continue;
      }
      if (line && line.feedPosition === null && !linesIn.has(line.id)) {
        linesIn.add(line.id);
        items.push({ kind: 'bank', at: line.createdAt, id: line.id, row: line });
      }
      items.push({ ...item, namedLine: line });
    }
    return { items, complete: !cutoff };
  }

  private async anythingToDo(): Promise<boolean> {
    const [row] = await this.prisma.$queryRawUnsafe<{ pending: boolean }[]>(
      `SELECT (${Object.values(sourceTables)
        .map((table) => `EXISTS (SELECT 1 FROM "${table}" WHERE "feedPosition" IS NULL)`)
        .concat(Object.values(reviewTables).map((table) => `EXISTS (SELECT 1 FROM "${table}" WHERE ${REVIEW_CHANGED})`))
        .join(' OR ')}) AS "pending"`,
    );
    return row?.pending ?? false;
  }

  private async reviewChanges(tx: Tx): Promise<ReviewChange[]> {
    type Row = { subject: ReviewChange['subject']; id: string; merchantId: string; reviewOpenedAt: Date | null; feedReviewOpenedAt: Date | null; reviewReason: string | null; status: string | null; at: Date; resolvedBy: string | null; note: string | null };
    // Only open or announced reviews are looked at (both columns are indexed and both sets are small).
    const changed = (subject: ReviewChange['subject'], status: string, at: string, resolvedBy: string, note: string) =>
      `(SELECT '${subject}' AS "subject", "id"::text AS "id", "merchantId"::text AS "merchantId", "reviewOpenedAt", "feedReviewOpenedAt", "reviewReason"::text AS "reviewReason",
               ${status} AS "status", ${at} AS "at", ${resolvedBy} AS "resolvedBy", ${note} AS "note"
        FROM "${reviewTables[subject]}" WHERE ${REVIEW_CHANGED} LIMIT ${this.options.batchSize})`;
    const rows = await tx.$queryRawUnsafe<Row[]>(
      [
        changed('order', '"status"::text', '"updatedAt"', 'NULL::text', 'NULL::text'),
        changed('card_charge', '"status"::text', '"updatedAt"', 'NULL::text', 'NULL::text'),
        changed('bank_transaction', 'NULL::text', `COALESCE("reviewedAt", (now() AT TIME ZONE 'UTC')::timestamp(3))`, '"reviewedBy"', '"reviewNote"'),
      ].join(' UNION ALL '),
    );
    return rows
      .flatMap((row): ReviewChange[] => {
        const subject = row.subject;
        const type = reviewEventType(row.reviewOpenedAt, row.feedReviewOpenedAt);
        if (!type) return [];
        // A review closed and another opened before we looked: the first is resolved, then the second opened.
        const closedFirst: ReviewChange[] =
          type === 'review.opened' && row.feedReviewOpenedAt
            ? [{ subject, subjectId: row.id, merchantId: row.merchantId, type: 'review.resolved', openedAt: row.feedReviewOpenedAt, at: row.reviewOpenedAt!, reason: row.reviewReason, subjectStatus: row.status, resolvedBy: null, note: null }]
            : [];
        const openedAt = type === 'review.opened' ? row.reviewOpenedAt! : row.feedReviewOpenedAt!;
        const at = type === 'review.opened' ? row.reviewOpenedAt! : row.at;
        const resolution = type === 'review.resolved' ? { resolvedBy: row.resolvedBy, note: row.note } : { resolvedBy: null, note: null };
        return [...closedFirst, { subject, subjectId: row.id, merchantId: row.merchantId, type, openedAt, at, reason: row.reviewReason, subjectStatus: row.status, ...resolution }];
      })
      .sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  /** Each draft's version: its object's last version in the feed, plus one per change (drafts of one change share it). */
  private async assignVersions(tx: Tx, drafts: EventDraft[]) {
    const objectIds = [...new Set(drafts.map((draft) => draft.objectId))];
    const current = await tx.feedEvent.groupBy({ by: ['objectId'], where: { objectId: { in: objectIds } }, _max: { version: true } });
    const last = new Map(current.map((row) => [row.objectId, row._max.version ?? 0]));
    const byChange = new Map<string, number>();
    for (const draft of drafts) {
      const key = `${draft.objectId}|${draft.change}`;
      let version = byChange.get(key);
      if (version === undefined) {
        version = (last.get(draft.objectId) ?? 0) + 1;
        last.set(draft.objectId, version);
        byChange.set(key, version);
      }
      draft.data = { ...draft.data, version };
    }
  }

  /** `count` values of the feed's sequence, in increasing order. */
  private async takePositions(tx: Tx, count: number): Promise<bigint[]> {
    const rows = await tx.$queryRaw<{ position: bigint }[]>`
      SELECT nextval(pg_get_serial_sequence('"FeedEvent"', 'position')) AS "position" FROM generate_series(1, ${count}::int)`;
    return rows.map((row) => BigInt(row.position)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private async createDeliveries(tx: Tx, drafts: EventDraft[], positions: bigint[]): Promise<number> {
    const merchantIds = [...new Set(drafts.map((draft) => draft.merchantId))];
    const endpoints = await tx.webhookEndpoint.findMany({ where: { merchantId: { in: merchantIds }, enabled: true }, select: { id: true, merchantId: true, eventTypes: true } });
    if (endpoints.length === 0) return 0;
    const now = new Date();
    const rows = drafts.flatMap((draft, index) =>
      endpoints
        .filter((endpoint) => endpoint.merchantId === draft.merchantId && endpoint.eventTypes.includes(draft.type))
        .map((endpoint) => ({ endpointId: endpoint.id, merchantId: draft.merchantId, eventId: draft.id, eventType: draft.type, feedPosition: positions[index]!, nextAttemptAt: now })),
    );
    if (rows.length === 0) return 0;
    const created = await tx.webhookDelivery.createMany({ data: rows, skipDuplicates: true });
    return created.count;
  }
}

/** Writes each row's feed position (its last event's), in one statement. */
function markSequenced(tx: Tx, table: string, ids: string[], positions: bigint[]) {
  return tx.$executeRawUnsafe(
    `UPDATE "${table}" AS t SET "feedPosition" = x.position FROM unnest($1::uuid[], $2::bigint[]) AS x(id, position) WHERE t."id" = x.id`,
    ids,
    positions.map(String),
  );
}

/** Remembers which review each subject has had announced (null: none open). */
function markReviewsAnnounced(tx: Tx, table: string, changes: ReviewChange[]) {
  // Several changes of one subject in a pass: the last one holds.
  const last = new Map(changes.map((change) => [change.subjectId, change.type === 'review.opened' ? change.openedAt.toISOString() : null]));
  return tx.$executeRawUnsafe(
    `UPDATE "${table}" AS t SET "feedReviewOpenedAt" = x.opened FROM unnest($1::uuid[], $2::timestamp(3)[]) AS x(id, opened) WHERE t."id" = x.id`,
    [...last.keys()],
    [...last.values()],
  );
}
