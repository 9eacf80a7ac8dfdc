// Writes the published JSON Schemas of the shared formats to docs/schemas/. A test checks they are current.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scorecardJsonSchema } from '../src/evaluator/scorecard.ts';
import { PROJECT_ROOT } from '../src/resources.ts';
import { transcriptJsonSchema } from '../src/transcript/transcript.ts';

export const PUBLISHED_SCHEMAS: Record<string, () => unknown> = {
  'transcript.schema.json': transcriptJsonSchema,
  'scorecard.schema.json': scorecardJsonSchema,
};

export function renderSchema(build: () => unknown): string {
  return `${JSON.stringify(build(), null, 2)}\n`;
}

if (import.meta.main) {
  for (const [file, build] of Object.entries(PUBLISHED_SCHEMAS)) {
    writeFileSync(join(PROJECT_ROOT, 'docs', 'schemas', file), renderSchema(build));
    process.stdout.write(`wrote docs/schemas/${file}\n`);
  }
}
