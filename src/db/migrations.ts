// Prisma Migrate, offline: the migrations folder in Prisma's own format, applied
// and created by Prisma's schema engine (WebAssembly). Interchangeable with the
// `prisma migrate` CLI wherever its native engine can be had.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import type { Database } from './client.js';
import { PROJECT_ROOT } from '../project-root.js';

const projectRoot = PROJECT_ROOT;
export const schemaPath = path.join(projectRoot, 'prisma/schema.prisma');
export const migrationsDir = path.join(projectRoot, 'prisma/migrations');
const noFilters = { externalTables: [], externalEnums: [] };

export async function loadMigrations(dir = migrationsDir): Promise<MigrationList> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const lockPath = path.join(dir, 'migration_lock.toml');
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockPath, 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      folders.map(async (folder) => ({
        path: folder,
        migrationFile: {
          path: 'migration.sql',
          content: await readFile(path.join(dir, folder, 'migration.sql'), 'utf8').then(
            (value) => ({ tag: 'ok' as const, value }),
            (error: Error) => ({ tag: 'error' as const, value: error.message }),
          ),
        },
      })),
    ),
  };
}

/**
 * `prisma migrate deploy`: applies what is not applied yet, under a lock. Returns the names applied.
 * An up-to-date database is recognised from `_prisma_migrations` alone: no lock, no schema engine
 * (whose WebAssembly start and lingering timers cost a one-off command seconds).
 */
export async function applyMigrations(db: Database, dir = migrationsDir): Promise<string[]> {
  if ((await pendingMigrations(db, dir)).length === 0) return [];
  return db.withExclusiveLock('migrate', () => applyMigrationsWith(db.adapterFactory, dir));
}

/**
 * The migration folders this database has not applied (finished, not rolled back), oldest first.
 * Migrations only move forward, so "none pending" read without the lock stays true.
 */
export async function pendingMigrations(db: Database, dir = migrationsDir): Promise<string[]> {
  const folders = (await loadMigrations(dir)).migrationDirectories.map((migration) => migration.path);
  const [table] = await db.prisma.$queryRawUnsafe<{ present: boolean }[]>(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present`);
  if (!table?.present) return folders;
  const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
    'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  );
  const applied = new Set(rows.map((row) => row.migration_name));
  return folders.filter((folder) => !applied.has(folder));
}

/**
 * The schema engine (its WebAssembly and bindings) and PGlite are loaded only when a migration runs:
 * a server whose database is up to date never holds them.
 */
async function withSchemaEngine<T>(adapterFactory: SqlMigrationAwareDriverAdapterFactory, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const engine = await import('./schema-engine.js');
  return engine.withSchemaEngine(adapterFactory, work);
}

async function applyMigrationsWith(adapterFactory: SqlMigrationAwareDriverAdapterFactory, dir: string) {
  const migrationsList = await loadMigrations(dir);
  return withSchemaEngine(adapterFactory, async (engine) => (await engine.applyMigrations({ migrationsList, filters: noFilters })).appliedMigrationNames);
}

/**
 * The SQL that would bring a database holding every migration up to
 * `schema.prisma`; empty when the migrations describe the schema exactly.
 * The migrations are replayed on a throw-away in-memory PGlite.
 */
export async function pendingSchemaChanges(dir = migrationsDir, schema?: string): Promise<string> {
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([import('@electric-sql/pglite'), import('pglite-prisma-adapter')]);
  const pglite = new PGlite();
  try {
    const adapterFactory = new PrismaPGlite(pglite);
    await applyMigrationsWith(adapterFactory, dir);
    const content = schema ?? (await readFile(schemaPath, 'utf8'));
    const result = await withSchemaEngine(adapterFactory, (engine) =>
      engine.diff({
        from: { tag: 'schemaDatasource', files: [{ path: schemaPath, content }], configDir: projectRoot },
        to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content }] },
        script: true,
        exitCode: null,
        filters: noFilters,
      }),
    );
    return (result.stdout ?? '').replace(/^-- This is an empty migration\.\s*$/m, '').trim();
  } finally {
    await pglite.close();
  }
}

/** `prisma migrate dev --create-only`: writes a new migration folder for what schema.prisma adds. */
export async function createMigration(name: string, dir = migrationsDir): Promise<string | null> {
  const sql = await pendingSchemaChanges(dir);
  if (!sql) return null;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const folder = `${stamp}_${name.replace(/[^a-z0-9_]+/gi, '_').toLowerCase()}`;
  await mkdir(path.join(dir, folder), { recursive: true });
  await writeFile(path.join(dir, folder, 'migration.sql'), sql + '\n');
  const lockPath = path.join(dir, 'migration_lock.toml');
  await readFile(lockPath).catch(() =>
    writeFile(lockPath, '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n'),
  );
  return folder;
}
