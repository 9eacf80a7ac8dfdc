import { describe, expect, it } from 'vitest';
import { SIGNAL_PATTERNS, type SubstanceKind } from '../../../src/evaluator/offline/answer-signals.ts';
import { evaluateHeuristically } from '../../../src/evaluator/offline/offline-evaluator.ts';
import type { Evidence } from '../../../src/evaluator/scorecard.ts';
import { transcriptOf } from '../helpers.ts';

/*
 * The label on a cited sentence says what that sentence shows, or there is none. Each case pairs a sentence
 * that shows what the label claims with one that only shares a word with it.
 */
const QUESTION = 'Do we predict fraud at authorization time, or review transactions after the fact?';
const FRAMING = 'I will frame it as predicting the probability that a transaction is fraudulent, and assume a decision within 100 ms.';
const FLINK = 'Flink computes the counts over the last hour because the batch job lags by a day.';
const REDIS = 'Redis serves 100k operations per second at p99 under 5 ms because it keeps the counters in memory.';
const CUSTOMERS = 'Good customers are declined far more often than fraudsters, because 90% of declines are false positives.';
const COMPARISON = 'Streaming rather than batch, because card-testing attacks happen in seconds, at the cost of more infrastructure.';
const TEAM = 'I would agree the threshold with the risk team because they carry the losses.';
const SHORT_MECHANISM = 'Labels next.';

const transcript = transcriptOf([
  ['interviewer', 'Design a system that stops card fraud. Where would you like to start?', 'problem_exploration'],
  ['candidate', QUESTION, 'problem_exploration'],
  ['interviewer', 'Authorization time.', 'problem_exploration'],
  ['candidate', `How long until a chargeback arrives? ${FRAMING}`, 'problem_exploration'],
  ['interviewer', 'Could you sketch the system?', 'high_level_design'],
  ['candidate', 'Events flow through Kafka into a feature store, and the model scores each request online because the decision is inline.', 'high_level_design'],
  ['interviewer', 'How do you compute velocity features?', 'deep_dive'],
  ['candidate', FLINK, 'deep_dive'],
  ['interviewer', 'And how are they served?', 'deep_dive'],
  ['candidate', REDIS, 'deep_dive'],
  ['interviewer', 'Who pays for mistakes?', 'deep_dive'],
  ['candidate', CUSTOMERS, 'deep_dive'],
  ['interviewer', 'Which alternative did you consider?', 'tradeoffs'],
  ['candidate', COMPARISON, 'tradeoffs'],
  ['interviewer', 'Who sets the threshold?', 'tradeoffs'],
  ['candidate', TEAM, 'tradeoffs'],
  ['interviewer', 'Please summarise.', 'wrap_up'],
  ['candidate', `First, the design scores inline. ${SHORT_MECHANISM} Then the main risk is label delay, so we retrain daily.`, 'wrap_up'],
]);

const scores = evaluateHeuristically(transcript);
const all: Evidence[] = Object.values(scores).flatMap((judgement) => [...judgement.evidence]);
const labelsOf = (quote: string) => all.filter((item) => item.quote === quote).map((item) => item.note);

describe('evidence labels of the heuristic', () => {
  it('never calls a clarifying question a framing', () => {
    expect(labelsOf(QUESTION)).toContain('clarifying question');
    expect(labelsOf(QUESTION).filter((note) => /framing/.test(note))).toEqual([]);
    expect(labelsOf(FRAMING)).toContain('states the framing or an assumption');
  });

  it('calls a sentence a comparison only when it sets one option against another', () => {
    expect(labelsOf(COMPARISON)).toContain('compares alternatives with a reason');
    expect(labelsOf(FLINK)).not.toContain('compares alternatives with a reason');
  });

  it('calls a sentence stakeholders only when it is about the people and teams involved', () => {
    expect(labelsOf(TEAM)).toContain('stakeholders');
    expect(labelsOf(REDIS)).not.toContain('stakeholders');
    expect(labelsOf(CUSTOMERS)).not.toContain('stakeholders');
  });

  it('lists as substance only what the cited sentence itself carries', () => {
    const cited = all.filter((evidence) => evidence.note.startsWith('answer holds up'));
    expect(cited.length).toBeGreaterThan(0);
    for (const item of cited) {
      const kinds = item.note.replace(/^answer holds up: ?/, '').split(', ').filter(Boolean) as SubstanceKind[];
      expect(kinds.length, item.quote).toBeGreaterThan(0);
      for (const kind of kinds) expect(item.quote, `${kind} in ${item.note}`).toMatch(SIGNAL_PATTERNS[kind]);
    }
    expect(labelsOf(SHORT_MECHANISM)).toEqual([]);
  });
});
