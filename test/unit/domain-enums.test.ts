// The domain's lists are the one source of each enum; the Prisma enums (the
// database) and the GraphQL enums (the API) must say exactly the same, so the
// casts that bridge them cannot hide a value one side lacks.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { GraphQLEnumType } from 'graphql';
import * as prismaEnums from '../../src/generated/prisma/enums.js';
import { orderKinds, providerIds } from '../../src/domain/order-kind.js';
import { orderStatuses, reviewReasons } from '../../src/domain/order-status.js';
import { decisionCauses } from '../../src/domain/decision-policy.js';
import { schema } from '../../src/schema/index.js';

const graphqlValues = (name: string) => {
  const type = schema.getType(name);
  if (!(type instanceof GraphQLEnumType)) throw new Error(`${name} is not a GraphQL enum`);
  return type.getValues().map((value) => value.value as string);
};

const cases: [string, readonly string[], Record<string, string>, string][] = [
  ['ProviderId', providerIds, prismaEnums.ProviderId, 'Provider'],
  ['OrderKind', orderKinds, prismaEnums.OrderKind, 'OrderKind'],
  ['OrderStatus', orderStatuses, prismaEnums.OrderStatus, 'OrderStatus'],
  ['ReviewReason', reviewReasons, prismaEnums.ReviewReason, 'ReviewReason'],
  ['EventCause', decisionCauses, prismaEnums.EventCause, 'EventCause'],
];

describe('domain enums', () => {
  it('the Prisma enum types are the domain types, so rows need no casts (checked by the typecheck)', () => {
    expectTypeOf<prismaEnums.ProviderId>().toEqualTypeOf<(typeof providerIds)[number]>();
    expectTypeOf<prismaEnums.OrderKind>().toEqualTypeOf<(typeof orderKinds)[number]>();
    expectTypeOf<prismaEnums.OrderStatus>().toEqualTypeOf<(typeof orderStatuses)[number]>();
    expectTypeOf<prismaEnums.ReviewReason>().toEqualTypeOf<(typeof reviewReasons)[number]>();
    expectTypeOf<prismaEnums.EventCause>().toEqualTypeOf<(typeof decisionCauses)[number]>();
  });

  it.each(cases)('%s: the domain, Prisma and GraphQL list the same values', (_name, domain, prisma, graphqlName) => {
    expect(Object.values(prisma).sort()).toEqual([...domain].sort());
    expect(graphqlValues(graphqlName).sort()).toEqual([...domain].sort());
  });
});
