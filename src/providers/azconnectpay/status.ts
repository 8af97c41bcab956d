// AZConnectPay's status names → our unified status. The document shows only
// PENDING and SUCCESS (and `status: true` on create, "accepted"); the rest are
// names read by their meaning, kept raw, and marked undocumented, so that a
// failure word never fails a cash-out by itself (domain/decision-policy.ts).
// The same name table serves the Payment Hub gateways: see ../status-by-name.ts.
export { statusNames as azConnectPayStatuses, mapStatusByName as mapAzConnectPayStatus, type StatusName as AzConnectPayStatus } from '../status-by-name.js';

/** The values AZConnectPay's document shows (status answers); only these are its own word, the rest is read by name. */
export const azConnectPayDocumentedStatuses = ['PENDING', 'SUCCESS'] as const;

export function isDocumentedAzConnectPayStatus(raw: string): boolean {
  return (azConnectPayDocumentedStatuses as readonly string[]).includes(raw.trim().toUpperCase());
}
