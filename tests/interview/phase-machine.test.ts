import { describe, expect, it } from 'vitest';
import { PhaseTransitionError } from '../../src/errors.ts';
import { advancePhase, checkBudget, endInterview, enforceHardLimits, recordCandidateTurn, startPhases, type PhaseState } from '../../src/interview/phase-machine.ts';
import { PHASE_BUDGETS, PHASE_ORDER, nextPhase, type PhaseId } from '../../src/interview/phases.ts';

const START = new Date('2025-03-01T09:00:00.000Z');

function minutesAfter(start: Date, minutes: number): Date {
  return new Date(start.getTime() + minutes * 60_000);
}

/** A phase state in `phase`, started at START, with `turns` candidate turns so far. */
function inPhase(phase: PhaseId, turns = 1): PhaseState {
  return { phase, phaseStartedAt: START.toISOString(), candidateTurnsInPhase: turns, ended: false };
}

function refusal(run: () => unknown): PhaseTransitionError {
  try {
    run();
  } catch (error) {
    if (error instanceof PhaseTransitionError) return error;
    throw error;
  }
  throw new Error('the transition was not refused');
}

describe('phase order', () => {
  it('runs the five phases in the guide order and ends after the wrap-up', () => {
    expect(PHASE_ORDER).toEqual(['problem_exploration', 'high_level_design', 'deep_dive', 'tradeoffs', 'wrap_up']);
    expect(PHASE_ORDER.map(nextPhase)).toEqual(['high_level_design', 'deep_dive', 'tradeoffs', 'wrap_up', null]);
  });

  it('starts in problem exploration with no candidate turns', () => {
    expect(startPhases(START)).toEqual({ phase: 'problem_exploration', phaseStartedAt: START.toISOString(), candidateTurnsInPhase: 0, ended: false });
  });
});

describe('advancePhase', () => {
  it.each([
    ['problem_exploration', 'high_level_design'],
    ['high_level_design', 'deep_dive'],
    ['deep_dive', 'tradeoffs'],
    ['tradeoffs', 'wrap_up'],
  ] as const)('moves from %s to %s and restarts the clock and the turn count', (from, to) => {
    const now = minutesAfter(START, 7);
    expect(advancePhase(inPhase(from, 3), to, now)).toEqual({ phase: to, phaseStartedAt: now.toISOString(), candidateTurnsInPhase: 0, ended: false });
  });

  it('walks the whole interview one phase at a time', () => {
    let state: PhaseState = startPhases(START);
    const visited: PhaseId[] = [state.phase];
    for (let minute = 1; nextPhase(state.phase); minute += 1) {
      state = recordCandidateTurn(state);
      state = advancePhase(state, nextPhase(state.phase) as PhaseId, minutesAfter(START, minute));
      visited.push(state.phase);
    }
    expect(visited).toEqual(PHASE_ORDER);
  });

  it('refuses to skip a phase', () => {
    const error = refusal(() => advancePhase(inPhase('problem_exploration'), 'deep_dive', START));
    expect(error.code).toBe('phase_transition_refused');
    expect(error.message).toContain('the next phase is high_level_design');
  });

  it.each([
    ['high_level_design', 'problem_exploration'],
    ['tradeoffs', 'deep_dive'],
    ['wrap_up', 'problem_exploration'],
  ] as const)('refuses to move backwards from %s to %s', (from, to) => {
    expect(() => advancePhase(inPhase(from), to, START)).toThrow(PhaseTransitionError);
  });

  it('refuses to stay in the same phase as if it were a move', () => {
    expect(() => advancePhase(inPhase('deep_dive'), 'deep_dive', START)).toThrow(/cannot move from deep_dive to deep_dive/);
  });

  it('refuses to leave a phase before the candidate has answered in it', () => {
    const error = refusal(() => advancePhase(inPhase('high_level_design', 0), 'deep_dive', START));
    expect(error.message).toContain('before the candidate has answered');
  });

  it('refuses to advance past the wrap-up', () => {
    expect(() => advancePhase(inPhase('wrap_up'), 'wrap_up', START)).toThrow(/last phase; end the interview instead/);
  });

  it('refuses to advance after the end', () => {
    const ended = endInterview(inPhase('tradeoffs'), 'candidate');
    expect(() => advancePhase(ended, 'wrap_up', START)).toThrow(/has ended/);
  });
});

