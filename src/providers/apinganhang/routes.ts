// What API Ngân hàng can carry for the one payment API (src/domain/routing.ts):
// the Payment Hub's two gateways, and the merchant's own bank account whose
// statement confirms a transfer (BANK_TRANSFER orders, no provider call).
// SharkPay takes no channel: the payer pays on its pay page. WowPay's
// documented channels map to methods below; `bankcard_free` has no meaning in
// the document, so it is not routed (createHubPayin still takes it).
import type { PaymentMethod } from '../../domain/routing.js';
import type { RouteOffer } from '../route-offer.js';
import { checkWith } from '../route-offer.js';
import { validateHubOrder } from './connector.js';
import type { WowPayChannel } from './hub-schemas.js';

export const wowPayChannelOfMethod: Partial<Record<PaymentMethod, WowPayChannel>> = {
  MOMO: 'momo',
  ZALOPAY: 'zalo',
  BANK_CARD: 'bankcard',
  BANK_QR: 'bankcard_qr',
};

const payout = (gateway: 'sharkpay' | 'wowpay') => ({ provider: 'APINGANHANG' as const, kind: 'HUB_PAYOUT' as const, gateway });

export const apiNganHangRoutes: RouteOffer[] = [
  { route: 'HUB_SHARKPAY', direction: 'IN', method: 'GATEWAY_PAGE', order: { provider: 'APINGANHANG', kind: 'HUB_PAYIN', gateway: 'sharkpay' } },
  ...Object.entries(wowPayChannelOfMethod).map(([method, channel]): RouteOffer => ({
    route: 'HUB_WOWPAY',
    direction: 'IN',
    method: method as PaymentMethod,
    order: { provider: 'APINGANHANG', kind: 'HUB_PAYIN', gateway: 'wowpay', method: channel },
  })),
  { route: 'HUB_SHARKPAY', direction: 'OUT', method: 'BANK_TRANSFER', order: payout('sharkpay'), check: checkWith(validateHubOrder, payout('sharkpay')) },
  { route: 'HUB_WOWPAY', direction: 'OUT', method: 'BANK_TRANSFER', order: payout('wowpay'), check: checkWith(validateHubOrder, payout('wowpay')) },
  { route: 'BANK_ACCOUNT', direction: 'IN', method: 'BANK_TRANSFER', order: { provider: 'APINGANHANG', kind: 'BANK_TRANSFER', method: 'bank' } },
];
