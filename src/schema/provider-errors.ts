// Provider failures as GraphQL types: every mutation or read that calls a
// provider lists the ones it can end in.
import { builder } from './builder.js';
import { ErrorInterface } from './errors.js';
import { ProviderAuthError, ProviderNotSupportedError, ProviderRefusedError, ProviderUnavailableError } from '../providers/errors.js';
import { providerIds } from '../providers/types.js';
import { MissingProviderAccountError } from '../services/provider-accounts.js';

export const ProviderEnum = builder.enumType('Provider', { values: providerIds });

builder.objectType(ProviderRefusedError, {
  name: 'ProviderRefusedError',
  description: 'The provider answered and refused; nothing moved.',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof ProviderRefusedError,
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum, resolve: (e) => e.provider }),
    code: t.exposeString('code', { description: "The provider's own code." }),
    retryable: t.boolean({ resolve: (e) => e.retryable }),
    orderId: t.string({ nullable: true, resolve: (e) => (e as { orderId?: string }).orderId ?? null }),
  }),
});

builder.objectType(ProviderUnavailableError, {
  name: 'ProviderUnavailableError',
  description:
    'The provider could not be reached or broke. When outcomeUnknown is true the order exists and the request may have reached the provider: it is settled by status queries, never re-sent; watch orderId.',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof ProviderUnavailableError,
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum, resolve: (e) => e.provider }),
    outcomeUnknown: t.exposeBoolean('outcomeUnknown'),
    orderId: t.string({ nullable: true, resolve: (e) => (e as { orderId?: string }).orderId ?? null }),
  }),
});

builder.objectType(ProviderNotSupportedError, {
  name: 'ProviderNotSupportedError',
  description: 'The provider has no such operation.',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof ProviderNotSupportedError,
  fields: (t) => ({ provider: t.field({ type: ProviderEnum, resolve: (e) => e.provider }) }),
});

builder.objectType(ProviderAuthError, {
  name: 'ProviderAuthError',
  description: 'The provider refused our credentials for this merchant (key, signature, IP allow-list, expired package…). Fix the provider account.',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof ProviderAuthError,
  fields: (t) => ({ provider: t.field({ type: ProviderEnum, resolve: (e) => e.provider }), code: t.string({ nullable: true, resolve: (e) => e.code ?? null }) }),
});


builder.objectType(MissingProviderAccountError, {
  name: 'ProviderNotConfiguredError',
  description: 'This merchant has no (enabled) account with the provider: set one with setProviderAccount.',
  interfaces: [ErrorInterface],
  isTypeOf: (e) => e instanceof MissingProviderAccountError,
  fields: (t) => ({ provider: t.field({ type: ProviderEnum, resolve: (e) => e.provider }) }),
});