describe('endInterview', () => {
  it('lets the interviewer end only in the wrap-up, as completed', () => {
    expect(endInterview(inPhase('wrap_up'), 'interviewer')).toMatchObject({ ended: true, endReason: 'completed', phase: 'wrap_up' });
  });

  it.each(['problem_exploration', 'high_level_design', 'deep_dive', 'tradeoffs'] as const)('refuses the interviewer ending the interview in %s', (phase) => {
    const error = refusal(() => endInterview(inPhase(phase), 'interviewer'));
    expect(error.message).toBe(`the interviewer can end the interview only in wrap_up, not in ${phase}`);
  });

  it('lets the candidate end at any time and the clock end it as time up', () => {
    expect(endInterview(inPhase('problem_exploration', 0), 'candidate')).toMatchObject({ ended: true, endReason: 'candidate_ended' });
    expect(endInterview(inPhase('deep_dive'), 'clock')).toMatchObject({ ended: true, endReason: 'time_up' });
  });

  it('refuses to end twice', () => {
    const ended = endInterview(inPhase('wrap_up'), 'interviewer');
    expect(() => endInterview(ended, 'candidate')).toThrow(/already ended/);
    expect(() => endInterview(ended, 'interviewer')).toThrow(PhaseTransitionError);
  });

  it('refuses candidate turns after the end', () => {
    expect(() => recordCandidateTurn(endInterview(inPhase('deep_dive'), 'candidate'))).toThrow(/has ended/);
  });
});

describe('recordCandidateTurn', () => {
  it('counts turns within the phase without touching anything else', () => {
    const state = inPhase('deep_dive', 2);
    expect(recordCandidateTurn(state)).toEqual({ ...state, candidateTurnsInPhase: 3 });
  });
});

describe('checkBudget by time', () => {
  // Problem exploration: soft at 8 minutes, hard at 10 (before scaling).
  it.each([
    [0, 'ok'],
    [7.9, 'ok'],
    [8, 'soft'],
    [9.99, 'soft'],
    [10, 'hard'],
    [45, 'hard'],
  ] as const)('at %s minutes with clockScale 1 is %s', (minutes, status) => {
    const check = checkBudget(inPhase('problem_exploration', 1), minutesAfter(START, minutes), 1);
    expect(check.status).toBe(status);
    expect(check.elapsedMinutes).toBeCloseTo(minutes, 6);
    expect(check.budgetMinutes).toBe(10);
  });

  it('stretches both limits by clockScale', () => {
    const state = inPhase('problem_exploration', 1);
    expect(checkBudget(state, minutesAfter(START, 10), 2).status).toBe('ok');
    expect(checkBudget(state, minutesAfter(START, 15.9), 2).status).toBe('ok');
    expect(checkBudget(state, minutesAfter(START, 16), 2).status).toBe('soft');
    expect(checkBudget(state, minutesAfter(START, 19.9), 2).status).toBe('soft');
    const hard = checkBudget(state, minutesAfter(START, 20), 2);
    expect(hard).toMatchObject({ status: 'hard', budgetMinutes: 20 });
    expect(hard.reason).toContain('time budget spent');
  });

  it('uses each phase its own time budget', () => {
    for (const phase of PHASE_ORDER) {
      const budget = PHASE_BUDGETS[phase];
      const state = inPhase(phase, 0);
      expect(checkBudget(state, minutesAfter(START, budget.softMinutes - 0.01), 1).status, phase).toBe('ok');
      expect(checkBudget(state, minutesAfter(START, budget.softMinutes), 1).status, phase).toBe('soft');
      expect(checkBudget(state, minutesAfter(START, budget.hardMinutes), 1).status, phase).toBe('hard');
    }
  });

  it('treats a clock that went backwards as no time elapsed', () => {
    expect(checkBudget(inPhase('deep_dive', 0), minutesAfter(START, -5), 1)).toMatchObject({ status: 'ok', elapsedMinutes: 0 });
  });
});

