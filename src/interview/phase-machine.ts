import { PhaseTransitionError } from '../errors.ts';
import { PHASE_BUDGETS, nextPhase, type PhaseId } from './phases.ts';

/** Why an interview ended. */
export type EndReason = 'completed' | 'candidate_ended' | 'time_up';

/** The phase machine's whole state: a plain value, part of the stored interview. */
export interface PhaseState {
  readonly phase: PhaseId;
  /** ISO time the current phase started. */
  readonly phaseStartedAt: string;
  readonly candidateTurnsInPhase: number;
  readonly ended: boolean;
  readonly endReason?: EndReason | undefined;
}

/** How much of the current phase's budget is used. `hard` means the machine moves on by itself. */
export interface BudgetCheck {
  readonly status: 'ok' | 'soft' | 'hard';
  readonly elapsedMinutes: number;
  /** The phase's hard time budget after scaling, in minutes. */
  readonly budgetMinutes: number;
  /** The clock scale the check used: wall-clock minutes per guide minute. */
  readonly clockScale: number;
  readonly reason: string;
}

export function startPhases(now: Date): PhaseState {
  return { phase: 'problem_exploration', phaseStartedAt: now.toISOString(), candidateTurnsInPhase: 0, ended: false };
}

/** Time and turn use of the current phase. `clockScale` stretches time budgets (a typed chat is slower than speech). */
export function checkBudget(state: PhaseState, now: Date, clockScale: number): BudgetCheck {
  const budget = PHASE_BUDGETS[state.phase];
  const elapsedMinutes = Math.max(0, (now.getTime() - Date.parse(state.phaseStartedAt)) / 60_000);
  const hardMinutes = budget.hardMinutes * clockScale;
  const softMinutes = budget.softMinutes * clockScale;
  const turns = state.candidateTurnsInPhase;
  const base = { elapsedMinutes, budgetMinutes: hardMinutes, clockScale };
  if (turns >= budget.hardCandidateTurns) return { ...base, status: 'hard', reason: `turn budget spent (${turns} of ${budget.hardCandidateTurns} candidate turns)` };
  if (elapsedMinutes >= hardMinutes) return { ...base, status: 'hard', reason: `time budget spent (${elapsedMinutes.toFixed(1)} of ${hardMinutes} min)` };
  if (turns >= budget.softCandidateTurns) return { ...base, status: 'soft', reason: `near the turn budget (${turns} of ${budget.hardCandidateTurns} candidate turns): move on soon` };
  if (elapsedMinutes >= softMinutes) return { ...base, status: 'soft', reason: `near the time budget (${elapsedMinutes.toFixed(1)} of ${hardMinutes} min): move on soon` };
  return { ...base, status: 'ok', reason: 'within budget' };
}

export function recordCandidateTurn(state: PhaseState): PhaseState {
  if (state.ended) throw new PhaseTransitionError('the interview has ended');
  return { ...state, candidateTurnsInPhase: state.candidateTurnsInPhase + 1 };
}

/**
 * Moves to the next phase. Phases only move forward, one at a time, and not before the candidate has
 * spoken in the current one (otherwise a model could skip a phase without assessing it).
 */
export function advancePhase(state: PhaseState, to: PhaseId, now: Date): PhaseState {
  if (state.ended) throw new PhaseTransitionError('the interview has ended; no phase can start');
  const next = nextPhase(state.phase);
  if (next === null) throw new PhaseTransitionError(`${state.phase} is the last phase; end the interview instead`);
  if (to !== next) throw new PhaseTransitionError(`cannot move from ${state.phase} to ${to}: the next phase is ${next}`);
  if (state.candidateTurnsInPhase === 0) throw new PhaseTransitionError(`cannot leave ${state.phase} before the candidate has answered in it`);
  return { phase: next, phaseStartedAt: now.toISOString(), candidateTurnsInPhase: 0, ended: false };
}

/** Ends the interview. The interviewer may end it only in the wrap-up; the candidate and the clock any time. */
export function endInterview(state: PhaseState, by: 'interviewer' | 'candidate' | 'clock'): PhaseState {
  if (state.ended) throw new PhaseTransitionError('the interview has already ended');
  if (by === 'interviewer' && state.phase !== 'wrap_up') throw new PhaseTransitionError(`the interviewer can end the interview only in wrap_up, not in ${state.phase}`);
  const endReason: EndReason = by === 'candidate' ? 'candidate_ended' : by === 'clock' ? 'time_up' : 'completed';
  return { ...state, ended: true, endReason };
}

/**
 * Applies the hard limits after a candidate turn: a spent budget forces the move to the next phase,
 * or the end of the interview after the wrap-up. Returns the state unchanged when within budget.
 */
export function enforceHardLimits(state: PhaseState, now: Date, clockScale: number): { state: PhaseState; forced: 'advanced' | 'ended' | null; reason: string } {
  if (state.ended) return { state, forced: null, reason: 'ended' };
  const check = checkBudget(state, now, clockScale);
  if (check.status !== 'hard') return { state, forced: null, reason: check.reason };
  const next = nextPhase(state.phase);
  if (next === null) return { state: endInterview(state, 'clock'), forced: 'ended', reason: check.reason };
  return { state: { phase: next, phaseStartedAt: now.toISOString(), candidateTurnsInPhase: 0, ended: false }, forced: 'advanced', reason: check.reason };
}
