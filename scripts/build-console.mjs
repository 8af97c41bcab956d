// Builds the operators' console (console/, Preact + Vite) into console/dist,
// which the server serves at /console. Run by `npm start` (prestart) and
// `npm run build`: it hashes what the build reads — the console's sources,
// schema.graphql, codegen.ts, package-lock.json — and rebuilds only when that
// changed, so a start without changes pays a few milliseconds; a build
// (codegen for the console's typed operations, then Vite) takes a few seconds.
// `--force` rebuilds anyway. Without the dev dependencies (npm install
// --omit=dev) it says so and leaves the console out; the server still starts.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const consoleDir = path.join(root, 'console');
const out = path.join(consoleDir, 'dist');
const stamp = path.join(out, '.build-hash');
const force = process.argv.includes('--force');

/** Every file the build reads, except what it writes (dist, the generated gql). */
async function inputs() {
  const entries = await readdir(consoleDir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath ?? entry.path, entry.name)))
    .filter((file) => !file.startsWith(`console${path.sep}dist`) && !file.startsWith(path.join('console', 'src', 'gql')) && !file.includes(`${path.sep}.dist-`) && !file.includes('.build-lock'));
  return [...files.sort(), 'schema.graphql', 'codegen.ts', 'package-lock.json', 'scripts/build-console.mjs'];
}

async function sourceHash() {
  const hash = createHash('sha256');
  for (const file of await inputs()) hash.update(file).update('\0').update(await readFile(path.join(root, file))).update('\0');
  return hash.digest('hex');
}

const started = performance.now();
const hash = await sourceHash();
const upToDate = async () => !force && existsSync(path.join(out, 'index.html')) && (await readFile(stamp, 'utf8').catch(() => '')) === hash;
if (await upToDate()) {
  console.log(`console up to date (${Math.round(performance.now() - started)} ms)`);
  process.exit(0);
}

// One build at a time (test files or starts running side by side): codegen rewrites console/src/gql,
// which another build's Vite may be reading. A lock older than 5 minutes is a crashed build's.
const lock = path.join(consoleDir, '.build-lock');
for (;;) {
  try {
    await mkdir(lock);
    break;
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
    const since = await stat(lock).then((s) => s.mtimeMs, () => Date.now());
    if (Date.now() - since > 5 * 60_000) await rm(lock, { recursive: true, force: true });
    else await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
process.on('exit', () => rmSync(lock, { recursive: true, force: true }));
if (await upToDate()) {
  console.log(`console up to date: another build made it (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  process.exit(0);
}

// Always the production build: one started from a test run inherits NODE_ENV=test, with which Vite
// keeps development code (a third larger), and `npm start` would then serve it (the hash is the same).
process.env.NODE_ENV = 'production';
let vite;
try {
  vite = await import('vite');
} catch {
  console.warn('console not built: its build tools (Vite, GraphQL Code Generator: devDependencies) are not installed; /console will say so');
  process.exit(0);
}

// The console's operations are typed from schema.graphql (console/src/gql); the build needs that module.
const codegen = spawnSync(process.execPath, [path.join(root, 'node_modules', '@graphql-codegen', 'cli', 'cjs', 'bin.js'), '--config', 'codegen.ts', '--silent'], { cwd: root, stdio: 'inherit' });
if (codegen.status !== 0) {
  console.error('console not built: GraphQL Code Generator failed (an operation of the console no longer matches schema.graphql?)');
  process.exit(1);
}

// Built beside, then swapped in, so a server reading console/dist never sees half a build.
const temporary = path.join(consoleDir, `.dist-${process.pid}`);
await vite.build({ configFile: path.join(consoleDir, 'vite.config.ts'), logLevel: 'warn', build: { outDir: temporary, emptyOutDir: true } });
await writeFile(path.join(temporary, '.build-hash'), hash);
await rm(out, { recursive: true, force: true });
try {
  await rename(temporary, out);
} catch (error) {
  // Another build of the same sources finished first.
  if (!['ENOTEMPTY', 'EEXIST'].includes(error.code)) throw error;
  await rm(temporary, { recursive: true, force: true });
}
console.log(`built the console into console/dist (${((performance.now() - started) / 1000).toFixed(1)} s)`);
