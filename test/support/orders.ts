// GraphQL documents and sandbox steering shared by the order tests.
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import { gql } from './harness.js';
import type { SimulatorRequest } from '../../src/sandbox/kit.js';

export const ORDER_FIELDS = `id status kind provider amount settledAmount reviewReason requestId providerReference rawStatus
  instructions { accountNumber accountName bankCode transferContent qrData qrImage deepLink payUrl expiresAt }
  events { fromStatus toStatus cause actor }`;

export const CREATE_CASH_IN = `mutation($input: CreateCashInInput!) {
  createCashIn(input: $input) {
    __typename
    ... on MutationCreateCashInSuccess { data { ${ORDER_FIELDS} } }
    ... on Error { message }
    ... on ValidationError { field }
    ... on ProviderRefusedError { code retryable orderId }
    ... on ProviderUnavailableError { outcomeUnknown orderId }
  }
}`;

export const ORDER_UPDATED = `subscription($id: ID!) { orderUpdated(id: $id) { id status settledAmount events { toStatus cause } } }`;

export async function createCashIn(url: string, apiKey: string, input: Record<string, unknown>) {
  const response = await gql(url, CREATE_CASH_IN, { input: { method: 'BANK', ...input } }, apiKey);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data.createCashIn;
}

/** Drives a simulator over its HTTP control routes (/<name>/_sandbox/...). */
export async function sandboxControl(app: App, simulator: string, action: string, body: unknown) {
  const response = await fetch(`${app.sandbox!.baseUrl(simulator)}/_sandbox/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  expect(response.status, JSON.stringify(json)).toBe(200);
  return json;
}

export async function sandboxState(app: App, simulator: string) {
  const response = await fetch(`${app.sandbox!.baseUrl(simulator)}/_sandbox/state`);
  return response.json();
}

export async function orderFromDb(app: App, id: string) {
  return app.db.prisma.order.findUniqueOrThrow({ where: { id }, include: { events: { orderBy: { createdAt: 'asc' } } } });
}

/** Resolves once the order reaches one of `statuses` (listens to the bus: no sleeping). */
export function waitForStatus(app: App, orderId: string, statuses: string[], options: { from?: string[] } = {}) {
  const read = async () => (await app.db.prisma.order.findUniqueOrThrow({ where: { id: orderId }, select: { status: true } })).status;
  return waitOnBus(app, 'order:changed', orderId, read, statuses, options.from);
}

/** Where an order or a card charge is on its way; any other status it reaches is an outcome. */
const IN_FLIGHT = new Set(['PENDING', 'PROCESSING']);

/** For subscription waits: stop at the first outcome and assert it, rather than wait (until the test's timeout) for one that may never come. */
export const isOutcome = (status: string) => !IN_FLIGHT.has(status);

/**
 * Listens on a status channel before reading the current status, so a change between the two is never missed.
 * Fails at once when another outcome than the ones awaited is reached (rather than waiting for the test's timeout).
 */
export async function waitOnBus(app: App, channel: 'order:changed' | 'cardCharge:changed', id: string, read: () => Promise<string>, statuses: string[], from: string[] = []) {
  const reached = (status: string) => {
    if (statuses.includes(status)) return true;
    // `from`: outcomes the test expects to leave (an EXPIRED order paid late, say).
    if (isOutcome(status) && !from.includes(status)) throw new Error(`${id} reached ${status} while the test waited for ${statuses.join(' or ')}`);
    return false;
  };
  const iterator = app.services.pubsub.subscribe(channel, id)[Symbol.asyncIterator]();
  try {
    let next = iterator.next(); // starts listening before the read below
    const now = await read();
    if (reached(now)) return now;
    for (;;) {
      const { value, done } = await next;
      if (done) throw new Error('subscription ended');
      if (reached(value.status)) return value.status;
      next = iterator.next();
    }
  } finally {
    await iterator.return?.();
  }
}

/** Counts the AZConnectPay cash-in status queries for one order, where the provider would see them (restore() when done). */
export function countStatusQueries(app: App, requestId: string) {
  const simulator = app.sandbox!.simulators.get('azconnectpay')!;
  const original = simulator.handle.bind(simulator);
  let count = 0;
  simulator.handle = async (request: SimulatorRequest) => {
    if (request.url.pathname.endsWith('/cash-in/status') && request.url.search.includes(requestId)) count++;
    return original(request);
  };
  return { count: () => count, restore: () => void (simulator.handle = original) };
}
