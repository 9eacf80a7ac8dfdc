import { describe, expect, it } from 'vitest';
import { interviewCostLine, scorecardSummary } from '../../src/cli/scorecard-summary.ts';
import { HEURISTIC_NOTE } from '../../src/evaluator/render/render-markdown.ts';
import { evaluateOffline, loadLabelled } from '../evaluator/helpers.ts';

describe('the terminal summary', () => {
  it('opens with the sentence saying the ratings are a heuristic and how to get a model\'s, only for the heuristic', async () => {
    const { scorecard } = await evaluateOffline(loadLabelled('anomaly-strong.json'));
    expect(scorecardSummary(scorecard).split('\n')[0]).toBe(HEURISTIC_NOTE);
    expect(scorecardSummary({ ...scorecard, meta: { ...scorecard.meta, heuristic: false } })).not.toContain(HEURISTIC_NOTE);
  });

  it('states the evaluation’s tokens and cost when a model scored it, and nothing when the heuristic did', async () => {
    const { scorecard } = await evaluateOffline(loadLabelled('anomaly-strong.json'));
    expect(scorecardSummary(scorecard)).not.toContain('Evaluation:');
    const byModel = { ...scorecard, meta: { ...scorecard.meta, heuristic: false, model: 'gpt-5.1', usage: { inputTokens: 30_000, outputTokens: 5_000, cachedInputTokens: 20_000, cacheWriteTokens: 0 }, costUsd: 0.0738 } };
    expect(scorecardSummary(byModel)).toContain('Evaluation: 30000 input (20000 read from the cache, 0 written to the cache, 10000 uncached), 5000 output tokens; cost: $0.07 (estimate).');
  });

  it('states the interviewer’s tokens and cost over the interview', () => {
    const line = interviewCostLine({ usage: { inputTokens: 1000, outputTokens: 10, cachedInputTokens: 900, cacheWriteTokens: 0 }, uncachedInputTokens: 100, costUsd: null, unpricedTurns: 3 });
    expect(line).toBe('Interviewer: 1000 input (900 read from the cache, 0 written to the cache, 100 uncached), 10 output tokens; cost: unknown price; 3 turn(s) of a model without a price not included.');
  });
});
