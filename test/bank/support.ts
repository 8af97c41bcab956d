// GraphQL documents and sandbox steering shared by the bank statement tests.
import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import type { SimulatorRequest } from '../../src/sandbox/kit.js';
import { gql } from '../support/harness.js';
import { sandboxControl } from '../support/orders.js';

export const SANDBOX_WEBHOOK_SECRET = 'sandbox-webhook-secret';

export const TRANSACTION_FIELDS = `id bank accountNumber amount direction refNo description balanceAfter transactionTime source matched matchNote
  account { id bankCode accountNumber }
  matchedOrder { id status requestId }`;

export const BANK_ORDER_FIELDS = `id status kind provider amount settledAmount reviewReason requestId
  instructions { bankCode accountNumber accountName amount transferContent expiresAt }
  events { fromStatus toStatus cause actor note }
  bankTransactions { id refNo amount matchNote }`;

export async function bankAccounts(url: string, apiKey: string) {
  const response = await gql(url, `{ bankAccounts { __typename ... on QueryBankAccountsSuccess { data { id providerAccountId bankCode accountNumber holderName balance active } } ... on Error { message } } }`, {}, apiKey);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  expect(response.data.bankAccounts.__typename, JSON.stringify(response.data)).toBe('QueryBankAccountsSuccess');
  return response.data.bankAccounts.data as { id: string; providerAccountId: string; bankCode: string; accountNumber: string; holderName: string | null; balance: string | null; active: boolean }[];
}

/** The demo user's MBBANK account, synced into the merchant's accounts. */
export async function demoAccount(url: string, apiKey: string) {
  const account = (await bankAccounts(url, apiKey)).find((a) => a.accountNumber === '0368492618');
  expect(account).toBeTruthy();
  return account!;
}

export async function createBankTransferOrder(url: string, apiKey: string, input: Record<string, unknown>) {
  const response = await gql(
    url,
    `mutation($input: CreateBankTransferOrderInput!) {
      createBankTransferOrder(input: $input) {
        __typename
        ... on MutationCreateBankTransferOrderSuccess { data { ${BANK_ORDER_FIELDS} } }
        ... on Error { message }
        ... on ValidationError { field }
      }
    }`,
    { input },
    apiKey,
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data.createBankTransferOrder;
}

export async function newOrder(url: string, apiKey: string, amount: string, key: string) {
  const account = await demoAccount(url, apiKey);
  const created = await createBankTransferOrder(url, apiKey, { amount, bankAccountId: account.id, idempotencyKey: key });
  expect(created.__typename, JSON.stringify(created)).toBe('MutationCreateBankTransferOrderSuccess');
  return created.data as { id: string; requestId: string; status: string; instructions: { transferContent: string } };
}

export async function bankOrder(url: string, apiKey: string, id: string) {
  const response = await gql(url, `query($id: ID!) { order(id: $id) { ${BANK_ORDER_FIELDS} } }`, { id }, apiKey);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data.order;
}

export interface StatementLineInput {
  direction?: 'in' | 'out';
  amount: number;
  description: string;
  ref_no?: string;
  at?: string;
  order_code?: string;
  webhook?: 'once' | 'duplicate' | 'none';
}

/** The payer's bank books a transfer (the fake bank's statement gets a line; with order_code the webhook is sent). */
export async function bankLine(app: App, line: StatementLineInput) {
  const { transaction } = await sandboxControl(app, 'apinganhang', 'transactions', { direction: 'in', ...line });
  return transaction as { id: number; ref_no: string; amount: number; bank: string; account: string; transaction_time: string; created_at: number };
}

export async function syncStatement(url: string, apiKey: string) {
  const response = await gql(
    url,
    `mutation { syncBankStatement { __typename ... on MutationSyncBankStatementSuccess { data { fetched imported settled } } ... on Error { message } } }`,
    {},
    apiKey,
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  expect(response.data.syncBankStatement.__typename, JSON.stringify(response.data)).toBe('MutationSyncBankStatementSuccess');
  return response.data.syncBankStatement.data as { fetched: number; imported: number; settled: number };
}

/** A transaction.confirmed webhook as API Ngân hàng signs it (written again here: the test must not share the app's signer). */
export function signedWebhook(fields: { order_code: string; amount: number; trans_id: string; paid_at: number; bank?: string; account?: string }, secret = SANDBOX_WEBHOOK_SECRET) {
  const sign = createHmac('sha256', secret).update([fields.order_code, fields.amount, fields.trans_id, fields.paid_at].join('|')).digest('hex');
  return JSON.stringify({ event: 'transaction.confirmed', bank: 'MBBANK', account: '0368492618', ...fields, sign });
}

export async function postWebhook(url: string, body: string, query = '') {
  const response = await fetch(`${url}/callbacks/apinganhang${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, body: await response.text() };
}

/** Counts the requests reaching the API Ngân hàng simulator, by path (over real HTTP: the count is taken where the provider would see them). */
export function countProviderCalls(app: App) {
  const simulator = app.sandbox!.simulators.get('apinganhang')!;
  const original = simulator.handle.bind(simulator);
  const calls: string[] = [];
  simulator.handle = async (request: SimulatorRequest) => {
    if (request.url.pathname.startsWith('/api/v1/')) calls.push(request.url.pathname.slice('/api/v1'.length));
    return original(request);
  };
  return {
    calls,
    count: (path: string) => calls.filter((call) => call === path).length,
    reset: () => void calls.splice(0),
    restore: () => void (simulator.handle = original),
  };
}

/** Resolves once the merchant has `count` statement rows (listens to the bus, so no sleeping). */
export async function waitForRows(app: App, merchantId: string, count: number) {
  const rows = () => app.db.prisma.bankTransaction.count({ where: { merchantId } });
  const iterator = app.services.pubsub.subscribe('merchant:bank-transactions', merchantId)[Symbol.asyncIterator]();
  try {
    let next = iterator.next();
    for (;;) {
      if ((await rows()) >= count) return rows();
      const { done } = await next;
      if (done) throw new Error('subscription ended');
      next = iterator.next();
    }
  } finally {
    await iterator.return?.();
  }
}
