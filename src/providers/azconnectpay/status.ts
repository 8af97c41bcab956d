// AZConnectPay's status names → our unified status. The document shows only
// PENDING and SUCCESS; the rest are the names providers.md decided to accept.
// Anything else is kept raw and reported as null: the order stays where it is.
import type { ProviderReportedStatus } from '../../domain/order-status.js';

export const azConnectPayStatuses = [
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
export type AzConnectPayStatus = (typeof azConnectPayStatuses)[number];

// A Record over the tuple: adding a name above without mapping it fails to compile.
const unified: Record<AzConnectPayStatus, ProviderReportedStatus> = {
  SUCCESS: 'SUCCEEDED',
  SUCCEEDED: 'SUCCEEDED',
  COMPLETED: 'SUCCEEDED',
  PAID: 'SUCCEEDED',
  FAILED: 'FAILED',
  FAIL: 'FAILED',
  ERROR: 'FAILED',
  // A cancel on their side is a failure of the order, not a cancel we asked for.
  CANCEL: 'FAILED',
  CANCELED: 'FAILED',
  CANCELLED: 'FAILED',
  REJECTED: 'FAILED',
  EXPIRED: 'EXPIRED',
  PENDING: 'PENDING',
  WAITING: 'PENDING',
  CREATED: 'PENDING',
  PROCESSING: 'PROCESSING',
};

function isKnown(name: string): name is AzConnectPayStatus {
  return (azConnectPayStatuses as readonly string[]).includes(name);
}

/** Case and surrounding spaces are ignored ("success" is SUCCESS); the caller keeps the raw text. */
export function mapAzConnectPayStatus(raw: string): ProviderReportedStatus | null {
  const name = raw.trim().toUpperCase();
  return isKnown(name) ? unified[name] : null;
}
