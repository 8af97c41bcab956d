// Sends due webhook deliveries. Safe with several instances: a pass claims
// deliveries with FOR UPDATE SKIP LOCKED and a lease longer than a request can
// last, so one attempt is sent by one instance; requests run outside any
// transaction, up to `maxInFlight` at once, so a slow endpoint holds only its
// own deliveries. Finished attempts are logged in batches; a failure
// schedules the next attempt (src/domain/webhook-retry.ts) with the same
// webhook-id, and an endpoint whose every attempt has failed for long enough
// is disabled with the reason. At least once: a crash mid-request leaves the
// lease to run out and the attempt is made again.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { nextAttemptAfterFailure, shouldDisableEndpoint, type RetryPolicy } from '../domain/webhook-retry.js';
import type { WebhookEndpoints } from './endpoints.js';
import { eventDocument } from './documents.js';
import type { SendResult, WebhookSender } from './sender.js';

export interface DeliveryWorkerOptions {
  /** Requests in flight at most (per instance). */
  maxInFlight: number;
  /** How long a claim holds: longer than the connect and response timeouts together. */
  leaseMs: number;
  /** Called with the time of the next attempt scheduled by this instance. */
  onRetryScheduled: (at: Date) => void;
  /** Called when a request finishes while the worker was full (room for another claim). */
  onCapacity: () => void;
}

/** A claimed delivery with its endpoint and its event. */
interface DeliveryToSend {
  id: string;
  /** This attempt's number. */
  attemptCount: number;
  eventId: string;
  createdAt: Date;
  testDocument: unknown;
  endpointId: string;
  url: string;
  sealedSecret: string;
  sealedPreviousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  feedEventId: string | null;
  feedEventType: string | null;
  occurredAt: Date | null;
  data: unknown;
}

interface Finished {
  delivery: DeliveryToSend;
  startedAt: Date;
  finishedAt: Date;
  result: SendResult;
}

