// Runs `prisma generate` without the network.
// The Prisma CLI insists that a schema-engine binary exists before it generates,
// and would download one; `generate` never executes it, so any existing file
// satisfies the check (Prisma's documented PRISMA_SCHEMA_ENGINE_BINARY override).
// Migrations use the WebAssembly engine instead (src/db/migrations.ts).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? fileURLToPath(import.meta.url),
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
  // the pothos generator is found on PATH, as npm scripts would set it
  PATH: [path.resolve('node_modules/.bin'), process.env.PATH].join(path.delimiter),
};
const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', 'prisma/schema.prisma'], {
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
