export {
  createApiNganHangSimulator,
  APINGANHANG_SIMULATOR_NAME,
  type ApiNganHangSimulator,
  type ApiNganHangSimulatorOptions,
  type AddTransactionInput,
  type Settlement,
  type CallbackMode,
  type OrderRefInput,
} from './simulator.js';
