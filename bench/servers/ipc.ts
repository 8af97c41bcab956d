// The child side of bench/lib.ts spawnServer: options in, "ready" out, and
// requests answered over the IPC channel ("stop" ends the process).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

export function benchOptions<T>(): T {
  return JSON.parse(process.env.BENCH_OPTIONS ?? '{}') as T;
}

type Handler = (payload: any) => unknown | Promise<unknown>;

// CPU profiling of a chosen window (not the start-up or the seeding), through
// the inspector: profile:start, then profile:stop writes a .cpuprofile.
let session: Session | undefined;
const profiling: Record<string, Handler> = {
  'profile:start': async () => {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    return true;
  },
  'profile:stop': async (payload: { file: string }) => {
    if (!session) throw new Error('profile:start first');
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    session = undefined;
    writeFileSync(payload.file, JSON.stringify(profile));
    return payload.file;
  },
  // Sampling heap profiler: what the memory still held at stop was allocated by (live objects only).
  'heap:start': async () => {
    session = new Session();
    session.connect();
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', { samplingInterval: 16_384 });
    return true;
  },
  'heap:stop': async (payload: { top?: number }) => {
    if (!session) throw new Error('heap:start first');
    (globalThis as { gc?: () => void }).gc?.();
    const { profile } = await session.post('HeapProfiler.stopSampling');
    session.disconnect();
    session = undefined;
    return summarizeHeap(profile.head as HeapNode, payload.top ?? 15);
  },
};

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** Live bytes by allocating frame and by package (where the frame's code lives). */
function summarizeHeap(head: HeapNode, top: number) {
  const byFrame = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let total = 0;
  const walk = (node: HeapNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    if (node.selfSize) {
      total += node.selfSize;
      const short = url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench)\//, '$1/');
      const frame = `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
      byFrame.set(frame, (byFrame.get(frame) ?? 0) + node.selfSize);
      const modules = url.lastIndexOf('/node_modules/');
      const rest = modules >= 0 ? url.slice(modules + 14).split('/') : [];
      const owner = modules >= 0 ? (rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!) : url.startsWith('node:') ? 'node core' : url.includes('/src/') ? 'paygraph src' : url || '(native)';
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + node.selfSize);
    }
    node.children.forEach(walk);
  };
  walk(head);
  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  const rank = (entries: Map<string, number>) =>
    [...entries.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, bytes]) => ({ name, mb: mb(bytes) }));
  return { totalMb: mb(total), frames: rank(byFrame), owners: rank(byOwner) };
}

export function serve(info: { url: string } & Record<string, unknown>, handlers: Record<string, Handler> & { stop: () => Promise<void> | void }) {
  process.on('message', async (message: { type: string; id: number; payload?: unknown }) => {
    if (message.type === 'stop') {
      await handlers.stop();
      process.exit(0);
    }
    const handler = handlers[message.type] ?? profiling[message.type];
    try {
      if (!handler) throw new Error(`no handler for ${message.type}`);
      const value = await handler(message.payload);
      process.send!({ type: 'reply', id: message.id, value });
    } catch (error) {
      process.send!({ type: 'reply', id: message.id, error: (error as Error).stack ?? String(error) });
    }
  });
  // The parent going away ends us too (no orphaned servers after Ctrl-C).
  process.on('disconnect', () => process.exit(0));
  process.send!({ type: 'ready', info });
}

/** Memory after a full collection (needs --expose-gc), in MB. */
export function memory() {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  return { rss: mb(usage.rss), heapUsed: mb(usage.heapUsed), external: mb(usage.external), arrayBuffers: mb(usage.arrayBuffers) };
}