export class WebhookDeliveryWorker {
  private inFlight = 0;
  private finished: Finished[] = [];
  private recording: Promise<void> | undefined;
  private idle: (() => void) | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly endpoints: WebhookEndpoints,
    private readonly sender: WebhookSender,
    private readonly policy: RetryPolicy,
    private readonly logger: Logger,
    private readonly options: DeliveryWorkerOptions,
  ) {}

  /** Claims what is due (as much as there is room for) and starts sending it; returns how many were claimed. */
  async pass(): Promise<number> {
    const room = this.options.maxInFlight - this.inFlight;
    if (room <= 0) return 0;
    // One statement claims the deliveries and reads what sending them needs.
    const claimed = await this.prisma.$queryRaw<DeliveryToSend[]>`
      WITH claimed AS (
        UPDATE "WebhookDelivery" AS d
        SET "leaseUntil" = (now() AT TIME ZONE 'UTC') + (${this.options.leaseMs}::int * interval '1 millisecond'), "attemptCount" = d."attemptCount" + 1
        WHERE d."id" IN (
          SELECT c."id" FROM "WebhookDelivery" AS c JOIN "WebhookEndpoint" AS e ON e."id" = c."endpointId"
          WHERE c."status" = 'PENDING' AND c."nextAttemptAt" <= (now() AT TIME ZONE 'UTC') AND e."enabled"
            AND (c."leaseUntil" IS NULL OR c."leaseUntil" < (now() AT TIME ZONE 'UTC'))
          ORDER BY c."nextAttemptAt"
          LIMIT ${room}
          FOR UPDATE OF c SKIP LOCKED)
        RETURNING d.*)
      SELECT c."id"::text AS "id", c."attemptCount", c."eventId", c."createdAt", c."testDocument", c."endpointId"::text AS "endpointId",
             e."url", e."sealedSecret", e."sealedPreviousSecret", e."previousSecretExpiresAt",
             f."id" AS "feedEventId", f."type" AS "feedEventType", f."occurredAt", f."data"
      FROM claimed AS c JOIN "WebhookEndpoint" AS e ON e."id" = c."endpointId" LEFT JOIN "FeedEvent" AS f ON f."position" = c."feedPosition"`;
    for (const delivery of claimed) void this.send(delivery);
    return claimed.length;
  }

  /**
   * Waits (at most `maxWaitMs`) for the requests in flight, then logs what finished. A request still
   * running is left to its lease: another instance, or the next start, makes that attempt again.
   */
  async drain(maxWaitMs: number) {
    const waited = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, maxWaitMs).unref();
      const finishWhenIdle = () => (this.inFlight > 0 ? (this.idle = finishWhenIdle) : (clearTimeout(timer), resolve()));
      finishWhenIdle();
    });
    await waited;
    await this.record();
  }

  private async send(delivery: DeliveryToSend) {
    this.inFlight++;
    const startedAt = new Date();
    let result: SendResult;
    try {
      const document = delivery.feedEventId ? eventDocument({ id: delivery.feedEventId, type: delivery.feedEventType!, occurredAt: delivery.occurredAt!, data: delivery.data }) : delivery.testDocument;
      const secrets = this.endpoints.secretsOf({ id: delivery.endpointId, sealedSecret: delivery.sealedSecret, sealedPreviousSecret: delivery.sealedPreviousSecret, previousSecretExpiresAt: delivery.previousSecretExpiresAt }, startedAt);
      result = await this.sender.send({ url: delivery.url, id: delivery.eventId, body: JSON.stringify(document), secrets });
    } catch (error) {
      result = { ok: false, status: null, body: null, error: (error as Error).message, durationMs: Date.now() - startedAt.getTime() };
    }
    this.finished.push({ delivery, startedAt, finishedAt: new Date(), result });
    const wasFull = this.inFlight >= this.options.maxInFlight;
    this.inFlight--;
    void this.record();
    if (this.inFlight === 0) this.idle?.();
    if (wasFull) this.options.onCapacity();
  }

  /** Logs every finished attempt (one batch at a time; what finishes meanwhile goes in the next). */
  private record(): Promise<void> {
    if (this.recording) return this.recording;
    this.recording = (async () => {
      while (this.finished.length > 0) {
        const batch = this.finished.splice(0);
        try {
          await this.recordBatch(batch);
        } catch (error) {
          // The leases run out and the attempts are made again: at least once, never lost.
          this.logger.error({ err: error, deliveries: batch.length }, 'could not log webhook attempts; they will be retried');
        }
      }
    })().finally(() => (this.recording = undefined));
    return this.recording;
  }

  private async recordBatch(batch: Finished[]) {
    const outcomes = batch.map(({ delivery, startedAt, finishedAt, result }) => {
      const number = delivery.attemptCount;
      const next = result.ok ? null : nextAttemptAfterFailure(delivery.createdAt, number, finishedAt, this.policy);
      const failure = result.ok ? null : result.status !== null ? `HTTP ${result.status}` : (result.error ?? 'no answer');
      return { delivery, number, startedAt, finishedAt, result, next, failure, status: result.ok ? 'DELIVERED' : next ? 'PENDING' : 'FAILED' };
    });
    const column = (pick: (o: (typeof outcomes)[number]) => string | number | null) => outcomes.map((o) => (pick(o) === null ? null : String(pick(o))));
    const healed = [...new Set(outcomes.filter((o) => o.failure === null).map((o) => o.delivery.endpointId))];
    // One statement: the attempts logged, the deliveries moved on (guarded by the attempt number, so a claim that
    // outlived its lease does not overwrite a later one), and endpoints that answered healed.
    await this.prisma.$executeRawUnsafe(
      `WITH x AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
           AS x(delivery, number, started, finished, duration, response, body, error, next, status, failure)),
       attempts AS (
         INSERT INTO "WebhookAttempt" ("id", "deliveryId", "number", "startedAt", "durationMs", "responseStatus", "responseBody", "error", "nextAttemptAt")
         SELECT gen_random_uuid(), x.delivery::uuid, x.number::int, x.started::timestamp(3), x.duration::int, x.response::int, x.body, x.error, x.next::timestamp(3)
         FROM x JOIN "WebhookDelivery" AS d ON d."id" = x.delivery::uuid -- an endpoint deleted meanwhile took its deliveries with it
         ON CONFLICT DO NOTHING RETURNING 1),
       deliveries AS (
         UPDATE "WebhookDelivery" AS d
         SET "status" = x.status::"WebhookDeliveryStatus", "nextAttemptAt" = x.next::timestamp(3), "leaseUntil" = NULL, "lastResponseStatus" = x.response::int,
             "lastError" = x.failure, "deliveredAt" = CASE WHEN x.status = 'DELIVERED' THEN x.finished::timestamp(3) ELSE d."deliveredAt" END
         FROM x WHERE d."id" = x.delivery::uuid AND d."attemptCount" = x.number::int RETURNING 1),
       healed AS (
         UPDATE "WebhookEndpoint" SET "failingSince" = NULL, "lastFailure" = NULL WHERE "id" = ANY($12::uuid[]) AND "failingSince" IS NOT NULL RETURNING 1)
       SELECT 1`,
      column((o) => o.delivery.id),
      column((o) => o.number),
      column((o) => o.startedAt.toISOString()),
      column((o) => o.finishedAt.toISOString()),
      column((o) => o.result.durationMs),
      column((o) => o.result.status),
      column((o) => o.result.body),
      column((o) => o.result.error),
      column((o) => o.next?.toISOString() ?? null),
      column((o) => o.status),
      column((o) => o.failure),
      healed,
    );
    for (const outcome of outcomes) if (outcome.next) this.options.onRetryScheduled(outcome.next);
    await this.recordFailures(outcomes.filter((o) => o.failure !== null && !healed.includes(o.delivery.endpointId)));
  }

  /** A failing endpoint is marked so, and disabled once it has failed for long enough (its last failure says why). */
  private async recordFailures(failures: { delivery: DeliveryToSend; startedAt: Date; finishedAt: Date; failure: string | null }[]) {
    const lastFailure = new Map(failures.map((o) => [o.delivery.endpointId, o]));
    for (const [endpointId, { startedAt, finishedAt, failure }] of lastFailure) {
      const [endpoint] = await this.prisma.$queryRaw<{ failingSince: Date; enabled: boolean }[]>`
        UPDATE "WebhookEndpoint" SET "failingSince" = COALESCE("failingSince", ${startedAt.toISOString()}::timestamp(3)), "lastFailure" = ${failure}
        WHERE "id" = ${endpointId}::uuid RETURNING "failingSince", "enabled"`;
      if (endpoint?.enabled && shouldDisableEndpoint(endpoint.failingSince, finishedAt, this.policy)) {
        const reason = `every delivery has failed since ${endpoint.failingSince.toISOString()} (last: ${failure})`;
        const disabled = await this.prisma.webhookEndpoint.updateMany({ where: { id: endpointId, enabled: true }, data: { enabled: false, disabledAt: finishedAt, disabledReason: reason } });
        if (disabled.count) this.logger.warn({ endpointId, reason }, 'disabled a webhook endpoint that keeps failing');
      }
    }
  }
}
