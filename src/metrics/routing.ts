// Metrics of createPayment/createPayout's provider calls and of the provider
// accounts' circuits (src/services/payments/provider-health.ts). Labels are
// providers and outcomes only: a merchant's account is never a label.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { channels, type CircuitChangeEvent, type ProviderCreateEvent } from '../observability.js';

export function routingMetrics(registry: Registry, buckets: number[]) {
  const creates = new Histogram({
    name: 'paygraph_routed_create_duration_seconds',
    help: 'Creates sent by createPayment/createPayout, by provider and outcome (success, refused: the provider said no, failure: no usable answer).',
    labelNames: ['provider', 'outcome'] as const,
    buckets,
    registers: [registry],
  });
  const circuitChanges = new Counter({
    name: 'paygraph_circuit_changes_total',
    help: 'Provider account circuits opening or closing, by provider and the state entered.',
    labelNames: ['provider', 'state'] as const,
    registers: [registry],
  });
  const openCircuits = new Gauge({
    name: 'paygraph_circuits_open',
    help: 'Provider accounts whose circuit is open now (this instance), by provider.',
    labelNames: ['provider'] as const,
    registers: [registry],
  });
  const onCreate = (message: unknown) => {
    const event = message as ProviderCreateEvent;
    creates.observe({ provider: event.provider, outcome: event.outcome }, event.seconds);
  };
  const onCircuit = (message: unknown) => {
    const event = message as CircuitChangeEvent;
    circuitChanges.inc({ provider: event.provider, state: event.state });
    if (event.state === 'open') openCircuits.inc({ provider: event.provider });
    else openCircuits.dec({ provider: event.provider });
  };
  subscribe(channels.providerCreate.name, onCreate);
  subscribe(channels.circuitChange.name, onCircuit);
  return {
    close() {
      unsubscribe(channels.providerCreate.name, onCreate);
      unsubscribe(channels.circuitChange.name, onCircuit);
    },
  };
}
