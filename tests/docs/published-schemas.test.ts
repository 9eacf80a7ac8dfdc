import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLISHED_SCHEMAS, renderSchema } from '../../scripts/publish-schemas.ts';
import { PROJECT_ROOT } from '../../src/resources.ts';

describe('published JSON Schemas', () => {
  for (const [file, build] of Object.entries(PUBLISHED_SCHEMAS)) {
    it(`docs/schemas/${file} matches the zod schema (run: node scripts/publish-schemas.ts)`, () => {
      expect(readFileSync(join(PROJECT_ROOT, 'docs', 'schemas', file), 'utf8')).toBe(renderSchema(build));
    });
  }
});
