export {
  createAzConnectPaySimulator,
  azConnectPayOperations,
  AzConnectPaySandboxError,
  type AzConnectPaySimulator,
  type AzConnectPaySimulatorOptions,
  type AzConnectPayControls,
  type AzConnectPayOperation,
  type AzConnectPayOrderKind,
  type AzConnectPayCallbackMode,
  type AzConnectPayOutcome,
  type SettleInput,
  type SimulatedOrder,
} from './simulator.js';
export { cashInBodyToSign, cashOutBodyToSign, hmacMd5Hex } from './checksum.js';
