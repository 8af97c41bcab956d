// The client-token fence on the real schema: what a token's document may name
// (its order, the order's events and instructions) and the first thing it may
// not; and the plugin applying it to client tokens only, over HTTP and WebSocket.
import { describe, expect, it } from 'vitest';
import { parse, type GraphQLError } from 'graphql';
import { schema } from '../../src/schema/index.js';
import { clientTokenFence, fieldOutsideOrder } from '../../src/http/client-token-fence.js';

const outside = (document: string) => fieldOutsideOrder(schema, parse(document));

describe('fieldOutsideOrder', () => {
  it('lets a token read its order, the order’s events, instructions and payee, and __typename anywhere', () => {
    expect(
      outside(`query($id: ID!) { __typename order(id: $id) { __typename id status amount settledAmount expiresAt
        instructions { __typename accountNumber bankCode transferContent qrData qrImage deepLink payUrl expiresAt }
        payee { __typename }
        events { __typename id fromStatus toStatus cause note createdAt order { id status } } } }`),
    ).toBeNull();
    expect(outside(`subscription($id: ID!) { orderUpdated(id: $id) { id status events { toStatus } } }`)).toBeNull();
    expect(outside(`fragment F on Order { id status } query($id: ID!) { order(id: $id) { ...F ... on Order { amount } } }`)).toBeNull();
  });

  it('refuses every other root field, naming it', () => {
    expect(outside(`{ orders { edges { node { id } } } }`)).toBe('Query.orders');
    expect(outside(`{ merchant { id } }`)).toBe('Query.merchant');
    expect(outside(`mutation { createApiKey(name: "x") { __typename } }`)).toBe('Mutation.createApiKey');
    expect(outside(`mutation($id: ID!) { revokeClientToken(id: $id) { __typename } }`)).toBe('Mutation.revokeClientToken');
    expect(outside(`subscription { orderEvents { id } }`)).toBe('Subscription.orderEvents');
  });

  it('refuses the raw provider payload and who caused a change', () => {
    expect(outside(`query($id: ID!) { order(id: $id) { events { payload } } }`)).toBe('OrderEvent.payload');
    expect(outside(`query($id: ID!) { order(id: $id) { events { actor } } }`)).toBe('OrderEvent.actor');
  });

  it('refuses a way out of the order’s types, even one hidden in a fragment', () => {
    expect(outside(`query($id: ID!) { order(id: $id) { bankTransactions { id } } }`)).toBe('Order.bankTransactions');
    expect(outside(`query($id: ID!) { order(id: $id) { id ...Out } } fragment Out on Order { bankTransactions { refNo } }`)).toBe('Order.bankTransactions');
    expect(outside(`query($id: ID!) { order(id: $id) { events { order { bankTransactions { id } } } } }`)).toBe('Order.bankTransactions');
  });

  it('names the first refused field, and refuses a field it cannot place', () => {
    expect(outside(`query($id: ID!) { order(id: $id) { events { actor payload } } orders { edges { cursor } } }`)).toBe('OrderEvent.actor');
    expect(outside(`{ order(id: "x") { ... on NoSuchType { id } } }`)).toBe('?.id');
    expect(outside(`{ nothingLikeThis }`)).toBe('Query.nothingLikeThis');
    expect(outside(`{ order(id: "x") { id nothingLikeThis } }`)).toBe('Order.nothingLikeThis');
  });
});

describe('the fence as a plugin', () => {
  const plugin = clientTokenFence();
  const token = { kind: 'client-token', merchantId: 'm', orderId: 'o', tokenId: 't' } as const;
  const merchant = { kind: 'merchant', merchantId: 'm', apiKeyId: 'k' } as const;

  function run(hook: 'onExecute' | 'onSubscribe', caller: unknown, document: string) {
    let stopped: { errors: GraphQLError[] } | undefined;
    const setResultAndStopExecution = (result: { errors: GraphQLError[] }) => void (stopped = result);
    (plugin[hook] as (payload: unknown) => void)({ args: { schema, document: parse(document), contextValue: { caller } }, setResultAndStopExecution });
    return stopped;
  }

  for (const hook of ['onExecute', 'onSubscribe'] as const) {
    it(`${hook}: stops a client token's document that leaves its order, with a 403 FORBIDDEN naming the field`, () => {
      const stopped = run(hook, token, `{ orders { edges { cursor } } }`);
      expect(stopped?.errors).toHaveLength(1);
      const [error] = stopped!.errors;
      expect(error!.message).toBe('a client token reads its own order only (Query.orders is not allowed)');
      expect(error!.extensions).toEqual({ code: 'FORBIDDEN', http: { status: 403 } });
    });

    it(`${hook}: lets a client token's order document through, and never looks at a merchant's or an anonymous caller's`, () => {
      expect(run(hook, token, `query($id: ID!) { order(id: $id) { id status } }`)).toBeUndefined();
      expect(run(hook, merchant, `{ orders { edges { cursor } } }`)).toBeUndefined();
      expect(run(hook, { kind: 'anonymous' }, `{ orders { edges { cursor } } }`)).toBeUndefined();
      expect(run(hook, undefined, `{ orders { edges { cursor } } }`)).toBeUndefined();
    });
  }
});
