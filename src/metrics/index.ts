// Prometheus metrics (prom-client), one registry per app instance. Labels are
// bounded vocabularies (routes, providers, operations, statuses, causes),
// never ids, references or anything a caller types. The README's metrics
// table mirrors this file.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from '@envelop/core';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { routingMetrics } from './routing.js';
import { channels, type OrderTransitionEvent, type ProviderCallEvent, type WorkerPassEvent } from '../observability.js';

/** Fast API calls and slow provider calls on one scale (seconds). */
const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Distinct operation names kept per provider; more (a merchant's odd base path) count as "other". */
const MAX_OPERATIONS_PER_PROVIDER = 32;

export type CallbackVerdict = 'accepted' | 'malformed' | 'refused' | 'unknown' | 'rate_limited' | 'error';

/** What the answer's status says about a callback (each provider's answer body differs; the status does not). */
export function callbackVerdict(status: number): CallbackVerdict {
  if (status < 300) return 'accepted';
  if (status === 404) return 'unknown';
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'refused';
  if (status < 500) return 'malformed';
  return 'error';
}

export interface Metrics {
  readonly registry: Registry;
  httpRequest(labels: { method: string; route: string; status: number }, seconds: number): void;
  callback(route: string, verdict: CallbackVerdict): void;
  webSocketOpened(): void;
  webSocketClosed(): void;
  /** Envelop plugin: GraphQL operation latency by type and root field. */
  graphqlPlugin(): Plugin;
  /** Stops listening to the app's events. */
  close(): void;
}

export function createMetrics(deps: { prisma: PrismaClient; logger: Logger }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const latency = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Histogram<L>({ name, help, labelNames, buckets: latencyBuckets, registers: [registry] });

  const httpDuration = latency('paygraph_http_request_duration_seconds', 'HTTP requests by method, route and status.', ['method', 'route', 'status'] as const);
  const graphqlDuration = latency('paygraph_graphql_operation_duration_seconds', 'GraphQL operations (HTTP and graphql-ws) by type, first root field and outcome; a subscription counts its setup.', ['type', 'field', 'outcome'] as const);
  const providerDuration = latency('paygraph_provider_call_duration_seconds', 'Calls to providers, one per HTTP attempt, by provider, operation and outcome.', ['provider', 'operation', 'outcome'] as const);
  const callbacks = new Counter({
    name: 'paygraph_callbacks_total',
    help: 'Provider callbacks received, by route and verdict.',
    labelNames: ['route', 'verdict'] as const,
    registers: [registry],
  });
  const transitions = new Counter({
    name: 'paygraph_order_transitions_total',
    help: 'Order status changes, by the status entered and their cause.',
    labelNames: ['status', 'cause'] as const,
    registers: [registry],
  });
  const webSockets = new Gauge({
    name: 'paygraph_websocket_connections',
    help: 'Open graphql-ws connections.',
    registers: [registry],
  });
  const workerPasses = latency('paygraph_worker_pass_duration_seconds', 'Background worker passes, by worker and outcome.', ['worker', 'outcome'] as const);
  const lastPassEnd = new Map<string, number>();
  new Gauge({
    name: 'paygraph_worker_lag_seconds',
    help: 'Seconds since each worker last finished a pass: it grows when a worker is stuck.',
    labelNames: ['worker'] as const,
    registers: [registry],
    collect() {
      const now = Date.now();
      for (const [worker, endedAt] of lastPassEnd) this.set({ worker }, (now - endedAt) / 1000);
    },
  });
  new Gauge({
    name: 'paygraph_review_queue_size',
    help: 'Rows waiting for a person (reviewOpenedAt set), by kind.',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      const open = { reviewOpenedAt: { not: null } };
      try {
        const [orders, cardCharges, bankTransactions] = await Promise.all([
          deps.prisma.order.count({ where: open }),
          deps.prisma.cardCharge.count({ where: open }),
          deps.prisma.bankTransaction.count({ where: open }),
        ]);
        this.set({ kind: 'order' }, orders);
        this.set({ kind: 'card_charge' }, cardCharges);
        this.set({ kind: 'bank_transaction' }, bankTransactions);
      } catch (error) {
        // A scrape during a database outage still answers, without this gauge's fresh value.
        deps.logger.warn({ err: error }, 'metrics: could not count the review queue');
      }
    },
  });

  const operationsSeen = new Map<string, Set<string>>();
  const boundedOperation = (provider: string, operation: string) => {
    const seen = operationsSeen.get(provider) ?? new Set<string>();
    operationsSeen.set(provider, seen);
    if (seen.has(operation)) return operation;
    if (seen.size >= MAX_OPERATIONS_PER_PROVIDER) return 'other';
    seen.add(operation);
    return operation;
  };

  const onProviderCall = (message: unknown) => {
    const event = message as ProviderCallEvent;
    providerDuration.observe({ provider: event.provider, operation: boundedOperation(event.provider, event.operation), outcome: event.outcome }, event.seconds);
    if (event.outcome === 'server_error') {
      deps.logger.warn({ provider: event.provider, operation: event.operation, status: event.status, answer: event.answerExcerpt }, 'provider answered with a server error');
    }
  };
  const onTransition = (message: unknown) => {
    const event = message as OrderTransitionEvent;
    transitions.inc({ status: event.status, cause: event.cause });
  };
  const onWorkerPass = (message: unknown) => {
    const event = message as WorkerPassEvent;
    workerPasses.observe({ worker: event.worker, outcome: event.failed ? 'failed' : 'ok' }, event.seconds);
    lastPassEnd.set(event.worker, event.endedAt);
  };
  subscribe(channels.providerCall.name, onProviderCall);
  subscribe(channels.orderTransition.name, onTransition);
  subscribe(channels.workerPass.name, onWorkerPass);
  const routing = routingMetrics(registry, latencyBuckets);

  return {
    registry,
    httpRequest: (labels, seconds) => httpDuration.observe({ method: labels.method, route: labels.route, status: String(labels.status) }, seconds),
    callback: (route, verdict) => callbacks.inc({ route, verdict }),
    webSocketOpened: () => webSockets.inc(),
    webSocketClosed: () => webSockets.dec(),
    graphqlPlugin: () => ({
      onExecute({ args }) {
        const started = performance.now();
        return {
          onExecuteDone({ result }) {
            const outcome = 'errors' in result && result.errors?.length ? 'error' : 'ok';
            graphqlDuration.observe({ ...operationLabels(args.document, args.operationName), outcome }, (performance.now() - started) / 1000);
          },
        };
      },
      onSubscribe({ args }) {
        const started = performance.now();
        return {
          onSubscribeResult({ result }) {
            const outcome = 'errors' in result && (result as { errors?: unknown[] }).errors?.length ? 'error' : 'ok';
            graphqlDuration.observe({ ...operationLabels(args.document, args.operationName), outcome }, (performance.now() - started) / 1000);
          },
        };
      },
    }),
    close() {
      unsubscribe(channels.providerCall.name, onProviderCall);
      unsubscribe(channels.orderTransition.name, onTransition);
      unsubscribe(channels.workerPass.name, onWorkerPass);
      routing.close();
    },
  };
}

/** Type and first root field of the operation being run: schema names only (execution follows validation). */
function operationLabels(document: DocumentNode, operationName: string | null | undefined): { type: string; field: string } {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.find((o) => (operationName ? o.name?.value === operationName : true)) ?? operations[0];
  const first = operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD && s.name.value !== '__typename');
  return { type: operation?.operation ?? 'unknown', field: first?.kind === Kind.FIELD ? first.name.value : 'other' };
}
