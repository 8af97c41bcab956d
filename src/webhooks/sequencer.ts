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
import { bankLineDrafts, bankLineNamedBy, cardEventDrafts, orderEventDrafts, reviewDrafts, type EventDraft, type ReviewChange } from './documents.js';
import { readBankLines, readSourceRows, REVIEW_CHANGED, reviewTables, sourceTables, type BankLineRow, type ReviewStateRow, type SourceRow } from './source-rows.js';

type Tx = Prisma.TransactionClient;
type SourceItem = SourceRow & { at: Date; id: string; namedLine?: BankLineRow };

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

const byTime = (a: { at: Date; id: string }, b: { at: Date; id: string }) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class FeedSequencer {
  private hinted = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly pubsub: AppPubSub,
    private readonly logger: Logger,
    private readonly options: SequencerOptions,
  ) {}

  /** A change was committed (the database said so): the next pass skips asking whether there is work. */
  hint() {
    this.hinted = true;
  }

  async pass(): Promise<number> {
    // A pass on a timer mostly finds nothing: it asks once, outside any transaction and lock.
    const hinted = this.hinted;
    this.hinted = false;
    if (!hinted && !(await this.anythingToDo())) return 0;
    const { outcome, heads } = await this.prisma.$transaction((tx) => this.sequence(tx), { timeout: 60_000, maxWait: 30_000 });
    // After the commit: orderEvents(after) subscribers read on, the delivery worker sends.
    for (const [merchantId, position] of heads) this.pubsub.publish('feed:appended', merchantId, { merchantId, position: position.toString() });
    if (outcome.deliveries > 0) this.options.onDeliveries();
    if (outcome.events > 0) this.logger.debug({ ...outcome }, 'sequenced feed events');
    return outcome.sequenced;
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

  private async sequence(tx: Tx): Promise<{ outcome: PassOutcome; heads: Map<string, bigint> }> {
    // One sequencer at a time, cluster-wide; released by the commit (after which the next one sees our rows).
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('paygraph:feed-sequencer'))`;
    const { rows, reviews: reviewRows } = await readSourceRows(tx, this.options.batchSize);
    const { items, complete } = await this.ordered(tx, rows);
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
    const announced = complete ? reviewChanges(reviewRows) : [];
    for (const review of announced) drafts.push(...reviewDrafts(review));
    if (drafts.length === 0) return { outcome: { sequenced: 0, events: 0, deliveries: 0 }, heads: new Map() };

    const positions = await this.positionsAndVersions(tx, drafts);
    const deliveries = await this.write(tx, drafts, positions, marks, announced);
    const heads = new Map<string, bigint>();
    drafts.forEach((draft, index) => heads.set(draft.merchantId, positions[index]!));
    return { outcome: { sequenced: items.length + announced.length, events: drafts.length, deliveries }, heads };
  }

  /**
   * The rows merged by time. When a table filled its batch, rows after its
   * last one may exist unread: the merge stops there (`complete` false) so
   * that no row is skipped ahead of. An order event that names a bank line
   * brings that line in first, so bank_transaction.received always precedes
   * bank_transaction.matched.
   */
  private async ordered(tx: Tx, rows: Awaited<ReturnType<typeof readSourceRows>>['rows']): Promise<{ items: SourceItem[]; complete: boolean }> {
    const merged: SourceItem[] = [
      ...rows.order.map((row) => ({ kind: 'order' as const, at: row.createdAt, id: row.id, row })),
      ...rows.card.map((row) => ({ kind: 'card' as const, at: row.createdAt, id: row.id, row })),
      ...rows.bank.map((row) => ({ kind: 'bank' as const, at: row.createdAt, id: row.id, row })),
    ].sort(byTime);
    const full = [rows.order, rows.card, rows.bank].filter((list) => list.length === this.options.batchSize);
    const cutoff = full.map((list) => ({ at: list.at(-1)!.createdAt, id: list.at(-1)!.id })).sort(byTime)[0];
    const kept = cutoff ? merged.filter((item) => byTime(item, cutoff) <= 0) : merged;

    const namedIds = [...new Set(kept.flatMap((item) => (item.kind === 'order' ? [bankLineNamedBy(item.row)] : [])).filter((id): id is string => id !== null))];
    const named = new Map((await readBankLines(tx, namedIds)).map((line) => [line.id, line]));
    const items: SourceItem[] = [];
    const linesIn = new Set<string>();
    for (const item of kept) {
      if (item.kind === 'bank') {
        if (!linesIn.has(item.id)) items.push(item);
        linesIn.add(item.id);
        continue;
      }
      if (item.kind === 'card') {
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

  /**
   * Positions for the drafts, from the feed's sequence and in increasing
   * order, and each draft's version: its object's last version in the feed
   * plus one per change (drafts of one change share it). One statement.
   */
  private async positionsAndVersions(tx: Tx, drafts: EventDraft[]): Promise<bigint[]> {
    const objectIds = [...new Set(drafts.map((draft) => draft.objectId))];
    const [row] = await tx.$queryRawUnsafe<{ positions: string[]; versions: Record<string, number> }[]>(
      `SELECT
         (SELECT array_agg(p ORDER BY p)::text[] FROM (SELECT nextval(pg_get_serial_sequence('"FeedEvent"', 'position')) AS p FROM generate_series(1, $1::int)) AS s) AS "positions",
         (SELECT COALESCE(jsonb_object_agg("objectId", v), '{}'::jsonb) FROM (SELECT "objectId", max("version") AS v FROM "FeedEvent" WHERE "objectId" = ANY($2::text[]) GROUP BY "objectId") AS m) AS "versions"`,
      drafts.length,
      objectIds,
    );
    const last = new Map(Object.entries(row!.versions));
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
    return row!.positions.map((position) => BigInt(position));
  }

  /**
   * In one statement: the feed events, each source row's position, each
   * announced review, and a delivery for every enabled endpoint of the
   * merchant subscribed to the event's type. Returns the deliveries made.
   */
  private async write(tx: Tx, drafts: EventDraft[], positions: bigint[], marks: Record<keyof typeof sourceTables, Map<string, number>>, announced: ReviewChange[]): Promise<number> {
    const params: unknown[] = [];
    const param = (values: unknown[]) => `$${params.push(values)}::text[]`;
    const mark = (kind: keyof typeof sourceTables) => {
      const entries = [...marks[kind]];
      return `UPDATE "${sourceTables[kind]}" AS t SET "feedPosition" = x.p::bigint
        FROM unnest(${param(entries.map(([id]) => id))}, ${param(entries.map(([, index]) => positions[index]!.toString()))}) AS x(id, p) WHERE t."id" = x.id::uuid RETURNING 1`;
    };
    const review = (subject: keyof typeof reviewTables) => {
      // Several changes of one subject in a pass: the last one holds.
      const last = new Map(announced.filter((change) => change.subject === subject).map((change) => [change.subjectId, change.type === 'review.opened' ? change.openedAt.toISOString() : null]));
      return `UPDATE "${reviewTables[subject]}" AS t SET "feedReviewOpenedAt" = x.opened::timestamp(3)
        FROM unnest(${param([...last.keys()])}, ${param([...last.values()])}) AS x(id, opened) WHERE t."id" = x.id::uuid RETURNING 1`;
    };
    const events = `INSERT INTO "FeedEvent" ("position", "id", "merchantId", "type", "objectId", "version", "occurredAt", "data")
      SELECT x.p::bigint, x.id, x.merchant::uuid, x.type, x.object, x.version::int, x.occurred::timestamp(3), x.data::jsonb
      FROM unnest(${param(positions.map(String))}, ${param(drafts.map((d) => d.id))}, ${param(drafts.map((d) => d.merchantId))}, ${param(drafts.map((d) => d.type))},
                  ${param(drafts.map((d) => d.objectId))}, ${param(drafts.map((d) => String((d.data as { version: number }).version)))},
                  ${param(drafts.map((d) => d.occurredAt.toISOString()))}, ${param(drafts.map((d) => JSON.stringify(d.data)))})
           AS x(p, id, merchant, type, object, version, occurred, data)
      RETURNING "position", "id", "merchantId", "type"`;
    const [result] = await tx.$queryRawUnsafe<{ deliveries: number }[]>(
      `WITH events AS (${events}),
         orders AS (${mark('order')}), cards AS (${mark('card')}), lines AS (${mark('bank')}),
         order_reviews AS (${review('order')}), card_reviews AS (${review('card_charge')}), line_reviews AS (${review('bank_transaction')}),
         deliveries AS (
           INSERT INTO "WebhookDelivery" ("id", "endpointId", "merchantId", "eventId", "eventType", "feedPosition", "nextAttemptAt")
           SELECT gen_random_uuid(), e."id", ev."merchantId", ev."id", ev."type", ev."position", (now() AT TIME ZONE 'UTC')
           FROM events AS ev JOIN "WebhookEndpoint" AS e ON e."merchantId" = ev."merchantId" AND e."enabled" AND ev."type" = ANY(e."eventTypes")
           ON CONFLICT DO NOTHING RETURNING 1)
       SELECT (SELECT count(*) FROM deliveries)::int AS "deliveries"`,
      ...params,
    );
    return result?.deliveries ?? 0;
  }
}

/** What the review columns say happened since the feed last looked, oldest first. */
function reviewChanges(rows: ReviewStateRow[]): ReviewChange[] {
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
