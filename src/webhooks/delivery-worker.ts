// Sends due webhook deliveries. Safe with several instances: a pass claims
// deliveries with FOR UPDATE SKIP LOCKED and a lease longer than a request can
// last, so one attempt is sent by one instance; the request itself runs
// outside any transaction. Each attempt is logged; a failure schedules the
// next attempt (src/domain/webhook-retry.ts) with the same webhook-id, and an
// endpoint whose every attempt has failed for long enough is disabled with the
// reason. At least once: a crash mid-request leaves the lease to run out and
// the attempt is made again.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { nextAttemptAfterFailure, shouldDisableEndpoint, type RetryPolicy } from '../domain/webhook-retry.js';
import type { WebhookEndpoints } from './endpoints.js';
import { eventDocument } from './documents.js';
import type { SendResult, WebhookSender } from './sender.js';

export interface DeliveryWorkerOptions {
  batchSize: number;
  /** How long a claim holds: longer than the connect and response timeouts together. */
  leaseMs: number;
  /** Called with the time of the next attempt scheduled by this instance. */
  onRetryScheduled: (at: Date) => void;
}

type DeliveryToSend = Prisma.WebhookDeliveryGetPayload<{ include: { endpoint: true; feedEvent: { select: { id: true; type: true; occurredAt: true; data: true } } } }>;

interface Claimed {
  id: string;
  attemptCount: number;
}

export class WebhookDeliveryWorker {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly endpoints: WebhookEndpoints,
    private readonly sender: WebhookSender,
    private readonly policy: RetryPolicy,
    private readonly logger: Logger,
    private readonly options: DeliveryWorkerOptions,
  ) {}

  async pass(): Promise<number> {
    const claimed = await this.prisma.$queryRaw<Claimed[]>`
      UPDATE "WebhookDelivery" AS d
      SET "leaseUntil" = (now() AT TIME ZONE 'UTC') + (${this.options.leaseMs}::int * interval '1 millisecond'), "attemptCount" = d."attemptCount" + 1
      WHERE d."id" IN (
        SELECT c."id" FROM "WebhookDelivery" AS c JOIN "WebhookEndpoint" AS e ON e."id" = c."endpointId"
        WHERE c."status" = 'PENDING' AND c."nextAttemptAt" <= (now() AT TIME ZONE 'UTC') AND e."enabled"
          AND (c."leaseUntil" IS NULL OR c."leaseUntil" < (now() AT TIME ZONE 'UTC'))
        ORDER BY c."nextAttemptAt"
        LIMIT ${this.options.batchSize}
        FOR UPDATE OF c SKIP LOCKED)
      RETURNING d."id"::text AS "id", d."attemptCount"`;
    if (claimed.length === 0) return 0;
    const deliveries = await this.prisma.webhookDelivery.findMany({
      where: { id: { in: claimed.map((row) => row.id) } },
      include: { endpoint: true, feedEvent: { select: { id: true, type: true, occurredAt: true, data: true } } },
    });
    await Promise.all(
      deliveries.map((delivery) =>
        this.attempt(delivery, claimed.find((row) => row.id === delivery.id)!.attemptCount).catch((error) => this.logger.error({ err: error, deliveryId: delivery.id }, 'webhook attempt failed to run')),
      ),
    );
    return claimed.length;
  }

  private async attempt(delivery: DeliveryToSend, number: number) {
    const id = delivery.id;
    const document = delivery.feedEvent ? eventDocument(delivery.feedEvent) : delivery.testDocument;
    const startedAt = new Date();
    const result = await this.sender.send({ url: delivery.endpoint.url, id: delivery.eventId, body: JSON.stringify(document), secrets: this.endpoints.secretsOf(delivery.endpoint, startedAt) });
    const now = new Date();
    const next = result.ok ? null : nextAttemptAfterFailure(delivery.createdAt, number, now, this.policy);
    const failure = result.ok ? null : describeFailure(result);
    await this.prisma.$transaction([
      this.prisma.webhookAttempt.create({
        data: { deliveryId: id, number, startedAt, durationMs: result.durationMs, responseStatus: result.status, responseBody: result.body, error: result.error, nextAttemptAt: next },
      }),
      // Guarded by the attempt number: a claim that outlived its lease does not overwrite a later one.
      this.prisma.webhookDelivery.updateMany({
        where: { id, attemptCount: number },
        data: {
          status: result.ok ? 'DELIVERED' : next ? 'PENDING' : 'FAILED',
          nextAttemptAt: next,
          leaseUntil: null,
          lastResponseStatus: result.status,
          lastError: failure,
          ...(result.ok ? { deliveredAt: now } : {}),
        },
      }),
    ]);
    if (next) this.options.onRetryScheduled(next);
    await this.recordHealth(delivery.endpoint, startedAt, now, failure);
  }

  private async recordHealth({ id: endpointId, failingSince }: { id: string; failingSince: Date | null }, startedAt: Date, now: Date, failure: string | null) {
    if (failure === null) {
      if (failingSince) await this.prisma.webhookEndpoint.updateMany({ where: { id: endpointId, failingSince: { not: null } }, data: { failingSince: null, lastFailure: null } });
      return;
    }
    const [endpoint] = await this.prisma.$queryRaw<{ failingSince: Date; enabled: boolean }[]>`
      UPDATE "WebhookEndpoint" SET "failingSince" = COALESCE("failingSince", ${startedAt}::timestamp(3)), "lastFailure" = ${failure}
      WHERE "id" = ${endpointId}::uuid RETURNING "failingSince", "enabled"`;
    if (endpoint?.enabled && shouldDisableEndpoint(endpoint.failingSince, now, this.policy)) {
      const reason = `every delivery has failed since ${endpoint.failingSince.toISOString()} (last: ${failure})`;
      const disabled = await this.prisma.webhookEndpoint.updateMany({ where: { id: endpointId, enabled: true }, data: { enabled: false, disabledAt: now, disabledReason: reason } });
      if (disabled.count) this.logger.warn({ endpointId, reason }, 'disabled a webhook endpoint that keeps failing');
    }
  }
}

function describeFailure(result: SendResult): string {
  return result.status !== null ? `HTTP ${result.status}` : (result.error ?? 'no answer');
}
