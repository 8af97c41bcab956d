// Start time and idle memory of the real CLI: today's development start (tsx
// compiling TypeScript as it loads) beside the production start (the
// JavaScript `npm run build` wrote to dist/), with and without source maps,
// on a PGlite directory and on PostgreSQL (when reachable), beside a bare
// graphql-yoga hello world started the same way (the baseline of the ratios).
// Each run: a fresh process on a database migrated beforehand, in production
// mode (no sandbox); start time is spawn → its "listening" line (a restart:
// nothing left to migrate); idle RSS is the process's VmRSS 5 s later.
//
//   npm run build && npx tsx bench/start.ts [--rounds 5]
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createDatabase, postgresReachable } from './lib.js';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const root = fileURLToPath(new URL('..', import.meta.url));
interface Variant {
  nodeArgs: string[];
  databaseUrl?: string;
  ready: string;
}

async function once({ nodeArgs, databaseUrl, ready }: Variant, dataDir: string): Promise<{ startMs: number; rssMb: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, nodeArgs, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      PORT: '0',
      SECRETS_KEY: `bench:${Buffer.alloc(32, 1).toString('base64')}`,
      PUBLIC_URL: 'https://pay.example',
      DATABASE_URL: databaseUrl ?? '',
      REDIS_URL: '',
    },
  });
  let output = '';
  const listening = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes(ready)) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
  await listening;
  const startMs = performance.now() - started;
  await sleep(5_000);
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
  const rssMb = Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  return { startMs, rssMb };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const dataDir = await mkdtemp(path.join(tmpdir(), 'paygraph-start-'));
const database = (await postgresReachable()) ? await createDatabase() : undefined;
const paygraph = (nodeArgs: string[], databaseUrl?: string): Variant => ({ nodeArgs, databaseUrl, ready: 'paygraph is listening' });
const variants: Record<string, Variant> = {
  'bare graphql-yoga hello world (node, JavaScript)': { nodeArgs: ['bench/servers/yoga-start.mjs'], ready: 'yoga is listening' },
  'PGlite: node --import tsx src/main.ts start': paygraph(['--import', 'tsx', 'src/main.ts', 'start']),
  'PGlite: node dist/main.js start (npm start)': paygraph(['dist/main.js', 'start']),
  'PGlite: node --enable-source-maps dist/main.js start': paygraph(['--enable-source-maps', 'dist/main.js', 'start']),
  ...(database
    ? {
        'PostgreSQL: node --import tsx src/main.ts start': paygraph(['--import', 'tsx', 'src/main.ts', 'start'], database.url),
        'PostgreSQL: node dist/main.js start (npm start)': paygraph(['dist/main.js', 'start'], database.url),
        'PostgreSQL: node --enable-source-maps dist/main.js start': paygraph(['--enable-source-maps', 'dist/main.js', 'start'], database.url),
      }
    : {}),
};
try {
  // Migrates each database once: every measured start is a restart.
  await once(variants['PGlite: node dist/main.js start (npm start)']!, dataDir);
  if (database) await once(paygraph(['dist/main.js', 'start'], database.url), dataDir);
  const results: Record<string, { startMs: number[]; rssMb: number[] }> = {};
  for (let round = 0; round < Number(args.rounds); round++) {
    for (const [name, variant] of Object.entries(variants)) {
      const run = await once(variant, dataDir);
      results[name] ??= { startMs: [], rssMb: [] };
      results[name].startMs.push(run.startMs);
      results[name].rssMb.push(run.rssMb);
    }
  }
  const baseline = results['bare graphql-yoga hello world (node, JavaScript)']!;
  console.log(`node ${process.version}, ${(await import('node:os')).cpus().length} cores, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}${database ? '' : '; PostgreSQL unreachable: its rows skipped'}`);
  console.log('| command | start (median) | × bare yoga start (median of per-round ratios) | idle RSS (median) | runs |');
  console.log('|---|---|---|---|---|');
  for (const [name, result] of Object.entries(results)) {
    const ratio = median(result.startMs.map((ms, i) => ms / baseline.startMs[i]!));
    console.log(`| \`${name}\` | ${Math.round(median(result.startMs))} ms | ${ratio.toFixed(2)}× | ${Math.round(median(result.rssMb))} MB | ${result.startMs.map((ms) => Math.round(ms)).join(', ')} ms |`);
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
  await database?.drop();
}
