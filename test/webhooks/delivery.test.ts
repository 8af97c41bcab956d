// Webhooks end to end over real HTTP: orders made through GraphQL against the
// sandbox, a receiver inside the test, signatures checked with the
// standardwebhooks verifier, the delivery log read back through GraphQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { createMerchant, gql, startTestApp, type TestApp } from '../support/harness.js';
import { createCashIn, sandboxControl } from '../support/orders.js';
import { bankLine, newOrder, syncStatement } from '../bank/support.js';
import { submitCard, viettelCard } from '../cards/support.js';
import { createEndpoint, DELIVERY_FIELDS, deliveriesOf, mutate, ORDER_EVENTS, startReceiver, until, type Receiver } from './support.js';

describe('webhooks to a merchant backend', () => {
  let t: TestApp;
  let receiver: Receiver;
  beforeAll(async () => {
    // Retries come after milliseconds instead of seconds: the schedule is the same, shortened.
    t = await startTestApp({ WEBHOOK_RETRY_BASE_MS: '10', WEBHOOK_RETRY_MAX_DELAY_MS: '40' });
  });
  afterAll(async () => {
    await receiver?.close();
    await t.stop();
  });

  async function merchantWithEndpoint(eventTypes: string[], answer?: Receiver['answer']) {
    await receiver?.close();
    receiver = await startReceiver();
    if (answer) receiver.answer = answer;
    const merchant = await createMerchant(t.app);
    const created = await createEndpoint(t.url, merchant.apiKey, { url: receiver.url, eventTypes, description: 'shop backend' });
    expect(created.__typename, JSON.stringify(created)).toBe('MutationCreateWebhookEndpointSuccess');
    return { merchant, endpoint: created.data.endpoint, secret: created.data.secret as string };
  }

  it('signs each webhook so that the standardwebhooks verifier accepts it, with the feed’s own document', async () => {
    const { merchant, endpoint, secret } = await merchantWithEndpoint(['ORDER_CREATED']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint).toMatchObject({ url: receiver.url, eventTypes: ['ORDER_CREATED'], enabled: true, secretHint: `…${secret.slice(-4)}` });
    const { data: order } = await createCashIn(t.url, merchant.apiKey, { amount: '150000', idempotencyKey: 'signed' });

    const [webhook] = await receiver.waitFor(1);
    const verified = new Webhook(secret).verify(webhook!.body, webhook!.headers) as { id: string; type: string; data: Record<string, unknown> };
    expect(verified).toMatchObject({ type: 'order.created', data: { object: 'order', id: order.id, status: 'PENDING', previousStatus: null, amount: '150000', version: 1 } });
    expect(webhook!.headers['webhook-id']).toBe(verified.id);
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(webhook!.body, webhook!.headers)).toThrow();

    // The feed holds the very document that was sent.
    const feed = await gql(t.url, '{ events(first: 10) { edges { cursor node { id type timestamp data } } } }', {}, merchant.apiKey);
    expect(feed.data.events.edges).toHaveLength(1);
    const { id, type, timestamp, data } = feed.data.events.edges[0].node;
    expect({ id, type, timestamp, data }).toEqual(JSON.parse(webhook!.body));
  });

  it('retries a failing receiver with the same webhook-id until it accepts, and logs every attempt', async () => {
    const { merchant, endpoint } = await merchantWithEndpoint(['ORDER_CREATED'], (_request, index) => (index < 3 ? 503 : 200));
    await createCashIn(t.url, merchant.apiKey, { amount: '120000', idempotencyKey: 'flaky' });

    const attempts = await receiver.waitFor(4);
    expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    const [delivery] = await until(() => deliveriesOf(t.app, endpoint.id), (rows) => rows[0]?.status === 'DELIVERED');
    const log = await gql(t.url, `query($id: ID!) { webhookDelivery(id: $id) { ${DELIVERY_FIELDS} } }`, { id: delivery!.id }, merchant.apiKey);
    const shown = log.data.webhookDelivery;
    expect(shown).toMatchObject({ status: 'DELIVERED', attemptCount: 4, eventId: attempts[0]!.headers['webhook-id'], eventType: 'order.created', lastResponseStatus: 200, nextAttemptAt: null });
    expect(shown.payload).toEqual(JSON.parse(attempts[0]!.body));
    expect(shown.attempts.map((a: { number: number; responseStatus: number }) => [a.number, a.responseStatus])).toEqual([[1, 503], [2, 503], [3, 503], [4, 200]]);
    expect(shown.attempts.slice(0, 3).every((a: { nextAttemptAt: string | null; responseBody: string }) => a.nextAttemptAt !== null && a.responseBody.length === 1024)).toBe(true);
    expect(shown.attempts[3]).toMatchObject({ nextAttemptAt: null, responseBody: 'ok', error: null });
    expect(await t.app.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({ enabled: true, failingSince: null });

    // Sent again on request, still under the same webhook-id.
    const again = await mutate(t.url, merchant.apiKey, `mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { __typename ... on MutationRedeliverWebhookSuccess { data { id status } } } }`, { id: delivery!.id });
    expect(again.data.status).toBe('PENDING');
    const all = await receiver.waitFor(5);
    expect(all[4]!.headers['webhook-id']).toBe(attempts[0]!.headers['webhook-id']);
    await until(() => deliveriesOf(t.app, endpoint.id), (rows) => rows[0]?.status === 'DELIVERED' && rows[0].attempts.length === 5);
  });

  it('signs with the old and the new secret during a rotation’s grace period, then with the new one only', async () => {
    const { merchant, endpoint, secret: first } = await merchantWithEndpoint(['ORDER_CREATED']);
    const rotate = (gracePeriodHours: number) =>
      mutate(t.url, merchant.apiKey, `mutation($id: ID!, $grace: Int) { rotateWebhookSecret(id: $id, gracePeriodHours: $grace) { __typename ... on MutationRotateWebhookSecretSuccess { data { secret endpoint { previousSecretExpiresAt } } } } }`, { id: endpoint.id, grace: gracePeriodHours });
    const sendTest = () => mutate(t.url, merchant.apiKey, `mutation($id: ID!) { sendTestWebhook(endpointId: $id) { __typename ... on MutationSendTestWebhookSuccess { data { id eventType } } } }`, { id: endpoint.id });

    const rotated = await rotate(1);
    const second = rotated.data.secret as string;
    expect(second).not.toBe(first);
    expect(new Date(rotated.data.endpoint.previousSecretExpiresAt).getTime()).toBeGreaterThan(Date.now());
    expect((await sendTest()).data.eventType).toBe('webhook.test');
    const [during] = await receiver.waitFor(1);
    expect(during!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(first).verify(during!.body, during!.headers)).toMatchObject({ type: 'webhook.test' });
    expect(new Webhook(second).verify(during!.body, during!.headers)).toMatchObject({ type: 'webhook.test' });

    const third = (await rotate(0)).data.secret as string;
    await sendTest();
    const [, after] = await receiver.waitFor(2);
    expect(after!.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(new Webhook(third).verify(after!.body, after!.headers)).toMatchObject({ type: 'webhook.test' });
    expect(() => new Webhook(second).verify(after!.body, after!.headers)).toThrow();
  });

  it('lets no other merchant see, steer or redeliver an endpoint or its deliveries', async () => {
    const { merchant, endpoint } = await merchantWithEndpoint(['ORDER_CREATED']);
    const test = await mutate(t.url, merchant.apiKey, `mutation($id: ID!) { sendTestWebhook(endpointId: $id) { ... on MutationSendTestWebhookSuccess { data { id } } } }`, { id: endpoint.id });
    const other = await createMerchant(t.app, 'Other');
    const read = await gql(t.url, `query($e: ID!, $d: ID!) { webhookEndpoint(id: $e) { id } webhookDelivery(id: $d) { id } webhookEndpoints { id } }`, { e: endpoint.id, d: test.data.id }, other.apiKey);
    expect(read.data).toEqual({ webhookEndpoint: null, webhookDelivery: null, webhookEndpoints: [] });
    for (const [field, args] of [
      ['updateWebhookEndpoint(id: $id, input: { url: "https://93.184.216.34/x" })', endpoint.id],
      ['disableWebhookEndpoint(id: $id)', endpoint.id],
      ['deleteWebhookEndpoint(id: $id)', endpoint.id],
      ['rotateWebhookSecret(id: $id)', endpoint.id],
      ['sendTestWebhook(endpointId: $id)', endpoint.id],
      ['redeliverWebhook(deliveryId: $id)', test.data.id],
    ] as const) {
      const answer = await gql(t.url, `mutation($id: ID!) { ${field} { __typename } }`, { id: args }, other.apiKey);
      expect(Object.values(answer.data)[0], field).toEqual({ __typename: 'NotFoundError' });
    }
    expect(await t.app.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({ url: receiver.url, enabled: true, secretHint: endpoint.secretHint.slice(1) });
  });

  it('refuses endpoints on private, link-local and non-https addresses, and creates nothing', async () => {
    const merchant = await createMerchant(t.app);
    for (const url of ['https://10.0.0.5/hook', 'https://192.168.1.10/hook', 'https://169.254.169.254/latest/meta-data', 'https://[fd00::1]/hook', 'https://[::ffff:172.16.0.1]/hook', 'http://93.184.216.34/hook']) {
      const refused = await createEndpoint(t.url, merchant.apiKey, { url, eventTypes: ['ORDER_CREATED'] });
      expect(refused, url).toMatchObject({ __typename: 'ValidationError', field: 'url' });
    }
    expect(await t.app.db.prisma.webhookEndpoint.count({ where: { merchantId: merchant.merchantId } })).toBe(0);
  });

  it('tells of a bank line when it arrives, then that it paid an order, in that order', async () => {
    const { merchant } = await merchantWithEndpoint(['BANK_TRANSACTION_RECEIVED', 'BANK_TRANSACTION_MATCHED', 'ORDER_SUCCEEDED']);
    const order = await newOrder(t.url, merchant.apiKey, '175000', 'by-transfer');
    await bankLine(t.app, { amount: 175_000, description: `Thanh toan don ${order.requestId}` });
    // Imported and matched now, or by the import worker if it came first: either way, once.
    await syncStatement(t.url, merchant.apiKey);

    const [matched] = await receiver.waitFor(1, (w) => w.json.type === 'bank_transaction.matched');
    expect(matched!.json.data).toMatchObject({ object: 'bank_transaction', amount: '175000', direction: 'IN', matchedOrderId: order.id, version: 2, order: { id: order.id, status: 'SUCCEEDED' } });
    const [received] = await receiver.waitFor(1, (w) => w.json.type === 'bank_transaction.received' && w.json.data.id === matched!.json.data.id);
    expect(received!.json.data).toMatchObject({ amount: '175000', version: 1 });
    await receiver.waitFor(1, (w) => w.json.type === 'order.succeeded' && w.json.data.id === order.id);
    const feed = await gql(t.url, 'query($id: String) { events(filter: { objectId: $id }) { edges { node { type } } } }', { id: matched!.json.data.id }, merchant.apiKey);
    expect(feed.data.events.edges.map((edge: { node: { type: string } }) => edge.node.type)).toEqual(['bank_transaction.received', 'bank_transaction.matched']);
  });

  it('tells of a card charge without ever sending the card', async () => {
    const { merchant } = await merchantWithEndpoint(['CARD_CHARGE_UPDATED']);
    const card = viettelCard();
    const { result } = await submitCard(t.url, merchant.apiKey, { ...card, idempotencyKey: 'card-1' });
    const [webhook] = await receiver.waitFor(1, (w) => w.json.data.id === result.data.id);
    expect(webhook!.json).toMatchObject({ type: 'card_charge.updated', data: { object: 'card_charge', telco: 'VIETTEL', declaredValue: '50000', maskedCode: result.data.maskedCode, version: 1 } });
    expect(webhook!.body).not.toContain(card.code);
    expect(webhook!.body).not.toContain(card.serial);
  });

  it('announces a review when an order needs a person, and its resolution, with each object’s versions in order', async () => {
    const { merchant } = await merchantWithEndpoint(ORDER_EVENTS);
    const { data: order } = await createCashIn(t.url, merchant.apiKey, { amount: '200000', idempotencyKey: 'underpaid' });
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', amount: 150000, callback: 'once' });
    const opened = await receiver.waitFor(1, (w) => w.json.type === 'review.opened');
    expect(opened[0]!.json.data).toMatchObject({ object: 'review', subject: { object: 'order', id: order.id, status: 'NEEDS_REVIEW' }, reason: 'UNDERPAID', version: 1, resolvedAt: null });

    // A person accepts the money (the review queue's resolveOrder writes this same MANUAL transition).
    await t.app.services.transitions.transition({ orderId: order.id, to: 'SUCCEEDED', cause: 'MANUAL', actor: 'manual:test', note: 'accepted 150 000 đ' });
    const [resolved] = await receiver.waitFor(1, (w) => w.json.type === 'review.resolved');
    expect(resolved!.json.data).toMatchObject({ id: opened[0]!.json.data.id, subject: { id: order.id, status: 'SUCCEEDED' }, version: 2 });

    await receiver.waitFor(2, (w) => w.json.data.id === order.id && w.json.data.version === 3);
    const orderEvents = receiver.received.filter((w) => w.json.data.object === 'order').map((w) => [w.json.type, w.json.data.version, w.json.data.status]);
    expect(orderEvents.sort((a, b) => (a[1] as number) - (b[1] as number) || String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['order.created', 1, 'PENDING'],
      ['order.needs_review', 2, 'NEEDS_REVIEW'],
      ['order.updated', 2, 'NEEDS_REVIEW'],
      ['order.succeeded', 3, 'SUCCEEDED'],
      ['order.updated', 3, 'SUCCEEDED'],
    ]);
  });
});
