import { ProviderAuthError, ProviderRefusedError } from '../../errors/index.js';
// Every VNKash endpoint answers {"error": N}, and N means something different
// on each endpoint: one table per endpoint, translated from the document.
// Auth: signature, key, IP, permission and locked-API codes (our setup is
// wrong; retrying will not help). Refused: everything else.

export const vnKashEndpoints = ['balance', 'name', 'bank', 'deposit', 'history', 'withdraw', 'transfer'] as const;
export type VnKashEndpoint = (typeof vnKashEndpoints)[number];

export interface VnKashErrorMeaning {
  /** The document's meaning, in English. */
  meaning: string;
  kind: 'auth' | 'refused';
  retryable?: boolean;
  /** This code says the nonce was refused: one fresh-nonce retry is safe (the provider acted on nothing). */
  nonce?: boolean;
}

const auth = (meaning: string): VnKashErrorMeaning => ({ meaning, kind: 'auth' });
const refused = (meaning: string, retryable = false): VnKashErrorMeaning => ({ meaning, kind: 'refused', retryable });
const nonce: VnKashErrorMeaning = { meaning: 'The Nonce parameter is invalid.', kind: 'refused', retryable: true, nonce: true };
const ip = auth('The calling IP address is not in the allowed list.');
const signature = auth('The signature is invalid.');
const apiLocked = auth('The API account is locked.');
const unknownKey = auth('The public key does not exist.');
const missingAuth = auth('The KEY or SIGNATURE parameter is missing.');
// The document gives this wording to deposit, history, withdraw and transfer
// too (a copy of bank.json's line); kept as written.
const notAllowedBank = auth('The API account is not permitted to check bank accounts (the document\'s wording for this endpoint\'s permission).');

export const vnKashErrorTables: Record<VnKashEndpoint, Readonly<Record<number, VnKashErrorMeaning>>> = {
  balance: {
    1: auth('The account owning the API is locked.'),
    2: ip,
    3: signature,
    4: nonce,
    5: auth('The API account is not permitted to look up the balance.'),
    6: apiLocked,
    7: unknownKey,
    8: missingAuth,
  },
  name: {
    1: refused('The user account does not exist.'),
    2: ip,
    3: signature,
    4: nonce,
    5: auth('The API account is not permitted to look up user accounts.'),
    6: apiLocked,
    7: unknownKey,
    8: missingAuth,
  },
  bank: {
    1: refused('The bank account is temporarily locked.'),
    2: refused('The bank account number / card number is wrong.'),
    3: refused('Lost the connection to the bank.', true),
    4: refused('The account number is not in a valid format.'),
    5: refused('The payment parameter is invalid.'),
    6: refused('The account parameter is missing.'),
    7: refused('The payment parameter is invalid or temporarily locked.'),
    8: refused('The payment parameter is missing.'),
    9: ip,
    10: signature,
    11: nonce,
    12: auth('The API account is not permitted to check bank accounts.'),
    13: apiLocked,
    14: unknownKey,
    15: missingAuth,
  },
  deposit: {
    1: refused('Creating the deposit failed.'),
    2: refused('Deposits through this payment gateway are not allowed.'),
    3: refused('The deposit amount is below the minimum.'),
    4: refused('The currency code is wrong.'),
    5: refused('The user account\'s deposit function is temporarily locked.'),
    6: refused('The user account is temporarily locked.'),
    7: ip,
    8: signature,
    9: nonce,
    10: notAllowedBank,
    11: apiLocked,
    12: unknownKey,
    13: missingAuth,
  },
  history: {
    1: refused('The user account\'s transaction history function is temporarily locked.'),
    2: refused('The user account is temporarily locked.'),
    3: ip,
    4: signature,
    5: nonce,
    6: notAllowedBank,
    7: apiLocked,
    8: unknownKey,
    9: missingAuth,
  },
  withdraw: {
    1: refused('The withdrawal failed.'),
    2: refused('The account balance is not enough for this transaction.'),
    3: refused('Could not check the balance.', true),
    4: refused('The withdrawal amount is below the minimum.'),
    5: refused('The amount is a decimal number.'),
    6: refused('The bank account number is invalid.'),
    7: refused('The currency code is wrong.'),
    8: refused('The user account\'s withdrawal function is temporarily locked.'),
    9: refused('The user account is temporarily locked.'),
    10: ip,
    11: signature,
    12: nonce,
    13: notAllowedBank,
    14: apiLocked,
    15: unknownKey,
    16: missingAuth,
  },
  transfer: {
    1: refused('The transfer failed.'),
    2: refused('The account balance is not enough for this transaction.'),
    3: refused('Could not check the balance.', true),
    4: refused('The recipient account\'s receiving function is temporarily locked.'),
    5: refused('The recipient account is wrong or temporarily locked.'),
    6: refused('The sender account\'s sending function is temporarily locked.'),
    7: refused('The sender account is temporarily locked.'),
    8: refused('The amount is a decimal number.'),
    9: refused('The currency code is wrong.'),
    10: ip,
    // The document lists 12 twice ("Chữ ký không hợp lệ" and "Tham số Nonce
    // không hợp lệ") and no 11. Decision: 12 is treated as a nonce error first
    // (one retry with a fresh nonce is safe: either way nothing was moved); a
    // second 12 after that retry is taken as a bad signature (auth). See
    // `transferAmbiguousCode` in client.ts.
    12: { meaning: 'The signature is invalid, or the Nonce parameter is invalid (the document gives code 12 to both).', kind: 'refused', retryable: true, nonce: true },
    13: notAllowedBank,
    14: apiLocked,
    15: unknownKey,
    16: missingAuth,
  },
};

export function vnKashErrorMeaning(endpoint: VnKashEndpoint, code: number): VnKashErrorMeaning | undefined {
  return vnKashErrorTables[endpoint][code];
}

/** The typed error for an endpoint's {"error": N}. */
export function vnKashError(endpoint: VnKashEndpoint, code: number, options: { afterNonceRetry?: boolean } = {}): ProviderAuthError | ProviderRefusedError {
  const known = vnKashErrorMeaning(endpoint, code);
  const where = `VNKash ${endpoint}.json error ${code}`;
  if (!known) return new ProviderRefusedError('VNKASH', String(code), `${where}: a code the document does not list for this endpoint.`);
  if (endpoint === 'transfer' && code === 12 && options.afterNonceRetry) {
    // A fresh nonce was refused as well: the signature is the likelier cause.
    return new ProviderAuthError('VNKASH', `${where}: ${known.meaning} It was refused again with a fresh nonce, so the signature is the likely cause.`, String(code));
  }
  if (known.kind === 'auth') return new ProviderAuthError('VNKASH', `${where}: ${known.meaning}`, String(code));
  return new ProviderRefusedError('VNKASH', String(code), `${where}: ${known.meaning}`, { retryable: known.retryable ?? false });
}
