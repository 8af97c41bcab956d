// GraphQL documents, fresh cards and waits shared by the card-charge tests.
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import { gql } from '../support/harness.js';
import { waitOnBus } from '../support/orders.js';

export const CHARGE_FIELDS = `id telco declaredValue realValue amountReceived status valueMismatch failureCode retryable
  providerStatus providerMessage requestId transId maskedCode maskedSerial createdAt updatedAt completedAt
  events { fromStatus toStatus cause actor providerStatus payload note }`;

export const SUBMIT = `mutation($input: SubmitCardChargeInput!) {
  submitCardCharge(input: $input) {
    __typename
    ... on MutationSubmitCardChargeSuccess { data { ${CHARGE_FIELDS} } }
    ... on Error { message }
    ... on ValidationError { field }
    ... on CardRefusedError { code retryable providerStatus providerMessage cardChargeId }
    ... on ProviderUnavailableError { outcomeUnknown cardChargeId }
    ... on IdempotencyKeyReusedError { key }
  }
}`;

export const CARD_CHARGE = `query($id: ID!) { cardCharge(id: $id) { ${CHARGE_FIELDS} } }`;

export const REFRESH = `mutation($id: ID!) {
  refreshCardCharge(id: $id) {
    __typename
    ... on MutationRefreshCardChargeSuccess { data { ${CHARGE_FIELDS} } }
    ... on Error { message }
  }
}`;

export const CARD_CHARGE_UPDATED = `subscription($id: ID!) { cardChargeUpdated(id: $id) { id status valueMismatch realValue amountReceived maskedCode events { toStatus cause } } }`;

let counter = 0;

/** A fresh, well-shaped Viettel card (code 15 digits, serial 14) that no other test has used. */
export function viettelCard(declaredValue = 50_000n) {
  counter++;
  const n = String(Date.now() % 10_000_000).padStart(7, '0') + String(counter).padStart(3, '0');
  return { telco: 'VIETTEL', code: `71282${n}`, serial: `5000${n}`, declaredValue: declaredValue.toString() };
}

export async function submitCard(url: string, apiKey: string, input: Record<string, unknown>) {
  const response = await gql(url, SUBMIT, { input }, apiKey);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return { result: response.data.submitCardCharge, raw: JSON.stringify(response) };
}

/** Drives the card simulator over its HTTP control routes (/card/_sandbox/...). */
export async function cardControl(app: App, action: string, body: unknown) {
  const response = await fetch(`${app.sandbox!.baseUrl('card')}/_sandbox/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  expect(response.status, JSON.stringify(json)).toBe(200);
  return json;
}

export const steerCharging = (app: App, behaviour: Record<string, unknown>) => cardControl(app, 'steer', { operation: 'charging', behaviour });

export async function chargeFromDb(app: App, id: string) {
  return app.db.prisma.cardCharge.findUniqueOrThrow({ where: { id }, include: { events: { orderBy: { createdAt: 'asc' } } } });
}

export async function inboxRows(app: App, requestId: string) {
  return app.db.prisma.callbackInbox.findMany({ where: { provider: 'CARD', eventKey: { startsWith: `card:${requestId}:` } }, orderBy: { receivedAt: 'asc' } });
}

/** Resolves once the charge reaches one of `statuses` (listens to the bus: no sleeping). */
export function waitForCardStatus(app: App, cardChargeId: string, statuses: string[]) {
  const read = async () => (await app.db.prisma.cardCharge.findUniqueOrThrow({ where: { id: cardChargeId }, select: { status: true } })).status;
  return waitOnBus(app, 'cardCharge:changed', cardChargeId, read, statuses);
}

/** Every stored row that could hold a card, as text: the charge, its events, and the card callbacks recorded. */
export async function storedText(app: App, cardChargeId: string, requestId: string): Promise<string> {
  const rows = await app.db.prisma.$queryRawUnsafe<{ text: string }[]>(
    `SELECT row_to_json(c)::text AS text FROM "CardCharge" c WHERE c."id" = $1::uuid
     UNION ALL SELECT row_to_json(e)::text FROM "CardChargeEvent" e WHERE e."cardChargeId" = $1::uuid
     UNION ALL SELECT row_to_json(i)::text FROM "CallbackInbox" i WHERE i."eventKey" LIKE $2
     UNION ALL SELECT row_to_json(k)::text FROM "IdempotencyKey" k`,
    cardChargeId,
    `card:${requestId}:%`,
  );
  return rows.map((row) => row.text).join('\n');
}
