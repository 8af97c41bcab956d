// Items that wait for a person, reached by the paths that produce them, and
// the GraphQL documents of the review queue and its decisions.
import { randomInt } from 'node:crypto';
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import { TRANSFER_CODE_ALPHABET } from '../../src/domain/payment-matching.js';
import { createMerchant, gql, startTestApp, type TestApp } from '../support/harness.js';
import { createCashIn, sandboxControl, waitForStatus } from '../support/orders.js';
import { bankLine, newOrder, syncStatement } from '../bank/support.js';
import { submitCard, viettelCard } from '../cards/support.js';

export interface Merchant {
  merchantId: string;
  apiKey: string;
}

export const REVIEW_ITEM_FIELDS = `__typename id kind reason openedAt
  ... on OrderReview { expectedAmount settledAmount order { id kind status requestId events { toStatus cause } } }
  ... on CardChargeReview { declaredValue realValue amountReceived cardCharge { id status maskedCode events { toStatus cause } } }
  ... on TransactionReview { amount description transactionTime transaction { id refNo matched matchedOrder { id } account { id } } }`;

export const REVIEW_QUEUE = `query($first: Int, $after: String, $last: Int, $before: String, $filter: ReviewFilter) {
  reviewQueue(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ${REVIEW_ITEM_FIELDS} } }
  }
}`;

const RESULT = (name: string, fields: string) => `
  ${name} {
    __typename
    ... on Mutation${name[0]!.toUpperCase()}${name.slice(1, name.indexOf('('))}Success { data { ${fields} } }
    ... on Error { message }
    ... on ValidationError { field }
    ... on NotFoundError { entity }
    ... on ReviewRefusedError { code status }
  }`;

export const RESOLVE_ORDER = `mutation($id: ID!, $outcome: ReviewOutcome!, $settledAmount: BigInt, $note: String!) {
  ${RESULT('resolveOrder(id: $id, outcome: $outcome, settledAmount: $settledAmount, note: $note)', 'id status amount settledAmount reviewReason reviewOpenedAt events { fromStatus toStatus cause actor note }')}
}`;

export const RESOLVE_CARD_CHARGE = `mutation($id: ID!, $outcome: ReviewOutcome!, $realValue: BigInt, $amountReceived: BigInt, $note: String!) {
  ${RESULT(
    'resolveCardCharge(id: $id, outcome: $outcome, realValue: $realValue, amountReceived: $amountReceived, note: $note)',
    'id status declaredValue realValue amountReceived valueMismatch reviewReason reviewOpenedAt events { fromStatus toStatus cause actor note }',
  )}
}`;

const LINE_FIELDS = 'id amount matched matchNote reviewReason reviewOpenedAt reviewedBy reviewedAt reviewNote matchedOrder { id status settledAmount reviewReason events { fromStatus toStatus cause actor note } }';

export const MATCH_BANK_TRANSACTION = `mutation($transactionId: ID!, $orderId: ID!, $note: String!) {
  ${RESULT('matchBankTransaction(transactionId: $transactionId, orderId: $orderId, note: $note)', LINE_FIELDS)}
}`;

export const CLOSE_BANK_TRANSACTION_REVIEW = `mutation($transactionId: ID!, $note: String!) {
  ${RESULT('closeBankTransactionReview(transactionId: $transactionId, note: $note)', LINE_FIELDS)}
}`;

/** Runs a document and returns the root field's value (no GraphQL-level errors allowed). */
export async function call(url: string, apiKey: string, document: string, variables: Record<string, unknown>) {
  const response = await gql(url, document, variables, apiKey);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return Object.values(response.data as Record<string, any>)[0];
}

export async function apiKeyIdOf(app: App, merchantId: string) {
  return (await app.db.prisma.apiKey.findFirstOrThrow({ where: { merchantId } })).id;
}

// ---- reaching a review, by the real paths ----------------------------------------------

