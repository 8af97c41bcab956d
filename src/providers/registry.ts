// Which connector serves which provider, what its credentials look like, and
// which of their fields are secrets. The only file that knows every provider.
import type { z } from 'zod';
import type { ProviderHttpOptions } from './http.js';
import type { NonceSource } from './nonce.js';
import type { CallbackLocator, OrderConnector, ProviderId } from './types.js';
import type { AzConnectPayCredentials } from './azconnectpay/credentials.js';
import type { ApiNganHangCredentials } from './apinganhang/credentials.js';
import type { VnKashCredentials } from './vnkash/credentials.js';
import type { CardCredentials } from './card/credentials.js';

/** Each provider's credentials, as its module's schema parses them. */
export interface ProviderCredentials {
  AZCONNECTPAY: AzConnectPayCredentials;
  APINGANHANG: ApiNganHangCredentials;
  VNKASH: VnKashCredentials;
  CARD: CardCredentials;
}

export interface ConnectorContext {
  http: ProviderHttpOptions;
  nonces: NonceSource;
}

export interface ProviderModule<Credentials = any> {
  provider: ProviderId;
  /** Settings and secrets together, as the connector takes them. */
  credentials: z.ZodType<Credentials, z.ZodTypeDef, unknown>;
  /** Fields sealed at rest and never shown (only whether set, and the last four characters). */
  secretFields: readonly string[];
  /** Where this provider's simulator lives in the sandbox, relative to the sandbox URL. */
  sandboxBasePath: string;
  /**
   * Hosts the provider's document names for its API: a merchant's base URL may
   * name these unless the operator's PROVIDER_HOSTS says otherwise. Empty: the
   * operator must list them.
   */
  documentedHosts: readonly string[];
  orderConnector?(credentials: Credentials, context: ConnectorContext): OrderConnector;
}

/** What an inbound route's messages are about: an order, a card charge, or a bank statement line. */
export type CallbackTarget = 'order' | 'card-charge' | 'bank-transaction';

/** Callback routes (/callbacks/<route>) and the provider behind each. */
export interface CallbackRoute {
  provider: ProviderId;
  target: CallbackTarget;
  /** Reads the untrusted lookup keys (our request id, the provider's reference). */
  locate: CallbackLocator;
  /** Methods the provider uses; anything else is 405. */
  methods: readonly ('GET' | 'POST')[];
}

const modules = new Map<ProviderId, ProviderModule>();
const callbackRoutes = new Map<string, CallbackRoute>();

export function registerProvider(module: ProviderModule, routes: Record<string, CallbackRoute> = {}) {
  modules.set(module.provider, module);
  for (const [name, route] of Object.entries(routes)) callbackRoutes.set(name, route);
}

/** The module registered for `provider`; its credentials schema parses that provider's credentials (all.ts registers each with its own). */
export function providerModule<P extends ProviderId>(provider: P): ProviderModule<ProviderCredentials[P]> {
  const module = modules.get(provider);
  if (!module) throw new Error(`no connector registered for ${provider}`);
  return module;
}

export function callbackRouteNamed(name: string): CallbackRoute | undefined {
  return callbackRoutes.get(name);
}
