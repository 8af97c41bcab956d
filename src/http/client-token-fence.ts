// A client token's whole world is one order: `order(id)`, `orderUpdated(id)`
// and the types that describe an order. Resolvers already refuse client
// tokens (requireMerchant) or narrow them to their order (order-access.ts);
// this fence is the second wall, an allowlist checked before anything runs,
// so a field someone adds under Order later (a relation to bank lines, to the
// merchant…) cannot become a way out for a token.
import type { Plugin } from '@envelop/core';
import { GraphQLError, TypeInfo, getNamedType, isLeafType, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Context } from '../schema/builder.js';

/** The root fields a client token may ask for. */
const ROOT_FIELDS: Record<string, ReadonlySet<string>> = {
  Query: new Set(['order']),
  Subscription: new Set(['orderUpdated']),
};

/** The object types a client token may look into: the order and what describes it, nothing that leads elsewhere. */
const ORDER_TYPES: ReadonlySet<string> = new Set(['Order', 'OrderEvent', 'PaymentInstructions', 'Payee']);

/** Fields of those types a payer has no business reading: raw provider payloads, and who (which key, which IP) caused a change. */
const MERCHANT_ONLY_FIELDS: ReadonlySet<string> = new Set(['OrderEvent.payload', 'OrderEvent.actor']);

/** The first field of `document` a client token may not read, or null when all are allowed. */
export function fieldOutsideOrder(schema: GraphQLSchema, document: DocumentNode): string | null {
  const typeInfo = new TypeInfo(schema);
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name, schema.getSubscriptionType()?.name].filter(Boolean));
  let refused: string | null = null;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (refused) return false;
        const parent = typeInfo.getParentType();
        const name = node.name.value;
        if (name === '__typename') return;
        const path = `${parent?.name ?? '?'}.${name}`;
        if (!parent) {
          refused = path;
          return false;
        }
        if (roots.has(parent.name)) {
          if (!ROOT_FIELDS[parent.name]?.has(name)) refused = path;
          return;
        }
        if (MERCHANT_ONLY_FIELDS.has(path)) {
          refused = path;
          return false;
        }
        const type = getNamedType(typeInfo.getType());
        const allowed = ORDER_TYPES.has(parent.name) && type != null && (isLeafType(type) || ORDER_TYPES.has(type.name));
        if (!allowed) refused = path;
      },
    }),
  );
  return refused;
}

const refusal = (field: string) => ({
  errors: [new GraphQLError(`a client token reads its own order only (${field} is not allowed)`, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } })],
});

export function clientTokenFence(): Plugin<Context> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if ((args.contextValue as Context).caller?.kind !== 'client-token') return;
      const field = fieldOutsideOrder(args.schema, args.document);
      if (field) setResultAndStopExecution(refusal(field));
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      if ((args.contextValue as Context).caller?.kind !== 'client-token') return;
      const field = fieldOutsideOrder(args.schema, args.document);
      if (field) setResultAndStopExecution(refusal(field));
    },
  };
}
