// Start time and idle memory of the real CLI: today's development start (tsx
// compiling TypeScript as it loads) beside the production start (the
// JavaScript `npm run build` wrote to dist/), with and without source maps.
// Each run: a fresh process on a PGlite directory migrated beforehand, in
// production mode (no sandbox); start time is spawn → "paygraph is listening";
// idle RSS is the process's VmRSS 5 s later.
//
//   npm run build && npx tsx bench/start.ts [--rounds 5]
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const root = fileURLToPath(new URL('..', import.meta.url));
const variants: Record<string, string[]> = {
  'node --import tsx src/main.ts start (today)': ['--import', 'tsx', 'src/main.ts', 'start'],
  'node dist/main.js start': ['dist/main.js', 'start'],
  'node --enable-source-maps dist/main.js start': ['--enable-source-maps', 'dist/main.js', 'start'],
};

async function once(nodeArgs: string[], dataDir: string): Promise<{ startMs: number; rssMb: number }> {
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
      DATABASE_URL: '',
      REDIS_URL: '',
    },
  });
  let output = '';
  const listening = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes('paygraph is listening')) resolve();
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
try {
  await once(variants['node dist/main.js start']!, dataDir); // migrates the directory once
  const results: Record<string, { startMs: number[]; rssMb: number[] }> = {};
  for (let round = 0; round < Number(args.rounds); round++) {
    for (const [name, nodeArgs] of Object.entries(variants)) {
      const run = await once(nodeArgs, dataDir);
      results[name] ??= { startMs: [], rssMb: [] };
      results[name].startMs.push(run.startMs);
      results[name].rssMb.push(run.rssMb);
    }
  }
  console.log(`node ${process.version}, ${(await import('node:os')).cpus().length} cores, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('| command | start (median) | idle RSS (median) | runs |');
  console.log('|---|---|---|---|');
  for (const [name, result] of Object.entries(results)) {
    console.log(`| \`${name}\` | ${Math.round(median(result.startMs))} ms | ${Math.round(median(result.rssMb))} MB | ${result.startMs.map((ms) => Math.round(ms)).join(', ')} ms |`);
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
