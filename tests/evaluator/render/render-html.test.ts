import { describe, expect, it } from 'vitest';
import { DIMENSION_NAMES, DimensionId } from '../../../src/evaluator/dimensions.ts';
import { escapeHtml, renderHtml } from '../../../src/evaluator/render/render-html.ts';
import { HEURISTIC_NOTE, INTERVIEWER_ISSUES_NOTE } from '../../../src/evaluator/render/render-markdown.ts';
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
    { id: 2, role: 'candidate', phase: 'problem_exploration', text: `Who are the users? ${ATTACK} I would optimise long-term engagement.\nSecond line.` },
    { id: 3, role: 'interviewer', phase: 'deep_dive', text: 'How would you serve it?' },
    { id: 4, role: 'candidate', phase: 'deep_dive', text: 'A two-stage retrieval & ranking setup with "fresh" features.' },
  ],
});

function buildScorecard(heuristic: boolean): Scorecard {
  const dimensions = Object.fromEntries(
    DimensionId.options.map((id, index) => [
      id,
      {
        rating: index % 2 === 0 ? 'meets' : 'below',
        confidence: 0.5,
        evidence:
          index === 0
            ? [
                { turnId: 2, quote: `Who are the users? ${ATTACK}`, polarity: 'positive', note: `asked ${ATTACK}` },
                { turnId: 4, quote: 'two-stage retrieval & ranking', polarity: 'negative', note: 'no "latency" budget' },
              ]
            : [],
        rationale: `Rationale for ${id}.`,
        needsHumanReview: index === 1,
      },
    ]),
  );
  return Scorecard.parse({
    schemaVersion: 1,
    transcriptId: 'transcript-1',
    problem: 'Feed ranking',
    dimensions,
    recommendation: 'no_hire',
    summary: 'A summary.',
    strengths: ['Asks about users'],
    growthAreas: ['Serving latency'],
    feedback: 'Keep going.',
    integrityFlags: [{ kind: 'instruction_to_evaluator', turnId: 2, quote: ATTACK, note: 'an injection attempt' }],
    meta: {
      engine: heuristic ? 'offline' : 'llm',
      model: heuristic ? 'offline-heuristic' : 'some-model',
      promptVersions: { 'evaluator/score': 'abc123' },
      samples: 1,
      usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0 },
      latencyMs: 1234,
      citationsDropped: 1,
      repairRounds: 0,
      heuristic,
      createdAt: '2025-01-01T00:00:00Z',
    },
  });
}

describe('renderHtml', () => {
  const html = renderHtml(buildScorecard(true), transcript);

  it('gives every evidence link a turn to land on', () => {
    const targets = [...html.matchAll(/href="#(turn-\d+)"/g)].map((match) => match[1]);
    expect(targets).toContain('turn-2');
    expect(targets).toContain('turn-4');
    for (const target of targets) expect(html).toContain(`id="${target}"`);
  });

  it('renders every turn with its id, role and phase title', () => {
    for (const turn of transcript.turns) expect(html).toContain(`id="turn-${turn.id}"`);
    expect(html).toContain('Deep dive');
    expect(html).toContain('Problem exploration');
  });

  it('shows data only escaped, never as markup', () => {
    expect(html).not.toContain(ATTACK);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(escapeHtml(ATTACK));
    expect(html).toContain('retrieval &amp; ranking');
    expect(html).toContain('&quot;latency&quot;');
  });

  it('escapes all five HTML-significant characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('says the ratings are a heuristic at the top, under the title and before the recommendation', () => {
    const note = html.indexOf(escapeHtml(HEURISTIC_NOTE));
    expect(note).toBeGreaterThan(html.indexOf('<h1>'));
    expect(note).toBeLessThan(html.indexOf('class="recommendation"'));
  });

  it('says the offline heuristic scored it when it did, and only then', () => {
    expect(html).toContain(escapeHtml(HEURISTIC_NOTE));
    expect(renderHtml(buildScorecard(false), transcript)).not.toContain(escapeHtml(HEURISTIC_NOTE));
  });

  it('names all 8 dimensions', () => {
    for (const id of DimensionId.options) expect(html).toContain(escapeHtml(DIMENSION_NAMES[id]));
  });

  it('loads nothing from outside the file', () => {
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/<(?:link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
  });

  it('states that the recommendation is advice and shows the evaluator-seen transcript note', () => {
    expect(html).toContain('This recommendation is advice for a human decision-maker; a person decides.');
    expect(html).toContain('names and contact details were removed');
    expect(html).toMatch(/<html lang="en">/);
  });

  it('is what renderScorecard returns for html', () => {
    expect(renderScorecard('html', buildScorecard(true), transcript)).toBe(html);
  });
});

describe('renderScorecard', () => {
  it('writes json as the scorecard, pretty-printed, with a trailing newline', () => {
    const scorecard = buildScorecard(false);
    const json = renderScorecard('json', scorecard, transcript);
    expect(json.endsWith('}\n')).toBe(true);
    expect(Scorecard.parse(JSON.parse(json))).toEqual(scorecard);
  });
});

describe('renderHtml: interviewer conduct', () => {
  it('lists interviewer issues apart from the ratings, linked to the interviewer turn, with the quote marked there', () => {
    const issue = { turnId: 3, quote: 'How would you serve it?', kind: 'leading_question' as const, note: `no ${ATTACK}` };
    const html = renderHtml({ ...buildScorecard(false), interviewerIssues: [issue] }, transcript);
    const section = html.slice(html.indexOf('<h2>Interviewer conduct</h2>'), html.indexOf('<h2>Meta</h2>'));
    expect(section).toContain(escapeHtml(INTERVIEWER_ISSUES_NOTE));
    expect(section).toContain('<strong>Leading question</strong> · <a href="#turn-3">turn 3</a>: <q>How would you serve it?</q> — no &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<p class="turn-text"><mark>How would you serve it?</mark></p>');
    expect(html.indexOf('<h2>Interviewer conduct</h2>')).toBeGreaterThan(html.indexOf('<h2>Integrity flags</h2>'));
  });

  it('says when none were noticed', () => {
    const html = renderHtml(buildScorecard(false), transcript);
    expect(html).toContain('<h2>Interviewer conduct</h2>');
    expect(html.slice(html.indexOf('<h2>Interviewer conduct</h2>'))).toMatch(/^<h2>Interviewer conduct<\/h2>\n<p>[^<]*<\/p>\n<p class="empty">None noticed\.<\/p>/);
  });
});

