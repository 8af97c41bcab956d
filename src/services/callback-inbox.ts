// The callback inbox: every inbound provider message that verified, once per
// event key, with what became of it. The inbound pipeline (src/callbacks/)
// writes here; the retry worker picks up what was not finished.
//
// The key is built only from data the signature covers or a status query
// confirmed (see src/callbacks/pipeline.ts), so a replay with an unsigned field
// changed is the same event. A row is RECEIVED (held by a lease) while its
// message is being applied, then PROCESSED (something was applied) or IGNORED
// (nothing to apply: a duplicate of our state, a refused claim); FAILED rows
// wait for a retry. A RECEIVED row whose lease ran out belongs to a process
// that died between two steps: the retry worker takes it over.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { ProviderId } from '../providers/types.js';
import type { Logger } from '../logger.js';
import { isUniqueViolation } from '../errors/index.js';


/** How long before a failed callback is tried again (doubles per attempt, capped). */
export const retryDelayMs = (attempts: number) => Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 10 * 60_000);

/** How long a process holds a row it is applying; past it, the process is taken for dead and the row retried. */
export const INBOX_LEASE_MS = 60_000;

export interface InboxEntry {
  provider: ProviderId;
  eventKey: string;
  merchantId: string | null;
  orderId?: string | null;
  method: string;
  sourceIp: string;
  /** What came (the raw body, the GET query, or a masked copy when it holds card secrets). */
  body: string;
}

export type InboxOpening =
  /** Ours to apply now (a new row, or one whose earlier attempt failed or died). */
  | { kind: 'open'; id: string; attempts: number }
  /** Already applied, or being applied by a live process: acknowledge, do nothing. */
  | { kind: 'duplicate'; id: string; status: string };

export interface InboxRow {
  id: string;
  provider: ProviderId;
  eventKey: string;
  merchantId: string | null;
  orderId: string | null;
  body: string;
  attempts: number;
}

/** What the retry worker does with a row of one kind (registered by the pipeline). */
export type InboxRetry = (row: InboxRow) => Promise<void>;

const storable = (text: string) => text.replaceAll('\u0000', '\\u0000');

export class CallbackInbox {
  private retryHandler: InboxRetry | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
  ) {}

  /** Set once at wiring: how a row left unfinished is applied again. */
  onRetry(handler: InboxRetry) {
    this.retryHandler = handler;
  }

  /**
   * Records a message under its key and takes the lease on it. A key already
   * recorded is a duplicate, unless its earlier attempt failed or its process
   * died (lease run out): then this message takes it over.
   */
  async open(entry: InboxEntry): Promise<InboxOpening> {
    const leaseUntil = new Date(Date.now() + INBOX_LEASE_MS);
    try {
      const row = await this.prisma.callbackInbox.create({
        data: { ...entry, orderId: entry.orderId ?? null, body: storable(entry.body), status: 'RECEIVED', attempts: 1, nextAttemptAt: leaseUntil },
        select: { id: true },
      });
      return { kind: 'open', id: row.id, attempts: 1 };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const existing = await this.prisma.callbackInbox.findUniqueOrThrow({ where: { provider_eventKey: { provider: entry.provider, eventKey: entry.eventKey } } });
    const retakable = existing.status === 'FAILED' || (existing.status === 'RECEIVED' && (existing.nextAttemptAt ?? new Date(0)) <= new Date());
    if (retakable) {
      const taken = await this.prisma.callbackInbox.updateMany({
        where: { id: existing.id, status: existing.status, attempts: existing.attempts },
        data: { status: 'RECEIVED', attempts: existing.attempts + 1, nextAttemptAt: leaseUntil },
      });
      if (taken.count === 1) return { kind: 'open', id: existing.id, attempts: existing.attempts + 1 };
    }
    return { kind: 'duplicate', id: existing.id, status: existing.status };
  }

  /**
   * Records an event that was decided already (a trace: a refused claim, a
   * status query's answer that changed nothing). Nothing is leased; a second
   * one with the same key is not written again.
   */
  async trace(entry: InboxEntry, status: 'PROCESSED' | 'IGNORED', note?: string): Promise<void> {
    try {
      await this.prisma.callbackInbox.create({
        data: { ...entry, orderId: entry.orderId ?? null, body: storable(entry.body), status, attempts: 1, processedAt: new Date(), lastError: note?.slice(0, 500) ?? null },
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }

  async finish(id: string, status: 'PROCESSED' | 'IGNORED', note?: string | null) {
    await this.prisma.callbackInbox.update({ where: { id }, data: { status, processedAt: new Date(), nextAttemptAt: null, lastError: note?.slice(0, 500) ?? null } });
  }

  /** Not applied (the provider could not be asked, the database was busy): the worker tries again later. */
  async fail(id: string, error: unknown, attempts: number) {
    await this.prisma.callbackInbox.update({
      where: { id },
      data: { status: 'FAILED', lastError: String((error as Error)?.message ?? error).slice(0, 500), nextAttemptAt: new Date(Date.now() + retryDelayMs(attempts)) },
    });
  }

  /**
   * A message that could not even be confirmed (the status query failed): one
   * row per subject, however many such messages come, for the worker to retry.
   */
  async scheduleRetry(entry: InboxEntry, error: unknown) {
    const lastError = String((error as Error)?.message ?? error).slice(0, 500);
    const nextAttemptAt = new Date(Date.now() + retryDelayMs(1));
    await this.prisma.callbackInbox.upsert({
      where: { provider_eventKey: { provider: entry.provider, eventKey: entry.eventKey } },
      create: { ...entry, orderId: entry.orderId ?? null, body: storable(entry.body), status: 'FAILED', attempts: 1, lastError, nextAttemptAt },
      update: { status: 'FAILED', lastError, nextAttemptAt },
    });
  }

  /**
   * One pass of the retry worker: rows that FAILED, and rows left RECEIVED by
   * a process that died (lease run out). Claimed with FOR UPDATE SKIP LOCKED
   * and leased again, so instances never retry the same row at once.
   */
  async retryFailed(limit = 20): Promise<number> {
    const lease = `${INBOX_LEASE_MS} milliseconds`;
    const claimed = await this.prisma.$queryRaw<InboxRow[]>`
      UPDATE "CallbackInbox" SET "status" = 'RECEIVED', "attempts" = "attempts" + 1, "nextAttemptAt" = now() + ${lease}::interval
      WHERE "id" IN (
        SELECT "id" FROM "CallbackInbox" WHERE "status" IN ('FAILED', 'RECEIVED') AND "nextAttemptAt" <= now()
        ORDER BY "nextAttemptAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING "id", "provider", "eventKey", "merchantId", "orderId", "body", "attempts"`;
    let done = 0;
    for (const row of claimed) {
      try {
        if (!this.retryHandler) throw new Error('no retry handler is wired');
        await this.retryHandler(row);
        await this.finish(row.id, 'PROCESSED', null);
        done++;
      } catch (error) {
        this.logger.warn({ inboxId: row.id, provider: row.provider, attempts: row.attempts, err: (error as Error).message }, 'callback retry failed; will try again');
        await this.fail(row.id, error, row.attempts).catch(() => {});
      }
    }
    return done;
  }
}
