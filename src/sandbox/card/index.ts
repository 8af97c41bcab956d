export {
  createCardSimulator,
  type CardSimulator,
  type CardSimulatorOptions,
  type CardSimulatorControls,
  type CardCallbackForm,
  type CardCallbackMode,
  type SettleOptions,
  type SettleCallback,
  type SimulatedCharge,
} from './simulator.js';
