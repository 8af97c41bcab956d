// Shared fixtures for the card tests: unique, well-shaped cards and a tiny
// HTTP server standing in for our callback route.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallbackReply, InboundCallback } from '../../../src/providers/types.js';

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
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[key] = value;
    const inbound: InboundCallback = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', 'http://receiver'),
      headers,
      rawBody: Buffer.concat(chunks).toString('utf8'),
      sourceIp: req.socket.remoteAddress ?? '',
    };
    const reply = handle(inbound);
    received.push({ inbound, reply });
    res.writeHead(reply.status, { 'content-type': reply.contentType }).end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/charge/callback`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function inbound(method: string, url: string, rawBody = '', headers: Record<string, string> = {}): InboundCallback {
  return { method, url: new URL(url), headers, rawBody, sourceIp: '127.0.0.1' };
}
