export {
  createVnKashSimulator,
  vnKashSandboxKey,
  type VnKashCallbackMode,
  type VnKashSettleRequest,
  type VnKashSimulator,
  type VnKashSimulatorControls,
  type VnKashSimulatorOptions,
} from './simulator.js';
export { simCodes as vnKashSimulatorCodes, type SimEndpoint as VnKashSimEndpoint } from './codes.js';
export type { SimAccountFlags, SimApiKey, SimBankAccount, SimUser } from './state.js';
