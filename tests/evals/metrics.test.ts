import { describe, expect, it } from 'vitest';
import { DimensionId } from '../../src/evaluator/dimensions.ts';
import type { Rating, Recommendation, Scorecard } from '../../src/evaluator/scorecard.ts';
import { testRetest } from '../../evals/metrics.ts';

/** Only what testRetest reads: the eight ratings and the recommendation. */
function scorecardWith(ratings: Partial<Record<DimensionId, Rating>>, recommendation: Recommendation = 'hire'): Scorecard {
  const dimensions = Object.fromEntries(DimensionId.options.map((id) => [id, { rating: ratings[id] ?? 'meets', confidence: 1, evidence: [], rationale: '', needsHumanReview: false }]));
  return { dimensions, recommendation } as unknown as Scorecard;
}

describe('testRetest', () => {
  it('is perfect for two runs that agree everywhere', () => {
    const a = scorecardWith({ technical_depth: 'exceeds', communication: 'below' });
    const b = scorecardWith({ technical_depth: 'below' });
    expect(testRetest([[a, a], [b, b]])).toEqual({ transcripts: 2, ratings: 16, exact: 1, withinOne: 1, kappa: 1, sameRecommendation: 1 });
  });

  it('counts the ratings and recommendations that moved between the runs', () => {
    const first = scorecardWith({ technical_depth: 'exceeds', system_design: 'meets' }, 'strong_hire');
    const second = scorecardWith({ technical_depth: 'meets', system_design: 'below' }, 'hire');
    const steady = scorecardWith({});
    const result = testRetest([[first, second], [steady, steady]]);
    expect(result).toMatchObject({ transcripts: 2, ratings: 16, exact: 14 / 16, withinOne: 1, sameRecommendation: 0.5 });
    expect(result.kappa).toBeLessThan(1);
  });

  it('counts a change to or from insufficient as a disagreement, not as one step', () => {
    const result = testRetest([[scorecardWith({ strategic_thinking: 'insufficient' }), scorecardWith({})]]);
    expect(result).toMatchObject({ exact: 7 / 8, withinOne: 7 / 8 });
  });
});
