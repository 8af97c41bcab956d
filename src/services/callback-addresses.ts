// Our request id for a provider call, and the callback URL that carries it:
// the route each provider (or Hub gateway) calls us back on, our request id
// and the merchant the callback is about. The inbound pipeline reads the same
// merchant parameter back.
import { randomBytes } from 'node:crypto';
import type { ProviderId } from '../providers/types.js';

/**
 * The query parameter naming the merchant (and so the provider account) a
 * callback is about: callbacks are located only within that account, never
 * across merchants. Old callback URLs without it still work for lookups by our
 * own request id (unique across merchants), not by the provider's reference.
 */
export const CALLBACK_MERCHANT_PARAM = 'merchant';

/** Our callback URL for one order: the route, our request id, and the merchant it belongs to. */
export function callbackUrlFor(publicUrl: string, merchantId: string, provider: ProviderId, gateway: string | null | undefined, requestId: string): string {
  return `${publicUrl}/callbacks/${callbackRouteNameOf(provider, gateway)}?ref=${encodeURIComponent(requestId)}&${CALLBACK_MERCHANT_PARAM}=${merchantId}`;
}

/** Where each provider (or Payment Hub gateway) calls us back. */
export function callbackRouteNameOf(provider: ProviderId, gateway?: string | null): string {
  switch (provider) {
    case 'AZCONNECTPAY':
      return 'azconnectpay';
    case 'APINGANHANG':
      return gateway === 'wowpay' ? 'wowpay' : gateway === 'sharkpay' ? 'sharkpay' : 'apinganhang';
    case 'VNKASH':
      return 'vnkash';
    case 'CARD':
      return 'card';
  }
}

/** Ours, sent to providers: short, unique, safe in any provider's request_id field. */
export function newRequestId(): string {
  return `PG${Date.now().toString(36).toUpperCase()}${randomBytes(5).toString('hex').toUpperCase()}`;
}
