import { describe, expect, it } from 'vitest';
import { describeBudget } from '../../src/interview/budget-status.ts';
import { advancePhase, endInterview, enforceHardLimits, type PhaseState } from '../../src/interview/phase-machine.ts';
import { PHASE_BUDGETS, PHASE_ORDER, type PhaseId } from '../../src/interview/phases.ts';

const START = new Date('2025-03-01T09:00:00.000Z');
const minutesAfter = (minutes: number) => new Date(START.getTime() + minutes * 60_000);

type State = PhaseState & { startedAt: string };

function inPhase(phase: PhaseId, turns: number, phaseStartMinute = 0): State {
  return { phase, phaseStartedAt: minutesAfter(phaseStartMinute).toISOString(), candidateTurnsInPhase: turns, ended: false, startedAt: START.toISOString() };
}

function describeAt(state: State, minute: number, clockScale = 2, forcedTransition: string | null = null) {
  return describeBudget({ state, now: minutesAfter(minute), clockScale, forcedTransition });
}

describe('describeBudget figures', () => {
  it('gives the guide minutes and the scaled wall-clock minutes of the phase, and says how they relate', () => {
    const status = describeAt(inPhase('problem_exploration', 1), 6);
    expect(status.clockText).toContain('one guide minute is 2 minutes of wall-clock time here');
    expect(status.phaseTimeText).toBe(
      '6.0 min so far (3.0 guide min). Budget: 8-10 guide min, which is 16-20 min here: start steering to the next step at 16 min; at 20 min the phase machine moves on by itself.',
    );
    expect(status.totalTimeText).toBe('6.0 min (3.0 guide min) of a 45-60 guide-minute interview (90-120 min here). This is phase 1 of 5.');
  });

  it('says the clock runs at the guide pace when it is not scaled', () => {
    const status = describeAt(inPhase('deep_dive', 1), 3, 1);
    expect(status.clockText).toBe("The clock runs at the guide's pace: one guide minute is one minute here.");
    expect(status.phaseTimeText).toContain('Budget: 15-20 guide min, which is 15-20 min here');
  });

  it('shows the turn budgets from the first turn of every phase', () => {
    for (const phase of PHASE_ORDER) {
      const budget = PHASE_BUDGETS[phase];
      const status = describeAt(inPhase(phase, 0), 0);
      expect(status.phaseTurnsText, phase).toContain(`0 so far. Budget: start steering on after ${budget.softCandidateTurns};`);
      expect(status.phaseTurnsText, phase).toContain(`after the candidate's ${budget.hardCandidateTurns}th message in this phase`);
    }
    expect(describeAt(inPhase('wrap_up', 0), 0).phaseTurnsText).toContain('the phase machine ends the interview by itself');
  });

  it('totals at most the guide length: the hard minutes of the five phases fit in 45-60 guide minutes', () => {
    const soft = PHASE_ORDER.reduce((sum, phase) => sum + PHASE_BUDGETS[phase].softMinutes, 0);
    const hard = PHASE_ORDER.reduce((sum, phase) => sum + PHASE_BUDGETS[phase].hardMinutes, 0);
    expect(soft).toBeGreaterThanOrEqual(45);
    expect(hard).toBeLessThanOrEqual(60);
  });

  it('leaves the deep dive room for three areas of three probes before the hard limit', () => {
    expect(PHASE_BUDGETS.deep_dive.softCandidateTurns).toBeGreaterThanOrEqual(9);
    expect(PHASE_BUDGETS.deep_dive.hardCandidateTurns).toBeGreaterThan(PHASE_BUDGETS.deep_dive.softCandidateTurns);
  });
});

