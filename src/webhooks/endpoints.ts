// A merchant's webhook endpoints: create (the secret shown once), update,
// disable, delete, rotate the secret with a grace period, send a test event,
// and redeliver. Secrets are sealed at rest (SealedBox, bound to the endpoint).
import { randomUUID } from 'node:crypto';
import type { PrismaClient, WebhookEndpoint } from '../generated/prisma/client.js';
import type { SealedBox } from '../services/sealed-box.js';
import { hasControlCharacters } from '../domain/text.js';
import { isWebhookEventType, TEST_EVENT_TYPE, type WebhookEventType } from '../domain/event-feed.js';
import { checkEndpointUrl, type AddressPolicy } from './url-guard.js';
import { generateWebhookSecret } from './sender.js';
import { eventId } from './documents.js';
import { NotFoundError, ValidationError } from '../errors/index.js';
import { isUuid } from '../domain/ids.js';

export const MAX_ENDPOINTS_PER_MERCHANT = 20;
export const DEFAULT_ROTATION_GRACE_HOURS = 24;
export const MAX_ROTATION_GRACE_HOURS = 7 * 24;

export interface EndpointInput {
  url?: string | null;
  eventTypes?: readonly string[] | null;
  description?: string | null;
  enabled?: boolean | null;
}

const secretAad = (endpointId: string, which: 'current' | 'previous') => `webhook-endpoint:${endpointId}:${which}`;

