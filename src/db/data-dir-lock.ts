// PGlite is one process's database: a second process opening the same data
// directory sees a stale copy, and what it writes is lost (or worse) when the
// first one writes back. The directory is therefore held by one process at a
// time, through a lock file naming the holder (pid, command and, for a running
// server, its URL and operator socket), so that another command can say who
// holds it or hand its work to that server (src/operator/).
import { closeSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'paygraph.lock';

export interface DataDirHolder {
  pid: number;
  /** What holds it: "start", "merchant create", … */
  command: string;
  startedAt: string;
  /** The server's URL, once it listens. */
  url?: string;
  /** The server's operator socket (src/operator/socket.ts), once it listens. */
  socket?: string;
}

export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
  constructor(
    readonly dataDir: string,
    readonly holder: DataDirHolder,
  ) {
    super(
      holder.command === 'start' && !holder.url
        ? `the data directory ${dataDir} is held by a paygraph server that is still starting (pid ${holder.pid}): try again once it listens`
        : `the data directory ${dataDir} is in use by ${holder.command === 'start' ? 'a paygraph server' : `paygraph ${holder.command}`} (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''}); ` +
            `PGlite allows one process per directory: stop it first, or use another DATA_DIR, or PostgreSQL (DATABASE_URL) to run several processes`,
    );
  }
}

export interface DataDirLock {
  readonly file: string;
  /** Adds what others need to reach this process (URL, operator socket). */
  announce(details: Pick<DataDirHolder, 'url' | 'socket'>): void;
  release(): void;
}

/** What this process calls itself in the lock: the CLI sets it ("start", "merchant create" …). */
let currentCommand = 'paygraph';
export function setLockCommand(command: string) {
  currentCommand = command;
}

/** The live holder of `dataDir`, or null when free (a lock left by a dead process counts as free). */
export function readDataDirHolder(dataDir: string): DataDirHolder | null {
  const file = path.join(dataDir, LOCK_FILE);
  let holder: DataDirHolder;
  try {
    holder = JSON.parse(readFileSync(file, 'utf8')) as DataDirHolder;
  } catch {
    return null; // absent, or half-written by a process that died while writing it
  }
  return Number.isInteger(holder.pid) && processAlive(holder.pid) ? holder : null;
}

/** Takes the directory for this process, or throws DataDirInUseError naming the process that holds it. */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  const file = path.join(dataDir, LOCK_FILE);
  let holder: DataDirHolder = { pid: process.pid, command: currentCommand, startedAt: new Date().toISOString() };
  for (let taken = false; !taken; ) {
    try {
      // 'wx': created only if absent, so two processes starting at once cannot both win.
      const fd = openSync(file, 'wx', 0o600);
      writeFileSync(fd, JSON.stringify(holder));
      closeSync(fd);
      taken = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readDataDirHolder(dataDir);
      if (current) throw new DataDirInUseError(dataDir, current);
      // Left behind by a process that is gone: remove it and try again (if another
      // process removes it and takes the directory first, the next try names it).
      try {
        unlinkSync(file);
      } catch (unlinkError) {
        // ENOENT: removed by that other process already
        if ((unlinkError as NodeJS.ErrnoException).code !== 'ENOENT') throw unlinkError;
      }
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      // Only our own lock: never remove one another process took over.
      if ((JSON.parse(readFileSync(file, 'utf8')) as DataDirHolder).pid === process.pid) unlinkSync(file);
    } catch {
      // already gone
    }
  };
  // A process that exits without closing the database (process.exit, an uncaught error) still lets go.
  process.on('exit', release);
  return {
    file,
    announce(details) {
      holder = { ...holder, ...details };
      writeFileSync(file, JSON.stringify(holder), { mode: 0o600 });
    },
    release,
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
