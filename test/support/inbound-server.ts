// A local HTTP server standing in for our callback route in provider tests:
// every request becomes an InboundCallback (as src/callbacks/http.ts builds
// it), `handle` decides the reply, and `afterReply` sees both once the answer
// is written. The provider helpers keep their own records on top.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallbackReply, InboundCallback } from '../../src/providers/types.js';

export interface InboundServer {
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
}

export async function inboundCallbackOf(req: IncomingMessage, origin?: string): Promise<InboundCallback> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[key] = value;
  return {
    method: req.method ?? 'GET',
    url: new URL(req.url ?? '/', origin ?? `http://${req.headers.host ?? '127.0.0.1'}`),
    headers,
    rawBody: Buffer.concat(chunks).toString('utf8'),
    sourceIp: req.socket.remoteAddress ?? '',
  };
}

export async function startInboundServer(options: {
  handle: (callback: InboundCallback) => CallbackReply;
  afterReply?: (callback: InboundCallback, reply: CallbackReply) => void;
  /** The origin the callback's URL is read against (default: the Host header). */
  origin?: string;
}): Promise<InboundServer> {
  const server: Server = createServer(async (req, res) => {
    const callback = await inboundCallbackOf(req, options.origin);
    const reply = options.handle(callback);
    res.writeHead(reply.status, { 'content-type': reply.contentType }).end(reply.body);
    options.afterReply?.(callback, reply);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
