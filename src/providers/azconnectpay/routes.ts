// What AZConnectPay can carry for the one payment API (src/domain/routing.ts),
// read from its document: cash-in by bank transfer or MoMo; cash-out to a bank
// account or a MoMo wallet, at least 100 000 đồng ("Min 100k VND").
import type { RouteOffer } from '../route-offer.js';
import { validateAzConnectPayInput } from './connector.js';
import { AZCONNECTPAY_CASH_OUT_MINIMUM } from './limits.js';
import { checkWith } from '../route-offer.js';

const cashIn = (method: 'bank' | 'momo') => ({ provider: 'AZCONNECTPAY' as const, kind: 'CASH_IN' as const, method });
const cashOut = (method: 'bank' | 'momo') => ({ provider: 'AZCONNECTPAY' as const, kind: 'CASH_OUT' as const, method });

export const azConnectPayRoutes: RouteOffer[] = [
  { route: 'AZCONNECTPAY', direction: 'IN', method: 'BANK_TRANSFER', order: cashIn('bank') },
  { route: 'AZCONNECTPAY', direction: 'IN', method: 'MOMO', order: cashIn('momo') },
  { route: 'AZCONNECTPAY', direction: 'OUT', method: 'BANK_TRANSFER', minimum: AZCONNECTPAY_CASH_OUT_MINIMUM, order: cashOut('bank'), check: checkWith(validateAzConnectPayInput, cashOut('bank')) },
  { route: 'AZCONNECTPAY', direction: 'OUT', method: 'MOMO', minimum: AZCONNECTPAY_CASH_OUT_MINIMUM, order: cashOut('momo'), check: checkWith(validateAzConnectPayInput, cashOut('momo')) },
];
