// /console over real HTTP: the built app for every path under it (it routes
// itself), its hashed assets cached for good, strict security headers, nothing
// outside console/dist, and a plain answer when the console was not built.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from '../support/harness.js';
import { CONSOLE_DIST, handleConsoleRequest } from '../../src/console/http.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('serving the console', () => {
  let t: TestApp;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, ['scripts/build-console.mjs'], { cwd: ROOT, encoding: 'utf8' });
    expect(build.status, build.stderr + build.stdout).toBe(0);
    t = await startTestApp({ WORKERS: 'false' });
  });
  afterAll(() => t?.stop());

  it('answers every path under /console with the app, under a strict content security policy', async () => {
    for (const route of ['/console', '/console/', '/console/orders/6a3c0e1e-9f7c-4d55-8d2e-0c1b2a3d4e5f', '/console/review?x=1']) {
      const response = await fetch(`${t.url}${route}`);
      expect(response.status, route).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toBe(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      );
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      const html = await response.text();
      // No inline script or style: the policy would refuse them.
      expect(html).toMatch(/<script type="module" crossorigin src="\/console\/assets\/index-[\w-]+\.js"><\/script>/);
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/<style|style="/);
    }
  });

  it('serves the hashed assets for good, and nothing else', async () => {
    const assets = readdirSync(path.join(CONSOLE_DIST, 'assets'));
    const script = assets.find((name) => name.endsWith('.js'))!;
    const response = await fetch(`${t.url}/console/assets/${script}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await response.text()).length).toBeGreaterThan(1000);
    for (const route of ['/console/assets/missing.js', '/console/assets/..%2F..%2Fpackage.json', '/console/assets/.build-hash', '/console/assets/../index.html']) {
      expect((await fetch(`${t.url}${route}`)).status, route).toBe(route.endsWith('index.html') ? 200 : 404);
    }
    const head = await fetch(`${t.url}/console/assets/${script}`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
    expect((await fetch(`${t.url}/console`, { method: 'POST', body: '{}' })).status).toBe(405);
  });

  it('says how to build it when the console was not built', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'console-dist-'));
    const server: Server = createServer((req, res) => void handleConsoleRequest(req, res, empty));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/console/orders`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('npm run build');
    } finally {
      server.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
