// Builds what `npm start` runs: every module under src/ transpiled to
// JavaScript in dist/ (same layout, so paths relative to a module still hold),
// and every other file under src/ (the checkout's assets …) copied beside it.
// esbuild transpiles each file on its own, as tsx does at run time, in about a
// second; type checking is `npm run typecheck`'s job (tsc), not the build's.
import { build } from 'esbuild';
import { cp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = path.join(root, 'src');
const out = path.join(root, 'dist');

const files = (await readdir(src, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
const modules = files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));
const assets = files.filter((file) => !file.endsWith('.ts') && !file.endsWith('.md'));

await rm(out, { recursive: true, force: true });
await build({
  entryPoints: modules,
  outdir: out,
  outbase: src,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
await Promise.all(assets.map((file) => cp(file, path.join(out, path.relative(src, file)))));
console.log(`built ${modules.length} modules and ${assets.length} other files into dist/`);
