import { z } from 'zod';

/** The five interview phases, in the only order they may run. */
export const PhaseId = z.enum(['problem_exploration', 'high_level_design', 'deep_dive', 'tradeoffs', 'wrap_up']);
export type PhaseId = z.infer<typeof PhaseId>;

export const PHASE_ORDER: readonly PhaseId[] = PhaseId.options;

/** Time and turn budgets of one phase. Soft limits nudge the interviewer; hard limits force the move. */
export interface PhaseBudget {
  readonly title: string;
  /** Minutes at which the interviewer is told to start wrapping the phase up. */
  readonly softMinutes: number;
  /** Minutes after which the phase machine moves on by itself. */
  readonly hardMinutes: number;
  /** Candidate turns after which the interviewer is told to move on. */
  readonly softCandidateTurns: number;
  /** Candidate turns after which the phase machine moves on by itself. */
  readonly hardCandidateTurns: number;
}

// Minutes follow the guide's timings (references/interviewer-guide.md, "The five phases"), in guide
// minutes: the clock scale stretches them for a typed chat. Turn budgets are sized so the interviewer,
// not a counter, normally decides when a phase is done: the soft limit is where it should start steering
// on, the hard limit a backstop the phase machine enforces. The deep dive must hold two or three areas of
// two or three probes each (up to nine exchanges) plus a clarifying question or two, so it gets 10/14;
// exploration is answered one fact per question, so it needs room for six or seven questions.
export const PHASE_BUDGETS: Readonly<Record<PhaseId, PhaseBudget>> = {
  problem_exploration: { title: 'Problem exploration', softMinutes: 8, hardMinutes: 10, softCandidateTurns: 7, hardCandidateTurns: 10 },
  high_level_design: { title: 'High-level design', softMinutes: 10, hardMinutes: 12, softCandidateTurns: 6, hardCandidateTurns: 9 },
  deep_dive: { title: 'Deep dive', softMinutes: 15, hardMinutes: 20, softCandidateTurns: 10, hardCandidateTurns: 14 },
  tradeoffs: { title: 'Trade-offs and alternatives', softMinutes: 8, hardMinutes: 10, softCandidateTurns: 5, hardCandidateTurns: 8 },
  wrap_up: { title: 'Wrap-up', softMinutes: 5, hardMinutes: 6, softCandidateTurns: 3, hardCandidateTurns: 5 },
};

/** The guide's length of a whole interview, in guide minutes. */
export const GUIDE_INTERVIEW_MINUTES = { min: 45, max: 60 } as const;

export function nextPhase(phase: PhaseId): PhaseId | null {
  const index = PHASE_ORDER.indexOf(phase);
  return PHASE_ORDER[index + 1] ?? null;
}
