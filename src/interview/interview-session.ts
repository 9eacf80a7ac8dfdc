import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError, InterviewEndedError } from '../errors.ts';
import { PHRASES } from '../offline/phrases.ts';
import type { ProblemCard } from '../problems/problem-card.ts';
import type { CandidateInfo, Turn } from '../transcript/transcript.ts';
import { applyAction } from './apply-action.ts';
import type { EngineInput, EngineTurn, InterviewerEngine } from './engine.ts';
import { INTERVIEW_SCHEMA_VERSION, type InterviewState, type TurnMeta } from './interview-state.ts';
import { checkBudget, endInterview, enforceHardLimits, recordCandidateTurn, startPhases } from './phase-machine.ts';
import { GUIDE_INTERVIEW_MINUTES, type PhaseId } from './phases.ts';
import { sanitizeCandidateText } from './sanitize-message.ts';

/** What happens in an interview, in order. The websocket sends these as frames; the terminal prints them. */
export type SessionEvent =
  | { readonly type: 'candidate.message'; readonly turn: Turn }
  | { readonly type: 'interviewer.delta'; readonly turnId: number; readonly text: string }
  /** The streamed text of this turn so far is void: the provider broke off and another engine starts the turn again. */
  | { readonly type: 'interviewer.reset'; readonly turnId: number; readonly reason: string }
  | { readonly type: 'interviewer.message'; readonly turn: Turn }
  | { readonly type: 'phase'; readonly phase: PhaseId; readonly previous: PhaseId; readonly reason: string; readonly phaseStartedAt: string }
  | { readonly type: 'ended'; readonly reason: NonNullable<InterviewState['endReason']> };

export interface SessionDependencies {
  readonly problem: ProblemCard;
  readonly engine: InterviewerEngine;
  /** Writes the turn when `engine` fails, so the interview goes on and the candidate's turn is not lost. */
  readonly fallback: InterviewerEngine;
  readonly clock: () => Date;
  readonly clockScale: number;
  readonly maxMessageChars: number;
  readonly logger: Logger;
  /** Called with every new state before the events that follow from it are emitted (write-ahead). */
  readonly persist?: (state: InterviewState, clientMsgId?: string) => Promise<void> | void;
}

/**
 * The session orchestrator: takes candidate messages, runs them through the phase machine and an
 * interviewer engine, and emits events. Each step lives in its own module; this only wires them.
 */
export class InterviewSession {
  #state: InterviewState;
  readonly #deps: SessionDependencies;
  #busy = false;

  constructor(state: InterviewState, deps: SessionDependencies) {
    this.#state = state;
    this.#deps = deps;
  }

  /** A new interview, already opened by the interviewer with the problem's ambiguous prompt. */
  static start(deps: SessionDependencies, options: { id?: string; candidate?: CandidateInfo } = {}): InterviewSession {
    const now = deps.clock();
    const candidate = options.candidate ?? {};
    const state: InterviewState = {
      schemaVersion: INTERVIEW_SCHEMA_VERSION,
      id: options.id ?? randomUUID(),
      problemId: deps.problem.id,
      candidate,
      startedAt: now.toISOString(),
      ...startPhases(now),
      turns: [{ id: 1, role: 'interviewer', phase: 'problem_exploration', text: PHRASES.opening(candidate.name ? ` ${candidate.name}` : '', deps.problem.opening, interviewLength(deps.clockScale)), at: now.toISOString(), engine: 'template' }],
      revealedFacts: [],
      notes: [],
      integrityFlags: [],
      turnMeta: [{ turnId: 1, engine: 'template', promptVersions: {} }],
      offline: { probedConcepts: [], askedProbes: [], deepDiveAreas: [], constraintChanges: [], wrapUpStep: 0, unansweredQuestions: 0 },
    };
    return new InterviewSession(state, deps);
  }

  get state(): InterviewState {
    return this.#state;
  }

  get ended(): boolean {
    return this.#state.ended;
  }

  /** Whether the last turn is the candidate's and still waits for a reply (after a crash mid-turn). */
  get awaitingReply(): boolean {
    return !this.#state.ended && this.#state.turns.at(-1)?.role === 'candidate';
  }