export class WebhookEndpoints {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sealedBox: SealedBox,
    private readonly options: { policy: AddressPolicy; wakeDelivery: () => void },
  ) {}

  async find(merchantId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = isUuid(id) ? await this.prisma.webhookEndpoint.findFirst({ where: { id, merchantId } }) : null;
    if (!endpoint) throw new NotFoundError('WebhookEndpoint', id);
    return endpoint;
  }

  list(merchantId: string) {
    return this.prisma.webhookEndpoint.findMany({ where: { merchantId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  async create(merchantId: string, input: EndpointInput & { url: string; eventTypes: readonly string[] }): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const url = await checkEndpointUrl(input.url, this.options.policy);
    const eventTypes = checkEventTypes(input.eventTypes);
    const description = checkDescription(input.description);
    if ((await this.prisma.webhookEndpoint.count({ where: { merchantId } })) >= MAX_ENDPOINTS_PER_MERCHANT) {
      throw new ValidationError(`at most ${MAX_ENDPOINTS_PER_MERCHANT} webhook endpoints per merchant`);
    }
    const id = randomUUID();
    const secret = generateWebhookSecret();
    const endpoint = await this.prisma.webhookEndpoint.create({
      data: { id, merchantId, url, eventTypes, description, sealedSecret: this.sealedBox.seal(secret, secretAad(id, 'current')), secretHint: secret.slice(-4) },
    });
    return { endpoint, secret };
  }

  async update(merchantId: string, id: string, input: EndpointInput): Promise<WebhookEndpoint> {
    const endpoint = await this.find(merchantId, id);
    const url = input.url != null ? await checkEndpointUrl(input.url, this.options.policy) : undefined;
    const eventTypes = input.eventTypes != null ? checkEventTypes(input.eventTypes) : undefined;
    const description = input.description !== undefined ? checkDescription(input.description) : undefined;
    const enabling = input.enabled === true && !endpoint.enabled;
    const disabling = input.enabled === false && endpoint.enabled;
    const updated = await this.prisma.webhookEndpoint.update({
      where: { id },
      data: {
        url,
        eventTypes,
        description,
        ...(enabling ? { enabled: true, disabledAt: null, disabledReason: null, failingSince: null, lastFailure: null } : {}),
        ...(disabling ? { enabled: false, disabledAt: new Date(), disabledReason: 'disabled by the merchant' } : {}),
      },
    });
    if (enabling) {
      // Deliveries held while it was disabled go out now.
      await this.prisma.webhookDelivery.updateMany({ where: { endpointId: id, status: 'PENDING' }, data: { nextAttemptAt: new Date() } });
      this.options.wakeDelivery();
    }
    return updated;
  }

  disable(merchantId: string, id: string) {
    return this.update(merchantId, id, { enabled: false });
  }

  async delete(merchantId: string, id: string): Promise<string> {
    await this.find(merchantId, id);
    await this.prisma.webhookEndpoint.delete({ where: { id } });
    return id;
  }

  /** A new secret, shown once; the old one keeps signing (a second signature) for the grace period. */
  async rotateSecret(merchantId: string, id: string, graceHours = DEFAULT_ROTATION_GRACE_HOURS): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    if (!Number.isFinite(graceHours) || graceHours < 0 || graceHours > MAX_ROTATION_GRACE_HOURS) {
      throw new ValidationError(`gracePeriodHours: 0 to ${MAX_ROTATION_GRACE_HOURS}`, 'gracePeriodHours');
    }
    const endpoint = await this.find(merchantId, id);
    const previous = this.sealedBox.open<string>(endpoint.sealedSecret, secretAad(id, 'current'));
    const secret = generateWebhookSecret();
    const updated = await this.prisma.webhookEndpoint.update({
      where: { id },
      data: {
        sealedSecret: this.sealedBox.seal(secret, secretAad(id, 'current')),
        secretHint: secret.slice(-4),
        sealedPreviousSecret: graceHours > 0 ? this.sealedBox.seal(previous, secretAad(id, 'previous')) : null,
        previousSecretExpiresAt: graceHours > 0 ? new Date(Date.now() + graceHours * 3_600_000) : null,
      },
    });
    return { endpoint: updated, secret };
  }

  /** The secrets that sign now: the current one, and the previous one during its grace period. */
  secretsOf(endpoint: Pick<WebhookEndpoint, 'id' | 'sealedSecret' | 'sealedPreviousSecret' | 'previousSecretExpiresAt'>, now = new Date()): string[] {
    const secrets = [this.sealedBox.open<string>(endpoint.sealedSecret, secretAad(endpoint.id, 'current'))];
    if (endpoint.sealedPreviousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
      secrets.push(this.sealedBox.open<string>(endpoint.sealedPreviousSecret, secretAad(endpoint.id, 'previous')));
    }
    return secrets;
  }

  /** A webhook.test event to this endpoint alone (not part of the feed), delivered and logged like any other. */
  async sendTest(merchantId: string, id: string) {
    const endpoint = await this.find(merchantId, id);
    if (!endpoint.enabled) throw new ValidationError('the endpoint is disabled: enable it first');
    const now = new Date();
    const testId = eventId(`Test:${randomUUID()}`, TEST_EVENT_TYPE);
    const delivery = await this.prisma.webhookDelivery.create({
      data: {
        endpointId: id,
        merchantId,
        eventId: testId,
        eventType: TEST_EVENT_TYPE,
        testDocument: { id: testId, type: TEST_EVENT_TYPE, timestamp: now.toISOString(), data: { object: 'test', endpointId: id, message: 'A test event from paygraph: answer 2xx.' } },
        nextAttemptAt: now,
      },
    });
    this.options.wakeDelivery();
    return delivery;
  }

  /** Sends a delivery again now, with the same webhook-id (a receiver that has it already can ignore it). */
  async redeliver(merchantId: string, deliveryId: string) {
    const delivery = isUuid(deliveryId) ? await this.prisma.webhookDelivery.findFirst({ where: { id: deliveryId, merchantId }, include: { endpoint: { select: { enabled: true } } } }) : null;
    if (!delivery) throw new NotFoundError('WebhookDelivery', deliveryId);
    if (!delivery.endpoint.enabled) throw new ValidationError('the endpoint is disabled: enable it first');
    const updated = await this.prisma.webhookDelivery.update({ where: { id: deliveryId }, data: { status: 'PENDING', nextAttemptAt: new Date() } });
    this.options.wakeDelivery();
    return updated;
  }

  async delivery(merchantId: string, deliveryId: string) {
    const delivery = isUuid(deliveryId) ? await this.prisma.webhookDelivery.findFirst({ where: { id: deliveryId, merchantId } }) : null;
    if (!delivery) throw new NotFoundError('WebhookDelivery', deliveryId);
    return delivery;
  }
}

function checkEventTypes(types: readonly string[]): WebhookEventType[] {
  const unique = [...new Set(types)];
  if (unique.length === 0) throw new ValidationError('eventTypes: at least one event type', 'eventTypes');
  const unknown = unique.filter((type) => !isWebhookEventType(type));
  if (unknown.length) throw new ValidationError(`eventTypes: unknown ${unknown.join(', ')}`, 'eventTypes');
  return unique as WebhookEventType[];
}

function checkDescription(description: string | null | undefined): string | null {
  if (!description) return null;
  if (description.length > 255 || hasControlCharacters(description)) throw new ValidationError('description: at most 255 characters, no control characters', 'description');
  return description;
}
