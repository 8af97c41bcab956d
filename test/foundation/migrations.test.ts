import { describe, expect, it } from 'vitest';
import { pendingMigrations, pendingSchemaChanges, loadMigrations, migrationsDir } from '../../src/db/migrations.js';
import { openDatabase } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrations.js';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { schemaPath } from '../../src/db/migrations.js';
import { runCli } from '../support/cli.js';

describe('migrations', () => {
  it('describe exactly what schema.prisma describes (no drift)', async () => {
    expect(await pendingSchemaChanges()).toBe('');
  });

  it('notice when schema.prisma changes without a migration', async () => {
    const schema = await readFile(schemaPath, 'utf8');
    const changed = schema.replace('model Merchant {', 'model Merchant {\n  nickname String?');
    expect(await pendingSchemaChanges(undefined, changed)).toMatch(/ALTER TABLE "Merchant" ADD COLUMN\s+"nickname" TEXT/);
  });

  it('apply once, then find nothing left to apply', async () => {
    const db = await openDatabase({ kind: 'pglite', dataDir: 'memory' });
    try {
      const all = (await loadMigrations()).migrationDirectories.map((d) => d.path);
      expect(await applyMigrations(db)).toEqual(all);
      expect(await applyMigrations(db)).toEqual([]);
      const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string }[]>('SELECT migration_name FROM _prisma_migrations ORDER BY migration_name');
      expect(rows.map((r) => r.migration_name)).toEqual(all);
    } finally {
      await db.close();
    }
  });

  it('tell an up-to-date database from one with a migration to apply, from the history table alone', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'paygraph-migrations-'));
    const db = await openDatabase({ kind: 'pglite', dataDir: 'memory' });
    try {
      await cp(migrationsDir, dir, { recursive: true });
      const all = (await loadMigrations(dir)).migrationDirectories.map((d) => d.path);
      expect(await pendingMigrations(db, dir)).toEqual(all);
      await applyMigrations(db, dir);
      expect(await pendingMigrations(db, dir)).toEqual([]);
      // A newer migration folder (a pull of new code) is pending, and applied by the next start.
      await mkdir(path.join(dir, '29991231000000_later'));
      await writeFile(path.join(dir, '29991231000000_later', 'migration.sql'), 'CREATE TABLE "Later" ("id" INTEGER PRIMARY KEY);\n');
      expect(await pendingMigrations(db, dir)).toEqual(['29991231000000_later']);
      expect(await applyMigrations(db, dir)).toEqual(['29991231000000_later']);
      expect(await pendingMigrations(db, dir)).toEqual([]);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leave no timer of the schema engine holding a one-off command open once applied', async () => {
    // A child process, as `npm run merchant:create` on a fresh directory runs: what still keeps it alive after closing?
    const script = [
      "const { openDatabase } = await import('./src/db/client.ts');",
      "const { applyMigrations } = await import('./src/db/migrations.ts');",
      "const db = await openDatabase({ kind: 'pglite', dataDir: 'memory' });",
      'const applied = await applyMigrations(db);',
      'await db.close();',
      "console.log(JSON.stringify({ applied: applied.length, holding: process.getActiveResourcesInfo().filter((r) => r === 'Timeout') }));",
    ].join(' ');
    const child = runCli(['--input-type=module', '-e', script], {}, { command: [process.execPath, '--import', 'tsx'] });
    expect(await child.exited).toBe(0);
    const { applied, holding } = JSON.parse(child.output.trim().split('\n').pop()!) as { applied: number; holding: string[] };
    expect(applied).toBe((await loadMigrations()).migrationDirectories.length);
    expect(holding).toEqual([]);
  });
});

