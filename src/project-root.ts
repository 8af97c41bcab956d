// The project's root directory (package.json, prisma/, the console's build,
// the checkout's assets), found from wherever this module was loaded: src/
// under tsx, or the single bundle `npm run build` writes to dist/. Files are
// read from the root, never relative to a module, so both layouts find them.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'prisma', 'schema.prisma'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no prisma/schema.prisma above ${from}: paygraph runs from its project directory`);
  }
}

export const PROJECT_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));
