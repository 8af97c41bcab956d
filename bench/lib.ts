// Shared by every benchmark: servers in child processes pinned to one core
// (load from this process, pinned to the other), load runs with autocannon,
// medians of repeated rounds, percentiles, tables, throwaway PostgreSQL
// databases, and a summary of a V8 CPU profile. Benchmarks are run by hand,
// never in CI: their figures are ratios against a baseline of the same run.
import { postgresReachable as postgresReachableAt, redisReachable as redisReachableAt } from '../test/support/services.js';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where scenario results (JSON) and CPU profiles go: outside the work tree. */
export const OUT_DIR = path.join(os.tmpdir(), 'paygraph-bench');
mkdirSync(OUT_DIR, { recursive: true });

export const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

// ---- cores ------------------------------------------------------------------

const tasksetAvailable = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export const SERVER_CORE = 0;
export const LOAD_CORE = os.availableParallelism() > 1 ? 1 : 0;

/** Pins this process (the load generator) to LOAD_CORE; a no-op without taskset. */
export function pinLoadGenerator(): string {
  if (!tasksetAvailable) return 'taskset not available: nothing pinned';
  execFileSync('taskset', ['-a', '-pc', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });
  return `servers on core ${SERVER_CORE}, load on core ${LOAD_CORE}`;
}

export function machine() {
  const cpu = /model name\s*:\s*(.*)/.exec(existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return { nproc: os.availableParallelism(), node: process.version, cpu: cpu.trim() };
}

// ---- servers in child processes --------------------------------------------

export interface ServerHandle<Info = Record<string, unknown>> {
  readonly pid: number;
  readonly url: string;
  readonly info: Info;
  /** Asks the child something over IPC (see bench/servers/ipc.ts). */
  request<T = unknown>(type: string, payload?: unknown): Promise<T>;
  /** RSS of the child as the kernel sees it, in MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  core?: number | null;
  nodeArgs?: string[];
  /** Seconds to wait for "ready" (seeding can take a while). */
  readyTimeoutS?: number;
}

/**
 * Starts `bench/servers/<script>` in a child process pinned to a core; it
 * reports { url, ...info } over IPC once it listens. `options` reach it as
 * BENCH_OPTIONS (JSON).
 */
export async function spawnServer<Info = Record<string, unknown>>(script: string, options: unknown, spawnOptions: SpawnOptions = {}): Promise<ServerHandle<Info>> {
  const core = spawnOptions.core === undefined ? SERVER_CORE : spawnOptions.core;
  const nodeArgs = [...(spawnOptions.nodeArgs ?? []), '--import', 'tsx', path.join(ROOT, 'bench/servers', script)];
  const [command, args] = tasksetAvailable && core !== null ? ['taskset', ['-c', String(core), process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  const child: ChildProcess = spawn(command, args as string[], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_OPTIONS: JSON.stringify(options ?? {}) },
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const ready = new Promise<{ url: string } & Info>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not report ready in ${spawnOptions.readyTimeoutS ?? 300}s`)), (spawnOptions.readyTimeoutS ?? 300) * 1000);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    child.on('message', (message: any) => {
      if (message?.type === 'ready') {
        clearTimeout(timer);
        resolve(message.info);
      } else if (message?.type === 'reply') {
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(message.error));
        else waiter?.resolve(message.value);
      }
    });
  });
  let info: { url: string } & Info;
  try {
    info = await ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    pid: child.pid!,
    url: info.url,
    info,
    request<T>(type: string, payload?: unknown) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ type, id, payload });
      });
    },
    rssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    async stop() {
      if (exited) return;
      child.send({ type: 'stop', id: 0 });
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(killer);
    },
  };
}

// ---- load ---------------------------------------------------------------------

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  connections?: number;
  durationS?: number;
}

/** One autocannon run; latency in ms. */
export async function load(spec: LoadSpec): Promise<LoadResult> {
  const result = await autocannon({
    url: spec.url,
    method: spec.method ?? 'GET',
    body: spec.body,
    headers: spec.headers,
    connections: spec.connections ?? 10,
    duration: spec.durationS ?? 5,
  });
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

export interface Post {
  path: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * Sends every request once, `concurrency` at a time over keep-alive
 * connections: a bounded loop for requests that each differ (signed
 * callbacks). Per-request latency in ms, and when each was sent.
 */
export async function postAll(baseUrl: string, posts: Post[], concurrency: number, onSent?: (index: number, at: number) => void) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(baseUrl);
  const latencies: number[] = new Array(posts.length);
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  const one = (post: Post) =>
    new Promise<number>((resolve, reject) => {
      const request = http.request(
        { host: target.hostname, port: target.port, path: post.path, method: 'POST', agent, headers: { ...post.headers, 'content-length': Buffer.byteLength(post.body) } },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', reject);
      request.end(post.body);
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < posts.length) {
        const index = next++;
        const sentAt = performance.now();
        onSent?.(index, sentAt);
        const status = await one(posts[index]!);
        latencies[index] = performance.now() - sentAt;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  agent.destroy();
  return { elapsedS, perSecond: posts.length / elapsedS, latencies, statuses: Object.fromEntries(statuses) };
}

// ---- statistics ------------------------------------------------------------------

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile of raw samples. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs `round` `rounds` times and returns every figure's median (and the raw rounds). */
export async function medianOf<T extends Record<string, number>>(rounds: number, round: (index: number) => Promise<T>): Promise<{ median: T; rounds: T[] }> {
  const results: T[] = [];
  for (let i = 0; i < rounds; i++) results.push(await round(i));
  const keys = Object.keys(results[0] ?? {}) as (keyof T)[];
  const summary = Object.fromEntries(keys.map((key) => [key, median(results.map((r) => r[key] as number))])) as T;
  return { median: summary, rounds: results };
}

export const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–');

// ---- tables and results ---------------------------------------------------------

export type Row = Record<string, string | number>;

export function table(rows: Row[]): string {
  if (rows.length === 0) return '(no rows)';
  const headers = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cells = rows.map((row) => headers.map((h) => String(row[h] ?? '')));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

export interface ScenarioResult {
  scenario: string;
  /** The README rows: what, target, measured, verdict. */
  rows: Row[];
  /** Every raw figure, for the record. */
  raw: unknown;
  notes: string[];
}

export function saveResult(result: ScenarioResult) {
  const file = path.join(OUT_DIR, `${result.scenario}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2));
  console.log(`\n${result.scenario}\n${table(result.rows)}`);
  for (const note of result.notes) console.log(`  note: ${note}`);
  console.log(`  (raw figures: ${file})`);
}

export function loadResults(): ScenarioResult[] {
  return readdirSync(OUT_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(OUT_DIR, f), 'utf8')) as ScenarioResult);
}

