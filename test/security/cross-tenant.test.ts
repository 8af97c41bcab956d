// No object of merchant A is reachable by merchant B — through any root field
// of the schema. The test enumerates Query, Mutation and Subscription from the
// schema itself (a field added later is covered without touching this file),
// calls each as B with every one of A's ids in every id-shaped argument, and
// checks that none of A's identifiers comes back and nothing of A's changed.
// A has something behind every root field that reads stored data: orders and
// their events, keys, a client token, bank accounts, statement lines (and so
// totals and CSV), a bank-transfer order, a card charge, a provider account.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  isInterfaceType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';
import { schema } from '../../src/schema/index.js';
import { gql, subscribe, wsClient, type TestApp } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { createCashIn, sandboxControl, waitForStatus } from '../support/orders.js';
import { bankAccounts, newOrder, postWebhook, signedWebhook } from '../bank/support.js';
import { submitCard, viettelCard } from '../cards/support.js';

/** A's identifiers: none may appear in anything B gets back. */
let secretsOfA: string[] = [];
let idsOfA: string[] = [];

function valueFor(type: GraphQLInputType, argName: string, id: string, depth = 0): unknown {
  if (isNonNullType(type)) return valueFor(type.ofType, argName, id, depth);
  if (isListType(type)) return [valueFor(type.ofType, argName, id, depth)];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]!.value;
  if (isInputObjectType(named)) {
    if (depth > 3) return {};
    return Object.fromEntries(
      Object.values(named.getFields())
        .filter((f) => isNonNullType(f.type) || /id$/i.test(f.name))
        .map((f) => [f.name, valueFor(f.type, f.name, id, depth + 1)]),
    );
  }
  switch (named.name) {
    case 'ID':
      return id;
    case 'String':
      return /id$/i.test(argName) ? id : `x-${Math.random().toString(36).slice(2, 8)}`;
    case 'Int':
      return 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'BigInt':
      return '150000';
    case 'DateTime':
      return new Date().toISOString();
    case 'JSON':
      return {};
    default:
      return null;
  }
}

function selectionFor(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (isScalarType(named) || isEnumType(named)) return '';
  if (depth > 2) return '{ __typename }';
  if (isUnionType(named) || isInterfaceType(named)) {
    const members = isUnionType(named) ? named.getTypes() : schema.getPossibleTypes(named);
    return `{ __typename ${members.map((m) => `... on ${m.name} ${selectionFor(m, depth + 1)}`).join(' ')} }`;
  }
  if (!isObjectType(named)) return '{ __typename }';
  const fields = Object.values(named.getFields()).filter((f) => f.args.every((a) => !isNonNullType(a.type)));
  return `{ __typename ${fields.map((f) => `${f.name} ${selectionFor(f.type, depth + 1)}`).join(' ')} }`;
}

function callFor(kind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>, id: string) {
  const args = field.args.filter((a: GraphQLArgument) => isNonNullType(a.type) || /id$/i.test(a.name));
  const variables = Object.fromEntries(args.map((a) => [a.name, valueFor(a.type, a.name, id)]));
  const definitions = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const passing = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const query = `${kind}${definitions ? `(${definitions})` : ''} { ${field.name}${passing ? `(${passing})` : ''} ${selectionFor(field.type)} }`;
  return { query, variables };
}

/** `echoed`: the id B itself sent, which an error may repeat ("no Order with id …") without telling B anything. */
function expectNothingOfA(text: string, what: string, echoed?: string) {
  const seen = echoed ? text.replaceAll(echoed, '<sent>') : text;
  for (const secret of secretsOfA) expect(seen.includes(secret), `${what} leaked ${secret}:\n${text.slice(0, 500)}`).toBe(false);
}

