// Why is graphql-yoga's hello world slow here? One run, round-robin, the
// project's yoga with its defaults against the variants: the parser/validation
// cache off, masked errors off, graphql-jit, and another yoga build installed
// outside the project (for the issue's 5.10 comparison), each under the same
// load. With --profile, each variant also runs once under `node --cpu-prof`.
//
//   npx tsx bench/yoga-variants.ts [--yoga-dir /tmp/yoga-5.10/node_modules/graphql-yoga]
//       [--jit-dir /tmp/yoga-jit/node_modules/@envelop/graphql-jit] [--rounds 3] [--duration 4] [--profile]
//
// (Other yoga builds and graphql-jit are not dependencies of the project: put
// them in a scratch folder, e.g. `npm install --prefix /tmp/yoga-5.10 graphql-yoga@5.10.0 graphql@16`.)
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fmt, load, machine, median, busiestProfile, OUT_DIR, pinLoadGenerator, saveResult, spawnServer, summarizeProfile, type LoadResult, type Row } from './lib.js';

const { values: args } = parseArgs({
  options: {
    'yoga-dir': { type: 'string' },
    'jit-dir': { type: 'string' },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '4' },
    profile: { type: 'boolean', default: false },
  },
});
const rounds = Number(args.rounds);
const durationS = Number(args.duration);
const body = JSON.stringify({ query: '{ hello }' });

const variants: { name: string; options: Record<string, unknown> }[] = [
  { name: 'project yoga, defaults', options: {} },
  { name: 'project yoga, parserAndValidationCache: false', options: { parserAndValidationCache: false } },
  { name: 'project yoga, maskedErrors: false', options: { maskedErrors: false } },
  { name: 'project yoga, maxRequestBodySize: false', options: { maxRequestBodySize: false } },
];
// graphql-jit must share one graphql module with the yoga it plugs into: the
// jit variant loads the yoga installed beside it (same version as the project's).
if (args['jit-dir']) {
  const yogaBeside = path.join(args['jit-dir'], '../../graphql-yoga');
  variants.push({ name: 'yoga beside graphql-jit, defaults', options: { yogaDir: yogaBeside } });
  variants.push({ name: 'yoga beside graphql-jit + useGraphQlJit', options: { yogaDir: yogaBeside, jitDir: args['jit-dir'] } });
}
if (args['yoga-dir']) variants.push({ name: `yoga from ${args['yoga-dir']}`, options: { yogaDir: args['yoga-dir'] } });

const notes = [pinLoadGenerator()];
const servers = [];
try {
  for (const variant of variants) {
    const server = await spawnServer<{ version: string }>('yoga-hello.ts', variant.options);
    servers.push({ ...variant, server, name: `${variant.name} (${server.info.version})` });
  }
  const results = new Map<string, LoadResult[]>(servers.map((s) => [s.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const { name, server } of servers) {
      const spec = { url: `${server.url}/graphql`, method: 'POST' as const, body, headers: { 'content-type': 'application/json' }, durationS };
      await load({ ...spec, durationS: 1 });
      const result = await load(spec);
      if (result.errors || result.non2xx) throw new Error(`${name}: ${result.errors} errors, ${result.non2xx} non-2xx`);
      results.get(name)!.push(result);
      console.log(`round ${round + 1} ${name}: ${fmt(result.rps)} req/s, p99 ${result.p99} ms`);
    }
  }
  const baseline = results.get(servers[0]!.name)!;
  const rows: Row[] = servers.map(({ name }) => {
    const runs = results.get(name)!;
    return {
      variant: name,
      'req/s (median)': fmt(median(runs.map((r) => r.rps))),
      'p99 ms': fmt(median(runs.map((r) => r.p99))),
      '× defaults req/s': fmt(median(runs.map((r, i) => r.rps / baseline[i]!.rps)), 2),
    };
  });
  let profiles: Record<string, ReturnType<typeof summarizeProfile>> | undefined;
  if (args.profile) {
    profiles = {};
    for (const variant of variants) {
      const dir = mkdtempSync(path.join(OUT_DIR, 'yoga-profile-'));
      const server = await spawnServer('yoga-hello.ts', variant.options, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
      const spec = { url: `${server.url}/graphql`, method: 'POST' as const, body, headers: { 'content-type': 'application/json' } };
      await load({ ...spec, durationS: 1 });
      await load({ ...spec, durationS: 5 });
      await server.stop();
      const summary = summarizeProfile(busiestProfile(dir), 15);
      profiles[variant.name] = summary;
      console.log(`\nprofile: ${variant.name} (${dir})\n  by package: ${summary.owners.map((o) => `${o.name} ${o.selfPct}%`).join(', ')}`);
      for (const frame of summary.frames) console.log(`  ${String(frame.selfPct).padStart(5)}%  ${frame.name}`);
    }
  }
  saveResult({ scenario: 'yoga-variants', rows, raw: { machine: machine(), rounds, durationS, results: Object.fromEntries(results), profiles }, notes });
} finally {
  for (const { server } of servers) await server.stop().catch(() => {});
}
