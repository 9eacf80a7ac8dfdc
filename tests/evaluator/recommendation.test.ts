import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DimensionId } from '../../src/evaluator/dimensions.ts';
import { recommend } from '../../src/evaluator/recommendation.ts';
import type { Rating, Recommendation } from '../../src/evaluator/scorecard.ts';
import { ratingsWith } from './helpers.ts';

// The worked examples of references/interviewer-guide.md, "From ratings to a recommendation", in the table's order.
const WORKED_EXAMPLES: readonly { row: string; ratings: Record<DimensionId, Rating>; expected: Recommendation }[] = [
  {
    row: 'E on problem navigation, technical depth, system design and trade-offs; M on the other four',
    ratings: ratingsWith('meets', { problem_navigation: 'exceeds', technical_depth: 'exceeds', system_design: 'exceeds', tradeoff_analysis: 'exceeds' }),
    expected: 'strong_hire',
  },
  { row: 'B on strategic thinking; M on the other seven', ratings: ratingsWith('meets', { strategic_thinking: 'below' }), expected: 'hire' },
  { row: 'B on technical depth; E on the other seven', ratings: ratingsWith('exceeds', { technical_depth: 'below' }), expected: 'no_hire' },
  { row: 'B on technical depth and system design; M on the other six', ratings: ratingsWith('meets', { technical_depth: 'below', system_design: 'below' }), expected: 'strong_no_hire' },
  {
    row: 'I on production, strategic thinking and communication; E on the other five',
    ratings: ratingsWith('exceeds', { production_awareness: 'insufficient', strategic_thinking: 'insufficient', communication: 'insufficient' }),
    expected: 'insufficient',
  },
  { row: 'I on production and strategic thinking; M on the other six', ratings: ratingsWith('meets', { production_awareness: 'insufficient', strategic_thinking: 'insufficient' }), expected: 'hire' },
];

describe('recommend: the worked examples of the guide', () => {
  it('covers every row of the guide\'s table, with the recommendation the guide gives', () => {
    const guide = readFileSync(new URL('../../references/interviewer-guide.md', import.meta.url), 'utf8');
    const section = guide.slice(guide.indexOf('## From ratings to a recommendation'), guide.indexOf('## Example questions'));
    const rows = [...section.matchAll(/^\| (.+?) \| `(\w+)` \|/gm)].map((match) => ({ row: match[1], expected: match[2] }));
    expect(rows).toEqual(WORKED_EXAMPLES.map(({ row, expected }) => ({ row, expected })));
  });

  it.each(WORKED_EXAMPLES)('$row -> $expected', ({ ratings, expected }) => {
    expect(recommend(ratings)).toBe(expected);
  });
});

describe('recommend: conditions in order, first match wins', () => {
  it('rule 1 beats rule 2: three insufficient and four below is insufficient, not strong_no_hire', () => {
    const ratings = ratingsWith('below', { problem_navigation: 'insufficient', strategic_thinking: 'insufficient', communication: 'insufficient', production_awareness: 'meets' });
    expect(recommend(ratings)).toBe('insufficient');
  });

  it('rule 1 beats rule 3: three insufficient and five exceeds is insufficient', () => {
    expect(recommend(ratingsWith('exceeds', { technical_breadth: 'insufficient', strategic_thinking: 'insufficient', communication: 'insufficient' }))).toBe('insufficient');
  });

  it('two insufficient do not trigger rule 1', () => {
    expect(recommend(ratingsWith('meets', { technical_breadth: 'insufficient', communication: 'insufficient' }))).toBe('hire');
  });

  it('rule 2 by count: four below is strong_no_hire even with four exceeds and neither core dimension below', () => {
    const ratings = ratingsWith('exceeds', { technical_breadth: 'below', tradeoff_analysis: 'below', production_awareness: 'below', communication: 'below' });
    expect(recommend(ratings)).toBe('strong_no_hire');
  });

  it('three below (core dimensions fine) is no_hire, not strong_no_hire', () => {
    expect(recommend(ratingsWith('exceeds', { technical_breadth: 'below', tradeoff_analysis: 'below', communication: 'below' }))).toBe('no_hire');
  });

  it('rule 2 by core: both technical depth and system design below beats six exceeds', () => {
    expect(recommend(ratingsWith('exceeds', { technical_depth: 'below', system_design: 'below' }))).toBe('strong_no_hire');
  });

  it('rule 3 needs no below: one below with seven exceeds falls to rule 4 (hire)', () => {
    expect(recommend(ratingsWith('exceeds', { communication: 'below' }))).toBe('hire');
  });

  it('rule 3 allows one insufficient but needs four exceeds', () => {
    expect(recommend(ratingsWith('meets', { problem_navigation: 'exceeds', technical_depth: 'exceeds', system_design: 'exceeds', tradeoff_analysis: 'exceeds', communication: 'insufficient' }))).toBe('strong_hire');
    expect(recommend(ratingsWith('meets', { problem_navigation: 'exceeds', technical_depth: 'exceeds', system_design: 'exceeds', communication: 'insufficient' }))).toBe('hire');
  });

  it('rule 3 does not match with two insufficient, even with six exceeds', () => {
    expect(recommend(ratingsWith('exceeds', { strategic_thinking: 'insufficient', communication: 'insufficient' }))).toBe('hire');
  });

  it('rule 4 excludes a below on system design as well as on technical depth', () => {
    expect(recommend(ratingsWith('meets', { system_design: 'below' }))).toBe('no_hire');
  });

  it('rule 4 needs five meets-or-exceeds: one below and two insufficient leaves five, which is hire', () => {
    expect(recommend(ratingsWith('meets', { communication: 'below', strategic_thinking: 'insufficient', technical_breadth: 'insufficient' }))).toBe('hire');
  });

  it('two below (not core) is no_hire', () => {
    expect(recommend(ratingsWith('exceeds', { production_awareness: 'below', strategic_thinking: 'below' }))).toBe('no_hire');
  });

  it('uses only the ratings: the order of the keys does not matter', () => {
    const ratings = ratingsWith('meets', { strategic_thinking: 'below' });
    const reversed = Object.fromEntries(Object.entries(ratings).reverse()) as typeof ratings;
    expect(recommend(reversed)).toBe(recommend(ratings));
  });
});