describe('tenant isolation over every root field', () => {
  // No workers: nothing of A changes during the sweep but what the test itself does.
  const { t, merchants: [a, b] } = useTestApp({ RATE_LIMIT_PER_KEY: '0', RATE_LIMIT_PER_IP: '0', WORKERS: 'false' }, ['A', 'B']);
  let snapshotOfA: () => Promise<string>;

  /** A line on A's statement, as API Ngân hàng's signed webhook pushes it to A's callback URL. */
  async function aStatementLine(fields: { order_code: string; amount: number; trans_id: string }) {
    const pushed = await postWebhook(t.url, signedWebhook({ ...fields, paid_at: Math.floor(Date.now() / 1000) }), `?merchant=${a.merchantId}`);
    expect(pushed.status, pushed.body).toBe(200);
  }

  beforeAll(async () => {
    const paid = (await createCashIn(t.url, a.apiKey, { amount: '150000', idempotencyKey: 'a-paid', merchantReference: 'A-SECRET-REF-1' })).data;
    await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: paid.requestId, outcome: 'succeed', callback: 'once' });
    await waitForStatus(t.app, paid.id, ['SUCCEEDED']);
    const open = (await createCashIn(t.url, a.apiKey, { amount: '160000', idempotencyKey: 'a-open', merchantReference: 'A-SECRET-REF-2' })).data;
    const token = await gql(t.url, `mutation($id: ID!) { createClientToken(orderId: $id) { __typename ... on MutationCreateClientTokenSuccess { data { id token } } } }`, { id: open.id }, a.apiKey);
    const tokenData = token.data?.createClientToken?.data;
    // A's bank side: its linked accounts, a bank-transfer order, and statement lines only A has (pushed by
    // the signed webhook, so B's own statement import, which reads the shared sandbox bank, never sees them).
    await bankAccounts(t.url, a.apiKey);
    const transferOrder = await newOrder(t.url, a.apiKey, '180000', 'a-transfer');
    await aStatementLine({ order_code: transferOrder.requestId, amount: 180_000, trans_id: 'A-SECRET-TRANS-1' });
    await aStatementLine({ order_code: 'A-SECRET-CODE', amount: 1_357_913, trans_id: 'A-SECRET-TRANS-2' });
    // A card charge and a provider account of A's own.
    const card = await submitCard(t.url, a.apiKey, { ...viettelCard(), idempotencyKey: 'a-card' });
    expect(card.result.__typename, card.raw).toBe('MutationSubmitCardChargeSuccess');
    const account = await gql(t.url, `mutation($values: JSON!) { setProviderAccount(provider: VNKASH, values: $values) { __typename } }`, { values: { publicKey: 'A-SECRET-VNKASH-PUBLIC', secretKey: 'A-secret-vnkash-key' } }, a.apiKey);
    expect(account.data?.setProviderAccount?.__typename, JSON.stringify(account)).toBe('MutationSetProviderAccountSuccess');

    const prisma = t.app.db.prisma;
    const orders = await prisma.order.findMany({ where: { merchantId: a.merchantId } });
    const events = await prisma.orderEvent.findMany({ where: { merchantId: a.merchantId } });
    const keys = await prisma.apiKey.findMany({ where: { merchantId: a.merchantId } });
    const accounts = await prisma.bankAccount.findMany({ where: { merchantId: a.merchantId } });
    const lines = await prisma.bankTransaction.findMany({ where: { merchantId: a.merchantId } });
    const charges = await prisma.cardCharge.findMany({ where: { merchantId: a.merchantId } });
    expect([accounts.length > 0, lines.length, charges.length]).toEqual([true, 2, 1]);
    idsOfA = [
      ...orders.map((o) => o.id),
      ...events.map((e) => e.id),
      ...keys.map((k) => k.id),
      a.merchantId,
      ...(tokenData ? [tokenData.id] : []),
      ...accounts.map((x) => x.id),
      ...lines.map((l) => l.id),
      ...charges.map((c) => c.id),
    ];
    secretsOfA.push(
      ...idsOfA,
      ...orders.map((o) => o.requestId),
      'A-SECRET-REF-1',
      'A-SECRET-REF-2',
      a.apiKey,
      ...(tokenData ? [tokenData.token] : []),
      ...lines.map((l) => l.refNo),
      'A-SECRET-CODE',
      '1357913',
      ...charges.map((c) => c.requestId),
      'A-SECRET-VNKASH-PUBLIC',
    );
    snapshotOfA = async () =>
      JSON.stringify(
        {
          orders: await prisma.order.findMany({ where: { merchantId: a.merchantId }, select: { id: true, status: true, updatedAt: true }, orderBy: { id: 'asc' } }),
          events: await prisma.orderEvent.count({ where: { merchantId: a.merchantId } }),
          keys: await prisma.apiKey.findMany({ where: { merchantId: a.merchantId }, select: { id: true, revokedAt: true }, orderBy: { id: 'asc' } }),
          tokens: tokenData ? await prisma.clientToken.findMany({ where: { merchantId: a.merchantId }, select: { id: true, revokedAt: true } }) : [],
          accounts: await prisma.bankAccount.findMany({ where: { merchantId: a.merchantId }, select: { id: true, active: true, updatedAt: true }, orderBy: { id: 'asc' } }),
          lines: await prisma.bankTransaction.findMany({ where: { merchantId: a.merchantId }, select: { id: true, matchedOrderId: true, matchNote: true, description: true }, orderBy: { id: 'asc' } }),
          charges: await prisma.cardCharge.findMany({ where: { merchantId: a.merchantId }, select: { id: true, status: true, updatedAt: true }, orderBy: { id: 'asc' } }),
          providerAccounts: await prisma.providerAccount.findMany({ where: { merchantId: a.merchantId }, select: { provider: true, updatedAt: true }, orderBy: { provider: 'asc' } }),
        },
        (_k, v) => (typeof v === 'bigint' ? v.toString() : v),
      );
  });

  it('gives B nothing of A through any query or mutation, and changes nothing of A', async () => {
    const before = await snapshotOfA();
    const roots = [
      ['query', schema.getQueryType()!],
      ['mutation', schema.getMutationType()!],
    ] as const;
    let calls = 0;
    for (const [kind, root] of roots) {
      for (const field of Object.values(root.getFields())) {
        const takesId = field.args.some((arg) => /id$/i.test(arg.name) || isInputObjectType(getNamedType(arg.type)));
        for (const id of takesId ? idsOfA : [idsOfA[0]!]) {
          const { query, variables } = callFor(kind, field, id);
          const response = await fetch(`${t.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${b.apiKey}` },
            body: JSON.stringify({ query, variables }),
          });
          const text = await response.text();
          expect(response.status, `${field.name}: ${text.slice(0, 300)}`).toBeLessThan(500);
          expectNothingOfA(text, `${kind} ${field.name}(${id})`, id);
          calls++;
        }
      }
    }
    expect(calls).toBeGreaterThan(Object.keys(schema.getQueryType()!.getFields()).length);
    expect(await snapshotOfA()).toBe(before);
  });

  it('counts only B’s own statement lines in B’s totals and CSV', async () => {
    const pushed = await postWebhook(t.url, signedWebhook({ order_code: 'B-CODE', amount: 24_680, trans_id: `B-TRANS-${Date.now()}`, paid_at: Math.floor(Date.now() / 1000) }), `?merchant=${b.merchantId}`);
    expect(pushed.status, pushed.body).toBe(200);
    const response = await gql(t.url, `{ transactions(first: 100) { totals { count totalIn totalOut } edges { node { id } } } transactionsCsv }`, {}, b.apiKey);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const own = await t.app.db.prisma.bankTransaction.findMany({ where: { merchantId: b.merchantId } });
    const sum = (direction: 'IN' | 'OUT') => own.filter((line) => line.direction === direction).reduce((total, line) => total + line.amount, 0n);
    expect(response.data.transactions.totals).toEqual({ count: own.length, totalIn: sum('IN').toString(), totalOut: (-sum('OUT')).toString() });
    expect(response.data.transactions.edges.map((edge: { node: { id: string } }) => edge.node.id).sort()).toEqual(own.map((line) => line.id).sort());
    expect(response.data.transactionsCsv.trim().split('\r\n')).toHaveLength(own.length + 1);
  });

  it('streams B nothing of A through any subscription', async () => {
    const client = wsClient(t.url, b.apiKey);
    try {
      for (const field of Object.values(schema.getSubscriptionType()!.getFields())) {
        for (const id of idsOfA) {
          const { query, variables } = callFor('subscription', field, id);
          const stream = subscribe(client, query, variables);
          // A change of A's order while B listens: nothing of it may reach B.
          const outcome = await Promise.race([stream.next().then((m) => JSON.stringify(m)).catch((e) => JSON.stringify(e)), firstMessageWindow(t, a)]);
          expectNothingOfA(String(outcome), `subscription ${field.name}(${id})`, id);
          stream.dispose();
        }
      }
    } finally {
      await client.dispose();
    }
  });
});

/** Makes A's world change (a new order paid, a new statement line), and resolves once that change is committed and published. */
async function firstMessageWindow(t: TestApp, a: { apiKey: string; merchantId: string }) {
  const order = (await createCashIn(t.url, a.apiKey, { amount: '170000', idempotencyKey: `a-window-${Math.random()}` })).data;
  secretsOfA.push(order.id, order.requestId);
  const refNo = `A-WINDOW-${Math.random().toString(36).slice(2, 10)}`;
  secretsOfA.push(refNo);
  await postWebhook(t.url, signedWebhook({ order_code: 'A-WINDOW', amount: 170_000, trans_id: refNo, paid_at: Math.floor(Date.now() / 1000) }), `?merchant=${a.merchantId}`);
  await sandboxControl(t.app, 'azconnectpay', 'settle', { kind: 'cash-in', request_id: order.requestId, outcome: 'succeed', callback: 'once' });
  await waitForStatus(t.app, order.id, ['SUCCEEDED']);
  // Let the bus deliver to any (wrong) listener before we decide nothing came.
  await t.app.sandbox!.idle();
  return 'nothing';
}
