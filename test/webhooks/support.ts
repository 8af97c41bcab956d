// A merchant's backend inside the test (a real HTTP server that records every
// webhook and answers as told), the GraphQL documents of the webhook tests,
// and waits on what the receiver or the database shows.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import { gql } from '../support/harness.js';

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  json: { id: string; type: string; timestamp: string; data: any };
}

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** TCP connections accepted (a refused address never gets one). */
  connections: number;
  /** Decides each answer's status from the request (default 200). */
  answer: (request: ReceivedWebhook, index: number) => number;
  /** Resolves once `count` webhooks matching `predicate` have arrived. */
  waitFor(count: number, predicate?: (webhook: ReceivedWebhook) => boolean): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const waiters: { count: number; predicate: (webhook: ReceivedWebhook) => boolean; resolve: (list: ReceivedWebhook[]) => void }[] = [];
  const receiver: Receiver = {
    url: '',
    received: [],
    connections: 0,
    answer: () => 200,
    waitFor(count, predicate = () => true) {
      const matching = receiver.received.filter(predicate);
      if (matching.length >= count) return Promise.resolve(matching);
      return new Promise((resolve) => waiters.push({ count, predicate, resolve }));
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const webhook: ReceivedWebhook = { headers: req.headers as Record<string, string>, body, json: JSON.parse(body) };
      const status = receiver.answer(webhook, receiver.received.length);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : `no: ${'x'.repeat(3000)}`, () => {
        // Recorded once the answer is on its way, so a waiter sees the request the worker is about to log.
        receiver.received.push(webhook);
        for (const waiter of [...waiters]) {
          const matching = receiver.received.filter(waiter.predicate);
          if (matching.length >= waiter.count) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(matching);
          }
        }
      });
    });
  });
  server.on('connection', () => receiver.connections++);
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  return receiver;
}

export const ENDPOINT_FIELDS = 'id url description eventTypes enabled disabledReason failingSince lastFailure secretHint previousSecretExpiresAt';
export const DELIVERY_FIELDS = `id eventId eventType status attemptCount nextAttemptAt lastResponseStatus lastError deliveredAt payload
  attempts { number responseStatus responseBody error durationMs nextAttemptAt }`;

export async function createEndpoint(url: string, apiKey: string, input: { url: string; eventTypes: string[]; description?: string }) {
  const response = await gql(
    url,
    `mutation($input: CreateWebhookEndpointInput!) {
      createWebhookEndpoint(input: $input) {
        __typename
        ... on MutationCreateWebhookEndpointSuccess { data { secret endpoint { ${ENDPOINT_FIELDS} } } }
        ... on ValidationError { message field }
      }
    }`,
    { input },
    apiKey,
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data.createWebhookEndpoint;
}

/** Every order and review event type (the test endpoints listen to all the order side). */
export const ORDER_EVENTS = ['ORDER_CREATED', 'ORDER_UPDATED', 'ORDER_SUCCEEDED', 'ORDER_FAILED', 'ORDER_EXPIRED', 'ORDER_NEEDS_REVIEW', 'REVIEW_OPENED', 'REVIEW_RESOLVED'];

export async function mutate(url: string, apiKey: string, document: string, variables: Record<string, unknown>) {
  const response = await gql(url, document, variables, apiKey);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return Object.values(response.data)[0] as any;
}

/** Asks the database until `read` returns something that passes `accept` (each read yields to the workers). */
export async function until<T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Resolves once every change row of the merchant has its place in the feed. */
export function sequenced(app: App, merchantId: string) {
  return until(() => app.db.prisma.orderEvent.count({ where: { merchantId, feedPosition: null } }), (left) => left === 0);
}

export function deliveriesOf(app: App, endpointId: string) {
  return app.db.prisma.webhookDelivery.findMany({ where: { endpointId }, include: { attempts: { orderBy: { number: 'asc' } } }, orderBy: { createdAt: 'asc' } });
}
