// AZConnectPay's status names → our unified status. The document shows only
// PENDING and SUCCESS; the rest are the names providers.md decided to accept
// (the same table serves the Payment Hub gateways: see ../status-by-name.ts).
export { statusNames as azConnectPayStatuses, mapStatusByName as mapAzConnectPayStatus, type StatusName as AzConnectPayStatus } from '../status-by-name.js';
