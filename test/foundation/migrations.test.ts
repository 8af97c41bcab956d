import { describe, expect, it } from 'vitest';
import { pendingSchemaChanges, loadMigrations } from '../../src/db/migrations.js';
import { openDatabase } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrations.js';
import { readFile } from 'node:fs/promises';
import { schemaPath } from '../../src/db/migrations.js';

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
});

