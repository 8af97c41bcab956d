// Shared by the AZConnectPay tests: a sandbox with one simulator, a connector
// pointed at it, and a tiny callback receiver that runs verifyCallback on what arrives.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAzConnectPayConnector, type AzConnectPayConnector } from '../../../src/providers/azconnectpay/index.js';
import type { ProviderHttpOptions } from '../../../src/providers/http.js';
import type { CallbackVerdict, InboundCallback } from '../../../src/providers/types.js';
import { createAzConnectPaySimulator, type AzConnectPaySimulator } from '../../../src/sandbox/azconnectpay/index.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';

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
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[key] = value;
    const callback: InboundCallback = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', `http://${req.headers.host}`),
      headers,
      rawBody: Buffer.concat(chunks).toString('utf8'),
      sourceIp: req.socket.remoteAddress ?? '',
    };
    const verdict = connector.verifyCallback(callback);
    received.push({ callback, verdict });
    const reply = verdict.ok ? connector.acknowledge() : connector.reject(verdict);
    res.writeHead(reply.status, { 'content-type': reply.contentType }).end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    urlFor: (requestId) => `${url}/callbacks/azconnectpay?ref=${encodeURIComponent(requestId)}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let counter = 0;
/** A fresh request_id per test, so tests never collide on the simulator's duplicate check. */
export function newRequestId(prefix = 'ord'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

export const orderRef = (kind: 'CASH_IN' | 'CASH_OUT', requestId: string, amount: bigint) => ({ kind, requestId, amount, createdAt: new Date() });
