// Shared by the AZConnectPay tests: a sandbox with one simulator, a connector
// pointed at it, and a tiny callback receiver that runs verifyCallback on what arrives.
import { createAzConnectPayConnector, type AzConnectPayConnector } from '../../../src/providers/azconnectpay/index.js';
import type { ProviderHttpOptions } from '../../../src/providers/http.js';
import type { CallbackVerdict, InboundCallback } from '../../../src/providers/types.js';
import { createAzConnectPaySimulator, type AzConnectPaySimulator } from '../../../src/sandbox/azconnectpay/index.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';
import { startInboundServer } from '../../support/inbound-server.js';

export const testHttp: ProviderHttpOptions = { timeoutMs: 5_000, safeRetries: 0, backoffMs: 10 };

export interface Harness {
  sandbox: RunningSandbox;
  sim: AzConnectPaySimulator;
  connector: AzConnectPayConnector;
  connectorWith(overrides: { apiKey?: string; privateKey?: string; baseUrl?: string; http?: Partial<ProviderHttpOptions> }): AzConnectPayConnector;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const sim = createAzConnectPaySimulator({ apiKey: 'merchant-api-key-0001', privateKey: 'merchant-private-key-0001' });
  const sandbox = await startSandbox([sim]);
  const connectorWith: Harness['connectorWith'] = (overrides) =>
    createAzConnectPayConnector(
      {
        baseUrl: overrides.baseUrl ?? sandbox.baseUrl('azconnectpay'),
        apiKey: overrides.apiKey ?? sim.credentials.apiKey,
        privateKey: overrides.privateKey ?? sim.credentials.privateKey,
      },
      { http: { ...testHttp, ...overrides.http } },
    );
  return { sandbox, sim, connector: connectorWith({}), connectorWith, close: () => sandbox.close() };
}

export interface Received {
  callback: InboundCallback;
  verdict: CallbackVerdict;
}

export interface CallbackReceiver {
  /** `<url>/callbacks/azconnectpay?ref=<requestId>`, the form the lead's route gives the provider. */
  urlFor(requestId: string): string;
  readonly url: string;
  readonly received: Received[];
  close(): Promise<void>;
}

/** A local HTTP server standing in for our callback route: verify, record, answer what the connector says. */
export async function startCallbackReceiver(connector: AzConnectPayConnector): Promise<CallbackReceiver> {
  const received: Received[] = [];
  const server = await startInboundServer({
    handle: (callback) => {
      const verdict = connector.verifyCallback(callback);
      received.push({ callback, verdict });
      return verdict.ok ? connector.acknowledge() : connector.reject(verdict);
    },
  });
  const url = server.url;
  return {
    url,
    urlFor: (requestId) => `${url}/callbacks/azconnectpay?ref=${encodeURIComponent(requestId)}`,
    received,
    close: server.close,
  };
}

let counter = 0;
/** A fresh request_id per test, so tests never collide on the simulator's duplicate check. */
export function newRequestId(prefix = 'ord'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

export const orderRef = (kind: 'CASH_IN' | 'CASH_OUT', requestId: string, amount: bigint) => ({ kind, requestId, amount, createdAt: new Date() });
