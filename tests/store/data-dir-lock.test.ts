import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import { LOCK_FILE, lockDataDir } from '../../src/store/data-dir-lock.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlsd-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('lockDataDir', () => {
  it('writes the pid, refuses a second holder while the first runs, and frees the directory on release', () => {
    const lock = lockDataDir(dir, 1111, () => true);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe('1111');
    let refused: unknown;
    try {
      lockDataDir(dir, 2222, () => true);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('data_dir_in_use');
    expect((refused as AppError).message).toContain('pid 1111');
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir, 2222, () => true).release();
  });

  it('takes over a stale lock whose process is gone, or that names no pid', () => {
    writeFileSync(join(dir, LOCK_FILE), '999999\n');
    const lock = lockDataDir(dir, 3333, (pid) => pid !== 999_999);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe('3333');
    lock.release();
    writeFileSync(join(dir, LOCK_FILE), 'garbage');
    expect(() => lockDataDir(dir, 4444, () => true).release()).not.toThrow();
  });

  it('release leaves a lock that another process has since taken', () => {
    const lock = lockDataDir(dir, 5555, () => true);
    writeFileSync(join(dir, LOCK_FILE), '6666\n');
    lock.release();
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe('6666');
  });
});
