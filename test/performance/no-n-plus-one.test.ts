// No N+1: reading a page of orders with every relation the Order type exposes
// costs the same number of SQL statements for 5 orders as for 50. The query is
// built from the schema itself, so a relation added to Order later is covered
// without editing this test.
import { beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, isLeafType, isObjectType, isNonNullType, type GraphQLObjectType } from 'graphql';
import { gql, statementsDuring } from '../support/harness.js';
import { useTestApp } from '../support/app-setup.js';
import { schema } from '../../src/schema/index.js';

/**
 * Every field of `type` without required arguments: leaves as they are,
 * objects expanded one level further (then only their id), so each relation of
 * Order and each relation of what it holds is resolved.
 */
function selectionOf(type: GraphQLObjectType, depth: number): string {
  const fields = Object.values(type.getFields()).filter((field) => !field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined));
  const parts: string[] = [];
  for (const field of fields) {
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (isObjectType(named)) {
      if (depth < 2) parts.push(`${field.name} { ${selectionOf(named, depth + 1)} }`);
      else if (named.getFields().id) parts.push(`${field.name} { id }`);
    } else parts.push(`${field.name} { __typename }`);
  }
  return parts.join(' ');
}

const orderType = schema.getType('Order') as GraphQLObjectType;
const NODE_SELECTION = selectionOf(orderType, 1);
const ORDERS_PAGE = `query($first: Int!) { orders(first: $first) { edges { cursor node { ${NODE_SELECTION} } } pageInfo { hasNextPage endCursor } } }`;
/** Object fields selected under each order (relations, plus JSON-backed ones that cost nothing). */
const nestedSelections = NODE_SELECTION.split('{').length - 1;
const relationsOfOrder = Object.values(orderType.getFields())
  .filter((field) => isObjectType(getNamedType(field.type)) && field.name !== 'instructions' && field.name !== 'payee')
  .map((field) => field.name);

describe('reading a page of orders with their relations', () => {
  // No workers: nothing but the request under test talks to the database.
  const { t, merchant } = useTestApp({ WORKERS: 'false' });

  beforeAll(async () => {
    const prisma = t.app.db.prisma;
    for (let i = 0; i < 50; i++) {
      const order = await prisma.order.create({
        data: { merchantId: merchant.merchantId, provider: 'AZCONNECTPAY', kind: 'CASH_IN', method: 'bank', amount: 100_000n + BigInt(i), requestId: `PGNPLUS1-${i}`, status: 'SUCCEEDED', submitted: true },
      });
      await prisma.orderEvent.createMany({
        data: [
          { orderId: order.id, merchantId: merchant.merchantId, toStatus: 'PENDING', cause: 'API', actor: 'test' },
          { orderId: order.id, merchantId: merchant.merchantId, fromStatus: 'PENDING', toStatus: 'SUCCEEDED', cause: 'CALLBACK', actor: 'test' },
        ],
      });
    }
  });

  async function statementsFor(first: number) {
    const { result: response, statements } = await statementsDuring(t.app, () => gql(t.url, ORDERS_PAGE, { first }, merchant.apiKey));
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    const edges = response.data.orders.edges;
    expect(edges).toHaveLength(first);
    expect(edges.every((edge: any) => edge.node.events.length === 2 && edge.node.events[0].order.id === edge.node.id)).toBe(true);
    return statements;
  }

  it('covers the relations Order exposes', () => {
    expect(relationsOfOrder).toContain('events');
    expect(ORDERS_PAGE).toContain('events {');
  });

  it('issues the same small number of SQL statements for 5 orders as for 50', async () => {
    // Both measured with the API key already known to the instance (it caches valid keys), so they compare like with like.
    await gql(t.url, '{ merchant { id } }', {}, merchant.apiKey);
    const five = await statementsFor(5);
    const fifty = await statementsFor(50);
    const list = (statements: string[]) => statements.map((sql, i) => `${i + 1}. ${sql.slice(0, 160)}`).join('\n');
    expect(fifty.length, `5 orders:\n${list(five)}\n50 orders:\n${list(fifty)}`).toBe(five.length);
    // The page, at most one statement per relation selected (and a key lookup, were it not cached): nothing per order.
    expect(fifty.length, list(fifty)).toBeLessThanOrEqual(2 + nestedSelections);
  });
});
