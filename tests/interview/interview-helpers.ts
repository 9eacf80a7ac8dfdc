import { createLogger } from '../../src/logger.ts';
import type { EngineInput, EngineTurn, InterviewerEngine } from '../../src/interview/engine.ts';
import { InterviewSession, type SessionDependencies, type SessionEvent } from '../../src/interview/interview-session.ts';
import type { InterviewState } from '../../src/interview/interview-state.ts';
import { OfflineInterviewer } from '../../src/offline/offline-interviewer.ts';
import type { ProblemCard } from '../../src/problems/problem-card.ts';
import { loadResources, type Resources } from '../../src/resources.ts';

/** Shared set-up for the interview, offline and interviewer-agent tests: the real bank, prompts and guide. */

let cached: Resources | undefined;

/** The project's prompts, guide, problem bank and concept list, read once per test file. */
export function resources(): Resources {
  cached ??= loadResources();
  return cached;
}

export function problem(id: string): ProblemCard {
  const card = resources().problems.get(id);
  if (!card) throw new Error(`no problem ${id} in the bank`);
  return card;
}

export const START = new Date('2025-03-01T09:00:00.000Z');

/** A clock that moves `stepSeconds` forward on every read, so every turn has its own time and nothing reads the real clock. */
export function steppingClock(stepSeconds = 30, start: Date = START): { clock: () => Date; reads: () => number } {
  let reads = 0;
  return {
    clock: () => new Date(start.getTime() + reads++ * stepSeconds * 1000),
    reads: () => reads,
  };
}

/** A clock the test moves by hand. */
export function manualClock(start: Date = START): { clock: () => Date; advanceMinutes: (minutes: number) => void } {
  let now = start.getTime();
  return {
    clock: () => new Date(now),
    advanceMinutes: (minutes) => {
      now += minutes * 60_000;
    },
  };
}

export const silentLogger = createLogger('silent');

export function offlineEngine(): OfflineInterviewer {
  return new OfflineInterviewer(resources().concepts);
}

export interface SessionHarness {
  readonly session: InterviewSession;
  readonly events: SessionEvent[];
  /** Every state the session asked to persist, in order. */
  readonly persisted: InterviewState[];
  readonly emit: (event: SessionEvent) => void;
  says(text: string): Promise<void>;
}

/** A session over `card` with the offline engine (or `engine`) and the offline fallback, recording events and persisted states. */
export function startSession(
  card: ProblemCard,
  options: { engine?: InterviewerEngine; clock?: () => Date; clockScale?: number; maxMessageChars?: number; state?: InterviewState } = {},
): SessionHarness {
  const events: SessionEvent[] = [];
  const persisted: InterviewState[] = [];
  const fallback = offlineEngine();
  const deps: SessionDependencies = {
    problem: card,
    engine: options.engine ?? fallback,
    fallback,
    clock: options.clock ?? steppingClock().clock,
    clockScale: options.clockScale ?? 2,
    maxMessageChars: options.maxMessageChars ?? 8000,
    logger: silentLogger,
    persist: (state) => {
      persisted.push(state);
    },
  };
  const session = options.state ? new InterviewSession(options.state, deps) : InterviewSession.start(deps, { id: 'test-interview' });
  const emit = (event: SessionEvent) => {
    events.push(event);
  };
  return { session, events, persisted, emit, says: (text) => session.candidateSays(text, emit) };
}

/** An engine whose every turn the test scripts, recording what it was given. */
export class ScriptedEngine implements InterviewerEngine {
  readonly name: string;
  readonly inputs: EngineInput[] = [];
  readonly #turn: (input: EngineInput, onDelta: (text: string) => void) => Promise<EngineTurn> | EngineTurn;

  constructor(name: string, turn: (input: EngineInput, onDelta: (text: string) => void) => Promise<EngineTurn> | EngineTurn) {
    this.name = name;
    this.#turn = turn;
  }

  async nextTurn(input: EngineInput, onDelta: (text: string) => void): Promise<EngineTurn> {
    this.inputs.push(input);
    return this.#turn(input, onDelta);
  }
}
