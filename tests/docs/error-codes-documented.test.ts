import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/resources.ts';
import { ERROR_CODES } from '../../src/server/error-codes.ts';

describe('docs/errors.md', () => {
  const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'errors.md'), 'utf8');
  for (const [code, { status }] of Object.entries(ERROR_CODES)) {
    it(`documents ${code} with status ${status}`, () => {
      expect(doc).toContain(`| \`${code}\` | ${status} |`);
    });
  }
});
