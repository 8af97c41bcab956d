// Shared fixtures for the card tests: unique, well-shaped cards and a tiny
// HTTP server standing in for our callback route.
import type { CallbackReply, InboundCallback } from '../../../src/providers/types.js';
import { startInboundServer } from '../../support/inbound-server.js';

let counter = 0;

/** A fresh Viettel card (code 15 digits, serial 14 digits) and request id per call. */
export function viettelCard(declaredValue = 50_000n) {
  counter++;
  const n = String(Date.now() % 1_000_000).padStart(6, '0') + String(counter).padStart(4, '0');
  return {
    telco: 'VIETTEL',
    code: `31282${n}`,
    serial: `1000${n}`,
    declaredValue,
    requestId: `req-${n}`,
  };
}

export interface ReceivedCallback {
  inbound: InboundCallback;
  reply: CallbackReply;
}

/** Receives callbacks, hands each to `handle`, and answers with its reply. */
export async function startCallbackReceiver(handle: (inbound: InboundCallback) => CallbackReply) {
  const received: ReceivedCallback[] = [];
  const server = await startInboundServer({
    origin: 'http://receiver',
    handle: (inbound) => {
      const reply = handle(inbound);
      received.push({ inbound, reply });
      return reply;
    },
  });
  return { url: `${server.url}/charge/callback`, received, close: server.close };
}

export function inbound(method: string, url: string, rawBody = '', headers: Record<string, string> = {}): InboundCallback {
  return { method, url: new URL(url), headers, rawBody, sourceIp: '127.0.0.1' };
}
