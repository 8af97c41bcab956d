// Builds what `npm start` runs: src/main.ts and everything it imports, the
// dependencies included, bundled by esbuild into dist/main.js, with what is
// imported only on demand (PGlite's adapter, the sandbox, the CLI's commands …)
// split into chunks under dist/chunks/ that load when first used. One file
// instead of about a thousand is what makes a restart fast: Node's ESM loader
// spends most of a start resolving, reading and linking modules one by one
// (README, Performance). Files the code reads at run time are found from the
// project's root (src/project-root.ts), so nothing is copied.
// Left out of the bundle, loaded from node_modules at run time: packages that
// find their WebAssembly or data files beside themselves (PGlite, Prisma's
// schema engine), pg's optional native binding, and what src/pubsub.ts
// requires only with REDIS_URL.
// Type checking is `npm run typecheck`'s job (tsc), not the build's.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist');

await rm(out, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/main.ts' },
  outdir: out,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
  external: ['pg-native', '@electric-sql/pglite', '@electric-sql/pglite/*', '@prisma/schema-engine-wasm', '@prisma/schema-engine-wasm/*', 'ioredis', '@graphql-yoga/redis-event-target'],
  // CommonJS packages inside an ES module bundle still call require() for Node's own modules.
  banner: { js: "import { createRequire as __paygraphCreateRequire } from 'node:module'; const require = __paygraphCreateRequire(import.meta.url);" },
});
const files = Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.js'));
console.log(`bundled ${Object.keys(result.metafile.inputs).length} modules into dist/main.js and ${files.length - 1} chunks`);
