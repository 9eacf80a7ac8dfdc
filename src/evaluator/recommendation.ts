import type { DimensionId } from './dimensions.ts';
import type { Rating, Recommendation } from './scorecard.ts';

/**
 * The rule of references/interviewer-guide.md, "From ratings to a recommendation": conditions in order,
 * first match wins. Pure; the model's narrative never overrides it.
 */
export function recommend(ratings: Readonly<Record<DimensionId, Rating>>): Recommendation {
  const values = Object.values(ratings);
  const count = (rating: Rating) => values.filter((value) => value === rating).length;
  const below = count('below');
  const insufficient = count('insufficient');
  const exceeds = count('exceeds');
  const meetsOrBetter = exceeds + count('meets');
  const coreBelow = (['technical_depth', 'system_design'] as const).filter((id) => ratings[id] === 'below').length;

  if (insufficient >= 3) return 'insufficient';
  if (below >= 4 || coreBelow === 2) return 'strong_no_hire';
  if (below === 0 && insufficient <= 1 && exceeds >= 4) return 'strong_hire';
  if (below <= 1 && coreBelow === 0 && meetsOrBetter >= 5) return 'hire';
  return 'no_hire';
}
