// What the code tells the outside about its work, for metrics and logs: typed
// events on node:diagnostics_channel. Publishing costs nothing when nobody
// listens, needs no wiring through constructors, and keeps the code that
// publishes (provider HTTP, order transitions, workers) free of any metrics
// library; src/metrics/ subscribes. A leaf module: it imports nothing of ours.
import { channel } from 'node:diagnostics_channel';

export type ProviderCallOutcome = 'success' | 'client_error' | 'server_error' | 'timeout' | 'network_error';

export interface ProviderCallEvent {
  provider: string;
  /** A short operation name ("v2/cash-in", "cash-in/status", "charging" …), never an id. */
  operation: string;
  method: string;
  outcome: ProviderCallOutcome;
  status?: number;
  seconds: number;
  /** For 5xx answers only: the start of the body, with every value we sent removed. For logs, never for callers. */
  answerExcerpt?: string;
}

export interface OrderTransitionEvent {
  status: string;
  cause: string;
}

export interface WorkerPassEvent {
  worker: string;
  seconds: number;
  failed: boolean;
  /** Date.now() when the pass ended. */
  endedAt: number;
}

/** A create sent by createPayment/createPayout through a provider account's circuit (src/services/payments). */
export interface ProviderCreateEvent {
  provider: string;
  outcome: 'success' | 'refused' | 'failure';
  seconds: number;
}

/** A provider account's circuit opened or closed. */
export interface CircuitChangeEvent {
  provider: string;
  state: 'open' | 'closed';
}

export const channels = {
  providerCall: channel('paygraph.provider.call'),
  orderTransition: channel('paygraph.order.transition'),
  workerPass: channel('paygraph.worker.pass'),
  providerCreate: channel('paygraph.provider.create'),
  circuitChange: channel('paygraph.circuit.change'),
};

export const observe = {
  providerCall(event: ProviderCallEvent) {
    if (channels.providerCall.hasSubscribers) channels.providerCall.publish(event);
  },
  orderTransition(event: OrderTransitionEvent) {
    if (channels.orderTransition.hasSubscribers) channels.orderTransition.publish(event);
  },
  providerCreate(event: ProviderCreateEvent) {
    if (channels.providerCreate.hasSubscribers) channels.providerCreate.publish(event);
  },
  circuitChange(event: CircuitChangeEvent) {
    if (channels.circuitChange.hasSubscribers) channels.circuitChange.publish(event);
  },
  /** Runs one worker pass and reports how long it took and whether it failed. */
  async workerPass<T>(worker: string, pass: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let failed = true;
    try {
      const result = await pass();
      failed = false;
      return result;
    } finally {
      if (channels.workerPass.hasSubscribers) {
        channels.workerPass.publish({ worker, seconds: (performance.now() - started) / 1000, failed, endedAt: Date.now() } satisfies WorkerPassEvent);
      }
    }
  },
};
