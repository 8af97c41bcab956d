// Status names → unified status, for providers whose documents show few or no
// status values (AZConnectPay; the SharkPay and WowPay gateways behind the
// Payment Hub). providers.md takes one decision for all of them: these names,
// case-insensitive; anything else (numeric codes included) is null — kept raw
// by the caller, the order left where it is, never guessed.
import type { ProviderReportedStatus } from '../domain/order-status.js';

export const statusNames = [
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
export type StatusName = (typeof statusNames)[number];

// A Record over the tuple: adding a name above without mapping it fails to compile.
const unified: Record<StatusName, ProviderReportedStatus> = {
  SUCCESS: 'SUCCEEDED',
  SUCCEEDED: 'SUCCEEDED',
  COMPLETED: 'SUCCEEDED',
  PAID: 'SUCCEEDED',
  FAILED: 'FAILED',
  FAIL: 'FAILED',
  ERROR: 'FAILED',
  // A cancel on their side is a failed payment for us (the payer cannot resume it), not a cancel we asked for.
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

function isKnown(name: string): name is StatusName {
  return (statusNames as readonly string[]).includes(name);
}

/** Case and surrounding spaces are ignored ("success" is SUCCESS). */
export function mapStatusByName(raw: string): ProviderReportedStatus | null {
  const name = raw.trim().toUpperCase();
  return isKnown(name) ? unified[name] : null;
}
