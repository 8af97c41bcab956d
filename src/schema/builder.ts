// The Pothos builder: plugins, scalars, the context type. Configuration only;
// each GraphQL type lives in its own file (see index.ts).
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ErrorsPlugin from '@pothos/plugin-errors';
import { GraphQLError } from 'graphql';
import type PrismaTypes from '../generated/prisma/pothos-types.js';
import { getDatamodel } from '../generated/prisma/pothos-types.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Services } from '../services/index.js';

/** Who is calling. Every resolver scopes its reads by `merchantId`. */
export type Caller =
  | { kind: 'merchant'; merchantId: string; apiKeyId: string; /** When the key expires by itself (a console session's key). */ expiresAt?: Date | null }
  /** A frontend's client token: reads one order and follows it, nothing else (see order-access.ts). */
  | { kind: 'client-token'; merchantId: string; orderId: string; tokenId: string }
  | { kind: 'anonymous' };

export interface Context {
  requestId: string;
  caller: Caller;
  prisma: PrismaClient;
  services: Services;
  /** Per-request DataLoaders, created on first use (see loaders.ts): one provider call per thing per request. */
  loaders?: Map<string, unknown>;
}

export function requireMerchant(ctx: Context): string {
  if (ctx.caller.kind !== 'merchant') {
    throw new GraphQLError('authentication required: send "Authorization: Bearer <API key>"', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
  return ctx.caller.merchantId;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { merchant: boolean; orderReader: boolean };
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    BigInt: { Input: bigint; Output: bigint };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin],
  scopeAuth: {
    // orderReader: a merchant, or a client token (order-access.ts then narrows it to its one order).
    authScopes: (ctx) => ({ merchant: ctx.caller.kind === 'merchant', orderReader: ctx.caller.kind === 'merchant' || ctx.caller.kind === 'client-token' }),
    unauthorizedError: () =>
      new GraphQLError('authentication required: send "Authorization: Bearer <API key>"', {
        extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
      }),
  },
  errors: { defaultTypes: [] },
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

/**
 * Pothos' selection for a Prisma query, never empty: a client asking only for
 * `__typename` yields `select: {}`, which Prisma refuses.
 */
export function selection<Q extends { select?: object }>(query: Q): Q {
  if (query.select && Object.keys(query.select).length === 0) return { ...query, select: { id: true } };
  return query;
}
