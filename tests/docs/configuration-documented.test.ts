import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Environment } from '../../src/config.ts';
import { PROJECT_ROOT } from '../../src/resources.ts';

describe('every environment variable the application reads', () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const example = readFileSync(join(PROJECT_ROOT, '.env.example'), 'utf8');
  for (const name of Object.keys(Environment.shape)) {
    it(`${name} is documented in README.md and .env.example`, () => {
      expect(readme).toContain(`\`${name}\``);
      expect(example).toContain(`${name}=`);
    });
  }
});
