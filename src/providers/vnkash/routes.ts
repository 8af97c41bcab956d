// What VNKash can carry for the one payment API (src/domain/routing.ts), read
// from its document: a deposit is a bank transfer to the account deposit.json
// names (the first of the document's deposit banks is asked for); a withdrawal
// pays a bank account or card of the document's list; a transfer pays another
// VNKash wallet. The document says minimums exist without giving them: VNKash's
// own refusal (code 4) says so, and routing fails over on it.
import type { RouteOffer } from '../route-offer.js';
import { checkWith } from '../route-offer.js';
import { vnKashDepositPayments } from './client.js';
import { validateVnKashInput } from './connector.js';

const deposit = { provider: 'VNKASH' as const, kind: 'DEPOSIT' as const, method: vnKashDepositPayments[0] };
const withdrawal = { provider: 'VNKASH' as const, kind: 'WITHDRAWAL' as const };
const transfer = { provider: 'VNKASH' as const, kind: 'TRANSFER' as const };

export const vnKashRoutes: RouteOffer[] = [
  { route: 'VNKASH', direction: 'IN', method: 'BANK_TRANSFER', order: deposit },
  { route: 'VNKASH', direction: 'OUT', method: 'BANK_TRANSFER', order: withdrawal, check: checkWith(validateVnKashInput, withdrawal) },
  { route: 'VNKASH', direction: 'OUT', method: 'VNKASH', order: transfer, check: checkWith(validateVnKashInput, transfer) },
];
