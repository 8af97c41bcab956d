// Shared by the decision tests (issue 12): creating orders over GraphQL, and
// moving an order's deadline to now (as if its time had come).
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import { gql } from '../support/harness.js';
import { ORDER_FIELDS } from '../support/orders.js';

const result = (name: string) =>
  `{ __typename ... on Mutation${name}Success { data { ${ORDER_FIELDS} } } ... on Error { message } ... on ValidationError { field } ... on ProviderRefusedError { code } ... on ProviderUnavailableError { outcomeUnknown orderId } ... on ConcurrentUpdateError { code retryable } }`;

/** Runs a create mutation (`CreateCashIn`, `CreateHubPayout` …) and returns its result union. */
export async function create(url: string, apiKey: string, name: string, input: Record<string, unknown>) {
  const field = name[0]!.toLowerCase() + name.slice(1);
  const response = await gql(url, `mutation($input: ${name}Input!) { ${field}(input: $input) ${result(name)} }`, { input }, apiKey);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data[field];
}

/** Creates and expects success; returns the order. */
export async function created(url: string, apiKey: string, name: string, input: Record<string, unknown>) {
  const answer = await create(url, apiKey, name, input);
  expect(answer.__typename, JSON.stringify(answer)).toBe(`Mutation${name}Success`);
  return answer.data as { id: string; requestId: string; providerReference: string | null; status: string; instructions: { transferContent: string | null } };
}

/** The order's time is up: its deadline (and a collecting order's expiry, which it mirrors) is now. */
export async function deadlineReached(app: App, orderId: string) {
  const past = new Date(Date.now() - 1_000);
  const order = await app.db.prisma.order.findUniqueOrThrow({ where: { id: orderId }, select: { expiresAt: true } });
  await app.db.prisma.order.update({ where: { id: orderId }, data: { deadlineAt: past, nextPollAt: new Date(), ...(order.expiresAt ? { expiresAt: past } : {}) } });
}

export const PAYEE = { accountNumber: '321321321321', accountName: 'NGUYEN VAN A', bankCode: 'VCB' };
