// Limits the document states, exported so callers can validate input before
// calling. The provider stays the judge: the connector does not pre-check.

/** "Min 100k VND" for cash-out. */
export const AZCONNECTPAY_CASH_OUT_MINIMUM = 100_000n;