export const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

// ---- PostgreSQL and Redis -----------------------------------------------------------

export const postgresReachable = () => postgresReachableAt(POSTGRES_ADMIN_URL);
export const redisReachable = () => redisReachableAt(REDIS_URL);

// Databases of this run, dropped on Ctrl-C too (a benchmark stopped by hand leaves nothing behind).
const liveDatabases = new Map<string, () => Promise<void>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void Promise.allSettled([...liveDatabases.values()].map((drop) => drop())).then(() => process.exit(130));
  });
}

/** A database of our own for one run; drop() removes it. */
export async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `paygraph_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const drop = async () => {
    liveDatabases.delete(name);
    const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  };
  liveDatabases.set(name, drop);
  return { url: url.toString(), drop };
}

// ---- CPU profiles ------------------------------------------------------------------

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Where a frame's code lives: a package name, node itself, or our own source. */
function owner(url: string): string {
  if (!url) return '(native/V8)';
  if (url.startsWith('node:')) return 'node core';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const src = url.indexOf('/src/');
  return src >= 0 ? 'paygraph src' : path.basename(url);
}

/** Self time of a .cpuprofile: the top frames and the share of each package. */
export function summarizeProfile(file: string, top = 12) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] };
  // Shares of busy time: the idle samples (waiting on the network) are left out.
  const busy = profile.nodes.filter((node) => node.callFrame.functionName !== '(idle)');
  const total = busy.reduce((sum, node) => sum + (node.hitCount ?? 0), 0) || 1;
  const byFrame = new Map<string, number>();
  const byOwner = new Map<string, number>();
  for (const node of busy) {
    const hits = node.hitCount ?? 0;
    if (!hits) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const frame = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench)\//, '$1/')}:${lineNumber + 1}` : ''}`.trim();
    byFrame.set(frame, (byFrame.get(frame) ?? 0) + hits);
    const who = owner(url);
    byOwner.set(who, (byOwner.get(who) ?? 0) + hits);
  }
  const share = (entries: Map<string, number>) =>
    [...entries.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, hits]) => ({ name, selfPct: Math.round((hits / total) * 1000) / 10 }));
  return { samples: total, frames: share(byFrame), owners: share(byOwner) };
}

/** Profiles `work` inside a running server (servers/ipc.ts profile:start/stop) and summarizes it. */
export async function profileDuring(server: ServerHandle<any>, name: string, work: () => Promise<unknown>, top = 15) {
  const file = path.join(OUT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.cpuprofile`);
  await server.request('profile:start');
  try {
    await work();
  } finally {
    await server.request('profile:stop', { file });
  }
  const summary = summarizeProfile(file, top);
  console.log(`\nprofile: ${name} (${file}, ${summary.samples} busy samples)\n  by package: ${summary.owners.map((o) => `${o.name} ${o.selfPct}%`).join(', ')}`);
  for (const frame of summary.frames) console.log(`  ${String(frame.selfPct).padStart(5)}%  ${frame.name}`);
  return { file, ...summary };
}

/**
 * The main thread's profile in a folder: --cpu-prof writes one per thread
 * (tsx's module loader runs in a worker of its own), so take the busiest.
 */
export function busiestProfile(dir: string): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (!files.length) throw new Error(`no .cpuprofile in ${dir}`);
  const busy = (file: string) => {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { nodes: ProfileNode[] };
    return profile.nodes.reduce((sum, node) => sum + (node.callFrame.functionName === '(idle)' ? 0 : (node.hitCount ?? 0)), 0);
  };
  return path.join(dir, files.map((file) => ({ file, hits: busy(file) })).sort((a, b) => b.hits - a.hits)[0]!.file);
}
