import { describe, expect, it } from 'vitest';
import { aggregateSamples, medianRating } from '../../src/evaluator/aggregate.ts';
import { DimensionId } from '../../src/evaluator/dimensions.ts';
import type { EvaluationSample, SampleDimension } from '../../src/evaluator/evaluator-engine.ts';
import { ZERO_USAGE } from '../../src/llm/model.ts';
import type { Evidence, Rating } from '../../src/evaluator/scorecard.ts';

const quote = (turnId: number, text: string): Evidence => ({ turnId, quote: text, polarity: 'positive', note: '' });

function dimension(rating: Rating, confidence = 0.8, evidence: Evidence[] = [quote(2, `evidence for ${rating}`)]): SampleDimension {
  return { rating, confidence, evidence, rationale: `rated ${rating}` };
}

/** A sample whose technical depth is `depth` and every other dimension `rest`. */
function sample(depth: SampleDimension, rest: SampleDimension = dimension('meets')): EvaluationSample {
  return {
    dimensions: Object.fromEntries(DimensionId.options.map((id) => [id, id === 'technical_depth' ? depth : rest])) as Record<DimensionId, SampleDimension>,
    summary: '',
    strengths: [],
    growthAreas: [],
    feedback: '',
    integrityFlags: [],
    interviewerIssues: [],
    usage: ZERO_USAGE,
    citationsDropped: 0,
    repairRounds: 0,
  };
}

describe('medianRating', () => {
  it.each<[Rating[], Rating]>([
    [['meets'], 'meets'],
    [['below', 'meets', 'exceeds'], 'meets'],
    [['exceeds', 'exceeds', 'below'], 'exceeds'],
    [['below', 'below', 'exceeds', 'exceeds', 'meets'], 'meets'],
    // The lower median on a tie: disagreement never inflates a rating.
    [['below', 'exceeds'], 'below'],
    [['exceeds', 'meets'], 'meets'],
    [['exceeds', 'exceeds', 'meets', 'meets'], 'meets'],
  ])('%j -> %s', (ratings, expected) => {
    expect(medianRating(ratings)).toBe(expected);
  });

  it('is insufficient only when most samples say so', () => {
    expect(medianRating(['insufficient', 'insufficient', 'meets'])).toBe('insufficient');
    expect(medianRating(['insufficient', 'insufficient', 'insufficient'])).toBe('insufficient');
    expect(medianRating(['insufficient', 'meets', 'exceeds'])).toBe('meets');
    // Half is not most: the rated samples decide, and the lower median of them.
    expect(medianRating(['insufficient', 'exceeds'])).toBe('exceeds');
    expect(medianRating(['insufficient', 'insufficient', 'exceeds', 'below'])).toBe('below');
  });

  it('does not depend on the order of the samples', () => {
    expect(medianRating(['exceeds', 'below', 'meets'])).toBe(medianRating(['meets', 'exceeds', 'below']));
  });
});

describe('aggregateSamples', () => {
  it('refuses to aggregate nothing', () => {
    expect(() => aggregateSamples([])).toThrow(/at least one sample/);
  });

  it('passes a single sample through, with its own confidence and no review flag', () => {
    const result = aggregateSamples([sample(dimension('exceeds', 0.9))]);
    expect(result.technical_depth).toEqual({ rating: 'exceeds', confidence: 0.9, evidence: [quote(2, 'evidence for exceeds')], rationale: 'rated exceeds', needsHumanReview: false });
  });

  it('takes agreement as confidence, capped by the agreeing samples\' own confidence', () => {
    const two = aggregateSamples([sample(dimension('meets', 0.9)), sample(dimension('meets', 0.7)), sample(dimension('below', 0.95))]);
    expect(two.technical_depth.rating).toBe('meets');
    expect(two.technical_depth.confidence).toBe(0.67);
    const sure = aggregateSamples([sample(dimension('meets', 0.5)), sample(dimension('meets', 0.5)), sample(dimension('meets', 0.5))]);
    expect(sure.technical_depth.confidence).toBe(0.5);
  });

  it('flags a dimension for human review when fewer than two thirds of the samples agree, and only then', () => {
    const split = aggregateSamples([sample(dimension('exceeds')), sample(dimension('meets')), sample(dimension('below'))]);
    expect(split.technical_depth).toMatchObject({ rating: 'meets', confidence: 0.33, needsHumanReview: true });
    expect(split.communication.needsHumanReview).toBe(false);
    const twoThirds = aggregateSamples([sample(dimension('exceeds')), sample(dimension('exceeds')), sample(dimension('below'))]);
    expect(twoThirds.technical_depth).toMatchObject({ rating: 'exceeds', needsHumanReview: false });
    const tie = aggregateSamples([sample(dimension('exceeds')), sample(dimension('below'))]);
    expect(tie.technical_depth).toMatchObject({ rating: 'below', confidence: 0.5, needsHumanReview: true });
  });

  it('keeps evidence only from the samples that agree with the median, without duplicates', () => {
    const shared = quote(4, 'we would split by time');
    const result = aggregateSamples([
      sample(dimension('meets', 0.8, [shared, quote(6, 'label delay is six weeks')])),
      sample(dimension('exceeds', 0.8, [quote(8, 'only the exceeds sample said this')])),
      sample(dimension('meets', 0.8, [shared, quote(10, 'calibrate after downsampling')])),
    ]);
    expect(result.technical_depth.rating).toBe('meets');
    expect(result.technical_depth.evidence).toEqual([shared, quote(6, 'label delay is six weeks'), quote(10, 'calibrate after downsampling')]);
    expect(result.technical_depth.rationale).toBe('rated meets');
  });

  it('keeps at most six pieces of evidence', () => {
    const many = (offset: number) => Array.from({ length: 4 }, (_, index) => quote(offset + index, `quote number ${offset + index}`));
    const result = aggregateSamples([sample(dimension('meets', 0.8, many(10))), sample(dimension('meets', 0.8, many(20)))]);
    expect(result.technical_depth.evidence.map((item) => item.turnId)).toEqual([10, 11, 12, 13, 20, 21]);
  });

  it('rates insufficient, with the insufficient samples\' (empty) evidence, when most samples found none', () => {
    const result = aggregateSamples([sample(dimension('insufficient', 0, [])), sample(dimension('insufficient', 0, [])), sample(dimension('exceeds'))]);
    expect(result.technical_depth).toMatchObject({ rating: 'insufficient', evidence: [], confidence: 0, needsHumanReview: false });
  });
});
