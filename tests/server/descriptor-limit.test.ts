import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultMaxConnections } from '../../src/server/descriptor-limit.ts';

describe('defaultMaxConnections', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlsd-limits-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const limits = (soft: string) => {
    const file = join(dir, `limits-${soft}`);
    writeFileSync(file, `Limit                     Soft Limit           Hard Limit           Units     \nMax open files            ${soft}                 4096                 files     \n`);
    return file;
  };

  it('stays below the open-file limit, with headroom for the server\'s own descriptors', () => {
    expect(defaultMaxConnections(limits('1024'))).toBe(1024 - 128);
    expect(defaultMaxConnections(limits('1048576'))).toBe(10_000);
  });

  it('falls back to 10,000 when the limit cannot be read', () => {
    expect(defaultMaxConnections(join(dir, 'missing'))).toBe(10_000);
  });
});
