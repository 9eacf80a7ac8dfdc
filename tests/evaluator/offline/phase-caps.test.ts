import { describe, expect, it } from 'vitest';
import { DimensionId } from '../../../src/evaluator/dimensions.ts';
import { capRecommendation, capToPhasesReached, interviewCompleted, PHASE_SHOWING, phasesReached } from '../../../src/evaluator/offline/phase-caps.ts';
import { recommend } from '../../../src/evaluator/recommendation.ts';
import { PHASE_ORDER, type PhaseId } from '../../../src/interview/phases.ts';
import type { Transcript } from '../../../src/transcript/transcript.ts';
import { evaluateOffline, loadLabelled, loadOwnTranscript, ratingsOf, transcriptOf } from '../helpers.ts';

/** The transcript cut just before the first turn of `phase`. */
function cutBefore(transcript: Transcript, phase: PhaseId): Transcript {
  const index = transcript.turns.findIndex((turn) => turn.phase === phase);
  if (index < 0) throw new Error(`${transcript.id} never reaches ${phase}`);
  return { ...transcript, turns: transcript.turns.slice(0, index) };
}

const upTo = (phase: PhaseId) => new Set(PHASE_ORDER.slice(0, PHASE_ORDER.indexOf(phase) + 1));

describe('the phase caps on heuristic ratings', () => {
  it('maps every dimension to a phase', () => {
    for (const id of DimensionId.options) expect(PHASE_ORDER).toContain(PHASE_SHOWING[id]);
  });

  it('lowers exceeds to meets when the phase showing the dimension was not reached, and says why', () => {
    const capped = capToPhasesReached('tradeoff_analysis', 'exceeds', upTo('deep_dive'));
    expect(capped.rating).toBe('meets');
    expect(capped.reason).toMatch(/did not reach the trade-offs/);
    expect(capToPhasesReached('tradeoff_analysis', 'exceeds', upTo('tradeoffs'))).toEqual({ rating: 'exceeds', reason: null });
    expect(capToPhasesReached('communication', 'exceeds', upTo('tradeoffs')).rating).toBe('meets');
    expect(capToPhasesReached('technical_depth', 'exceeds', upTo('high_level_design')).rating).toBe('meets');
  });

  it('never raises or touches a rating below exceeds', () => {
    for (const rating of ['meets', 'below', 'insufficient'] as const) expect(capToPhasesReached('communication', rating, new Set()).rating).toBe(rating);
  });

  it('counts a phase as reached only when the candidate spoke in it', () => {
    const transcript = transcriptOf([
      ['interviewer', 'Where would you start?', 'problem_exploration'],
      ['candidate', 'With the goal.', 'problem_exploration'],
      ['interviewer', 'We have five minutes: please summarise.', 'wrap_up'],
    ]);
    const reached = phasesReached(transcript);
    expect([...reached]).toEqual(['problem_exploration']);
    expect(interviewCompleted(reached)).toBe(false);
  });

  it('turns strong_hire into hire without a completed interview, and leaves every other case alone', () => {
    expect(capRecommendation('strong_hire', upTo('tradeoffs')).recommendation).toBe('hire');
    expect(capRecommendation('strong_hire', upTo('tradeoffs')).reason).toMatch(/ended in the trade-offs/);
    expect(capRecommendation('strong_hire', upTo('wrap_up'))).toEqual({ recommendation: 'strong_hire', reason: null });
    for (const recommendation of ['hire', 'no_hire', 'strong_no_hire', 'insufficient'] as const) expect(capRecommendation(recommendation, new Set()).recommendation).toBe(recommendation);
  });
});

describe('heuristic scorecards of interviews that stopped early', () => {
  // Strong interviews, each rated strong hire when complete: the caps must bite when they are cut short.
  for (const load of [() => loadLabelled('fraud-strong.json'), () => loadLabelled('anomaly-strong.json'), () => loadOwnTranscript('dedup-short-precise.json')]) {
    const full = load();
    it(`gives no strong hire and no exceeds on the wrap-up's dimensions when the wrap-up is cut (${full.id})`, async () => {
      const { scorecard } = await evaluateOffline(cutBefore(full, 'wrap_up'));
      expect(scorecard.recommendation).not.toBe('strong_hire');
      expect(scorecard.dimensions.communication.rating).not.toBe('exceeds');
      expect(scorecard.dimensions.strategic_thinking.rating).not.toBe('exceeds');
    });

    it(`gives no exceeds on trade-off analysis when the trade-offs are cut (${full.id})`, async () => {
      const { scorecard } = await evaluateOffline(cutBefore(full, 'tradeoffs'));
      expect(scorecard.dimensions.tradeoff_analysis.rating).not.toBe('exceeds');
      for (const id of DimensionId.options) if (scorecard.dimensions[id].rating === 'exceeds') expect(['problem_exploration', 'high_level_design', 'deep_dive']).toContain(PHASE_SHOWING[id]);
    });
  }

  it('keeps strong hire for the completed interview, so the cap is not a blanket lowering', async () => {
    const { scorecard } = await evaluateOffline(loadLabelled('fraud-strong.json'));
    expect(scorecard.recommendation).toBe('strong_hire');
  });

  it('caps the output, not the guide rule: the rule on the capped ratings may still say strong hire', async () => {
    const full = loadLabelled('fraud-strong.json');
    const { scorecard } = await evaluateOffline(cutBefore(full, 'wrap_up'));
    expect(recommend(ratingsOf(scorecard))).toBe('strong_hire');
    expect(scorecard.recommendation).toBe('hire');
    expect(scorecard.summary).toMatch(/Capped at hire: .* did not reach the wrap-up/);
  });
});
