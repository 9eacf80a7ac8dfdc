import { DimensionId } from '../src/evaluator/dimensions.ts';
import type { Rating, Recommendation, Scorecard } from '../src/evaluator/scorecard.ts';

const ORDINAL: Readonly<Record<Rating, number | null>> = { below: 0, meets: 1, exceeds: 2, insufficient: null };
const RECOMMENDATION_ORDER: readonly Recommendation[] = ['strong_no_hire', 'no_hire', 'hire', 'strong_hire'];

/** Share of pairs with the same rating. */
export function exactAgreement(pairs: readonly [Rating, Rating][]): number {
  return pairs.length ? pairs.filter(([a, b]) => a === b).length / pairs.length : 0;
}

/** Share of pairs at most one step apart (insufficient only agrees with itself). */
export function adjacentAgreement(pairs: readonly [Rating, Rating][]): number {
  if (pairs.length === 0) return 0;
  return pairs.filter(([a, b]) => {
    const x = ORDINAL[a];
    const y = ORDINAL[b];
    return x === null || y === null ? a === b : Math.abs(x - y) <= 1;
  }).length / pairs.length;
}

/** Quadratic-weighted Cohen's kappa over the ordinal ratings (pairs with insufficient are left out). */
export function quadraticKappa(pairs: readonly [Rating, Rating][]): number {
  const rated = pairs.map(([a, b]) => [ORDINAL[a], ORDINAL[b]] as const).filter((pair): pair is readonly [number, number] => pair[0] !== null && pair[1] !== null);
  const k = 3;
  const n = rated.length;
  if (n === 0) return 0;
  const observed = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const rowTotals = new Array<number>(k).fill(0);
  const columnTotals = new Array<number>(k).fill(0);
  for (const [a, b] of rated) {
    (observed[a] as number[])[b] = ((observed[a] as number[])[b] ?? 0) + 1;
    rowTotals[a] = (rowTotals[a] ?? 0) + 1;
    columnTotals[b] = (columnTotals[b] ?? 0) + 1;
  }
  let weightedObserved = 0;
  let weightedExpected = 0;
  for (let i = 0; i < k; i += 1) {
    for (let j = 0; j < k; j += 1) {
      const weight = ((i - j) * (i - j)) / ((k - 1) * (k - 1));
      weightedObserved += weight * ((observed[i] as number[])[j] ?? 0);
      weightedExpected += (weight * (rowTotals[i] ?? 0) * (columnTotals[j] ?? 0)) / n;
    }
  }
  return weightedExpected === 0 ? 1 : 1 - weightedObserved / weightedExpected;
}

/** How far two independent runs of the same transcripts agree with each other. */
export interface TestRetest {
  readonly transcripts: number;
  /** Dimension ratings compared: 8 per transcript. */
  readonly ratings: number;
  readonly exact: number;
  readonly withinOne: number;
  readonly kappa: number;
  /** Share of transcripts with the same recommendation in both runs. */
  readonly sameRecommendation: number;
}

/**
 * Test-retest agreement: each pair is one transcript scored twice, in two independent runs (each of k
 * samples), compared dimension by dimension and on the recommendation.
 */
export function testRetest(pairs: readonly (readonly [Scorecard, Scorecard])[]): TestRetest {
  const ratings = pairs.flatMap(([first, second]) => DimensionId.options.map((id): [Rating, Rating] => [first.dimensions[id].rating, second.dimensions[id].rating]));
  return {
    transcripts: pairs.length,
    ratings: ratings.length,
    exact: exactAgreement(ratings),
    withinOne: adjacentAgreement(ratings),
    kappa: quadraticKappa(ratings),
    sameRecommendation: pairs.length ? pairs.filter(([first, second]) => first.recommendation === second.recommendation).length / pairs.length : 0,
  };
}

/** Recommendations ordered from worst to best; `insufficient` has no place in the order. */
export function recommendationRank(recommendation: Recommendation): number | null {
  const index = RECOMMENDATION_ORDER.indexOf(recommendation);
  return index === -1 ? null : index;
}

export function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}
