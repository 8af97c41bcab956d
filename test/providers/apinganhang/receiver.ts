// A tiny merchant-side HTTP server for tests: every request that reaches it is
// turned into an InboundCallback, handed to `reply`, and recorded; tests await
// `nth(n)` instead of sleeping.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallbackReply, InboundCallback } from '../../../src/providers/types.js';

export interface Receiver {
  url: string;
  received: InboundCallback[];
  /** Resolves with the n-th request (1-based) once it has arrived. */
  nth(n: number): Promise<InboundCallback>;
  close(): Promise<void>;
}

export async function startReceiver(reply: (callback: InboundCallback) => CallbackReply): Promise<Receiver> {
  const received: InboundCallback[] = [];
  const waiters: { n: number; resolve: (callback: InboundCallback) => void }[] = [];
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[key] = value;
    const callback: InboundCallback = {
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`),
      headers,
      rawBody: Buffer.concat(chunks).toString('utf8'),
      sourceIp: req.socket.remoteAddress ?? '',
    };
    const answer = reply(callback);
    res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
    received.push(callback);
    for (const waiter of waiters.filter((w) => w.n <= received.length)) {
      waiter.resolve(received[waiter.n - 1]!);
      waiters.splice(waiters.indexOf(waiter), 1);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    nth: (n) => (received.length >= n ? Promise.resolve(received[n - 1]!) : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
