// /callbacks/<route>: the raw request in (bytes matter for signatures), the
// provider's expected answer out. Everything else happens in the inbound
// pipeline (pipeline.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallbackReply, InboundCallback } from '../providers/types.js';

/** Provider callbacks are small; anything bigger is not one. */
export const MAX_CALLBACK_BYTES = 64 * 1024;
const ACCEPTED_TYPES = /^(application\/json|application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_CALLBACK_BYTES) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_CALLBACK_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface InboundReceiver {
  receive(route: string, callback: InboundCallback): Promise<CallbackReply>;
}

export async function handleCallbackRequest(req: IncomingMessage, res: ServerResponse, route: string, inbound: InboundReceiver) {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'POST') {
    res.writeHead(405, { allow: 'GET, POST', 'content-type': 'text/plain' }).end('method not allowed');
    return;
  }
  const contentType = req.headers['content-type'] ?? '';
  if (method === 'POST' && contentType && !ACCEPTED_TYPES.test(contentType)) {
    res.writeHead(415, { 'content-type': 'text/plain' }).end('unsupported content type');
    return;
  }
  let rawBody: string;
  try {
    rawBody = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' }).end('callback body too large');
      return;
    }
    throw error;
  }
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[key] = value;
  const callback: InboundCallback = {
    method,
    url: new URL(req.url ?? '/', 'http://callback.local'),
    headers,
    rawBody,
    sourceIp: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
  };
  const reply = await inbound.receive(decodeURIComponent(route), callback);
  res.writeHead(reply.status, { 'content-type': reply.contentType }).end(reply.body);
}
