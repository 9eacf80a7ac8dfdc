import { describe, expect, it } from 'vitest';
import { DimensionId } from '../../../src/evaluator/dimensions.ts';
import { toExchanges } from '../../../src/evaluator/offline/exchanges.ts';
import { ADVICE, findGrowthAreas } from '../../../src/evaluator/offline/growth-areas.ts';
import type { HeuristicJudgement, HeuristicScores } from '../../../src/evaluator/offline/offline-evaluator.ts';
import { PHASE_ORDER, type PhaseId } from '../../../src/interview/phases.ts';
import type { Rating } from '../../../src/evaluator/scorecard.ts';
import type { Transcript } from '../../../src/transcript/transcript.ts';
import { evaluateOffline, loadLabelled, loadOwnTranscript, transcriptOf } from '../helpers.ts';

const ALL_PHASES: ReadonlySet<PhaseId> = new Set(PHASE_ORDER);

function judgement(rating: Rating, evidence: HeuristicJudgement['evidence'] = []): HeuristicJudgement {
  return { rating, evidence, rationale: `rated ${rating}` };
}

function scoresWith(base: HeuristicJudgement, overrides: Partial<HeuristicScores> = {}): HeuristicScores {
  return { ...(Object.fromEntries(DimensionId.options.map((id) => [id, base])) as HeuristicScores), ...overrides };
}

const positive = (turnId: number, quote: string) => ({ turnId, quote, polarity: 'positive' as const, note: 'answer holds up: mechanism' });
const negative = (turnId: number, quote: string) => ({ turnId, quote, polarity: 'negative' as const, note: 'deflects instead of answering' });

function cutBefore(transcript: Transcript, phase: PhaseId): Transcript {
  const index = transcript.turns.findIndex((turn) => turn.phase === phase);
  return { ...transcript, turns: transcript.turns.slice(0, index) };
}

describe('growth areas of the heuristic', () => {
  it('gives one even when every dimension exceeds: the one resting on the fewest citations', () => {
    const scores = scoresWith(judgement('exceeds', [positive(3, 'a'), positive(5, 'b')]), { communication: judgement('exceeds', [positive(9, 'We summarise: the risk is label delay.')]) });
    const areas = findGrowthAreas(scores, [], ALL_PHASES, 10);
    expect(areas).toHaveLength(1);
    expect(areas[0]).toMatchObject({ title: 'Communication & Collaboration', turnId: 9, nextStep: ADVICE.communication });
  });

  it('names the last turn when nothing could be rated', () => {
    const areas = findGrowthAreas(scoresWith(judgement('insufficient')), [], ALL_PHASES, 7);
    expect(areas).toHaveLength(1);
    expect(areas[0]?.turnId).toBe(7);
  });

  it('prefers a turn not named yet, so one answer does not fill the list', () => {
    const shared = negative(12, 'We will figure it out later.');
    const scores = scoresWith(judgement('meets', [positive(2, 'x')]), {
      technical_depth: judgement('below', [shared]),
      system_design: judgement('below', [shared, negative(14, 'Not my area.')]),
    });
    const turns = findGrowthAreas(scores, [], ALL_PHASES, 20).map((area) => area.turnId);
    expect(turns.slice(0, 2).sort()).toEqual([12, 14]);
  });

  it('names a deflected probe and the phases never reached', () => {
    const transcript = transcriptOf([
      ['interviewer', 'How would you keep the features fresh?', 'deep_dive'],
      ['candidate', 'Not sure, the framework handles that for us.', 'deep_dive'],
      ['interviewer', 'And how would you notice drift?', 'deep_dive'],
      ['candidate', 'I would compare the score distribution daily because drift shows there first.', 'deep_dive'],
    ]);
    const reached = new Set<PhaseId>(['problem_exploration', 'high_level_design', 'deep_dive']);
    const areas = findGrowthAreas(scoresWith(judgement('insufficient')), toExchanges(transcript), reached, 4);
    expect(areas.find((area) => area.title.startsWith('Answers at the edge'))?.turnId).toBe(2);
    const pace = areas.find((area) => area.title === 'Reaching every phase');
    expect(pace?.turnId).toBe(4);
    expect(pace?.finding).toMatch(/before the trade-offs and the wrap-up/);
    expect(pace?.finding).toMatch(/Trade-off Analysis/);
  });
});

describe('every heuristic scorecard', () => {
  const cases: [string, Transcript][] = [
    ...['fraud-strong.json', 'fraud-weak.json', 'recs-short-strong.json', 'eta-abandoned.json', 'moderation-meets.json', 'support-injection.json'].map((name) => [name, loadLabelled(name)] as [string, Transcript]),
    ...['churn-long-confident-wrong.json', 'dedup-short-precise.json', 'grocery-forecast-hedging.json'].map((name) => [name, loadOwnTranscript(name)] as [string, Transcript]),
    ['fraud-strong.json cut before the trade-offs', cutBefore(loadLabelled('fraud-strong.json'), 'tradeoffs')],
    ['an interview with one answer', transcriptOf([['interviewer', 'Design a fraud system.'], ['candidate', 'Okay.']])],
  ];

  it.each(cases)('%s: lists growth areas and next steps, each naming a turn of the transcript', async (_name, transcript) => {
    const { scorecard } = await evaluateOffline(transcript);
    const turnIds = new Set(transcript.turns.map((turn) => turn.id));
    expect(scorecard.growthAreas.length).toBeGreaterThan(0);
    for (const area of scorecard.growthAreas) {
      const turn = /, turn (\d+): /.exec(area);
      expect(turn, area).not.toBeNull();
      expect(turnIds.has(Number(turn?.[1]))).toBe(true);
    }
    const steps = /Next steps:\n((?:\d+\. .*\n?)+)/.exec(scorecard.feedback);
    expect(steps).not.toBeNull();
    const lines = (steps?.[1] ?? '').trim().split('\n');
    expect(lines).toHaveLength(scorecard.growthAreas.length);
    for (const line of lines) expect(line).toMatch(/^\d+\. Turn \d+: \S/);
  });

  it('names the phases an abandoned interview never reached', async () => {
    const { scorecard } = await evaluateOffline(loadLabelled('eta-abandoned.json'));
    expect(scorecard.growthAreas.some((area) => area.startsWith('Reaching every phase') && area.includes('before the high-level design'))).toBe(true);
  });
});