describe('checkBudget by turns', () => {
  it('is soft at the soft turn budget and hard at the hard one, whatever the time', () => {
    for (const phase of PHASE_ORDER) {
      const budget = PHASE_BUDGETS[phase];
      expect(checkBudget(inPhase(phase, budget.softCandidateTurns - 1), START, 1).status, phase).toBe('ok');
      const soft = checkBudget(inPhase(phase, budget.softCandidateTurns), START, 1);
      expect(soft.status, phase).toBe('soft');
      expect(soft.reason).toContain('near the turn budget');
      const hard = checkBudget(inPhase(phase, budget.hardCandidateTurns), START, 1);
      expect(hard.status, phase).toBe('hard');
      expect(hard.reason).toBe(`turn budget spent (${budget.hardCandidateTurns} of ${budget.hardCandidateTurns} candidate turns)`);
    }
  });

  it('reports a hard turn limit even while time is within budget', () => {
    const state = inPhase('tradeoffs', PHASE_BUDGETS.tradeoffs.hardCandidateTurns);
    expect(checkBudget(state, minutesAfter(START, 1), 2).status).toBe('hard');
  });
});

describe('enforceHardLimits', () => {
  it('leaves the state unchanged within budget and when only soft limits are reached', () => {
    const state = inPhase('deep_dive', PHASE_BUDGETS.deep_dive.softCandidateTurns);
    expect(enforceHardLimits(state, minutesAfter(START, 1), 1)).toMatchObject({ state, forced: null });
    expect(enforceHardLimits(inPhase('deep_dive', 1), minutesAfter(START, 16), 1)).toMatchObject({ state: inPhase('deep_dive', 1), forced: null });
  });

  it('forces a move only at the hard turn limit: before it, every move is the interviewer’s to make', () => {
    for (const phase of PHASE_ORDER) {
      const hard = PHASE_BUDGETS[phase].hardCandidateTurns;
      let state: PhaseState = inPhase(phase, 0);
      for (let turn = 1; turn < hard; turn += 1) {
        state = recordCandidateTurn(state);
        expect(enforceHardLimits(state, minutesAfter(START, 1), 2).forced, `${phase} after ${turn} turns`).toBeNull();
        // ...and the interviewer may move on at any of those turns (but the last phase can only end).
        if (nextPhase(phase)) expect(advancePhase(state, nextPhase(phase) as PhaseId, START).phase).toBe(nextPhase(phase));
      }
      state = recordCandidateTurn(state);
      expect(enforceHardLimits(state, minutesAfter(START, 1), 2).forced, phase).toBe(nextPhase(phase) ? 'advanced' : 'ended');
    }
  });

  it('forces the move to the next phase when the time budget is spent', () => {
    const now = minutesAfter(START, 12 * 2);
    const result = enforceHardLimits(inPhase('high_level_design', 1), now, 2);
    expect(result.forced).toBe('advanced');
    expect(result.state).toEqual({ phase: 'deep_dive', phaseStartedAt: now.toISOString(), candidateTurnsInPhase: 0, ended: false });
    expect(result.reason).toContain('time budget spent');
  });

  it('forces the move to the next phase when the turn budget is spent, with time to spare', () => {
    const result = enforceHardLimits(inPhase('problem_exploration', PHASE_BUDGETS.problem_exploration.hardCandidateTurns), START, 1);
    expect(result).toMatchObject({ forced: 'advanced', state: { phase: 'high_level_design', candidateTurnsInPhase: 0 } });
    expect(result.reason).toContain('turn budget spent');
  });

  it('forces each phase on to the next, and ends the interview after the wrap-up', () => {
    let state: PhaseState = startPhases(START);
    const forced: string[] = [];
    for (let step = 1; step <= PHASE_ORDER.length; step += 1) {
      const result = enforceHardLimits(state, minutesAfter(new Date(state.phaseStartedAt), PHASE_BUDGETS[state.phase].hardMinutes), 1);
      forced.push(`${result.forced}:${result.state.phase}`);
      state = result.state;
    }
    expect(forced).toEqual(['advanced:high_level_design', 'advanced:deep_dive', 'advanced:tradeoffs', 'advanced:wrap_up', 'ended:wrap_up']);
    expect(state).toMatchObject({ ended: true, endReason: 'time_up', phase: 'wrap_up' });
  });

  it('ends the interview when the wrap-up turn budget is spent', () => {
    const result = enforceHardLimits(inPhase('wrap_up', PHASE_BUDGETS.wrap_up.hardCandidateTurns), START, 2);
    expect(result.forced).toBe('ended');
    expect(result.state).toMatchObject({ ended: true, endReason: 'time_up' });
  });

  it('does nothing once the interview has ended', () => {
    const ended = endInterview(inPhase('deep_dive'), 'candidate');
    expect(enforceHardLimits(ended, minutesAfter(START, 500), 1)).toEqual({ state: ended, forced: null, reason: 'ended' });
  });
});
