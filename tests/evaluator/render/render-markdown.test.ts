import { describe, expect, it } from 'vitest';
import { DIMENSION_NAMES, DimensionId } from '../../../src/evaluator/dimensions.ts';
import { HEURISTIC_NOTE, INTERVIEWER_ISSUES_NOTE, renderMarkdown } from '../../../src/evaluator/render/render-markdown.ts';
import { renderScorecard } from '../../../src/evaluator/render/render-scorecard.ts';
import { Scorecard } from '../../../src/evaluator/scorecard.ts';
import { Transcript } from '../../../src/transcript/transcript.ts';

const ATTACK = '<script>alert(1)</script>';

// Parsed with the real schemas so the fixtures stay valid as the schemas change.
const transcript = Transcript.parse({
  id: 'transcript-1',
  problem: 'Feed ranking',
  turns: [
    { id: 1, role: 'interviewer', phase: 'problem_exploration', text: 'Design a feed ranking system.' },
    { id: 2, role: 'candidate', phase: 'problem_exploration', text: `Who are the users? ${ATTACK} Then a | b split.` },
  ],
});

function buildScorecard(heuristic: boolean): Scorecard {
  const dimensions = Object.fromEntries(
    DimensionId.options.map((id, index) => [
      id,
      {
        rating: index === 0 ? 'exceeds' : 'meets',
        confidence: 0.75,
        evidence:
          index === 0
            ? [
                { turnId: 2, quote: 'Who are the users?', polarity: 'positive', note: 'asks first' },
                { turnId: 2, quote: `${ATTACK} Then a | b\nsplit.`, polarity: 'negative', note: 'odd' },
              ]
            : [],
        rationale: `Rationale for ${id}.`,
        needsHumanReview: index === 3,
      },
    ]),
  );
  return Scorecard.parse({
    schemaVersion: 1,
    transcriptId: 'transcript-1',
    problem: 'Feed ranking',
    dimensions,
    recommendation: 'hire',
    summary: 'A summary.',
    strengths: ['Asks about users'],
    growthAreas: [],
    feedback: 'Keep going.',
    integrityFlags: [],
    meta: {
      engine: 'offline',
      model: 'offline-heuristic',
      promptVersions: { guide: 'g1' },
      samples: 1,
      usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 },
      latencyMs: 20,
      citationsDropped: 0,
      repairRounds: 0,
      heuristic,
      createdAt: '2025-01-01T00:00:00Z',
    },
  });
}