  /**
   * Takes one candidate message and produces the interviewer's reply. Bad input is rejected before
   * anything changes; the message is stored (with `clientMsgId`) before any engine is called.
   */
  async candidateSays(rawText: string, emit: (event: SessionEvent) => void, options: { clientMsgId?: string } = {}): Promise<void> {
    if (this.#state.ended) throw new InterviewEndedError();
    if (this.#busy) throw new AppError('turn_in_progress', 'the interviewer is still answering the previous message');
    const text = sanitizeCandidateText(rawText, this.#deps.maxMessageChars);
    this.#busy = true;
    try {
      const now = this.#deps.clock();
      const candidateTurn: Turn = { id: this.#state.turns.length + 1, role: 'candidate', phase: this.#state.phase, text, at: now.toISOString() };
      const state: InterviewState = { ...this.#state, ...recordCandidateTurn(this.#state), turns: [...this.#state.turns, candidateTurn] };
      // Write-ahead: the candidate's words are stored before any engine or provider is called.
      await this.#commit(state, options.clientMsgId);
      emit({ type: 'candidate.message', turn: candidateTurn });
      await this.#reply(emit);
    } finally {
      this.#busy = false;
    }
  }

  /** Writes the reply a crash interrupted: the candidate's last turn was stored but never answered. */
  async replyToPending(emit: (event: SessionEvent) => void): Promise<void> {
    if (!this.awaitingReply || this.#busy) return;
    this.#busy = true;
    try {
      await this.#reply(emit);
    } finally {
      this.#busy = false;
    }
  }

  async #reply(emit: (event: SessionEvent) => void): Promise<void> {
    const now = this.#deps.clock();
    let state = this.#state;
    const previous = state.phase;
    const limits = enforceHardLimits(state, now, this.#deps.clockScale);
    state = { ...state, ...limits.state };
    // When the clock ends the interview the engine still writes the closing turn, so a question the candidate
    // just asked is answered; the offline engine's fixed closing is the fallback when the model fails.
    if (limits.forced === 'ended') state = { ...state, endedAt: now.toISOString() };
    if (limits.forced === 'advanced') emit({ type: 'phase', phase: state.phase, previous, reason: limits.reason, phaseStartedAt: state.phaseStartedAt });

    const input: EngineInput = { state, problem: this.#deps.problem, now, budget: checkBudget(state, now, this.#deps.clockScale), forcedTransition: limits.forced ? limits.reason : null };
    const turnId = state.turns.length + 1;
    const started = Date.now();
    let streamed = false;
    const reply = await this.#runEngine(
      input,
      (delta) => {
        streamed = true;
        emit({ type: 'interviewer.delta', turnId, text: delta });
      },
      () => {
        if (streamed) emit({ type: 'interviewer.reset', turnId, reason: 'the model\'s reply broke off; the offline interviewer answers instead' });
        streamed = false;
      },
    );

    const phaseBefore = state.phase;
    for (const action of reply.turn.actions) {
      const outcome = applyAction(state, action, this.#deps.problem, now, turnId);
      if (!outcome.ok) this.#deps.logger.warn({ engine: reply.turn.engine, action: action.type, result: outcome.result }, 'interviewer action refused');
      state = outcome.state;
    }
    if (reply.turn.offlineMemory) state = { ...state, offline: reply.turn.offlineMemory };
    if (state.phase !== phaseBefore) emit({ type: 'phase', phase: state.phase, previous: phaseBefore, reason: 'the interviewer moved on', phaseStartedAt: state.phaseStartedAt });
    const meta: TurnMeta = {
      turnId,
      engine: reply.turn.engine,
      promptVersions: { ...reply.turn.promptVersions },
      latencyMs: Date.now() - started,
      ...(reply.turn.model ? { model: reply.turn.model } : {}),
      ...(reply.turn.usage ? { usage: reply.turn.usage } : {}),
      ...(reply.fallbackFrom ? { fallbackFrom: reply.fallbackFrom } : {}),
    };
    await this.#finish(state, reply.turn.text, meta, emit, state.phase);
  }

  /** The candidate ends the interview early. Idempotent. */
  async endByCandidate(emit: (event: SessionEvent) => void): Promise<void> {
    if (this.#state.ended) return;
    const state: InterviewState = { ...this.#state, ...endInterview(this.#state, 'candidate'), endedAt: this.#deps.clock().toISOString() };
    await this.#commit(state);
    emit({ type: 'ended', reason: 'candidate_ended' });
  }

  async #runEngine(input: EngineInput, onDelta: (text: string) => void, onFallback: () => void): Promise<{ turn: EngineTurn; fallbackFrom?: string }> {
    try {
      return { turn: await this.#deps.engine.nextTurn(input, onDelta) };
    } catch (error) {
      if (this.#deps.engine === this.#deps.fallback) throw error;
      // The provider failed: the offline engine writes this turn so the interview goes on.
      this.#deps.logger.warn({ err: error, engine: this.#deps.engine.name }, 'interviewer engine failed; the offline engine answers this turn');
      onFallback();
      return { turn: await this.#deps.fallback.nextTurn(input, onDelta), fallbackFrom: this.#deps.engine.name };
    }
  }

  async #finish(state: InterviewState, text: string, meta: TurnMeta, emit: (event: SessionEvent) => void, phase: PhaseId): Promise<void> {
    const now = this.#deps.clock().toISOString();
    const turn: Turn = { id: state.turns.length + 1, role: 'interviewer', phase, text, at: now, engine: meta.engine };
    const next: InterviewState = {
      ...state,
      turns: [...state.turns, turn],
      turnMeta: [...state.turnMeta, { ...meta, turnId: turn.id }],
      ...(state.ended && !state.endedAt ? { endedAt: now } : {}),
    };
    await this.#commit(next);
    emit({ type: 'interviewer.message', turn });
    if (next.ended && next.endReason) emit({ type: 'ended', reason: next.endReason });
  }

  async #commit(state: InterviewState, clientMsgId?: string): Promise<void> {
    await this.#deps.persist?.(state, clientMsgId);
    this.#state = state;
  }
}

/** The interview's expected length as the candidate is told it: the guide's 45-60 minutes, on this clock. */
function interviewLength(clockScale: number): string {
  const [min, max] = [GUIDE_INTERVIEW_MINUTES.min * clockScale, GUIDE_INTERVIEW_MINUTES.max * clockScale].map((minutes) => Math.round(minutes));
  return clockScale > 1 ? `${min}-${max} minutes (typing takes longer than talking)` : `${min}-${max} minutes`;
}
