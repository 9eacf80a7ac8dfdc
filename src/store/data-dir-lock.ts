import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.ts';

/** The lock file's name inside DATA_DIR; it holds the pid of the server that owns the directory. */
export const LOCK_FILE = 'mlsd-interviewer.lock';

/** A held lock on a data directory: release it on shutdown. */
export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/**
 * Takes the data directory for this process. Two servers on one directory would interleave writes to the
 * same sessions (colliding turn ids, lost messages) and run each other's evaluations, so a second one is
 * refused. A lock left by a process that is no longer running (kill -9, a crash) is taken over.
 */
export function lockDataDir(dataDir: string, pid = process.pid, isRunning: (pid: number) => boolean = processRunning): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(path, `${pid}\n`, { flag: 'wx' });
      return { path, release: () => releaseIfOurs(path, pid) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(readLock(path), 10);
    if (Number.isInteger(holder) && holder > 0 && holder !== pid && isRunning(holder)) {
      throw new AppError('data_dir_in_use', `DATA_DIR ${dataDir} is in use by another mlsd-interviewer (pid ${holder}, lock file ${path}). Stop that server or set another DATA_DIR; if no such server runs, delete the lock file.`);
    }
    // Stale (its process is gone) or unreadable: remove it and try once more; a racing start wins fairly.
    rmSync(path, { force: true });
  }
  throw new AppError('data_dir_in_use', `DATA_DIR ${dataDir}: could not take the lock file ${path}; another server is starting on it`);
}

function readLock(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function releaseIfOurs(path: string, pid: number): void {
  if (Number.parseInt(readLock(path), 10) === pid) rmSync(path, { force: true });
}

/** Whether a process with this pid exists (EPERM: it does, owned by another user). */
function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
