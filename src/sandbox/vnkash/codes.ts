// Each endpoint's error table, from the provider's side: what went wrong → N.
// Transfer gives 12 to both a bad signature and a bad nonce, as the document does.
export const simEndpoints = ['balance', 'name', 'bank', 'deposit', 'history', 'withdraw', 'transfer'] as const;
export type SimEndpoint = (typeof simEndpoints)[number];

interface CommonCodes {
  ip: number;
  signature: number;
  nonce: number;
  permission: number;
  apiLocked: number;
  unknownKey: number;
  missingAuth: number;
  /** What the steering behaviour `fail` answers. */
  fail: number;
}

export const simCodes = {
  balance: { ownerLocked: 1, ip: 2, signature: 3, nonce: 4, permission: 5, apiLocked: 6, unknownKey: 7, missingAuth: 8, fail: 1 },
  name: { userNotFound: 1, ip: 2, signature: 3, nonce: 4, permission: 5, apiLocked: 6, unknownKey: 7, missingAuth: 8, fail: 1 },
  bank: {
    bankAccountLocked: 1,
    bankAccountWrong: 2,
    bankConnectionLost: 3,
    accountFormat: 4,
    paymentInvalid: 5,
    accountMissing: 6,
    paymentInvalidOrLocked: 7,
    paymentMissing: 8,
    ip: 9,
    signature: 10,
    nonce: 11,
    permission: 12,
    apiLocked: 13,
    unknownKey: 14,
    missingAuth: 15,
    fail: 2,
  },
  deposit: {
    failed: 1,
    paymentNotAllowed: 2,
    belowMinimum: 3,
    currency: 4,
    depositLocked: 5,
    userLocked: 6,
    ip: 7,
    signature: 8,
    nonce: 9,
    permission: 10,
    apiLocked: 11,
    unknownKey: 12,
    missingAuth: 13,
    fail: 1,
  },
  history: { historyLocked: 1, userLocked: 2, ip: 3, signature: 4, nonce: 5, permission: 6, apiLocked: 7, unknownKey: 8, missingAuth: 9, fail: 1 },
  withdraw: {
    failed: 1,
    insufficient: 2,
    balanceUnchecked: 3,
    belowMinimum: 4,
    decimal: 5,
    bankAccountInvalid: 6,
    currency: 7,
    withdrawLocked: 8,
    userLocked: 9,
    ip: 10,
    signature: 11,
    nonce: 12,
    permission: 13,
    apiLocked: 14,
    unknownKey: 15,
    missingAuth: 16,
    fail: 1,
  },
  transfer: {
    failed: 1,
    insufficient: 2,
    balanceUnchecked: 3,
    recipientReceiveLocked: 4,
    recipientInvalid: 5,
    sendLocked: 6,
    senderLocked: 7,
    decimal: 8,
    currency: 9,
    ip: 10,
    signature: 12,
    nonce: 12,
    permission: 13,
    apiLocked: 14,
    unknownKey: 15,
    missingAuth: 16,
    fail: 1,
  },
} as const satisfies Record<SimEndpoint, CommonCodes & Record<string, number>>;

/** Every code an endpoint documents (for validating steering requests). */
export function documentedCodes(endpoint: SimEndpoint): Set<number> {
  return new Set(Object.values(simCodes[endpoint]));
}
