// A route's capability (src/domain/routing.ts) plus the order it becomes: each
// provider folder lists its own (routes.ts); src/providers/routes.ts joins them.
import type { RouteCapability, RoutePayee } from '../domain/routing.js';
import type { CreateOrderInput, OrderKind, ProviderId } from './types.js';

export interface RouteOrder {
  provider: ProviderId;
  kind: OrderKind;
  /** The provider's own method word (bank, momo, a WowPay channel, a VNKash payment code). */
  method?: string;
  gateway?: 'sharkpay' | 'wowpay';
}

export interface RouteOffer extends RouteCapability {
  order: RouteOrder;
}

/** A routing check from a connector's own validate(): the provider's rules, applied to a made-up order of this shape. */
export function checkWith(validate: (input: CreateOrderInput) => { field: string; message: string } | null, order: RouteOrder) {
  return ({ amount, payee }: { amount: bigint; payee?: RoutePayee }) => {
    const problem = validate({ ...order, amount, payee, requestId: 'ROUTE-CHECK', callbackUrl: 'https://routing.invalid/' });
    return problem ? `${problem.field}: ${problem.message}` : null;
  };
}
