// One HTTP server hosting every provider simulator, each under its own prefix:
// /azconnectpay/api/v2/…, /apinganhang/api/v1/…, /vnkash/v1/…, /card/chargingws/v2.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Simulator, SimulatorRequest } from './kit.js';

export interface RunningSandbox {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** The base URL a connector uses for one simulator (http://127.0.0.1:<port>/<name>). */
  baseUrl(name: string): string;
  readonly simulators: ReadonlyMap<string, Simulator>;
  /** Resolves when no simulator has a callback in flight. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSandbox(simulators: Simulator[], options: { port?: number; host?: string } = {}): Promise<RunningSandbox> {
  const byName = new Map(simulators.map((simulator) => [simulator.name, simulator]));
  const server: Server = createServer(async (req, res) => {
    try {
      const full = new URL(req.url ?? '/', 'http://sandbox');
      const [, name, ...rest] = full.pathname.split('/');
      const simulator = byName.get(name ?? '');
      if (!simulator) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`no simulator at /${name}`);
        return;
      }
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[key] = value;
      const request: SimulatorRequest = {
        method: req.method ?? 'GET',
        url: new URL(`/${rest.join('/')}${full.search}`, 'http://sandbox'),
        headers,
        rawBody: await readBody(req),
        remoteAddress: req.socket.remoteAddress ?? '',
      };
      const response = await simulator.handle(request);
      if (!response) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ success: false, message: 'Not found' }));
        return;
      }
      if (response.delayMs) await new Promise((resolve) => setTimeout(resolve, response.delayMs));
      if (res.destroyed) return;
      res.writeHead(response.status, response.headers).end(response.body);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String((error as Error)?.message ?? error));
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url,
    baseUrl: (name) => `${url}/${name}`,
    simulators: byName,
    idle: async () => {
      await Promise.all(simulators.map((simulator) => simulator.deliveries.idle()));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
