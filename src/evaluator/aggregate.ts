import { DimensionId } from './dimensions.ts';
import type { EvaluationSample } from './evaluator-engine.ts';
import type { DimensionScore, Evidence, Rating } from './scorecard.ts';

const ORDER: readonly Rating[] = ['below', 'meets', 'exceeds'];
// Below two thirds agreement, the dimension goes to a person.
const REVIEW_THRESHOLD = 2 / 3;
const MAX_EVIDENCE = 6;

/** The median rating of several samples; `insufficient` wins only when most samples say so. */
export function medianRating(ratings: readonly Rating[]): Rating {
  const rated = ratings.filter((rating) => rating !== 'insufficient');
  if (rated.length === 0 || rated.length * 2 < ratings.length) return 'insufficient';
  const sorted = [...rated].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  // The lower median on a tie: a disagreement should not inflate a rating.
  return sorted[Math.floor((sorted.length - 1) / 2)] as Rating;
}

/**
 * Combines k independent samples per dimension: the median rating, agreement as confidence, evidence
 * from the samples that agree with the median, and a human-review flag when agreement is low.
 */
export function aggregateSamples(samples: readonly EvaluationSample[]): Record<DimensionId, DimensionScore> {
  if (samples.length === 0) throw new Error('aggregateSamples needs at least one sample');
  const result = {} as Record<DimensionId, DimensionScore>;
  for (const id of DimensionId.options) {
    const own = samples.map((sample) => sample.dimensions[id]);
    const rating = medianRating(own.map((dimension) => dimension.rating));
    const agreeing = own.filter((dimension) => dimension.rating === rating);
    const agreement = agreeing.length / own.length;
    const evidence: Evidence[] = [];
    for (const dimension of agreeing) {
      for (const item of dimension.evidence) {
        if (evidence.length >= MAX_EVIDENCE) break;
        if (!evidence.some((existing) => existing.turnId === item.turnId && existing.quote === item.quote)) evidence.push(item);
      }
    }
    const meanConfidence = agreeing.reduce((sum, dimension) => sum + dimension.confidence, 0) / Math.max(1, agreeing.length);
    result[id] = {
      rating,
      confidence: round(samples.length === 1 ? meanConfidence : Math.min(meanConfidence, agreement)),
      evidence,
      rationale: agreeing[0]?.rationale ?? '',
      needsHumanReview: samples.length > 1 && agreement < REVIEW_THRESHOLD,
    };
  }
  return result;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
