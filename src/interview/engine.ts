import type { InterviewerFlag, InterviewerNote, InterviewState, OfflineMemory } from './interview-state.ts';
import type { BudgetCheck } from './phase-machine.ts';
import type { PhaseId } from './phases.ts';
import type { ProblemCard } from '../problems/problem-card.ts';
import type { Usage } from '../llm/model.ts';

/** Something an interviewer engine wants done besides speaking. The session applies each through the phase machine. */
export type InterviewerAction =
  | { readonly type: 'reveal-fact'; readonly factId: string }
  | { readonly type: 'note-evidence'; readonly note: InterviewerNote }
  | { readonly type: 'flag-integrity'; readonly flag: InterviewerFlag }
  | { readonly type: 'advance-phase'; readonly to: PhaseId; readonly reason: string }
  | { readonly type: 'end-interview'; readonly reason: string };

/** What an engine is given to write the interviewer's next turn. */
export interface EngineInput {
  /**
   * The interview so far, including the candidate's latest turn; phase already moved if a hard limit forced it.
   * When `state.ended` is set the clock has just ended the interview: the engine writes only the closing turn.
   */
  readonly state: InterviewState;
  readonly problem: ProblemCard;
  readonly now: Date;
  readonly budget: BudgetCheck;
  /** Set when the phase machine forced a move on this turn, so the engine can say so. */
  readonly forcedTransition: string | null;
  readonly signal?: AbortSignal;
}

/** The interviewer's next turn as an engine wrote it. */
export interface EngineTurn {
  readonly text: string;
  /** Applied in order; the LLM engine has already validated them during its tool loop. */
  readonly actions: readonly InterviewerAction[];
  readonly engine: string;
  readonly model?: string;
  readonly usage?: Usage;
  readonly promptVersions: Readonly<Record<string, string>>;
  /** The offline engine's updated memory; other engines leave it unchanged. */
  readonly offlineMemory?: OfflineMemory;
}

/** An interviewer: offline or LLM-backed. `onDelta` receives the reply as it streams. */
export interface InterviewerEngine {
  readonly name: string;
  nextTurn(input: EngineInput, onDelta: (text: string) => void): Promise<EngineTurn>;
}
