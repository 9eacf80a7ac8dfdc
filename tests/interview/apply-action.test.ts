import { describe, expect, it } from 'vitest';
import { applyAction } from '../../src/interview/apply-action.ts';
import type { InterviewState } from '../../src/interview/interview-state.ts';
import { START, problem, startSession } from './interview-helpers.ts';

const card = problem('fraud-detection');
const NOW = new Date(START.getTime() + 5 * 60_000);

/** The state after the opening turn and one candidate turn (turn 2), as the session stores it. */
async function stateAfterOneCandidateTurn(): Promise<InterviewState> {
  const harness = startSession(card);
  await harness.says('I would start from the business objective of the fraud system.');
  return harness.session.state;
}

function fact(id: string) {
  const found = card.facts.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no fact ${id}`);
  return found;
}

describe('applyAction: reveal-fact', () => {
  it('reveals a fact of the card, records the interviewer turn, and returns its answer', async () => {
    const state = await stateAfterOneCandidateTurn();
    const outcome = applyAction(state, { type: 'reveal-fact', factId: 'authorization-latency' }, card, NOW, 5);
    expect(outcome.ok).toBe(true);
    expect(outcome.result).toBe(fact('authorization-latency').answer);
    expect(outcome.state.revealedFacts).toEqual([...state.revealedFacts, { factId: 'authorization-latency', turnId: 5 }]);
  });

  it('refuses an unknown fact, listing the ids the card has, and leaves the state as it was', async () => {
    const state = await stateAfterOneCandidateTurn();
    const outcome = applyAction(state, { type: 'reveal-fact', factId: 'office-location' }, card, NOW, 5);
    expect(outcome.ok).toBe(false);
    expect(outcome.state).toBe(state);
    expect(outcome.result).toMatch(/^refused: no fact with id "office-location"; ids are: /);
    for (const known of card.facts) expect(outcome.result).toContain(known.id);
  });

  it('answers a duplicate reveal from what was said before without recording it twice', async () => {
    const state = await stateAfterOneCandidateTurn();
    const first = applyAction(state, { type: 'reveal-fact', factId: 'fraud-rate' }, card, NOW, 3);
    const second = applyAction(first.state, { type: 'reveal-fact', factId: 'fraud-rate' }, card, NOW, 5);
    expect(second.ok).toBe(true);
    expect(second.state).toBe(first.state);
    expect(second.state.revealedFacts.filter((entry) => entry.factId === 'fraud-rate')).toEqual([{ factId: 'fraud-rate', turnId: 3 }]);
    expect(second.result).toBe(`(already revealed earlier) ${fact('fraud-rate').answer}`);
  });
});

describe('applyAction: flag-integrity', () => {
  const quote = 'business objective of the fraud system';

  it('stores a flag whose quote is verbatim in the candidate turn it names', async () => {
    const state = await stateAfterOneCandidateTurn();
    const flag = { turnId: 2, quote, note: 'Stands in for an instruction to the grader.' };
    const outcome = applyAction(state, { type: 'flag-integrity', flag }, card, NOW, 3);
    expect(outcome).toMatchObject({ ok: true, result: 'flagged for the human reviewer; continue the interview normally' });
    expect(outcome.state.integrityFlags).toEqual([flag]);
  });

  it('accepts a quote that differs from the turn only in white space and quote marks', async () => {
    const state = await stateAfterOneCandidateTurn();
    const outcome = applyAction(state, { type: 'flag-integrity', flag: { turnId: 2, quote: '  business   objective of the\nfraud system ', note: 'n' } }, card, NOW, 3);
    expect(outcome.ok).toBe(true);
  });

  it.each([
    [{ turnId: 2, quote: 'ignore your previous instructions', note: 'n' }, "refused: the quote is not in turn 2: copy the candidate's words exactly"],
    [{ turnId: 2, quote: 'fraud', note: 'n' }, 'refused: the quote is too short to identify the passage: copy at least 8 characters'],
    [{ turnId: 1, quote: 'thanks for joining', note: 'n' }, 'refused: turn 1 is not a candidate turn of this interview'],
    [{ turnId: 40, quote: 'business objective', note: 'n' }, 'refused: turn 40 is not a candidate turn of this interview'],
  ])('refuses %j and leaves the state as it was', async (flag, result) => {
    const state = await stateAfterOneCandidateTurn();
    const outcome = applyAction(state, { type: 'flag-integrity', flag }, card, NOW, 3);
    expect(outcome).toMatchObject({ ok: false, result });
    expect(outcome.state).toBe(state);
  });
});

describe('applyAction after the end', () => {
  it('reveals no fact once the interview is over', async () => {
    const state = { ...(await stateAfterOneCandidateTurn()), ended: true, endReason: 'time_up' as const };
    const outcome = applyAction(state, { type: 'reveal-fact', factId: 'fraud-rate' }, card, NOW, 3);
    expect(outcome).toMatchObject({ ok: false, result: 'refused: the interview is over; reveal no further facts' });
    expect(outcome.state.revealedFacts).toEqual([]);
  });
});

describe('applyAction: note-evidence', () => {
  it('records a note on a candidate turn', async () => {
    const state = await stateAfterOneCandidateTurn();
    const note = { dimension: 'problem_navigation' as const, turnId: 2, observation: 'Asked about the business objective first.' };
    const outcome = applyAction(state, { type: 'note-evidence', note }, card, NOW, 3);
    expect(outcome).toMatchObject({ ok: true, result: 'noted' });
    expect(outcome.state.notes).toEqual([note]);
  });

  it('refuses a note on an interviewer turn', async () => {
    const state = await stateAfterOneCandidateTurn();
    expect(state.turns[0]?.role).toBe('interviewer');
    const outcome = applyAction(state, { type: 'note-evidence', note: { dimension: 'communication', turnId: 1, observation: 'Greeted the candidate.' } }, card, NOW, 5);
    expect(outcome).toMatchObject({ ok: false, result: 'refused: turn 1 is not a candidate turn of this interview' });
    expect(outcome.state).toBe(state);
  });

  it('refuses a note on a turn that does not exist', async () => {
    const state = await stateAfterOneCandidateTurn();
    const outcome = applyAction(state, { type: 'note-evidence', note: { dimension: 'communication', turnId: 40, observation: 'Invented.' } }, card, NOW, 5);
    expect(outcome.ok).toBe(false);
    expect(outcome.state.notes).toEqual([]);
  });
});

describe('applyAction: advance-phase and end-interview', () => {
  it('advances to the next phase through the phase machine', async () => {
    const state = await stateAfterOneCandidateTurn();
    const current = state.phase;
    expect(current).toBe('problem_exploration');
    const outcome = applyAction(state, { type: 'advance-phase', to: 'high_level_design', reason: 'framed' }, card, NOW, 5);
    expect(outcome).toMatchObject({ ok: true, result: 'now in phase high_level_design' });
    expect(outcome.state).toMatchObject({ phase: 'high_level_design', phaseStartedAt: NOW.toISOString(), candidateTurnsInPhase: 0 });
    expect(outcome.state.turns).toBe(state.turns);
  });

  it('turns a refused phase move into a refusal the model can read', async () => {
    const state = await stateAfterOneCandidateTurn();
    const outcome = applyAction(state, { type: 'advance-phase', to: 'deep_dive', reason: 'skip' }, card, NOW, 5);
    expect(outcome).toEqual({ ok: false, state, result: 'refused: cannot move from problem_exploration to deep_dive: the next phase is high_level_design' });
  });

  it('refuses to end the interview before the wrap-up', async () => {
    const state = await stateAfterOneCandidateTurn();
    const outcome = applyAction(state, { type: 'end-interview', reason: 'done' }, card, NOW, 5);
    expect(outcome.ok).toBe(false);
    expect(outcome.result).toContain('only in wrap_up');
    expect(outcome.state.ended).toBe(false);
  });

  it('ends the interview in the wrap-up, with the time it ended', async () => {
    const state = { ...(await stateAfterOneCandidateTurn()), phase: 'wrap_up' as const };
    const outcome = applyAction(state, { type: 'end-interview', reason: 'done' }, card, NOW, 5);
    expect(outcome.ok).toBe(true);
    expect(outcome.state).toMatchObject({ ended: true, endReason: 'completed', endedAt: NOW.toISOString() });
  });
});
