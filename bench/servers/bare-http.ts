// The floor: node:http answering a fixed JSON body, no GraphQL at all.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from './ipc.js';

const body = JSON.stringify({ data: { hello: 'world' } });
const server = createServer((req, res) => {
  // Drain the request body like a real handler would.
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body));
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  serve({ url: `http://127.0.0.1:${port}` }, { stop: () => new Promise<void>((resolve) => server.close(() => resolve())) });
});
