import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import { InvalidFileError, formatIssues } from '../errors.ts';
import { Scorecard } from '../evaluator/scorecard.ts';
import { InterviewState } from '../interview/interview-state.ts';
import { Transcript } from '../transcript/transcript.ts';
import type { EvaluationJob, SessionStore, StoredEvent, StoredScorecard, StoredSession } from './session-store.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  session_id TEXT NOT NULL REFERENCES sessions(id),
  seq INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS client_messages (
  session_id TEXT NOT NULL REFERENCES sessions(id),
  client_msg_id TEXT NOT NULL,
  turn_id INTEGER NOT NULL,
  PRIMARY KEY (session_id, client_msg_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS evaluation_jobs (
  session_id TEXT PRIMARY KEY REFERENCES sessions(id),
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  run_at TEXT NOT NULL,
  lease_until TEXT,
  last_error TEXT
);
CREATE TABLE IF NOT EXISTS scorecards (
  session_id TEXT PRIMARY KEY REFERENCES sessions(id),
  scorecard TEXT NOT NULL,
  graded_transcript TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_updated_at ON sessions (updated_at);
`;

const StoredScorecardRow = z.object({ scorecard: Scorecard, gradedTranscript: Transcript });

/**
 * The session store on SQLite (node:sqlite, no native addon). WAL with synchronous=NORMAL: a committed
 * write survives the process being killed (kill -9); only a power loss can take the last commits.
 */
export class SqliteSessionStore implements SessionStore {
  readonly #db: DatabaseSync;
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
    this.#db.exec(SCHEMA);
  }

  createSession(session: { id: string; tokenHash: string; state: InterviewState }): void {
    const now = new Date().toISOString();
    this.#db.prepare('INSERT INTO sessions (id, token_hash, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(session.id, session.tokenHash, JSON.stringify(session.state), now, now);
  }

  getSession(id: string): StoredSession | null {
    const row = this.#db.prepare('SELECT id, token_hash, state, created_at FROM sessions WHERE id = ?').get(id) as { id: string; token_hash: string; state: string; created_at: string } | undefined;
    if (!row) return null;
    const state = InterviewState.safeParse(JSON.parse(row.state));
    if (!state.success) throw new InvalidFileError(`${this.#path}#sessions/${id}`, formatIssues(state.error.issues));
    return { id: row.id, tokenHash: row.token_hash, state: state.data, createdAt: row.created_at };
  }

  saveState(state: InterviewState, clientMsgId?: string): void {
    this.#transaction(() => {
      this.#db.prepare('UPDATE sessions SET state = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(state), new Date().toISOString(), state.id);
      const last = state.turns.at(-1);
      if (clientMsgId && last?.role === 'candidate') this.#db.prepare('INSERT OR IGNORE INTO client_messages (session_id, client_msg_id, turn_id) VALUES (?, ?, ?)').run(state.id, clientMsgId, last.id);
    });
  }

  findClientMessage(sessionId: string, clientMsgId: string): number | null {
    const row = this.#db.prepare('SELECT turn_id FROM client_messages WHERE session_id = ? AND client_msg_id = ?').get(sessionId, clientMsgId) as { turn_id: number } | undefined;
    return row?.turn_id ?? null;
  }

  clientMessageForTurn(sessionId: string, turnId: number): string | null {
    const row = this.#db.prepare('SELECT client_msg_id FROM client_messages WHERE session_id = ? AND turn_id = ? LIMIT 1').get(sessionId, turnId) as { client_msg_id: string } | undefined;
    return row?.client_msg_id ?? null;
  }

  appendEvent(sessionId: string, body: unknown): number {
    // One statement computes and inserts the next seq, so concurrent writers cannot take the same number.
    const row = this.#db
      .prepare('INSERT INTO events (session_id, seq, body) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM events WHERE session_id = ?), ?) RETURNING seq')
      .get(sessionId, sessionId, JSON.stringify(body)) as { seq: number };
    return row.seq;
  }

  eventsAfter(sessionId: string, seq: number): StoredEvent[] {
    const rows = this.#db.prepare('SELECT seq, body FROM events WHERE session_id = ? AND seq > ? ORDER BY seq').all(sessionId, seq) as { seq: number; body: string }[];
    return rows.map((row) => ({ seq: row.seq, body: JSON.parse(row.body) as unknown }));
  }

  lastSeq(sessionId: string): number {
    const row = this.#db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM events WHERE session_id = ?').get(sessionId) as { seq: number };
    return row.seq;
  }

  enqueueEvaluation(sessionId: string, now: Date): void {
    this.#db.prepare("INSERT OR IGNORE INTO evaluation_jobs (session_id, status, run_at) VALUES (?, 'pending', ?)").run(sessionId, now.toISOString());
  }

  claimEvaluation(now: Date, leaseUntil: Date): EvaluationJob | null {
    return this.#transaction(() => {
      const row = this.#db
        .prepare("SELECT session_id, attempts FROM evaluation_jobs WHERE (status = 'pending' AND run_at <= ?) OR (status = 'running' AND lease_until <= ?) ORDER BY run_at LIMIT 1")
        .get(now.toISOString(), now.toISOString()) as { session_id: string; attempts: number } | undefined;
      if (!row) return null;
      this.#db.prepare("UPDATE evaluation_jobs SET status = 'running', attempts = attempts + 1, lease_until = ? WHERE session_id = ?").run(leaseUntil.toISOString(), row.session_id);
      return { sessionId: row.session_id, attempts: row.attempts + 1 };
    });
  }

  recoverRunningEvaluations(now: Date): number {
    return Number(this.#db.prepare("UPDATE evaluation_jobs SET status = 'pending', run_at = ?, lease_until = NULL WHERE status = 'running'").run(now.toISOString()).changes);
  }

  completeEvaluation(sessionId: string, result: StoredScorecard): void {
    this.#transaction(() => {
      this.#db.prepare('INSERT OR REPLACE INTO scorecards (session_id, scorecard, graded_transcript, created_at) VALUES (?, ?, ?, ?)').run(sessionId, JSON.stringify(result.scorecard), JSON.stringify(result.gradedTranscript), new Date().toISOString());
      this.#db.prepare("UPDATE evaluation_jobs SET status = 'done', lease_until = NULL, last_error = NULL WHERE session_id = ?").run(sessionId);
    });
  }

  failEvaluation(sessionId: string, error: string, retryAt: Date | null): void {
    if (retryAt) this.#db.prepare("UPDATE evaluation_jobs SET status = 'pending', run_at = ?, lease_until = NULL, last_error = ? WHERE session_id = ?").run(retryAt.toISOString(), error, sessionId);
    else this.#db.prepare("UPDATE evaluation_jobs SET status = 'failed', lease_until = NULL, last_error = ? WHERE session_id = ?").run(error, sessionId);
  }

  evaluationStatus(sessionId: string): 'none' | 'pending' | 'running' | 'done' | 'failed' {
    const row = this.#db.prepare('SELECT status FROM evaluation_jobs WHERE session_id = ?').get(sessionId) as { status: 'pending' | 'running' | 'done' | 'failed' } | undefined;
    return row?.status ?? 'none';
  }

  getScorecard(sessionId: string): StoredScorecard | null {
    const row = this.#db.prepare('SELECT scorecard, graded_transcript FROM scorecards WHERE session_id = ?').get(sessionId) as { scorecard: string; graded_transcript: string } | undefined;
    if (!row) return null;
    const parsed = StoredScorecardRow.safeParse({ scorecard: JSON.parse(row.scorecard), gradedTranscript: JSON.parse(row.graded_transcript) });
    if (!parsed.success) throw new InvalidFileError(`${this.#path}#scorecards/${sessionId}`, formatIssues(parsed.error.issues));
    return parsed.data;
  }

  purgeSessions(cutoff: Date): number {
    return this.#transaction(() => {
      const old = "SELECT id FROM sessions WHERE updated_at < ?";
      const at = cutoff.toISOString();
      for (const table of ['events', 'client_messages', 'evaluation_jobs', 'scorecards']) this.#db.prepare(`DELETE FROM ${table} WHERE session_id IN (${old})`).run(at);
      return Number(this.#db.prepare('DELETE FROM sessions WHERE updated_at < ?').run(at).changes);
    });
  }

  countActiveSessions(since: Date): number {
    const row = this.#db.prepare("SELECT COUNT(*) AS count FROM sessions WHERE updated_at >= ? AND COALESCE(json_extract(state, '$.ended'), 0) = 0").get(since.toISOString()) as { count: number };
    return row.count;
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  #transaction<T>(work: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }
}
