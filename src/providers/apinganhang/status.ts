// Gateway statuses (SharkPay, WowPay through the Hub) are not documented.
// Decision (providers.md §2): map them by name as for AZConnectPay, keep the raw
// value, and never guess (the shared table: ../status-by-name.ts).
import type { ProviderReportedStatus } from '../../domain/order-status.js';

export { statusNames as knownGatewayStatuses, mapStatusByName as mapGatewayStatus, type StatusName as KnownGatewayStatus } from '../status-by-name.js';

/**
 * What a report may claim actually moved: the paid amount when the gateway
 * names one, else the order's amount, and only once the status says the money
 * moved (a failed or pending order's amount is what was asked, not what arrived).
 */
export function movedAmount(status: ProviderReportedStatus | null, amount: bigint | undefined, paidAmount?: bigint): bigint | undefined {
  if (paidAmount !== undefined) return paidAmount;
  return status === 'SUCCEEDED' ? amount : undefined;
}
