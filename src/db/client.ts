// One Prisma client, two backends: PGlite (PostgreSQL compiled to WebAssembly,
// in-process, a data directory on disk) by default, PostgreSQL through the `pg`
// driver when a DATABASE_URL is given. Same schema, same migrations.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string | 'memory' }
  | { kind: 'postgres'; url: string; poolSize?: number };

export interface Database {
  readonly kind: DatabaseTarget['kind'];
  readonly prisma: PrismaClient;
  readonly adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** Runs `work` while holding a cluster-wide lock, so two instances never migrate at once. */
  withExclusiveLock<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Counts every SQL statement Prisma sends (tests use it to prove there is no N+1). */
  onQuery(listener: (sql: string) => void): () => void;
  /**
   * LISTEN on a channel: `listener` runs for each NOTIFY committed there (at most once per
   * transaction and payload, as PostgreSQL folds duplicates), with its payload. Best effort: a lost
   * connection is reopened, and `listener` is then called without a payload (notifications may have
   * been missed); callers poll as well. Returns the unlisten function.
   */
  listen(channel: string, listener: (payload?: string) => void): Promise<() => Promise<void>>;
  /** PGlite on disk: this process's hold on the data directory (see data-dir-lock.ts). */
  readonly dataDirLock?: DataDirLock;
  close(): Promise<void>;
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'pglite' ? openPglite(target.dataDir) : openPostgres(target.url, target.poolSize);
}

function makeClient(adapter: SqlMigrationAwareDriverAdapterFactory) {
  const prisma = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  const listeners = new Set<(sql: string) => void>();
  prisma.$on('query', (event) => {
    for (const listener of listeners) listener(event.query);
  });
  const onQuery = (listener: (sql: string) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  return { prisma, onQuery };
}

async function openPglite(dataDir: string | 'memory'): Promise<Database> {
  if (dataDir !== 'memory') await mkdir(dataDir, { recursive: true });
  // Before PGlite touches the files: a second process must not open them at all.
  const dataDirLock = dataDir === 'memory' ? undefined : acquireDataDirLock(dataDir);
  // Loaded only here: a process that serves PostgreSQL never holds PGlite's modules (tens of MB).
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([import('@electric-sql/pglite'), import('pglite-prisma-adapter')]);
  let pglite: PGlite;
  try {
    pglite = dataDir === 'memory' ? new PGlite() : new PGlite(await pgliteDirectory(dataDir));
    await pglite.waitReady;
  } catch (error) {
    dataDirLock?.release();
    throw error;
  }
  const adapterFactory = new PrismaPGlite(pglite);
  const { prisma, onQuery } = makeClient(adapterFactory);
  return {
    kind: 'pglite',
    prisma,
    adapterFactory,
    // PGlite is one process's private database: nobody else can race us.
    withExclusiveLock: (_name, work) => work(),
    onQuery,
    listen: (channel, listener) => pglite.listen(channel, (payload) => listener(payload)),
    dataDirLock,
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      dataDirLock?.release();
    },
  };
}

/**
 * The cluster's own folder inside DATA_DIR: initdb wants an empty directory,
 * and DATA_DIR also holds the lock, the operator socket and the secrets key.
 * A DATA_DIR that already is a cluster (made before this layout) stays one.
 */
async function pgliteDirectory(dataDir: string): Promise<string> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return dataDir;
  const own = path.join(dataDir, 'pglite');
  await mkdir(own, { recursive: true });
  return own;
}

async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const adapterFactory = new PrismaPg({ connectionString: url, max: poolSize });
  const { prisma, onQuery } = makeClient(adapterFactory);
  return {
    kind: 'postgres',
    prisma,
    adapterFactory,
    async withExclusiveLock(name, work) {
      // A session-level advisory lock on a connection of its own: the schema
      // engine takes its own connections, and a transaction-level lock would not
      // outlive them.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [`paygraph:${name}`]);
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`paygraph:${name}`]).catch(() => {});
        await client.end();
      }
    },
    onQuery,
    listen: (channel, listener) => listenOnPostgres(url, channel, listener),
    async close() {
      await prisma.$disconnect();
    },
  };
}

/** LISTEN needs a connection of its own, outside Prisma's pool; it is reopened after a failure. */
async function listenOnPostgres(url: string, channel: string, listener: (payload?: string) => void): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const reopenSoon = () => {
    if (!closed) retry = setTimeout(() => void open().catch(reopenSoon), 1_000).unref();
  };
  const open = async () => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      if (message.channel === channel) listener(message.payload);
    });
    next.on('error', () => {
      void next.end().catch(() => {});
      if (client === next) reopenSoon();
    });
    await next.connect();
    await next.query(`LISTEN "${channel.replace(/"/g, '')}"`);
    client = next;
    // Whatever was committed while we were not listening: the caller looks again.
    listener();
  };
  await open();
  return async () => {
    closed = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}