describe('describeBudget status', () => {
  it('leaves the move to the model within the soft limits', () => {
    const status = describeAt(inPhase('deep_dive', 3, 10), 14);
    expect(status.lastExchange).toBe('no');
    expect(status.statusText).toBe('Within budget. You decide when this phase is done: move on with `advance_phase` when its objective is met.');
  });

  it('asks the model to steer on past a soft limit, by turns or by time', () => {
    const byTurns = describeAt(inPhase('deep_dive', PHASE_BUDGETS.deep_dive.softCandidateTurns, 10), 12);
    expect(byTurns.statusText).toBe(`Time to steer on: near the turn budget (${PHASE_BUDGETS.deep_dive.softCandidateTurns} of ${PHASE_BUDGETS.deep_dive.hardCandidateTurns} candidate turns). Close the current thread and move on with \`advance_phase\` within the next turn or two.`);
    const byTime = describeAt(inPhase('high_level_design', 2, 0), 21);
    expect(byTime.statusText).toContain('Time to steer on: near the time budget (21.0 of 24 min)');
    expect(byTime.lastExchange).toBe('no');
  });

  it('says when the candidate’s next message is the last of the phase, by turns', () => {
    const status = describeAt(inPhase('deep_dive', PHASE_BUDGETS.deep_dive.hardCandidateTurns - 1, 10), 12);
    expect(status.lastExchange).toBe('phase');
    expect(status.statusText).toBe(
      "This is your last reply in this phase: after the candidate's next message the phase machine moves to trade-offs and alternatives before you reply again. Ask the question that best closes the current thread, or move on now with `advance_phase`.",
    );
    expect(describeAt(inPhase('deep_dive', PHASE_BUDGETS.deep_dive.hardCandidateTurns - 2, 10), 12).lastExchange).toBe('no');
  });

  it('says when the next message is likely the last of the phase by time: less than a guide minute left', () => {
    // Deep dive: 40 wall-clock minutes at scale 2; with 2 or fewer left, the next reply will arrive too late.
    expect(describeAt(inPhase('deep_dive', 2, 0), 37.9).lastExchange).toBe('no');
    expect(describeAt(inPhase('deep_dive', 2, 0), 38).lastExchange).toBe('phase');
  });

  it('says when the next message is the last of the interview, and to ask for the candidate’s questions', () => {
    const status = describeAt(inPhase('wrap_up', PHASE_BUDGETS.wrap_up.hardCandidateTurns - 1, 50), 52);
    expect(status.lastExchange).toBe('interview');
    expect(status.statusText).toContain("The candidate's next message is the last of the interview");
    expect(status.statusText).toContain('ask now');
  });

  it('describes the new phase right after the model moved on within its turn', () => {
    const before = inPhase('high_level_design', PHASE_BUDGETS.high_level_design.softCandidateTurns, 0);
    const after = { ...before, ...advancePhase(before, 'deep_dive', minutesAfter(15)) };
    const status = describeAt(after, 15);
    expect(status.phase).toBe('deep_dive');
    expect(status.statusText).toBe('This phase has just started. Within budget. You decide when this phase is done: move on with `advance_phase` when its objective is met.');
    expect(status.phaseTimeText).toMatch(/^0\.0 min so far .*Budget: 15-20 guide min, which is 30-40 min here/);
    expect(status.phaseTurnsText).toMatch(/^0 so far\./);
  });

  it('describes the new phase right after the phase machine forced the move, naming the phase left', () => {
    const spent = inPhase('problem_exploration', PHASE_BUDGETS.problem_exploration.hardCandidateTurns, 0);
    const limits = enforceHardLimits(spent, minutesAfter(9), 2);
    expect(limits.forced).toBe('advanced');
    const status = describeAt({ ...spent, ...limits.state }, 9, 2, limits.reason);
    expect(status.phase).toBe('high_level_design');
    expect(status.statusText).toBe(
      `The phase machine has just moved the interview here from problem exploration: turn budget spent (${PHASE_BUDGETS.problem_exploration.hardCandidateTurns} of ${PHASE_BUDGETS.problem_exploration.hardCandidateTurns} candidate turns). Say so briefly and begin this phase.`,
    );
    expect(status.phaseTurnsText).toMatch(/^0 so far\./);
  });

  it('asks for the closing turn once the clock has ended the interview', () => {
    const spent = inPhase('wrap_up', PHASE_BUDGETS.wrap_up.hardCandidateTurns, 50);
    const status = describeAt({ ...spent, ...endInterview(spent, 'clock') }, 55, 2, 'turn budget spent (5 of 5 candidate turns)');
    expect(status.lastExchange).toBe('ended');
    expect(status.statusText).toBe(
      'The interview is over (turn budget spent (5 of 5 candidate turns)). This reply is the closing turn: answer briefly what the candidate just asked, if anything, thank them, and say that the written evaluation follows. Ask no further question.',
    );
  });
});