describe('renderMarkdown', () => {
  const markdown = renderMarkdown(buildScorecard(true), transcript);
  const lines = markdown.split('\n');

  it('has a ratings table with a header, a separator and 8 rows', () => {
    const header = lines.indexOf('| Dimension | Rating | Confidence | Needs human review |');
    expect(header).toBeGreaterThanOrEqual(0);
    expect(lines[header + 1]).toBe('| --- | --- | --- | --- |');
    const afterSeparator = lines.slice(header + 2);
    const end = afterSeparator.findIndex((line) => !line.startsWith('|'));
    const rows = afterSeparator.slice(0, end);
    expect(rows).toHaveLength(8);
    expect(rows[0]).toBe(`| ${DIMENSION_NAMES.problem_navigation} | Exceeds | 0.75 | no |`);
    expect(rows[3]).toBe(`| ${DIMENSION_NAMES.system_design} | Meets | 0.75 | yes |`);
  });

  it('names all 8 dimensions', () => {
    for (const id of DimensionId.options) expect(markdown).toContain(`### ${DIMENSION_NAMES[id]}`);
  });

  it('lists evidence as turn, polarity, quote and note, one line each', () => {
    expect(markdown).toContain('- turn 2 (+): "Who are the users?" — asks first');
    expect(markdown).toContain('- turn 2 (-): "\\<script\\>alert(1)\\</script\\> Then a | b split." — odd');
  });

  it('never lets a quote become raw HTML', () => {
    expect(markdown).not.toContain(ATTACK);
  });

  it('states that the recommendation is advice', () => {
    expect(markdown).toContain('**Hire**');
    expect(markdown).toContain('This recommendation is advice for a human decision-maker; a person decides.');
  });

  it('opens with one sentence saying the ratings are a heuristic and how to get a model\'s', () => {
    expect(markdown.split('\n').slice(0, 3)).toEqual([expect.stringMatching(/^# Scorecard: /), '', `> ${HEURISTIC_NOTE}`]);
    expect(HEURISTIC_NOTE).toMatch(/heuristic/);
    expect(HEURISTIC_NOTE).toMatch(/LLM_PROVIDER/);
    expect(HEURISTIC_NOTE).toMatch(/npm run evaluate -- \S+ --provider/);
    // One sentence: a single full stop, at the end, once the command in backticks is set aside.
    expect(HEURISTIC_NOTE.replace(/`[^`]*`/g, '')).toMatch(/^[^.]+\.$/);
  });

  it('says the offline heuristic scored it when it did, and only then', () => {
    expect(markdown).toContain(HEURISTIC_NOTE);
    expect(renderMarkdown(buildScorecard(false), transcript)).not.toContain(HEURISTIC_NOTE);
  });

  it('reports the meta', () => {
    expect(markdown).toContain('- Prompt versions: guide@g1');
    expect(markdown).toContain('- Citations dropped: 0');
    expect(markdown).toContain('_None._');
  });

  it('reports the tokens and cost of the evaluation and, when given, of the interviewer', () => {
    expect(markdown).toContain('- Tokens: 0 input (0 read from the cache, 0 written to the cache, 0 uncached), 0 output');
    expect(markdown).toContain('- Cost: none (no model was called)');
    expect(markdown).not.toContain('Interviewer cost');
    const priced = buildScorecard(false);
    const withCost = renderMarkdown(
      { ...priced, meta: { ...priced.meta, model: 'claude-sonnet-4-6', costUsd: 0.0421 } },
      transcript,
      { interviewCost: { usage: { inputTokens: 90_000, outputTokens: 900, cachedInputTokens: 85_000, cacheWriteTokens: 3_000 }, uncachedInputTokens: 2_000, costUsd: 0.05, unpricedTurns: 1 } },
    );
    expect(withCost).toContain('- Cost: $0.04 (estimate)');
    expect(withCost).toContain('- Interviewer tokens: 90000 input (85000 read from the cache, 3000 written to the cache, 2000 uncached), 900 output');
    expect(withCost).toContain('- Interviewer cost: $0.05 (estimate); 1 turn(s) of a model without a price not included');
    const unknown = renderMarkdown({ ...priced, meta: { ...priced.meta, model: 'llama3.1:8b', costUsd: null } }, transcript);
    expect(unknown).toContain('- Cost: unknown price (no price for llama3.1:8b; LLM_PRICES can add one)');
  });

  it('is what renderScorecard returns for md', () => {
    expect(renderScorecard('md', buildScorecard(true), transcript)).toBe(markdown);
  });
});

describe('renderMarkdown: interviewer conduct and samples', () => {
  const issue = { turnId: 1, quote: 'Design a feed ranking system.', kind: 'volunteered_fact' as const, note: `said ${ATTACK} | unasked` };

  it('lists interviewer issues in a section of their own after the integrity flags, saying they change no rating', () => {
    const markdown = renderMarkdown({ ...buildScorecard(false), interviewerIssues: [issue] }, transcript);
    const flags = markdown.indexOf('## Integrity flags');
    const conduct = markdown.indexOf('## Interviewer conduct');
    expect(flags).toBeGreaterThan(0);
    expect(conduct).toBeGreaterThan(flags);
    expect(markdown.indexOf('## Meta')).toBeGreaterThan(conduct);
    const section = markdown.slice(conduct, markdown.indexOf('## Meta'));
    expect(section).toContain(INTERVIEWER_ISSUES_NOTE);
    expect(section).toContain('- turn 1, fact volunteered unasked: "Design a feed ranking system." — said \\<script\\>alert(1)\\</script\\> | unasked');
    expect(renderMarkdown(buildScorecard(false), transcript)).toContain('## Interviewer conduct\n\n' + INTERVIEWER_ISSUES_NOTE + '\n\n_None noticed._');
  });

  it("shows each sample's tokens, with what was read from the cache, and the samples that failed", () => {
    const usage = (cached: number) => ({ inputTokens: 1000, outputTokens: 200, cachedInputTokens: cached, cacheWriteTokens: 0 });
    const base = buildScorecard(false);
    const scorecard: Scorecard = { ...base, meta: { ...base.meta, heuristic: false, samples: 2, samplesFailed: 1, sampleUsage: [usage(0), usage(900)] } };
    expect(renderMarkdown(scorecard, transcript)).toContain('- Samples: 2 (1 more failed and is left out); #1: 1000 input (0 cached), 200 output; #2: 1000 input (900 cached), 200 output');
    const heuristic = buildScorecard(true);
    expect(renderMarkdown({ ...heuristic, meta: { ...heuristic.meta, samples: 3 } }, transcript)).toContain('- Samples: 3; the offline evaluator is deterministic, so one run stands for all');
  });
});

