import { describe, expect, it } from 'vitest';
import type { InterviewState } from '../../src/interview/interview-state.ts';
import type { Turn } from '../../src/transcript/transcript.ts';
import { findQuestions } from '../../src/offline/question-detector.ts';
import { PHASE_BUDGETS } from '../../src/interview/phases.ts';
import { PHRASES } from '../../src/offline/phrases.ts';
import type { ProblemCard } from '../../src/problems/problem-card.ts';
import { resources, startSession, type SessionHarness } from '../interview/interview-helpers.ts';
import { UNANSWERABLE_QUESTION, askedFacts, asQuestion, factOf, genericCandidate, statingCandidate } from './scripted-candidates.ts';

const bank = [...resources().problems.values()];

/** Plays the script until the interview ends, as the terminal chat does. */
async function play(card: ProblemCard, messages: readonly string[]): Promise<SessionHarness> {
  const harness = startSession(card);
  for (const message of messages) {
    if (harness.session.ended) break;
    await harness.says(message);
  }
  return harness;
}

function interviewerTurns(state: InterviewState): Turn[] {
  return state.turns.filter((turn) => turn.role === 'interviewer');
}

function turnBefore(state: InterviewState, turn: Turn): Turn | undefined {
  return state.turns.find((candidate) => candidate.id === turn.id - 1);
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[?.!\s]+$/, '');
}

describe('the problem bank', () => {
  it('has the eight problems the offline interviewer is tested over', () => {
    expect(bank.map((card) => card.id)).toEqual([
      'ads-ctr-prediction',
      'content-moderation',
      'eta-prediction',
      'feed-recommendations',
      'fraud-detection',
      'metric-anomaly-detection',
      'search-ranking',
      'support-assistant',
    ]);
  });
});

describe.each(bank.map((card) => [card.id, card] as const))('offline interviewer on %s', (_id, card) => {
  it('takes a generic 26-message candidate through every phase to a completed wrap-up', async () => {
    const script = genericCandidate(card);
    expect(script).toHaveLength(26);
    const { session } = await play(card, script);
    const state = session.state;
    expect(state).toMatchObject({ phase: 'wrap_up', ended: true, endReason: 'completed' });
    const phases = [...new Set(state.turns.map((turn) => turn.phase))];
    expect(phases).toEqual(['problem_exploration', 'high_level_design', 'deep_dive', 'tradeoffs', 'wrap_up']);
    expect(state.turns.filter((turn) => turn.role === 'candidate').length).toBeLessThanOrEqual(26);
    expect(state.turns.at(-1)?.text).toContain(PHRASES.closing);
  });

  it('reveals each fact only in the turn right after a candidate question that asked for it', async () => {
    const { session } = await play(card, genericCandidate(card));
    const state = session.state;

    // Exactly the facts the candidate asked for, each once.
    expect(state.revealedFacts.map((entry) => entry.factId)).toEqual(askedFacts(card).map((fact) => fact.id));

    for (const entry of state.revealedFacts) {
      const fact = card.facts.find((candidate) => candidate.id === entry.factId);
      if (!fact) throw new Error(`revealed an unknown fact ${entry.factId}`);
      const revealing = state.turns.find((turn) => turn.id === entry.turnId);
      expect(revealing?.role).toBe('interviewer');
      expect(revealing?.text).toContain(fact.answer);
      const question = revealing ? turnBefore(state, revealing) : undefined;
      expect(question?.role).toBe('candidate');
      expect(findQuestions(question?.text ?? '')).not.toEqual([]);
      expect(fact.askedBy.map(normalise)).toContain(normalise(question?.text ?? ''));
    }

    // No answer text appears anywhere else: not before its reveal, and never without a question right before it.
    for (const fact of card.facts) {
      const containing = interviewerTurns(state).filter((turn) => turn.text.includes(fact.answer));
      const entry = state.revealedFacts.find((revealed) => revealed.factId === fact.id);
      if (!entry) {
        expect(containing, `${fact.id} was never asked for`).toEqual([]);
        continue;
      }
      expect(containing.map((turn) => turn.id)).toEqual([entry.turnId]);
      for (const turn of containing) expect(findQuestions(turnBefore(state, turn)?.text ?? '')).not.toEqual([]);
    }
  });

  it('asks "What would you assume, and why?" when no fact answers a question', async () => {
    const { session } = await play(card, genericCandidate(card));
    const state = session.state;
    const asked = state.turns.find((turn) => turn.role === 'candidate' && turn.text === UNANSWERABLE_QUESTION);
    if (!asked) throw new Error('the script did not ask the unanswerable question');
    const reply = state.turns.find((turn) => turn.id === asked.id + 1);
    expect(reply?.text).toContain('What would you assume, and why?');
    expect(state.revealedFacts.some((entry) => entry.turnId === reply?.id)).toBe(false);
    expect(state.offline.unansweredQuestions).toBe(1);
  });

  it('reveals nothing to a candidate who only states designs', async () => {
    const { session } = await play(card, statingCandidate());
    const state = session.state;
    expect(state.revealedFacts).toEqual([]);
    for (const fact of card.facts) {
      for (const turn of interviewerTurns(state)) expect(turn.text, `${fact.id} in turn ${turn.id}`).not.toContain(fact.answer);
    }
    expect(state.turns.some((turn) => turn.text.includes('What would you assume'))).toBe(false);
    expect(state.phase).toBe('wrap_up');
  });

  it('introduces a constraint change from the card in the trade-offs phase', async () => {
    const { session } = await play(card, genericCandidate(card));
    const tradeoffTurns = interviewerTurns(session.state).filter((turn) => turn.phase === 'tradeoffs');
    expect(tradeoffTurns.length).toBeGreaterThan(0);
    const introduced = card.constraintChanges.filter((change) => tradeoffTurns.some((turn) => turn.text.includes(change.prompt)));
    expect(introduced.length).toBeGreaterThanOrEqual(1);
    expect(session.state.offline.constraintChanges).toEqual(introduced.map((change) => change.id));
    // Never before the trade-offs.
    const earlier = interviewerTurns(session.state).filter((turn) => turn.phase !== 'tradeoffs');
    for (const change of card.constraintChanges) for (const turn of earlier) expect(turn.text).not.toContain(change.prompt);
  });

  it('wraps up by asking for a summary, then for questions, then ends the interview', async () => {
    const { session, events } = await play(card, genericCandidate(card));
    const wrapUp = interviewerTurns(session.state).filter((turn) => turn.phase === 'wrap_up');
    expect(wrapUp.map((turn) => turn.text)).toEqual([
      PHRASES.summary(card.wrapUp[0] as string),
      PHRASES.yourQuestions,
      expect.stringContaining(PHRASES.closing),
    ]);
    expect(events.at(-1)).toEqual({ type: 'ended', reason: 'completed' });
    expect(session.state.offline.wrapUpStep).toBe(3);
  });
});

