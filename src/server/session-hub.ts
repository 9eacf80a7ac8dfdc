import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { InterviewerEngines } from '../agents/interviewer/create-interviewer.ts';
import { AppError } from '../errors.ts';
import { InterviewSession, type SessionEvent } from '../interview/interview-session.ts';
import { PHASE_BUDGETS, type PhaseId } from '../interview/phases.ts';
import type { ProblemCard } from '../problems/problem-card.ts';
import type { SessionStore, StoredSession } from '../store/session-store.ts';
import type { ServerFrame, SessionEventBody } from './protocol.ts';
import { hashToken, newToken, tokenMatches } from './session-tokens.ts';
import { CLOSE_CODES, DEFAULT_SEND_BUFFER_LIMIT, sendFrame } from './socket-send.ts';

export { CLOSE_CODES } from './socket-send.ts';

export interface HubDependencies {
  readonly store: SessionStore;
  readonly problems: ReadonlyMap<string, ProblemCard>;
  readonly engines: InterviewerEngines;
  readonly clock: () => Date;
  readonly clockScale: number;
  readonly maxMessageChars: number;
  readonly logger: Logger;
  /** Called once an interview has ended, to queue its evaluation. */
  readonly onEnded: (sessionId: string) => void;
  readonly random?: () => number;
  /** Unread bytes a connection may leave queued before it is closed (see sendFrame). */
  readonly sendBufferLimit?: number;
  /** Interviews under way at once (MAX_ACTIVE_SESSIONS); a new one past it gets sessions_exhausted. */
  readonly maxActiveSessions?: number;
}

/** A session not written for this long no longer counts as under way (the longest interview, with slack). */
const ACTIVE_WINDOW_MS = 3 * 60 * 60_000;

/** A session that is in memory: its orchestrator, the connection that owns it, and its queue of work. */
interface LiveSession {
  readonly session: InterviewSession;
  socket: WebSocket | null;
  /** Every operation on the session runs after the previous one: messages are applied in order. */
  queue: Promise<void>;
}

/**
 * Owns the live practice sessions: creates them, authenticates access, keeps one connection per session
 * (a new one takes over), and stores every event before sending it.
 */
export class SessionHub {
  readonly #deps: HubDependencies;
  readonly #live = new Map<string, LiveSession>();

  constructor(deps: HubDependencies) {
    this.#deps = deps;
  }

