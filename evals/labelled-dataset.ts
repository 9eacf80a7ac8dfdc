import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DimensionId } from '../src/evaluator/dimensions.ts';
import { Rating, Recommendation } from '../src/evaluator/scorecard.ts';
import { PROJECT_ROOT } from '../src/resources.ts';
import { Transcript } from '../src/transcript/transcript.ts';

/** A human label for one transcript of the eval set. */
export const Label = z.strictObject({
  transcript: z.string(),
  ratings: z.strictObject(Object.fromEntries(DimensionId.options.map((id) => [id, Rating])) as Record<DimensionId, typeof Rating>),
  recommendation: Recommendation,
  notes: z.string(),
});
export type Label = z.infer<typeof Label>;

export interface LabelledCase {
  readonly label: Label;
  readonly transcript: Transcript;
}

export const LABELLED_DIR = join(PROJECT_ROOT, 'evals', 'datasets', 'labelled');

/** Every labelled transcript: labels come from labels-*.json, transcripts from the files they name. */
export function loadLabelledCases(directory = LABELLED_DIR): LabelledCase[] {
  const labels = readdirSync(directory)
    .filter((file) => /^labels-.*\.json$/.test(file))
    .sort()
    .flatMap((file) => z.array(Label).parse(JSON.parse(readFileSync(join(directory, file), 'utf8'))));
  return labels.map((label) => ({ label, transcript: Transcript.parse(JSON.parse(readFileSync(join(directory, label.transcript), 'utf8'))) }));
}
