// Shared wiring for the VNKash tests: a sandbox with the simulator, a
// connector pointed at it, and a tiny callback receiver standing in for our
// callback route.
import { createMemoryNonceSource, type NonceSource } from '../../../src/providers/nonce.js';
import type { InboundCallback } from '../../../src/providers/types.js';
import { createVnKashConnector } from '../../../src/providers/vnkash/index.js';
import type { VnKashCredentialsInput } from '../../../src/providers/vnkash/credentials.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/server.js';
import { createVnKashSimulator, vnKashSandboxKey, type VnKashSimulator, type VnKashSimulatorOptions } from '../../../src/sandbox/vnkash/index.js';
import { startInboundServer } from '../../support/inbound-server.js';

export interface VnKashHarness {
  sandbox: RunningSandbox;
  sim: VnKashSimulator;
  baseUrl: string;
  /** The nonce source every default connector of this harness shares. */
  nonces: NonceSource;
  publicKey: string;
  connector(overrides?: Partial<VnKashCredentialsInput>, options?: { timeoutMs?: number; nonces?: NonceSource }): ReturnType<typeof createVnKashConnector>;
}

let keyCounter = 0;
/** Each harness gets its own key, so the process-wide per-key queue and nonces never mix between files. */
export async function startVnKash(options: VnKashSimulatorOptions = {}): Promise<VnKashHarness> {
  const key = { publicKey: `${vnKashSandboxKey.publicKey}-${process.pid}-${++keyCounter}`, secretKey: vnKashSandboxKey.secretKey };
  const sim = createVnKashSimulator({ keys: [key], ...options });
  const sandbox = await startSandbox([sim]);
  const baseUrl = `${sandbox.baseUrl('vnkash')}/v1`;
  const nonces = createMemoryNonceSource();
  return {
    sandbox,
    sim,
    baseUrl,
    nonces,
    publicKey: key.publicKey,
    connector: (overrides = {}, connectorOptions = {}) =>
      createVnKashConnector(
        { baseUrl, publicKey: key.publicKey, secretKey: key.secretKey, ...overrides },
        { nonces: connectorOptions.nonces ?? nonces, http: { timeoutMs: connectorOptions.timeoutMs ?? 5_000, safeRetries: 1, backoffMs: 10 } },
      ),
  };
}

export interface CallbackReceiver {
  url: string;
  received: InboundCallback[];
  /** Resolves once `count` callbacks have arrived in total. */
  waitFor(count: number): Promise<InboundCallback[]>;
  close(): Promise<void>;
}

/** A stand-in for our callback route: records each request as InboundCallback and answers with `reply`. */
export async function startCallbackReceiver(reply: (callback: InboundCallback) => { status: number; contentType: string; body: string }): Promise<CallbackReceiver> {
  const received: InboundCallback[] = [];
  const waiters: { count: number; resolve: (value: InboundCallback[]) => void }[] = [];
  const server = await startInboundServer({
    handle: (callback) => {
      received.push(callback);
      return reply(callback);
    },
    afterReply: () => {
      for (const waiter of waiters.filter((w) => received.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve([...received]);
      }
    },
  });
  return {
    url: server.url,
    received,
    waitFor: (count) => (received.length >= count ? Promise.resolve([...received]) : new Promise((resolve) => waiters.push({ count, resolve }))),
    close: server.close,
  };
}