describe('offline interviewer in the wrap-up', () => {
  it('answers a candidate question about the role without revealing a hidden fact', async () => {
    const card = resources().problems.get('fraud-detection') as ProblemCard;
    const team = factOf(card, 'constraints');
    const opened = startSession(card).session.state;
    // The wrap-up has started: the summary was asked for.
    const inWrapUp = startSession(card, { state: { ...opened, phase: 'wrap_up', offline: { ...opened.offline, wrapUpStep: 1 } } });
    await inWrapUp.says('My summary: a calibrated model with a cost-based policy.');
    expect(inWrapUp.session.state.turns.at(-1)?.text).toBe(PHRASES.yourQuestions);
    await inWrapUp.says(asQuestion(team.askedBy[0] as string));
    const state = inWrapUp.session.state;
    expect(state.turns.at(-1)?.text).toBe(`${PHRASES.answerCandidateQuestion}\n\n${PHRASES.closing}`);
    expect(state).toMatchObject({ ended: true, endReason: 'completed', revealedFacts: [] });
    for (const turn of interviewerTurns(state)) expect(turn.text).not.toContain(team.answer);
  });

  it('still answers a question asked before a forced move into the wrap-up', async () => {
    const card = resources().problems.get('fraud-detection') as ProblemCard;
    const rate = factOf(card, 'labels');
    const opened = startSession(card).session.state;
    const harness = startSession(card, { state: { ...opened, phase: 'tradeoffs', candidateTurnsInPhase: PHASE_BUDGETS.tradeoffs.hardCandidateTurns - 1 } });
    await harness.says(asQuestion(rate.askedBy[0] as string));
    const state = harness.session.state;
    expect(state.phase).toBe('wrap_up');
    expect(state.turns.at(-2)?.phase).toBe('tradeoffs');
    expect(state.turns.at(-1)?.text).toContain(rate.answer);
    expect(state.turns.at(-1)?.text).toContain(PHRASES.forcedMove);
    expect(state.turns.at(-1)?.text).toContain(card.wrapUp[0]);
  });
});

describe('offline interviewer probes', () => {
  it('probes a concept the candidate named without explaining, and only once', async () => {
    const card = resources().problems.get('fraud-detection') as ProblemCard;
    const opened = startSession(card).session.state;
    const harness = startSession(card, { state: { ...opened, phase: 'high_level_design', candidateTurnsInPhase: 0 } });
    await harness.says('We add a feature store.');
    expect(harness.session.state.turns.at(-1)?.text).toBe(PHRASES.probeConcept('feature store', 'We add a feature store.'));
    await harness.says('We add a feature store.');
    expect(harness.session.state.turns.at(-1)?.text).not.toContain('How would the feature store work');
    expect(harness.session.state.offline.probedConcepts).toEqual(['feature store']);
  });

  it('in the deep dive, keeps a concept named on a card-probe turn for the next concept-probe turn', async () => {
    const card = resources().problems.get('fraud-detection') as ProblemCard;
    const opened = startSession(card).session.state;
    const harness = startSession(card, { state: { ...opened, phase: 'deep_dive', candidateTurnsInPhase: 1 } });
    // The second deep-dive turn follows the card's probes...
    await harness.says('We add shadow mode.');
    expect(harness.session.state.turns.at(-1)?.text).not.toContain('shadow');
    expect(harness.session.state.offline.probedConcepts).toEqual([]);
    // ...and the third asks about the concept the candidate keeps naming.
    await harness.says('We add shadow mode.');
    expect(harness.session.state.turns.at(-1)?.text).toBe(PHRASES.probeConcept('shadow deployment', 'We add shadow mode.'));
    expect(harness.session.state.offline.probedConcepts).toEqual(['shadow deployment']);
  });

  it('does not mark a concept as probed when it moves on instead of asking', async () => {
    const card = resources().problems.get('fraud-detection') as ProblemCard;
    const opened = startSession(card).session.state;
    // The fourth design turn moves the interview to the deep dive; the shadow-mode mention is left for later.
    const harness = startSession(card, { state: { ...opened, phase: 'high_level_design', candidateTurnsInPhase: 3 } });
    await harness.says('We add shadow mode.');
    expect(harness.session.state.phase).toBe('deep_dive');
    expect(harness.session.state.offline.probedConcepts).toEqual([]);
  });
});
