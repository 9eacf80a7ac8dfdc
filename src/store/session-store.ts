import type { InterviewState } from '../interview/interview-state.ts';
import type { Scorecard } from '../evaluator/scorecard.ts';
import type { Transcript } from '../transcript/transcript.ts';

/** A stored session event: its per-session sequence number and its body (a protocol event). */
export interface StoredEvent {
  readonly seq: number;
  readonly body: unknown;
}

export interface StoredSession {
  readonly id: string;
  readonly tokenHash: string;
  readonly state: InterviewState;
  readonly createdAt: string;
}

/** An evaluation job: runs once per session, survives restarts, retries with backoff. */
export interface EvaluationJob {
  readonly sessionId: string;
  readonly attempts: number;
}

export interface StoredScorecard {
  readonly scorecard: Scorecard;
  readonly gradedTranscript: Transcript;
}

/**
 * Where practice sessions live. Every write is durable when the call returns, so the server can send an
 * event only after storing it. The default implementation is SQLite through node:sqlite.
 */
export interface SessionStore {
  createSession(session: { id: string; tokenHash: string; state: InterviewState }): void;
  getSession(id: string): StoredSession | null;
  /** Saves the state; with `clientMsgId`, records that message as applied in the same transaction. */
  saveState(state: InterviewState, clientMsgId?: string): void;
  /** The turn a client message id produced, if that message was already applied. */
  findClientMessage(sessionId: string, clientMsgId: string): number | null;
  /** The client message id that produced a candidate turn, if it came with one. */
  clientMessageForTurn(sessionId: string, turnId: number): string | null;
  /** Stores an event and returns its sequence number, one more than the session's last. */
  appendEvent(sessionId: string, body: unknown): number;
  eventsAfter(sessionId: string, seq: number): StoredEvent[];
  lastSeq(sessionId: string): number;
  /** Queues the session's evaluation; a second call for the same session does nothing. */
  enqueueEvaluation(sessionId: string, now: Date): void;
  /** Takes the next due job and leases it until `leaseUntil`; expired leases (a crash mid-job) are taken again. */
  claimEvaluation(now: Date, leaseUntil: Date): EvaluationJob | null;
  /**
   * Makes every `running` job due again at `now`. Only for start-up while holding the data directory's
   * lock: then no other process can be running them, and their leases belong to a process that died.
   */
  recoverRunningEvaluations(now: Date): number;
  completeEvaluation(sessionId: string, result: StoredScorecard): void;
  /** Records a failed attempt: retried at `retryAt`, or given up on when `retryAt` is null. */
  failEvaluation(sessionId: string, error: string, retryAt: Date | null): void;
  evaluationStatus(sessionId: string): 'none' | 'pending' | 'running' | 'done' | 'failed';
  getScorecard(sessionId: string): StoredScorecard | null;
  /** Deletes every session last written before `cutoff`, with its events, jobs and scorecard; returns how many. */
  purgeSessions(cutoff: Date): number;
  /** Sessions not ended and written at or after `since`: interviews under way. */
  countActiveSessions(since: Date): number;
  close(): void;
}