let keys = 0;
const nextKey = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++keys}`;

/** A bank-transfer order paid short: the statement matcher sends it to NEEDS_REVIEW (UNDERPAID). */
export async function underpaidBankOrder(t: TestApp, merchant: Merchant, amount = 150_000, paid = 100_000) {
  const order = await newOrder(t.url, merchant.apiKey, String(amount), nextKey('underpaid'));
  await bankLine(t.app, { amount: paid, description: `CK ${order.requestId}` });
  await syncStatement(t.url, merchant.apiKey);
  const stored = await t.app.db.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
  expect([stored.status, stored.reviewReason, stored.reviewOpenedAt]).toEqual(['NEEDS_REVIEW', 'UNDERPAID', expect.any(Date)]);
  return stored;
}

/** An AZConnectPay cash-in the payer paid short: the callback sends it to NEEDS_REVIEW (UNDERPAID). */
export async function underpaidCashIn(t: TestApp, merchant: Merchant, amount = 200_000, paid = 150_000) {
  const { data: order } = await createCashIn(t.url, merchant.apiKey, { amount: String(amount), idempotencyKey: nextKey('cash-in') });
  await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', amount: paid, callback: 'once' });
  expect(await waitForStatus(t.app, order.id, ['NEEDS_REVIEW'])).toBe('NEEDS_REVIEW');
  return t.app.db.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
}

/** A bank-transfer order paid exactly: SUCCEEDED by the statement matcher. */
export async function paidBankOrder(t: TestApp, merchant: Merchant, amount = 90_000) {
  const order = await newOrder(t.url, merchant.apiKey, String(amount), nextKey('paid'));
  await bankLine(t.app, { amount, description: `CK ${order.requestId}` });
  await syncStatement(t.url, merchant.apiKey);
  return t.app.db.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
}

/** An open bank-transfer order (PENDING). */
export async function openBankOrder(t: TestApp, merchant: Merchant, amount: number) {
  const order = await newOrder(t.url, merchant.apiKey, String(amount), nextKey('open'));
  return t.app.db.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
}

/** A code of the right shape that no order has: the line names an order, and no order claims it. */
export function strayTransferCode() {
  let code = 'PG';
  for (let i = 0; i < 8; i++) code += TRANSFER_CODE_ALPHABET[randomInt(TRANSFER_CODE_ALPHABET.length)];
  return code;
}

/** Money in on the statement that no order claims (imported and matched for real), as a row. */
export async function unclaimedLine(t: TestApp, merchant: Merchant, amount: number, description = `CK ${strayTransferCode()}`) {
  const line = await bankLine(t.app, { amount, description });
  await syncStatement(t.url, merchant.apiKey);
  const row = await t.app.db.prisma.bankTransaction.findFirstOrThrow({ where: { merchantId: merchant.merchantId, refNo: line.ref_no } });
  expect([row.matchedOrderId, row.matchCheckedAt]).toEqual([null, expect.any(Date)]);
  return row;
}

/**
 * An unclaimed line in the queue. In production the statement matcher of the
 * decision policy (branch `evidence`) opens this review (UNMATCHED_PAYMENT);
 * here the test's own database is set as it would.
 */
export async function lineInReview(t: TestApp, merchant: Merchant, amount: number, openedAt = new Date()) {
  const row = await unclaimedLine(t, merchant, amount);
  return t.app.db.prisma.bankTransaction.update({ where: { id: row.id }, data: { reviewReason: 'UNMATCHED_PAYMENT', reviewOpenedAt: openedAt } });
}

/**
 * A card charge in NEEDS_REVIEW. Submitted for real (the simulator answers 99,
 * pending); in production the card deadline of the decision policy (branch
 * `evidence`) moves it to NEEDS_REVIEW when no final word came; here the
 * test's own database is set as it would.
 */
export async function cardInReview(t: TestApp, merchant: Merchant, declaredValue = 50_000n, openedAt = new Date()) {
  const { result } = await submitCard(t.url, merchant.apiKey, { ...viettelCard(declaredValue), idempotencyKey: nextKey('card') });
  expect(result.data.status).toBe('PENDING');
  return t.app.db.prisma.cardCharge.update({ where: { id: result.data.id }, data: { status: 'NEEDS_REVIEW', reviewReason: 'UNCONFIRMED_OUTCOME', reviewOpenedAt: openedAt, nextPollAt: null } });
}

/**
 * A SUCCEEDED order flagged CONTRADICTED. Paid for real; in production a
 * later report contradicting the payment flags it (decision policy, branch
 * `evidence`); here the test's own database is set as it would.
 */
export async function contradictedOrder(t: TestApp, merchant: Merchant) {
  const order = await paidBankOrder(t, merchant);
  expect(order.status).toBe('SUCCEEDED');
  return t.app.db.prisma.order.update({ where: { id: order.id }, data: { reviewReason: 'CONTRADICTED', reviewOpenedAt: new Date() } });
}

/**
 * Holds the next order transition a person's decision makes (after it has
 * read the order and decided) until `release()`: another decision can then be
 * run to its end first, which is the race a guarded write must survive.
 */
export function holdNextManualTransition(app: App) {
  const transitions = app.services.transitions;
  const original = transitions.transition;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let arrive!: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  let held = false;
  transitions.transition = async function (this: typeof transitions, request) {
    if (!held && request.cause === 'MANUAL') {
      held = true;
      arrive();
      await released;
    }
    return original.call(this, request);
  };
  return { arrived, release, restore: () => void (transitions.transition = original) };
}

/** A paygraph without workers (nothing moves an item behind the test's back), a merchant, and its API key as an event's actor. */
export async function startReviewApp() {
  const t = await startTestApp({ WORKERS: 'false' });
  const merchant = await createMerchant(t.app);
  return { t, merchant, actor: `api-key:${await apiKeyIdOf(t.app, merchant.merchantId)}` };
}
