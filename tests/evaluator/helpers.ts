import { readFileSync } from 'node:fs';
import { DimensionId } from '../../src/evaluator/dimensions.ts';
import { evaluateTranscript, type Evaluation } from '../../src/evaluator/evaluate-transcript.ts';
import { OfflineEvaluator } from '../../src/evaluator/offline/offline-evaluator-engine.ts';
import type { Rating, Recommendation, Scorecard } from '../../src/evaluator/scorecard.ts';
import type { PhaseId } from '../../src/interview/phases.ts';
import { Transcript } from '../../src/transcript/transcript.ts';

/** Shared by the evaluator tests: loading transcripts with the real schema and running the offline pipeline. */

const LABELLED = new URL('../../evals/datasets/labelled/', import.meta.url);
const OWN = new URL('../fixtures/transcripts/', import.meta.url);

export interface Label {
  readonly transcript: string;
  readonly ratings: Record<DimensionId, Rating>;
  readonly recommendation: Recommendation;
  readonly notes: string;
}

export function loadLabelled(name: string): Transcript {
  return Transcript.parse(JSON.parse(readFileSync(new URL(name, LABELLED), 'utf8')));
}

/** Transcripts written for these tests (tests/fixtures/transcripts/), on problems the labelled set does not cover. */
export function loadOwnTranscript(name: string): Transcript {
  return Transcript.parse(JSON.parse(readFileSync(new URL(name, OWN), 'utf8')));
}

export function loadLabels(): Label[] {
  return ['labels-a.json', 'labels-b.json'].flatMap((file) => JSON.parse(readFileSync(new URL(file, LABELLED), 'utf8')) as Label[]);
}

/** A fixed clock, so scorecards are deterministic. */
export const FIXED_CLOCK = () => new Date('2025-06-01T12:00:00.000Z');

export const offlineEngine = new OfflineEvaluator({ guideVersion: 'guide-test' });

export function evaluateOffline(transcript: Transcript): Promise<Evaluation> {
  return evaluateTranscript(transcript, { engine: offlineEngine, problem: null, samples: 1, clock: FIXED_CLOCK });
}

export function ratingsOf(scorecard: Scorecard): Record<DimensionId, Rating> {
  return Object.fromEntries(DimensionId.options.map((id) => [id, scorecard.dimensions[id].rating])) as Record<DimensionId, Rating>;
}

/** Higher is better; `insufficient` is not on the scale. */
export const RATING_RANK: Readonly<Record<Exclude<Rating, 'insufficient'>, number>> = { below: 0, meets: 1, exceeds: 2 };
export const RECOMMENDATION_RANK: Readonly<Record<Exclude<Recommendation, 'insufficient'>, number>> = { strong_no_hire: 0, no_hire: 1, hire: 2, strong_hire: 3 };

export function ratingRank(rating: Rating): number {
  if (rating === 'insufficient') throw new Error('an insufficient rating has no rank');
  return RATING_RANK[rating];
}

export function recommendationRank(recommendation: Recommendation): number {
  if (recommendation === 'insufficient') throw new Error('an insufficient recommendation has no rank');
  return RECOMMENDATION_RANK[recommendation];
}

type TurnSpec = readonly [role: 'interviewer' | 'candidate', text: string, phase?: PhaseId];

/** A transcript from [role, text, phase?] triples; ids are 1, 2, 3, ... as the schema requires. */
export function transcriptOf(turns: readonly TurnSpec[], extra: { id?: string; candidate?: Transcript['candidate'] } = {}): Transcript {
  return Transcript.parse({
    id: extra.id ?? 'test-transcript',
    problem: 'fraud-detection',
    candidate: extra.candidate ?? {},
    turns: turns.map(([role, text, phase], index) => ({ id: index + 1, role, phase: phase ?? 'problem_exploration', text })),
  });
}

/** Every rating set to one value, with some overridden. */
export function ratingsWith(base: Rating, overrides: Partial<Record<DimensionId, Rating>> = {}): Record<DimensionId, Rating> {
  return { ...(Object.fromEntries(DimensionId.options.map((id) => [id, base])) as Record<DimensionId, Rating>), ...overrides };
}
