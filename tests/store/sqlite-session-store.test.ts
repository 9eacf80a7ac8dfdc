import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import { DimensionId } from '../../src/evaluator/dimensions.ts';
import type { Scorecard } from '../../src/evaluator/scorecard.ts';
import { INTERVIEW_SCHEMA_VERSION, toTranscript, type InterviewState } from '../../src/interview/interview-state.ts';
import { startPhases } from '../../src/interview/phase-machine.ts';
import { SqliteSessionStore } from '../../src/store/sqlite-session-store.ts';
import type { Turn } from '../../src/transcript/transcript.ts';

const T0 = new Date('2026-01-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function makeState(id: string, texts: readonly string[] = []): InterviewState {
  const turns: Turn[] = [{ id: 1, role: 'interviewer', phase: 'problem_exploration', text: 'Design a fraud detection system.', at: T0.toISOString(), engine: 'template' }];
  for (const text of texts) turns.push({ id: turns.length + 1, role: turns.length % 2 === 1 ? 'candidate' : 'interviewer', phase: 'problem_exploration', text, at: T0.toISOString() });
  return {
    schemaVersion: INTERVIEW_SCHEMA_VERSION,
    id,
    problemId: 'fraud-detection',
    candidate: {},
    startedAt: T0.toISOString(),
    ...startPhases(T0),
    turns,
    revealedFacts: [],
    notes: [],
    integrityFlags: [],
    turnMeta: [],
    turnSteps: [],
    offline: { probedConcepts: [], askedProbes: [], deepDiveAreas: [], constraintChanges: [], wrapUpStep: 0, unansweredQuestions: 0 },
  };
}

function makeScorecard(sessionId: string): Scorecard {
  const dimensions = Object.fromEntries(
    DimensionId.options.map((id) => [id, { rating: 'meets', confidence: 0.5, evidence: [{ turnId: 2, quote: 'What is the goal', polarity: 'positive', note: 'asks first' }], rationale: `rated ${id}`, needsHumanReview: false }]),
  ) as Scorecard['dimensions'];
  return {
    schemaVersion: 1,
    transcriptId: sessionId,
    problem: 'fraud-detection',
    dimensions,
    recommendation: 'hire',
    summary: 'A solid interview.',
    strengths: ['asks questions'],
    growthAreas: ['depth'],
    feedback: 'Keep going.',
    integrityFlags: [],
    interviewerIssues: [{ turnId: 1, quote: 'Design a fraud detection system.', kind: 'other', note: 'a note' }],
    meta: { engine: 'offline', model: 'offline-heuristic', promptVersions: { guide: 'abc' }, samples: 1, sampleUsage: [], samplesFailed: 0, usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 }, costUsd: 0, latencyMs: 3, citationsDropped: 0, repairRounds: 0, heuristic: true, createdAt: T0.toISOString(), attempts: [] },
  };
}

let dir: string;
let path: string;
let store: SqliteSessionStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlsd-store-'));
  path = join(dir, 'nested', 'store.sqlite');
  store = new SqliteSessionStore(path);
});

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function createSession(id: string, texts: readonly string[] = []): InterviewState {
  const state = makeState(id, texts);
  store.createSession({ id, tokenHash: `hash-of-${id}`, state });
  return state;
}

