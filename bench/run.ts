// `npm run bench`: every scenario, one after the other (each in its own
// process, as when run alone), then one table with this machine's figures
// beside the targets, in the form the README keeps. Not a test: run by hand.
//
//   npm run bench [-- --only read-throughput,memory]
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadResults, machine, OUT_DIR, ROOT, table } from './lib.js';

const scenarios = ['read-throughput', 'callback-ingestion', 'callback-to-subscriber', 'memory', 'webhook-delivery'];
const { values: args } = parseArgs({ options: { only: { type: 'string' } } });
const chosen = args.only ? args.only.split(',').map((s) => s.trim()) : scenarios;

for (const scenario of chosen) rmSync(path.join(OUT_DIR, `${scenario}.json`), { force: true });
const failed: string[] = [];
for (const scenario of chosen) {
  console.log(`\n=== ${scenario} ===`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', `${scenario}.ts`)], { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) failed.push(scenario);
}

const { nproc, node, cpu } = machine();
const results = loadResults().filter((r) => chosen.includes(r.scenario));
console.log(`\n## Benchmarks (${new Date().toISOString().slice(0, 10)}: ${nproc} cores, ${cpu}, Node ${node})\n`);
for (const result of results) {
  console.log(`### ${result.scenario}\n\n${table(result.rows)}\n`);
  for (const note of result.notes) console.log(`- ${note}`);
  console.log();
}
if (failed.length) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
