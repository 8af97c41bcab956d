// Gateway statuses (SharkPay, WowPay through the Hub) are not documented.
// Decision (providers.md §2): map them by name, keep the raw value, and never
// guess: anything else, numeric codes included, maps to null.
import type { ProviderReportedStatus } from '../../domain/order-status.js';

export const knownGatewayStatuses = [
  'SUCCESS',
  'SUCCEEDED',
  'COMPLETED',
  'PAID',
  'FAILED',
  'FAIL',
  'ERROR',
  'CANCEL',
  'CANCELED',
  'CANCELLED',
  'REJECTED',
  'EXPIRED',
  'PENDING',
  'WAITING',
  'CREATED',
  'PROCESSING',
] as const;
export type KnownGatewayStatus = (typeof knownGatewayStatuses)[number];

function isKnown(value: string): value is KnownGatewayStatus {
  return (knownGatewayStatuses as readonly string[]).includes(value);
}

function mapKnown(status: KnownGatewayStatus): ProviderReportedStatus {
  switch (status) {
    case 'SUCCESS':
    case 'SUCCEEDED':
    case 'COMPLETED':
    case 'PAID':
      return 'SUCCEEDED';
    // A cancelled gateway order is a failed payment for us: the payer can't resume it.
    case 'FAILED':
    case 'FAIL':
    case 'ERROR':
    case 'CANCEL':
    case 'CANCELED':
    case 'CANCELLED':
    case 'REJECTED':
      return 'FAILED';
    case 'EXPIRED':
      return 'EXPIRED';
    case 'PENDING':
    case 'WAITING':
    case 'CREATED':
      return 'PENDING';
    case 'PROCESSING':
      return 'PROCESSING';
    default: {
      // Fails to compile when a status is added above without a mapping.
      const unhandled: never = status;
      return unhandled;
    }
  }
}

/** null: a value we do not know (e.g. "2", "REFUNDING"); the caller keeps the raw value and leaves the order alone. */
export function mapGatewayStatus(raw: string): ProviderReportedStatus | null {
  const normalized = raw.trim().toUpperCase();
  return isKnown(normalized) ? mapKnown(normalized) : null;
}

/**
 * What a report may claim actually moved: the paid amount when the gateway
 * names one, else the order's amount, and only once the status says the money
 * moved (a failed or pending order's amount is what was asked, not what arrived).
 */
export function movedAmount(status: ProviderReportedStatus | null, amount: bigint | undefined, paidAmount?: bigint): bigint | undefined {
  if (paidAmount !== undefined) return paidAmount;
  return status === 'SUCCEEDED' ? amount : undefined;
}
