import { readFileSync } from 'node:fs';

/** Descriptors kept free for the database, log, static files and the health check's own work. */
const DESCRIPTOR_HEADROOM = 128;

/**
 * The default global connection cap: below the process's open-file limit (Linux's /proc/self/limits),
 * so a flood of connections cannot use every descriptor; 10,000 where the limit cannot be read.
 */
export function defaultMaxConnections(limitsFile = '/proc/self/limits'): number {
  try {
    const line = readFileSync(limitsFile, 'utf8').split('\n').find((entry) => entry.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    if (Number.isFinite(soft) && soft > DESCRIPTOR_HEADROOM * 2) return Math.min(10_000, soft - DESCRIPTOR_HEADROOM);
  } catch {
    /* not Linux: the fixed default */
  }
  return 10_000;
}
