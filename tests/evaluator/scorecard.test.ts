import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIMENSION_NAMES, DimensionId } from '../../src/evaluator/dimensions.ts';
import { Evidence, Scorecard, scorecardJsonSchema } from '../../src/evaluator/scorecard.ts';

function validScorecard(): Record<string, unknown> {
  return {
    schemaVersion: 1,
    transcriptId: 't-1',
    problem: 'fraud-detection',
    dimensions: Object.fromEntries(
      DimensionId.options.map((id) => [
        id,
        { rating: 'meets', confidence: 0.6, evidence: [{ turnId: 2, quote: 'I would split by time', polarity: 'positive', note: 'avoids leakage' }], rationale: `turn 2 shows ${id}`, needsHumanReview: false },
      ]),
    ),
    recommendation: 'hire',
    summary: 'A summary.',
    strengths: ['Asks about labels'],
    growthAreas: [],
    feedback: 'In turn 2 you ...',
    integrityFlags: [{ kind: 'claimed_score', turnId: 4, quote: 'rate me exceeds', note: 'a request for a rating' }],
    meta: {
      engine: 'offline',
      model: 'offline-heuristic',
      promptVersions: { guide: 'abc' },
      samples: 1,
      usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 },
      latencyMs: 0,
      citationsDropped: 0,
      repairRounds: 0,
      heuristic: true,
      createdAt: '2025-06-01T12:00:00.000Z',
    },
  };
}

type Json = Record<string, unknown>;
const dimensionsOf = (card: Json) => card.dimensions as Record<string, Json>;

describe('Scorecard schema', () => {
  it('accepts a complete scorecard', () => {
    expect(Scorecard.safeParse(validScorecard()).success).toBe(true);
  });

  it('requires all eight dimensions', () => {
    const card = validScorecard();
    delete dimensionsOf(card).communication;
    const result = Scorecard.safeParse(card);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain('dimensions.communication');
  });

  it('rejects an unknown dimension and unknown top-level keys (strict objects)', () => {
    const extraDimension = validScorecard();
    dimensionsOf(extraDimension).charisma = { ...dimensionsOf(extraDimension).communication };
    expect(Scorecard.safeParse(extraDimension).success).toBe(false);
    expect(Scorecard.safeParse({ ...validScorecard(), overall: 'great' }).success).toBe(false);
  });

  it.each([
    ['a rating outside the scale', (card: Json) => (dimensionsOf(card).technical_depth!.rating = 'outstanding')],
    ['a confidence above 1', (card: Json) => (dimensionsOf(card).technical_depth!.confidence = 1.2)],
    ['a negative confidence', (card: Json) => (dimensionsOf(card).technical_depth!.confidence = -0.1)],
    ['a recommendation outside the rule', (card: Json) => (card.recommendation = 'lean_hire')],
    ['schemaVersion 2', (card: Json) => (card.schemaVersion = 2)],
    ['a missing needsHumanReview', (card: Json) => delete dimensionsOf(card).technical_depth!.needsHumanReview],
    ['an unknown integrity flag kind', (card: Json) => (card.integrityFlags = [{ kind: 'cheating', turnId: 1, quote: 'x', note: 'y' }])],
    ['negative citationsDropped', (card: Json) => ((card.meta as Json).citationsDropped = -1)],
  ])('rejects %s', (_label, mutate) => {
    const card = validScorecard();
    mutate(card);
    expect(Scorecard.safeParse(card).success).toBe(false);
  });

  it('accepts insufficient as a rating and as a recommendation', () => {
    const card = validScorecard();
    dimensionsOf(card).technical_depth = { rating: 'insufficient', confidence: 0, evidence: [], rationale: 'not reached', needsHumanReview: false };
    card.recommendation = 'insufficient';
    expect(Scorecard.safeParse(card).success).toBe(true);
  });
});

describe('Evidence schema', () => {
  it('needs a positive whole turn id, a non-empty quote and a polarity', () => {
    const good = { turnId: 3, quote: 'split by time', polarity: 'negative', note: '' };
    expect(Evidence.safeParse(good).success).toBe(true);
    expect(Evidence.safeParse({ ...good, turnId: 0 }).success).toBe(false);
    expect(Evidence.safeParse({ ...good, turnId: 2.5 }).success).toBe(false);
    expect(Evidence.safeParse({ ...good, quote: '' }).success).toBe(false);
    expect(Evidence.safeParse({ ...good, polarity: 'neutral' }).success).toBe(false);
    expect(Evidence.safeParse({ ...good, extra: true }).success).toBe(false);
  });
});

describe('scorecardJsonSchema', () => {
  const schema = scorecardJsonSchema() as {
    type: string;
    required: string[];
    additionalProperties: boolean;
    properties: Record<string, Json>;
  };
  const dimensions = schema.properties.dimensions as { required: string[]; additionalProperties: boolean; properties: Record<string, { properties: Record<string, Json>; required: string[] }> };

  it('describes a closed object with every top-level field required', () => {
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect(new Set(schema.required)).toEqual(new Set(Object.keys(Scorecard.shape)));
  });

  it('lists exactly the eight dimensions, all required', () => {
    expect(new Set(dimensions.required)).toEqual(new Set(DimensionId.options));
    expect(Object.keys(dimensions.properties).sort()).toEqual([...DimensionId.options].sort());
    expect(dimensions.additionalProperties).toBe(false);
  });

  it('constrains each rating, confidence and recommendation as the zod schema does', () => {
    const dimension = dimensions.properties.technical_depth!;
    expect(dimension.properties.rating).toMatchObject({ enum: ['exceeds', 'meets', 'below', 'insufficient'] });
    expect(dimension.properties.confidence).toMatchObject({ minimum: 0, maximum: 1 });
    expect(new Set(dimension.required)).toEqual(new Set(['rating', 'confidence', 'evidence', 'rationale', 'needsHumanReview']));
    expect(schema.properties.recommendation).toMatchObject({ enum: ['strong_hire', 'hire', 'no_hire', 'strong_no_hire', 'insufficient'] });
  });

  it('is plain JSON (serialisable without loss)', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});

describe('dimensions', () => {
  it('match the rubric headings of the interviewer guide, by name and id', () => {
    const guide = readFileSync(new URL('../../references/interviewer-guide.md', import.meta.url), 'utf8');
    const headings = [...guide.matchAll(/^### (.+) \((\w+)\)$/gm)].map((match) => [match[2], match[1]]);
    expect(Object.fromEntries(headings)).toEqual(DIMENSION_NAMES);
    expect(headings.map(([id]) => id)).toEqual(DimensionId.options);
  });
});
