// The operators' console at /console: the single-page app in console/ that
// Vite builds into console/dist (scripts/build-console.mjs, run by `npm
// start`). It talks to /graphql like any client, with a session key of its
// own; these routes only hand out its files.
//   GET /console/assets/<file>   hashed scripts and styles, cached for good
//   GET /console[/<anything>]    the app (it routes itself)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { PROJECT_ROOT } from '../project-root.js';
import path from 'node:path';

/** console/dist, under the project's root (from src/ under tsx and from the built bundle alike). */
export const CONSOLE_DIST = path.join(PROJECT_ROOT, 'console/dist');

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * The session key lives in the page's sessionStorage: no script but ours,
 * no inline script or style, no framing, requests to this origin only
 * (graphql-ws included: 'self' covers ws: and wss: of the same host).
 */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

const ASSET = /^\/console\/assets\/([\w.-]+)$/;

export async function handleConsoleRequest(req: IncomingMessage, res: ServerResponse, dist = CONSOLE_DIST): Promise<void> {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Method not allowed');
    return;
  }
  const pathname = new URL(req.url ?? '/', 'http://console.local').pathname;
  const asset = ASSET.exec(pathname);
  if (asset) {
    const name = asset[1]!;
    const body = await readFile(path.join(dist, 'assets', name)).catch(() => undefined);
    if (!body || name.startsWith('.')) {
      res.writeHead(404, { 'content-type': 'text/plain', ...SECURITY_HEADERS }).end('Not found');
      return;
    }
    res
      .writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream', 'cache-control': 'public, max-age=31536000, immutable', ...SECURITY_HEADERS })
      .end(method === 'HEAD' ? undefined : body);
    return;
  }
  if (pathname.startsWith('/console/assets/')) {
    res.writeHead(404, { 'content-type': 'text/plain', ...SECURITY_HEADERS }).end('Not found');
    return;
  }
  const page = await readFile(path.join(dist, 'index.html')).catch(() => undefined);
  if (!page) {
    res
      .writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS })
      .end('The console is not built here: run `npm run build` (it needs the dev dependencies), then start paygraph again.\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', ...SECURITY_HEADERS }).end(method === 'HEAD' ? undefined : page);
}
