import { checkBudget, type BudgetCheck, type PhaseState } from './phase-machine.ts';
import { GUIDE_INTERVIEW_MINUTES, PHASE_BUDGETS, PHASE_ORDER, nextPhase, type PhaseId } from './phases.ts';

/** What the interviewer is told about time and turns on one turn: the figures, and what they mean for its next move. */
export interface BudgetStatus {
  readonly phase: PhaseId;
  readonly check: BudgetCheck;
  /**
   * Whether the exchange now starting is the last: `phase` when the candidate's next message spends the
   * phase's budget (the phase machine then moves on before the interviewer's next reply), `interview` when
   * it ends the interview, `ended` when the interview is already over and this reply is the closing turn.
   */
  readonly lastExchange: 'no' | 'phase' | 'interview' | 'ended';
  /** How scaled time relates to the guide's minutes. */
  readonly clockText: string;
  /** Time used and budgeted in this phase, wall-clock and in guide minutes. */
  readonly phaseTimeText: string;
  /** Candidate turns used and budgeted in this phase. */
  readonly phaseTurnsText: string;
  /** Time used in the whole interview against the guide's 45-60 minutes. */
  readonly totalTimeText: string;
  /** What the figures mean for this reply. */
  readonly statusText: string;
}

export interface BudgetStatusInput {
  readonly state: PhaseState & { readonly startedAt: string };
  readonly now: Date;
  readonly clockScale: number;
  /** Why the phase machine moved the interview on (or ended it) before this reply; null when it did not. */
  readonly forcedTransition: string | null;
}

/**
 * Describes the budgets of the current phase for the interviewer. Pure: computed from the state as it is
 * now, so it is right on the first turn of a phase and right after a move within a turn.
 */
export function describeBudget(input: BudgetStatusInput): BudgetStatus {
  const { state, now, clockScale } = input;
  const budget = PHASE_BUDGETS[state.phase];
  const check = checkBudget(state, now, clockScale);
  const turns = state.candidateTurnsInPhase;
  const remainingMinutes = budget.hardMinutes * clockScale - check.elapsedMinutes;
  const totalMinutes = Math.max(0, (now.getTime() - Date.parse(state.startedAt)) / 60_000);
  const next = nextPhase(state.phase);
  // A typed reply takes more than a guide minute of wall-clock time: with less left, the phase will be spent
  // by the time the candidate's next message arrives.
  const nextSpendsPhase = turns + 1 >= budget.hardCandidateTurns || remainingMinutes <= clockScale;
  const lastExchange: BudgetStatus['lastExchange'] = state.ended ? 'ended' : nextSpendsPhase ? (next === null ? 'interview' : 'phase') : 'no';

  const clockText =
    clockScale === 1
      ? 'The clock runs at the guide\'s pace: one guide minute is one minute here.'
      : `The guide's minutes are for a spoken interview. A typed chat is slower, so this interview's clock runs ${formatNumber(clockScale)} times slower: one guide minute is ${formatNumber(clockScale)} minutes of wall-clock time here. Pace the interview by the wall-clock figures; when you tell the candidate how much time is left, use wall-clock minutes.`;
  const phaseTimeText = `${formatMinutes(check.elapsedMinutes)} min so far (${formatMinutes(check.elapsedMinutes / clockScale)} guide min). Budget: ${formatNumber(budget.softMinutes)}-${formatNumber(budget.hardMinutes)} guide min, which is ${formatNumber(budget.softMinutes * clockScale)}-${formatNumber(budget.hardMinutes * clockScale)} min here: start steering to the next step at ${formatNumber(budget.softMinutes * clockScale)} min; at ${formatNumber(budget.hardMinutes * clockScale)} min the phase machine moves on by itself.`;
  const phaseTurnsText = `${turns} so far. Budget: start steering on after ${budget.softCandidateTurns}; after the candidate's ${ordinal(budget.hardCandidateTurns)} message in this phase the phase machine ${next === null ? 'ends the interview' : 'moves on'} by itself.`;
  const totalTimeText = `${formatMinutes(totalMinutes)} min (${formatMinutes(totalMinutes / clockScale)} guide min) of a ${GUIDE_INTERVIEW_MINUTES.min}-${GUIDE_INTERVIEW_MINUTES.max} guide-minute interview (${formatNumber(GUIDE_INTERVIEW_MINUTES.min * clockScale)}-${formatNumber(GUIDE_INTERVIEW_MINUTES.max * clockScale)} min here). This is phase ${PHASE_ORDER.indexOf(state.phase) + 1} of ${PHASE_ORDER.length}.`;

  return { phase: state.phase, check, lastExchange, clockText, phaseTimeText, phaseTurnsText, totalTimeText, statusText: statusText(input, check, lastExchange, next) };
}

function statusText(input: BudgetStatusInput, check: BudgetCheck, lastExchange: BudgetStatus['lastExchange'], next: PhaseId | null): string {
  const { state, forcedTransition } = input;
  if (lastExchange === 'ended') {
    return `The interview is over${forcedTransition ? ` (${forcedTransition})` : ''}. This reply is the closing turn: answer briefly what the candidate just asked, if anything, thank them, and say that the written evaluation follows. Ask no further question.`;
  }
  const parts: string[] = [];
  if (forcedTransition) {
    const previous = PHASE_ORDER[PHASE_ORDER.indexOf(state.phase) - 1];
    parts.push(`The phase machine has just moved the interview here${previous ? ` from ${PHASE_BUDGETS[previous].title.toLowerCase()}` : ''}: ${forcedTransition}. Say so briefly and begin this phase.`);
  } else if (state.candidateTurnsInPhase === 0) {
    parts.push('This phase has just started.');
  }
  if (lastExchange === 'interview') {
    parts.push('The candidate\'s next message is the last of the interview: after it the interview ends and your next reply is only the closing turn. If you have not yet asked what questions they have for you, ask now.');
  } else if (lastExchange === 'phase' && next !== null) {
    parts.push(`This is your last reply in this phase: after the candidate's next message the phase machine moves to ${PHASE_BUDGETS[next].title.toLowerCase()} before you reply again. Ask the question that best closes the current thread, or move on now with \`advance_phase\`.`);
  } else if (check.status === 'soft') {
    parts.push(`Time to steer on: ${check.reason.replace(/: move on soon$/, '')}. Close the current thread and move on with \`advance_phase\` within the next turn or two.`);
  } else if (!forcedTransition) {
    parts.push('Within budget. You decide when this phase is done: move on with `advance_phase` when its objective is met.');
  }
  return parts.join(' ');
}

function formatMinutes(minutes: number): string {
  return minutes.toFixed(1);
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function ordinal(value: number): string {
  const suffix = value % 100 >= 11 && value % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[value % 10] ?? 'th';
  return `${value}${suffix}`;
}
