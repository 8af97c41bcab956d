// Who moves the money and which way: the providers we speak to, the kinds of
// order each offers, and the direction of each kind. The one source of these
// lists; the Prisma and GraphQL enums are checked against them
// (test/unit/domain-enums.test.ts).

export const providerIds = ['AZCONNECTPAY', 'APINGANHANG', 'VNKASH', 'CARD'] as const;
export type ProviderId = (typeof providerIds)[number];

export const orderKinds = ['CASH_IN', 'CASH_OUT', 'HUB_PAYIN', 'HUB_PAYOUT', 'DEPOSIT', 'WITHDRAWAL', 'TRANSFER', 'BANK_TRANSFER'] as const;
export type OrderKind = (typeof orderKinds)[number];

/** Money in (a payer pays the merchant) or out (the merchant pays someone). */
export const directionOf: Record<OrderKind, 'IN' | 'OUT'> = {
  CASH_IN: 'IN',
  HUB_PAYIN: 'IN',
  DEPOSIT: 'IN',
  BANK_TRANSFER: 'IN',
  CASH_OUT: 'OUT',
  HUB_PAYOUT: 'OUT',
  WITHDRAWAL: 'OUT',
  TRANSFER: 'OUT',
};