  create(problemId: string | undefined): { sessionId: string; token: string; problem: ProblemCard } {
    const ids = [...this.#deps.problems.keys()];
    const chosen = problemId ?? ids[Math.floor((this.#deps.random ?? Math.random)() * ids.length)];
    const problem = chosen ? this.#deps.problems.get(chosen) : undefined;
    if (!problem) throw new AppError('problem_unknown', `unknown problem "${problemId}"; see GET /v1/problems`);
    const cap = this.#deps.maxActiveSessions;
    if (cap !== undefined && this.#deps.store.countActiveSessions(new Date(this.#deps.clock().getTime() - ACTIVE_WINDOW_MS)) >= cap) {
      throw new AppError('sessions_exhausted', 'the server has as many interviews under way as it takes; retry later');
    }
    const token = newToken();
    const session = InterviewSession.start(this.#sessionDeps(problem), { id: randomUUID() });
    this.#deps.store.createSession({ id: session.state.id, tokenHash: hashToken(token), state: session.state });
    const opening = session.state.turns[0];
    if (opening) this.#deps.store.appendEvent(session.state.id, { type: 'interviewer.message', turn: opening } satisfies SessionEventBody);
    return { sessionId: session.state.id, token, problem };
  }

  /** The stored session if the token is its own; otherwise the error code to answer with. */
  authenticate(sessionId: string, token: string | undefined): StoredSession | { error: 'session_not_found' | 'token_missing' | 'token_invalid' } {
    const stored = this.#deps.store.getSession(sessionId);
    if (!stored) return { error: 'session_not_found' };
    if (!token) return { error: 'token_missing' };
    if (!tokenMatches(token, stored.tokenHash)) return { error: 'token_invalid' };
    return stored;
  }

  /** A phase's hard time budget as the phase machine applies it: scaled by the clock scale. */
  phaseBudgetMinutes(phase: PhaseId): number {
    return PHASE_BUDGETS[phase].hardMinutes * this.#deps.clockScale;
  }

  problemOf(stored: StoredSession): ProblemCard {
    const problem = this.#deps.problems.get(stored.state.problemId);
    if (!problem) throw new AppError('problem_unknown', `the session's problem "${stored.state.problemId}" is no longer in the problem bank`);
    return problem;
  }

  /**
   * The session's orchestrator, loading it into memory if needed. A session loaded from the store (after
   * a restart) first gets the events a crash kept from being stored; see #recover.
   */
  resume(stored: StoredSession): InterviewSession {
    return this.#load(stored).session;
  }

  /** Makes `socket` the session's connection; an earlier connection is closed with a reason. */
  attach(stored: StoredSession, socket: WebSocket): InterviewSession {
    const live = this.#load(stored);
    if (live.socket && live.socket !== socket) live.socket.close(CLOSE_CODES.takenOver, 'taken over by another connection');
    live.socket = socket;
    return live.session;
  }

  /**
   * Forgets a connection. Once its queued work is done, a session nobody is connected to leaves memory:
   * everything is in the store, and the next connection loads it again.
   */
  detach(sessionId: string, socket: WebSocket): void {
    const live = this.#live.get(sessionId);
    if (live?.socket !== socket) return;
    live.socket = null;
    const queued = live.queue;
    void queued.then(() => {
      if (live.socket === null && live.queue === queued && this.#live.get(sessionId) === live) this.#live.delete(sessionId);
    });
  }

  /** How many sessions are in memory (for tests and monitoring). */
  get liveSessions(): number {
    return this.#live.size;
  }

  /** Stores an event, then sends it to the session's connection if there is one. */
  publish(sessionId: string, body: SessionEventBody): number {
    const seq = this.#deps.store.appendEvent(sessionId, body);
    const socket = this.#live.get(sessionId)?.socket;
    if (socket && sendFrame(socket, { ...body, seq } as ServerFrame, this.#deps.sendBufferLimit ?? DEFAULT_SEND_BUFFER_LIMIT) === 'slow') this.#deps.logger.warn({ sessionId }, 'closed a websocket client that does not read its frames');
    return seq;
  }

  /** Queues work on a session after everything queued before it. Errors are the caller's to handle. */
  enqueue(sessionId: string, work: (session: InterviewSession) => Promise<void>): Promise<void> {
    const live = this.#live.get(sessionId);
    if (!live) return Promise.reject(new AppError('session_not_found', `session ${sessionId} is not loaded`));
    const run = live.queue.then(() => work(live.session));
    live.queue = run.catch(() => undefined);
    return run;
  }

  /** An emitter for session events that stores and sends each, and reacts to the end of the interview. */
  emitterFor(sessionId: string, clientMsgId?: string): (event: SessionEvent) => void {
    return (event) => {
      if (event.type === 'phase') this.publish(sessionId, { ...event, phaseBudgetMinutes: this.phaseBudgetMinutes(event.phase) });
      else this.publish(sessionId, event.type === 'candidate.message' && clientMsgId ? { ...event, clientMsgId } : event);
      if (event.type === 'ended') this.#deps.onEnded(sessionId);
    };
  }

  /**
   * Tells every client attached to a session the server is going away (with the session's latest seq),
   * and starts closing their connections (1001). Returns the sockets it closed.
   */
  closeAll(reason: string): Set<WebSocket> {
    const closed = new Set<WebSocket>();
    for (const [sessionId, live] of this.#live) {
      if (!live.socket) continue;
      goAway(live.socket, this.#deps.store.lastSeq(sessionId), reason);
      closed.add(live.socket);
      live.socket = null;
    }
    return closed;
  }

  /** Waits for the work queued on every session (used by graceful shutdown). */
  async drain(): Promise<void> {
    await Promise.all([...this.#live.values()].map((live) => live.queue));
  }

  #load(stored: StoredSession): LiveSession {
    let live = this.#live.get(stored.id);
    if (!live) {
      const session = new InterviewSession(stored.state, this.#sessionDeps(this.problemOf(stored)));
      // Recovered before it is live, so a failure leaves nothing half-loaded: the next attempt recovers again.
      this.#recover(stored);
      live = { session, socket: null, queue: Promise.resolve() };
      this.#live.set(stored.id, live);
    }
    return live;
  }

  /**
   * A state is saved before the events that follow from it are stored, so a crash (kill -9) in between
   * leaves turns without their event: the client never sees its message acknowledged (and keeps it
   * pending), or an interview ended without an `ended` event and without its evaluation queued. This
   * stores the missing events, before any connection is attached, and queues the evaluation.
   */
  #recover(stored: StoredSession): void {
    const { store } = this.#deps;
    const { id, state } = stored;
    const publishedTurns = new Set<number>();
    // Turns whose streamed deltas were neither finished by their message nor voided by a reset.
    const openStreams = new Set<number>();
    let endedPublished = false;
    for (const { body } of store.eventsAfter(id, 0)) {
      const event = body as { type?: unknown; turn?: { id?: unknown }; turnId?: unknown };
      if ((event.type === 'candidate.message' || event.type === 'interviewer.message') && typeof event.turn?.id === 'number') publishedTurns.add(event.turn.id);
      if (event.type === 'interviewer.message' && typeof event.turn?.id === 'number') openStreams.delete(event.turn.id);
      if (event.type === 'interviewer.delta' && typeof event.turnId === 'number') openStreams.add(event.turnId);
      if (event.type === 'interviewer.reset' && typeof event.turnId === 'number') openStreams.delete(event.turnId);
      if (event.type === 'ended') endedPublished = true;
    }
    // A crash mid-reply left a broken stream; the reply is written again from its start under the same
    // turn id, so without a reset a client (live or replaying) would join the two streams into one text.
    const committedTurns = new Set(state.turns.map((turn) => turn.id));
    for (const turnId of openStreams) {
      if (!committedTurns.has(turnId)) this.publish(id, { type: 'interviewer.reset', turnId, reason: 'the server restarted mid-reply; the reply is written again' });
    }
    for (const turn of state.turns) {
      if (publishedTurns.has(turn.id)) continue;
      if (turn.role === 'candidate') {
        const clientMsgId = store.clientMessageForTurn(id, turn.id);
        this.publish(id, { type: 'candidate.message', turn, ...(clientMsgId ? { clientMsgId } : {}) });
      } else {
        this.publish(id, { type: 'interviewer.message', turn });
      }
    }
    if (state.ended && !endedPublished) this.publish(id, { type: 'ended', reason: state.endReason ?? 'completed' });
    if (state.ended && store.evaluationStatus(id) === 'none') this.#deps.onEnded(id);
  }

  #sessionDeps(problem: ProblemCard) {
    const { store, engines, clock, clockScale, maxMessageChars, logger } = this.#deps;
    return { problem, engine: engines.engine, fallback: engines.fallback, clock, clockScale, maxMessageChars, logger, persist: (state: Parameters<SessionStore['saveState']>[0], clientMsgId?: string) => store.saveState(state, clientMsgId) };
  }
}

/** The server_shutting_down frame, then a close with 1001; the frame goes out even past the send-buffer limit. */
export function goAway(socket: WebSocket, seq: number, reason: string): void {
  if (socket.readyState !== socket.OPEN) return;
  socket.send(JSON.stringify({ type: 'error', seq, code: 'server_shutting_down', message: reason } satisfies ServerFrame));
  socket.close(CLOSE_CODES.goingAway, reason);
}