describe('sessions', () => {
  it('stores a session and reads it back; an unknown id is null', () => {
    const state = createSession('s1', ['What is the goal?']);
    const stored = store.getSession('s1');
    expect(stored).not.toBeNull();
    expect(stored!.id).toBe('s1');
    expect(stored!.tokenHash).toBe('hash-of-s1');
    expect(stored!.state).toEqual(state);
    expect(Date.parse(stored!.createdAt)).not.toBeNaN();
    expect(store.getSession('nope')).toBeNull();
  });

  it('refuses a second session with the same id', () => {
    createSession('s1');
    expect(() => createSession('s1')).toThrow();
  });

  it('reports a stored state that no longer fits the schema as file_invalid', () => {
    createSession('s1');
    const other = new DatabaseSync(path);
    other.prepare('UPDATE sessions SET state = ? WHERE id = ?').run(JSON.stringify({ schemaVersion: 99 }), 's1');
    other.close();
    let caught: unknown;
    try {
      store.getSession('s1');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('file_invalid');
  });
});

describe('events', () => {
  it('numbers events 1, 2, 3, ... per session, independently of other sessions', () => {
    createSession('a');
    createSession('b');
    expect(store.lastSeq('a')).toBe(0);
    expect(store.appendEvent('a', { type: 'x', n: 1 })).toBe(1);
    expect(store.appendEvent('a', { type: 'x', n: 2 })).toBe(2);
    expect(store.appendEvent('b', { type: 'y', n: 1 })).toBe(1);
    expect(store.appendEvent('a', { type: 'x', n: 3 })).toBe(3);
    expect(store.lastSeq('a')).toBe(3);
    expect(store.lastSeq('b')).toBe(1);
    expect(store.lastSeq('unknown')).toBe(0);
  });

  it('returns the events after a seq, in order, with their bodies', () => {
    createSession('a');
    createSession('b');
    for (let n = 1; n <= 5; n += 1) store.appendEvent('a', { type: 'x', n });
    store.appendEvent('b', { type: 'other' });
    expect(store.eventsAfter('a', 0).map((event) => event.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(store.eventsAfter('a', 2)).toEqual([
      { seq: 3, body: { type: 'x', n: 3 } },
      { seq: 4, body: { type: 'x', n: 4 } },
      { seq: 5, body: { type: 'x', n: 5 } },
    ]);
    expect(store.eventsAfter('a', 5)).toEqual([]);
    expect(store.eventsAfter('a', 99)).toEqual([]);
    expect(store.eventsAfter('b', 0)).toEqual([{ seq: 1, body: { type: 'other' } }]);
  });

  it('refuses an event for a session that does not exist', () => {
    expect(() => store.appendEvent('ghost', { type: 'x' })).toThrow();
  });

  it('two stores on the same file never hand out the same seq', () => {
    createSession('a');
    const second = new SqliteSessionStore(path);
    try {
      const seqs = [store.appendEvent('a', { n: 1 }), second.appendEvent('a', { n: 2 }), store.appendEvent('a', { n: 3 }), second.appendEvent('a', { n: 4 })];
      expect(seqs).toEqual([1, 2, 3, 4]);
    } finally {
      second.close();
    }
  });
});

describe('saveState and client message ids', () => {
  it('saves the state and records the candidate turn a clientMsgId produced', () => {
    createSession('s1');
    const next = makeState('s1', ['What is the goal?']);
    store.saveState(next, 'client-1');
    expect(store.getSession('s1')!.state.turns).toHaveLength(2);
    expect(store.findClientMessage('s1', 'client-1')).toBe(2);
    expect(store.findClientMessage('s1', 'client-2')).toBeNull();
    expect(store.findClientMessage('other', 'client-1')).toBeNull();
    expect(store.clientMessageForTurn('s1', 2)).toBe('client-1');
    expect(store.clientMessageForTurn('s1', 1)).toBeNull();
    expect(store.clientMessageForTurn('other', 2)).toBeNull();
  });

  it('keeps the first turn of a clientMsgId when it is saved again', () => {
    createSession('s1');
    store.saveState(makeState('s1', ['first']), 'client-1');
    store.saveState(makeState('s1', ['first', 'reply', 'second']), 'client-1');
    expect(store.findClientMessage('s1', 'client-1')).toBe(2);
  });

  it('does not record a clientMsgId when the last turn is not a candidate turn', () => {
    createSession('s1');
    store.saveState(makeState('s1', ['question', 'answer']), 'client-1');
    expect(store.findClientMessage('s1', 'client-1')).toBeNull();
    expect(store.getSession('s1')!.state.turns).toHaveLength(3);
  });

  it('is atomic: when recording the clientMsgId fails, the state is not saved either', () => {
    const before = createSession('s1');
    const other = new DatabaseSync(path);
    other.exec("CREATE TRIGGER fail_client_messages BEFORE INSERT ON client_messages BEGIN SELECT RAISE(ABORT, 'simulated failure'); END;");
    expect(() => store.saveState(makeState('s1', ['lost?']), 'client-1')).toThrow(/simulated failure/);
    expect(store.getSession('s1')!.state).toEqual(before);
    expect(store.findClientMessage('s1', 'client-1')).toBeNull();
    // The store is still usable after the rolled-back transaction.
    other.exec('DROP TRIGGER fail_client_messages');
    other.close();
    store.saveState(makeState('s1', ['kept']), 'client-1');
    expect(store.getSession('s1')!.state.turns.at(-1)!.text).toBe('kept');
    expect(store.findClientMessage('s1', 'client-1')).toBe(2);
  });
});

describe('evaluation jobs', () => {
  const lease = (now: Date) => new Date(now.getTime() + 60_000);

  it('enqueue is idempotent: one job per session', () => {
    createSession('s1');
    expect(store.evaluationStatus('s1')).toBe('none');
    store.enqueueEvaluation('s1', T0);
    store.enqueueEvaluation('s1', at(5));
    expect(store.evaluationStatus('s1')).toBe('pending');
    expect(store.claimEvaluation(at(10), lease(at(10)))).toEqual({ sessionId: 's1', attempts: 1 });
    expect(store.claimEvaluation(at(10), lease(at(10)))).toBeNull();
    // Enqueueing a running job again does not reset it.
    store.enqueueEvaluation('s1', at(20));
    expect(store.evaluationStatus('s1')).toBe('running');
    expect(store.claimEvaluation(at(30), lease(at(30)))).toBeNull();
  });

  it('recoverRunningEvaluations makes a dead process\'s leased jobs due at once, and leaves the others', () => {
    createSession('running');
    createSession('pending');
    store.enqueueEvaluation('running', T0);
    expect(store.claimEvaluation(at(10), lease(at(10)))?.sessionId).toBe('running');
    store.enqueueEvaluation('pending', at(500));
    expect(store.recoverRunningEvaluations(at(20))).toBe(1);
    expect(store.evaluationStatus('running')).toBe('pending');
    // Due now, long before its lease would have run out; the attempt it lost still counts.
    expect(store.claimEvaluation(at(20), lease(at(20)))).toEqual({ sessionId: 'running', attempts: 2 });
    expect(store.claimEvaluation(at(20), lease(at(20)))).toBeNull();
    expect(store.evaluationStatus('pending')).toBe('pending');
  });

  it('does not claim a job before it is due', () => {
    createSession('s1');
    store.enqueueEvaluation('s1', at(1000));
    expect(store.claimEvaluation(at(999), lease(at(999)))).toBeNull();
    expect(store.claimEvaluation(at(1000), lease(at(1000)))).toEqual({ sessionId: 's1', attempts: 1 });
  });

  it('claims jobs in the order they became due', () => {
    createSession('late');
    createSession('early');
    store.enqueueEvaluation('late', at(200));
    store.enqueueEvaluation('early', at(100));
    expect(store.claimEvaluation(at(300), lease(at(300)))?.sessionId).toBe('early');
    expect(store.claimEvaluation(at(300), lease(at(300)))?.sessionId).toBe('late');
    expect(store.claimEvaluation(at(300), lease(at(300)))).toBeNull();
  });

  it('leases a claimed job; once the lease has expired (a crash mid-job) the job is claimed again', () => {
    createSession('s1');
    store.enqueueEvaluation('s1', T0);
    expect(store.claimEvaluation(T0, at(60_000))).toEqual({ sessionId: 's1', attempts: 1 });
    expect(store.evaluationStatus('s1')).toBe('running');
    expect(store.claimEvaluation(at(59_999), at(120_000))).toBeNull();
    expect(store.claimEvaluation(at(60_000), at(120_000))).toEqual({ sessionId: 's1', attempts: 2 });
    expect(store.claimEvaluation(at(60_001), at(120_000))).toBeNull();
  });

  it('a failed attempt is retried at retryAt; giving up marks the job failed for good', () => {
    createSession('s1');
    store.enqueueEvaluation('s1', T0);
    expect(store.claimEvaluation(T0, lease(T0))?.attempts).toBe(1);
    store.failEvaluation('s1', 'provider timed out', at(5_000));
    expect(store.evaluationStatus('s1')).toBe('pending');
    expect(store.claimEvaluation(at(4_999), lease(at(4_999)))).toBeNull();
    expect(store.claimEvaluation(at(5_000), lease(at(5_000)))).toEqual({ sessionId: 's1', attempts: 2 });
    store.failEvaluation('s1', 'still failing', null);
    expect(store.evaluationStatus('s1')).toBe('failed');
    expect(store.claimEvaluation(at(1_000_000), lease(at(1_000_000)))).toBeNull();
    expect(store.getScorecard('s1')).toBeNull();
    // A failed job is not reset by another enqueue.
    store.enqueueEvaluation('s1', at(1_000_000));
    expect(store.evaluationStatus('s1')).toBe('failed');
  });

  it('complete stores the scorecard and the graded transcript, and the job is done', () => {
    const state = createSession('s1', ['What is the goal of the system?']);
    store.enqueueEvaluation('s1', T0);
    store.claimEvaluation(T0, lease(T0));
    const scorecard = makeScorecard('s1');
    store.completeEvaluation('s1', { scorecard, gradedTranscript: toTranscript(state) });
    expect(store.evaluationStatus('s1')).toBe('done');
    expect(store.getScorecard('s1')).toEqual({ scorecard, gradedTranscript: toTranscript(state) });
    expect(store.claimEvaluation(at(10 * 60_000 * 10), lease(at(10 * 60_000 * 10)))).toBeNull();
    expect(store.getScorecard('other')).toBeNull();
  });

  it('still reads a scorecard stored before interviewer issues and per-sample usage were recorded, with empty defaults', () => {
    const state = createSession('s1', ['What is the goal of the system?']);
    store.enqueueEvaluation('s1', T0);
    store.claimEvaluation(T0, lease(T0));
    const scorecard = makeScorecard('s1');
    store.completeEvaluation('s1', { scorecard, gradedTranscript: toTranscript(state) });
    const { interviewerIssues: _issues, meta, ...older } = scorecard;
    const { sampleUsage: _usage, samplesFailed: _failed, ...olderMeta } = meta;
    const other = new DatabaseSync(path);
    other.prepare('UPDATE scorecards SET scorecard = ? WHERE session_id = ?').run(JSON.stringify({ ...older, meta: olderMeta }), 's1');
    other.close();
    expect(store.getScorecard('s1')?.scorecard).toEqual({ ...scorecard, interviewerIssues: [], meta: { ...meta, sampleUsage: [], samplesFailed: 0 } });
  });
});

describe('durability', () => {
  it('keeps sessions, events, client ids, jobs and scorecards across closing and reopening the file', () => {
    createSession('s1');
    createSession('s2');
    const state = makeState('s1', ['What is the goal?']);
    store.saveState(state, 'client-1');
    store.appendEvent('s1', { type: 'interviewer.message', n: 1 });
    store.appendEvent('s1', { type: 'candidate.message', n: 2 });
    store.enqueueEvaluation('s1', T0);
    store.claimEvaluation(T0, lease(T0));
    store.completeEvaluation('s1', { scorecard: makeScorecard('s1'), gradedTranscript: toTranscript(state) });
    store.enqueueEvaluation('s2', T0);
    store.close();
    store.close(); // closing twice is harmless

    store = new SqliteSessionStore(path);
    expect(store.getSession('s1')!.state).toEqual(state);
    expect(store.findClientMessage('s1', 'client-1')).toBe(2);
    expect(store.eventsAfter('s1', 0)).toEqual([
      { seq: 1, body: { type: 'interviewer.message', n: 1 } },
      { seq: 2, body: { type: 'candidate.message', n: 2 } },
    ]);
    expect(store.appendEvent('s1', { type: 'more' })).toBe(3);
    expect(store.evaluationStatus('s1')).toBe('done');
    expect(store.getScorecard('s1')?.scorecard).toEqual(makeScorecard('s1'));
    expect(store.evaluationStatus('s2')).toBe('pending');
    expect(store.claimEvaluation(at(1), lease(at(1)))).toEqual({ sessionId: 's2', attempts: 1 });
  });

  function lease(now: Date): Date {
    return new Date(now.getTime() + 60_000);
  }
});

describe('in memory', () => {
  it('works on :memory: too', () => {
    const memory = new SqliteSessionStore(':memory:');
    try {
      memory.createSession({ id: 'm', tokenHash: 'h', state: makeState('m') });
      expect(memory.appendEvent('m', { a: 1 })).toBe(1);
      expect(memory.getSession('m')?.id).toBe('m');
    } finally {
      memory.close();
    }
  });
});
