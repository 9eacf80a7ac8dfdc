import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Scorecard } from '../../src/evaluator/scorecard.ts';
import type { InterviewState } from '../../src/interview/interview-state.ts';
import { PHASE_BUDGETS, PHASE_ORDER } from '../../src/interview/phases.ts';
import { ErrorFrame, PongFrame, ReadyFrame, SessionEventBody } from '../../src/server/protocol.ts';
import { createHarness, runScriptedInterview, scriptedCandidate, SCRIPTED_PROBLEM, waitUntil, type Frame, type Harness, type TestSocket } from '../helpers/app-harness.ts';

let harness: Harness;
const CLOCK_SCALE = 3;

beforeAll(async () => {
  harness = await createHarness({ clockScale: CLOCK_SCALE });
});

afterAll(async () => {
  await harness.close();
});

type TurnLike = { id: number; role: string; text: string; phase: string };
const turnOf = (frame: Frame) => frame.turn as TurnLike;
const turnCount = (h: Harness, sessionId: string) => h.store.getSession(sessionId)!.state.turns.length;

/** Every event frame's seq is one more than the one before; ready, error and pong carry the latest seq. */
function expectSeqsInOrder(frames: readonly Frame[], startAfter = 0): void {
  let last = startAfter;
  for (const frame of frames) {
    if (frame.type === 'ready' || frame.type === 'error' || frame.type === 'pong') {
      // ready comes before the replay, so its seq may be ahead of the events that follow it.
      if (frame.type === 'ready') expect(frame.seq).toBeGreaterThanOrEqual(last);
      else expect(frame.seq, `${frame.type} carries the latest seq`).toBe(last);
      continue;
    }
    expect(frame.seq, `event ${frame.type} seq`).toBeGreaterThan(last);
    expect(frame.seq).toBe(last + 1);
    last = frame.seq;
  }
}

/** Sends a candidate message and waits for the interviewer's reply. */
async function say(socket: TestSocket, clientMsgId: string, text: string): Promise<{ ack: Frame; reply: Frame }> {
  const from = socket.frames.length;
  socket.send({ type: 'candidate.message', clientMsgId, text });
  const ack = await socket.waitFor((frame) => frame.type === 'candidate.message' && frame.clientMsgId === clientMsgId, `ack of ${clientMsgId}`, { from });
  const reply = await socket.waitFor((frame) => frame.type === 'interviewer.message' && turnOf(frame).id === turnOf(ack).id + 1, `reply to ${clientMsgId}`, { from });
  return { ack, reply };
}

describe('hello and ready', () => {
  it('answers hello with ready, then replays the stored events', async () => {
    const { sessionId, token, problem } = await harness.createPractice(SCRIPTED_PROBLEM);
    const socket = await harness.connect(sessionId);
    socket.send({ type: 'hello', token });
    const ready = ReadyFrame.parse(await socket.waitFor((frame) => frame.type === 'ready', 'ready'));
    expect(ready).toMatchObject({ sessionId, problem, phase: 'problem_exploration', ended: false, seq: 1, replaying: 1 });
    // The budget the phase machine applies: the guide's 10 minutes times the clock scale.
    expect(ready.phaseBudgetMinutes).toBe(PHASE_BUDGETS.problem_exploration.hardMinutes * CLOCK_SCALE);
    const opening = await socket.waitFor((frame) => frame.type === 'interviewer.message', 'the opening turn');
    expect(opening.seq).toBe(1);
    expect(turnOf(opening)).toMatchObject({ id: 1, role: 'interviewer' });
    expect(turnOf(opening).text).toContain(problem.opening);
    expect(socket.frames[0]!.type).toBe('ready');
    socket.terminate();
  });

  it('replays nothing when lastSeq is current', async () => {
    const { sessionId, token } = await harness.createPractice(SCRIPTED_PROBLEM);
    const socket = await harness.open(sessionId, token, 1);
    expect(socket.frames[0]).toMatchObject({ type: 'ready', seq: 1, replaying: 0 });
    const pong = PongFrame.parse(await socket.ping());
    expect(pong.seq).toBe(1);
    expect(socket.events()).toEqual([]);
    socket.terminate();
  });
});

describe('a whole interview over the websocket', () => {
  it('runs the scripted candidate through all five phases to the end, then sends the scorecard', async () => {
    const { sessionId, token } = await harness.createPractice(SCRIPTED_PROBLEM);
    const socket = await harness.open(sessionId, token);
    const lines = scriptedCandidate();
    const sent = await runScriptedInterview(socket, lines);
    expect(sent).toBeGreaterThan(10);
    expect(sent).toBeLessThanOrEqual(lines.length);

    const phases = socket.frames.filter((frame) => frame.type === 'phase');
    expect(phases.map((frame) => frame.phase)).toEqual(PHASE_ORDER.slice(1));
    expect(phases.map((frame) => frame.previous)).toEqual(PHASE_ORDER.slice(0, -1));
    // Each phase event carries the new phase's start and its scaled budget, so a client's clock is right.
    for (const frame of phases) {
      expect(Number.isNaN(Date.parse(String(frame.phaseStartedAt)))).toBe(false);
      expect(frame.phaseBudgetMinutes).toBe(PHASE_BUDGETS[frame.phase as keyof typeof PHASE_BUDGETS].hardMinutes * CLOCK_SCALE);
    }
    const ended = socket.frames.filter((frame) => frame.type === 'ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]!.reason).toBe('completed');
    expect(socket.frames.indexOf(ended[0]!)).toBeGreaterThan(socket.frames.indexOf(phases.at(-1)!));

    const scorecardFrame = await socket.waitFor((frame) => frame.type === 'scorecard', 'the scorecard event');
    expect(scorecardFrame.seq).toBeGreaterThan(ended[0]!.seq);
    const scorecard = Scorecard.parse(scorecardFrame.scorecard);
    expect(scorecard.transcriptId).toBe(sessionId);
    expect(Object.keys(scorecard.dimensions)).toHaveLength(8);
    const state = harness.store.getSession(sessionId)!.state;
    const candidateTurns = new Set(state.turns.filter((turn) => turn.role === 'candidate').map((turn) => turn.id));
    for (const dimension of Object.values(scorecard.dimensions)) for (const evidence of dimension.evidence) expect(candidateTurns).toContain(evidence.turnId);

    // Every frame fits the protocol; event seqs go 1, 2, 3, ... with no gap and no repeat.
    for (const frame of socket.events()) SessionEventBody.parse(frame);
    for (const frame of socket.frames.filter((frame) => frame.type === 'error')) ErrorFrame.parse(frame);
    expect(socket.frames.filter((frame) => frame.type === 'error')).toEqual([]);
    expectSeqsInOrder(socket.frames);
    // What the client received is exactly what is stored.
    expect(socket.events().map(({ seq, ...body }) => ({ seq, body }))).toEqual(harness.store.eventsAfter(sessionId, 0));

    // The streamed chunks of each reply add up to its final text.
    for (const message of socket.frames.filter((frame) => frame.type === 'interviewer.message' && turnOf(frame).id > 1)) {
      const streamed = socket.frames.filter((frame) => frame.type === 'interviewer.delta' && frame.turnId === turnOf(message).id).map((frame) => frame.text).join('');
      expect(streamed.trim()).toBe(turnOf(message).text.trim());
    }
    // The state agrees: ended, every candidate line stored once, in order.
    expect(state.ended).toBe(true);
    expect(state.phase).toBe('wrap_up');
    expect(state.turns.filter((turn) => turn.role === 'candidate').map((turn) => turn.text)).toEqual(lines.slice(0, sent));
    socket.terminate();
  });
});

describe('reconnecting', () => {
  it('replays exactly the events after lastSeq', async () => {
    const { sessionId, token } = await harness.createPractice(SCRIPTED_PROBLEM);
    const first = await harness.open(sessionId, token);
    const { reply } = await say(first, 'r-1', 'What is the business goal of the system?');
    const seenUpTo = reply.seq;
    await say(first, 'r-2', 'How many transactions per second do we handle at peak?');
    await say(first, 'r-3', 'I would frame it as binary classification of each payment.');
    const missedByClient = first.events().filter((frame) => frame.seq > seenUpTo);
    first.terminate();
    await first.waitForClose();

    const second = await harness.open(sessionId, token, seenUpTo);
    const ready = ReadyFrame.parse(second.frames[0]);
    expect(ready.seq).toBe(harness.store.lastSeq(sessionId));
    expect(ready.replaying).toBe(missedByClient.length);
    await second.ping();
    expect(second.events()).toEqual(missedByClient);
    expectSeqsInOrder(second.frames.slice(1), seenUpTo);
    second.terminate();
  });

  it('replays events that happened while no client was connected', async () => {
    const paused = await createHarness({ startWorker: false });
    try {
      const { sessionId, token } = await paused.createPractice(SCRIPTED_PROBLEM);
      const socket = await paused.open(sessionId, token);
      await say(socket, 'p-1', 'What is the business goal?');
      socket.send({ type: 'end' });
      const ended = await socket.waitFor((frame) => frame.type === 'ended', 'ended');
      socket.terminate();
      await socket.waitForClose();
      // The evaluation runs with nobody connected.
      paused.app.worker.start();
      await waitUntil(() => paused.store.evaluationStatus(sessionId) === 'done', 'the evaluation');
      const back = await paused.open(sessionId, token, ended.seq);
      expect(back.frames[0]).toMatchObject({ type: 'ready', ended: true, replaying: 1 });
      const scorecard = await back.waitFor((frame) => frame.type === 'scorecard', 'the replayed scorecard');
      expect(scorecard.seq).toBe(ended.seq + 1);
      Scorecard.parse(scorecard.scorecard);
      back.terminate();
    } finally {
      await paused.close();
    }
  });
});

describe('idempotent candidate messages', () => {
  it('applies a repeated clientMsgId once, on the same or on a new connection', async () => {
    const { sessionId, token } = await harness.createPractice(SCRIPTED_PROBLEM);
    const socket = await harness.open(sessionId, token);
    await say(socket, 'same-id', 'What latency budget do we have?');
    const turns = turnCount(harness, sessionId);
    const seq = harness.store.lastSeq(sessionId);
    socket.send({ type: 'candidate.message', clientMsgId: 'same-id', text: 'What latency budget do we have?' });
    expect((await socket.ping()).seq).toBe(seq);
    expect(socket.frames.filter((frame) => frame.type === 'error')).toEqual([]);
    // The same id with another text is a client bug: said so, and nothing is applied.
    const conflict = await socket.expectError({ type: 'candidate.message', clientMsgId: 'same-id', text: 'a different text with the same id' });
    expect(conflict).toMatchObject({ code: 'client_msg_id_conflict', clientMsgId: 'same-id', seq });
    expect((await socket.ping()).seq).toBe(seq);
    expect(turnCount(harness, sessionId)).toBe(turns);
    socket.terminate();

    const again = await harness.open(sessionId, token, seq);
    again.send({ type: 'candidate.message', clientMsgId: 'same-id', text: 'What latency budget do we have?' });
    expect((await again.ping()).seq).toBe(seq);
    expect(turnCount(harness, sessionId)).toBe(turns);
    expect(again.frames.filter((frame) => frame.type === 'error')).toEqual([]);
    again.terminate();
  });

  it('applies two quick sends of the same message once', async () => {
    const { sessionId, token } = await harness.createPractice(SCRIPTED_PROBLEM);
    const socket = await harness.open(sessionId, token);
    socket.send({ type: 'candidate.message', clientMsgId: 'twice', text: 'How do labels arrive?' });
    socket.send({ type: 'candidate.message', clientMsgId: 'twice', text: 'How do labels arrive?' });
    await socket.waitFor((frame) => frame.type === 'interviewer.message' && turnOf(frame).id === 3, 'the reply');
    await socket.ping();
    expect(turnCount(harness, sessionId)).toBe(3);
    expect(socket.frames.filter((frame) => frame.type === 'candidate.message')).toHaveLength(1);
    socket.terminate();
  });

  it('takes messages sent back to back in order, each answered', async () => {
    const { sessionId, token } = await harness.createPractice(SCRIPTED_PROBLEM);
    const socket = await harness.open(sessionId, token);
    const texts = ['What is the business goal?', 'How many payments per second?', 'What is the latency budget?'];
    texts.forEach((text, index) => socket.send({ type: 'candidate.message', clientMsgId: `b-${index}`, text }));
    await socket.waitFor((frame) => frame.type === 'interviewer.message' && turnOf(frame).id === 7, 'the third reply');
    const roles = harness.store.getSession(sessionId)!.state.turns.map((turn) => turn.role);
    expect(roles).toEqual(['interviewer', 'candidate', 'interviewer', 'candidate', 'interviewer', 'candidate', 'interviewer']);
    expect(socket.frames.filter((frame) => frame.type === 'candidate.message').map((frame) => frame.clientMsgId)).toEqual(['b-0', 'b-1', 'b-2']);
    expect(socket.frames.filter((frame) => frame.type === 'error')).toEqual([]);
    socket.terminate();
  });
});

describe('bad frames: an error frame, and the connection keeps working', () => {
  let small: Harness;
  let sessionId: string;
  let token: string;
  let socket: TestSocket;
  const MAX_CHARS = 200; // frames over 200 * 4 + 1024 bytes are refused before parsing

  beforeAll(async () => {
    small = await createHarness({ maxMessageChars: MAX_CHARS });
    ({ sessionId, token } = await small.createPractice(SCRIPTED_PROBLEM));
    socket = await small.open(sessionId, token);
    await say(socket, 'ok-0', 'What is the business goal?');
  });

  afterAll(async () => {
    await small.close();
  });

  const cases: { name: string; frame: unknown; code: string | string[]; binary?: boolean; clientMsgId?: string }[] = [
    { name: 'malformed JSON', frame: '{"type": "candidate.message", ', code: 'frame_invalid_json' },
    { name: 'a frame that is not an object', frame: '42', code: 'frame_unknown_type' },
    { name: 'an unknown type', frame: { type: 'dance' }, code: 'frame_unknown_type' },
    { name: 'a frame without a type', frame: { text: 'hi' }, code: 'frame_unknown_type' },
    { name: 'a binary frame', frame: Buffer.from(JSON.stringify({ type: 'ping' })), binary: true, code: 'frame_binary' },
    { name: 'an oversized frame', frame: JSON.stringify({ type: 'ping', padding: 'x'.repeat(5000) }), code: 'frame_too_large' },
    { name: 'a 100 KB candidate message', frame: { type: 'candidate.message', clientMsgId: 'huge', text: 'x'.repeat(100 * 1024) }, code: ['message_too_long', 'frame_too_large'] },
    { name: 'a message over the character limit', frame: { type: 'candidate.message', clientMsgId: 'long', text: 'y'.repeat(MAX_CHARS + 1) }, code: 'message_too_long', clientMsgId: 'long' },
    { name: 'an empty message', frame: { type: 'candidate.message', clientMsgId: 'empty', text: '' }, code: 'message_empty', clientMsgId: 'empty' },
    { name: 'a message of only spaces and invisible characters', frame: { type: 'candidate.message', clientMsgId: 'blank', text: '  \n\u200b\u0007 ' }, code: 'message_empty', clientMsgId: 'blank' },
    { name: 'a message without clientMsgId', frame: { type: 'candidate.message', text: 'hello' }, code: 'frame_invalid' },
    { name: 'a message whose text is not a string', frame: { type: 'candidate.message', clientMsgId: 'num', text: 5 }, code: 'frame_invalid', clientMsgId: 'num' },
    { name: 'a second hello', frame: { type: 'hello', token: 'whatever' }, code: 'frame_invalid' },
    { name: 'an unknown field', frame: { type: 'ping', extra: true }, code: 'frame_invalid' },
  ];

  for (const testCase of cases) {
    it(`${testCase.name}: ${[testCase.code].flat().join(' or ')}`, async () => {
      const turns = turnCount(small, sessionId);
      const seq = small.store.lastSeq(sessionId);
      const error = ErrorFrame.parse(await socket.expectError(testCase.frame as object, undefined, testCase.binary ? { binary: true } : {}));
      expect([testCase.code].flat()).toContain(error.code);
      expect(error.seq).toBe(seq);
      expect(error.message.length).toBeGreaterThan(0);
      if (testCase.clientMsgId) expect(error.clientMsgId).toBe(testCase.clientMsgId);
      // Still open, nothing stored, nothing lost.
      const pong = await socket.ping();
      expect(pong.seq).toBe(seq);
      expect(socket.closeCode).toBeNull();
      expect(turnCount(small, sessionId)).toBe(turns);
      expect(small.store.lastSeq(sessionId)).toBe(seq);
    });
  }

  it('after all of them, the next message is taken and answered, and every event so far arrived once, in order', async () => {
    const { ack, reply } = await say(socket, 'ok-1', 'How many transactions per second at peak?');
    expect(turnOf(ack).text).toBe('How many transactions per second at peak?');
    expect(turnOf(reply).role).toBe('interviewer');
    expect(socket.events().map(({ seq, ...body }) => ({ seq, body }))).toEqual(small.store.eventsAfter(sessionId, 0));
    expectSeqsInOrder(socket.frames);
  });
});

describe('before hello and authentication', () => {
  it('refuses any frame before hello with hello_required, then accepts hello', async () => {
    const { sessionId, token } = await harness.createPractice(SCRIPTED_PROBLEM);
    const socket = await harness.connect(sessionId);
    for (const frame of [{ type: 'ping' }, { type: 'candidate.message', clientMsgId: 'early', text: 'hi' }, { type: 'end' }]) {
      const error = await socket.expectError(frame);
      expect(error).toMatchObject({ code: 'hello_required', seq: 0 });
    }
    expect(turnCount(harness, sessionId)).toBe(1);
    socket.send({ type: 'hello', token });
    await socket.waitFor((frame) => frame.type === 'ready', 'ready');
    await socket.ping();
    expect(harness.store.getSession(sessionId)!.state.ended).toBe(false);
    socket.terminate();
  });

  it('closes with 4403 on a wrong token, without sending session data', async () => {
    const { sessionId } = await harness.createPractice(SCRIPTED_PROBLEM);
    const other = await harness.createPractice(SCRIPTED_PROBLEM);
    const socket = await harness.connect(sessionId);
    socket.send({ type: 'hello', token: other.token });
    const { code } = await socket.waitForClose();
    expect(code).toBe(4403);
    expect(socket.frames).toHaveLength(1);
    expect(socket.frames[0]).toMatchObject({ type: 'error', code: 'token_invalid', seq: 0 });
    expect(socket.raw.join('')).not.toContain('fraud');
  });

  it('closes with 4404 for an unknown session', async () => {
    const socket = await harness.connect('00000000-0000-0000-0000-000000000000');
    socket.send({ type: 'hello', token: 'anything' });
    const { code } = await socket.waitForClose();
    expect(code).toBe(4404);
    expect(socket.frames).toEqual([expect.objectContaining({ type: 'error', code: 'session_not_found' })]);
  });

  it('closes with 4408 when no hello comes in time', async () => {
    const quick = await createHarness({ helloTimeoutMs: 50 });
    try {
      const { sessionId } = await quick.createPractice(SCRIPTED_PROBLEM);
      const socket = await quick.connect(sessionId);
      expect((await socket.waitForClose()).code).toBe(4408);
    } finally {
      await quick.close();
    }
  });
});

describe('after the end', () => {
  it('refuses a message with interview_ended, keeps the connection and changes nothing', async () => {
    const { sessionId, token } = await harness.createPractice(SCRIPTED_PROBLEM);
    const socket = await harness.open(sessionId, token);
    await say(socket, 'e-1', 'What is the business goal?');
    socket.send({ type: 'end' });
    await socket.waitFor((frame) => frame.type === 'ended', 'ended');
    await socket.waitFor((frame) => frame.type === 'scorecard', 'the scorecard');
    const turns = turnCount(harness, sessionId);
    const seq = harness.store.lastSeq(sessionId);
    const error = await socket.expectError({ type: 'candidate.message', clientMsgId: 'late', text: 'One more thing' });
    expect(error).toMatchObject({ code: 'interview_ended', clientMsgId: 'late', seq });
    // Ending again is harmless.
    socket.send({ type: 'end' });
    expect((await socket.ping()).seq).toBe(seq);
    expect(turnCount(harness, sessionId)).toBe(turns);
    expect(socket.frames.filter((frame) => frame.type === 'ended')).toHaveLength(1);
    socket.terminate();
  });
});

describe('one connection per session', () => {
  it('a second connection takes over; the first is closed with 4001', async () => {
    const { sessionId, token } = await harness.createPractice(SCRIPTED_PROBLEM);
    const first = await harness.open(sessionId, token);
    const second = await harness.open(sessionId, token);
    const closed = await first.waitForClose();
    expect(closed.code).toBe(4001);
    const framesOfFirst = first.frames.length;
    await say(second, 't-1', 'What is the business goal?');
    await second.ping();
    expect(first.frames.length).toBe(framesOfFirst);
    second.terminate();
  });
});

describe('origins', () => {
  it('refuses a page from another origin with origin_forbidden', async () => {
    const { sessionId } = await harness.createPractice(SCRIPTED_PROBLEM);
    for (const origin of ['https://evil.example', 'http://localhost:3001', 'null']) {
      const socket = await harness.connect(sessionId, { host: 'localhost:3000', origin });
      const { code } = await socket.waitForClose();
      expect(code).toBe(4403);
      expect(socket.frames).toEqual([expect.objectContaining({ type: 'error', code: 'origin_forbidden' })]);
    }
  });

  it('accepts a same-origin page and a client that sends no Origin', async () => {
    const { sessionId, token } = await harness.createPractice(SCRIPTED_PROBLEM);
    const sameOrigin = await harness.connect(sessionId, { host: 'localhost:3000', origin: 'http://localhost:3000' });
    sameOrigin.send({ type: 'hello', token });
    await sameOrigin.waitFor((frame) => frame.type === 'ready', 'ready');
    await sameOrigin.ping();
    sameOrigin.terminate();
    const noOrigin = await harness.connect(sessionId, { host: 'localhost:3000' });
    noOrigin.send({ type: 'hello', token });
    await noOrigin.waitFor((frame) => frame.type === 'ready', 'ready');
    await noOrigin.ping();
    noOrigin.terminate();
  });

  it('accepts an origin listed in allowedOrigins', async () => {
    const allowing = await createHarness({ allowedOrigins: ['https://practice.example.org'] });
    try {
      const { sessionId, token } = await allowing.createPractice(SCRIPTED_PROBLEM);
      const socket = await allowing.connect(sessionId, { host: 'localhost:3000', origin: 'https://practice.example.org' });
      socket.send({ type: 'hello', token });
      await socket.waitFor((frame) => frame.type === 'ready', 'ready');
      const refused = await allowing.connect(sessionId, { host: 'localhost:3000', origin: 'https://other.example.org' });
      expect((await refused.waitForClose()).code).toBe(4403);
    } finally {
      await allowing.close();
    }
  });
});

describe('recovering from a crash', () => {
  let dataDir: string;
  let running: Harness | null = null;
  afterEach(async () => {
    await running?.close();
    running = null;
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The state as a crash between storing the candidate's turn and anything after it leaves it. */
  function storeUnansweredTurn(h: Harness, sessionId: string, clientMsgId: string, text: string): InterviewState {
    const state = h.store.getSession(sessionId)!.state;
    const next: InterviewState = {
      ...state,
      candidateTurnsInPhase: state.candidateTurnsInPhase + 1,
      turns: [...state.turns, { id: state.turns.length + 1, role: 'candidate', phase: state.phase, text, at: new Date().toISOString() }],
    };
    h.store.saveState(next, clientMsgId);
    return next;
  }

  it('answers a stored but unanswered candidate turn after a restart, acknowledges it, and applies a retry of it once', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mlsd-crash-'));
    running = await createHarness({ dataDir });
    const { sessionId, token } = await running.createPractice(SCRIPTED_PROBLEM);
    const socket = await running.open(sessionId, token);
    await say(socket, 'c-1', 'What is the business goal?');
    const lastSeen = running.store.lastSeq(sessionId);
    socket.terminate();
    // The process dies right after storing the next message: no acknowledgement, no reply.
    const crashed = storeUnansweredTurn(running, sessionId, 'c-2', 'How many transactions per second at peak?');
    await running.close();

    running = await createHarness({ dataDir });
    const back = await running.open(sessionId, token, lastSeen);
    const pendingTurn = crashed.turns.at(-1)!;
    const reply = await back.waitFor((frame) => frame.type === 'interviewer.message' && turnOf(frame).id === pendingTurn.id + 1, 'the reply to the pending turn');
    expect(turnOf(reply).role).toBe('interviewer');
    // The client learns that its message was taken, before the reply, so it does not wait for it forever.
    const ack = await back.waitFor((frame) => frame.type === 'candidate.message' && frame.clientMsgId === 'c-2', 'the acknowledgement of c-2');
    expect(turnOf(ack)).toMatchObject({ id: pendingTurn.id, text: pendingTurn.text });
    expect(ack.seq).toBeLessThan(reply.seq);
    // The client retries its unacknowledged message: applied once.
    back.send({ type: 'candidate.message', clientMsgId: 'c-2', text: 'How many transactions per second at peak?' });
    await back.ping();
    const turns = running.store.getSession(sessionId)!.state.turns;
    expect(turns.filter((turn) => turn.text === pendingTurn.text)).toHaveLength(1);
    expect(turns.at(-1)!.role).toBe('interviewer');
    expect(back.frames.filter((frame) => frame.type === 'error')).toEqual([]);
    expectSeqsInOrder(back.frames.slice(1), lastSeen);
    // And the interview goes on.
    await say(back, 'c-3', 'What latency budget do we have?');
    back.terminate();
  });

  it('answers an acknowledged but unanswered turn after a restart', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mlsd-crash-'));
    running = await createHarness({ dataDir });
    const { sessionId, token } = await running.createPractice(SCRIPTED_PROBLEM);
    const crashed = storeUnansweredTurn(running, sessionId, 'a-1', 'What is the business goal?');
    running.store.appendEvent(sessionId, { type: 'candidate.message', turn: crashed.turns.at(-1), clientMsgId: 'a-1' });
    await running.close();

    running = await createHarness({ dataDir });
    const back = await running.open(sessionId, token, 0);
    await back.waitFor((frame) => frame.type === 'interviewer.message' && turnOf(frame).id === 3, 'the reply');
    await back.ping();
    expect(back.frames.filter((frame) => frame.type === 'candidate.message')).toHaveLength(1);
    expectSeqsInOrder(back.frames);
    back.terminate();
  });

  it('a reply broken off by a crash is voided by interviewer.reset before it streams again, for a live and a replaying client', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mlsd-crash-'));
    running = await createHarness({ dataDir });
    const { sessionId, token } = await running.createPractice(SCRIPTED_PROBLEM);
    const crashed = storeUnansweredTurn(running, sessionId, 'r-1', 'What is the business goal?');
    running.store.appendEvent(sessionId, { type: 'candidate.message', turn: crashed.turns.at(-1), clientMsgId: 'r-1' });
    // The process died two deltas into the reply.
    running.store.appendEvent(sessionId, { type: 'interviewer.delta', turnId: 3, text: 'As ' });
    running.store.appendEvent(sessionId, { type: 'interviewer.delta', turnId: 3, text: 'I ' });
    const seenByLiveClient = running.store.lastSeq(sessionId);
    await running.close();

    running = await createHarness({ dataDir });
    /** The text a client shows for turn 3 from the deltas: a reset voids what came before it. */
    const streamedText = (frames: readonly Frame[]) => {
      let text = '';
      for (const frame of frames) {
        if (frame.type === 'interviewer.reset' && frame.turnId === 3) text = '';
        if (frame.type === 'interviewer.delta' && frame.turnId === 3) text += String(frame.text);
      }
      return text;
    };
    // A client that saw the broken deltas live, and reconnects after them.
    const live = await running.open(sessionId, token, seenByLiveClient);
    const reply = await live.waitFor((frame) => frame.type === 'interviewer.message' && turnOf(frame).id === 3, 'the reply');
    const reset = live.frames.find((frame) => frame.type === 'interviewer.reset');
    expect(reset).toMatchObject({ turnId: 3 });
    expect(reset!.seq).toBe(seenByLiveClient + 1);
    const before = [{ type: 'interviewer.delta', turnId: 3, text: 'As ' }, { type: 'interviewer.delta', turnId: 3, text: 'I ' }] as unknown as Frame[];
    expect(streamedText([...before, ...live.frames]).trim()).toBe(turnOf(reply).text.trim());
    live.terminate();
    // A client that replays everything sees the broken stream voided the same way.
    const replaying = await running.open(sessionId, token, 0);
    await replaying.waitFor((frame) => frame.type === 'interviewer.message' && turnOf(frame).id === 3, 'the replayed reply');
    expect(streamedText(replaying.frames).trim()).toBe(turnOf(reply).text.trim());
    replaying.terminate();
  });

  it('an interview that ended just before a crash still gets its ended event and its evaluation', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mlsd-crash-'));
    running = await createHarness({ dataDir, startWorker: false });
    const { sessionId, token } = await running.createPractice(SCRIPTED_PROBLEM);
    const socket = await running.open(sessionId, token);
    await say(socket, 'x-1', 'What is the business goal?');
    const lastSeen = running.store.lastSeq(sessionId);
    socket.terminate();
    // The candidate's `end` was stored, then the process died: no `ended` event, no evaluation job.
    const state = running.store.getSession(sessionId)!.state;
    running.store.saveState({ ...state, ended: true, endReason: 'candidate_ended', endedAt: new Date().toISOString() });
    await running.close();

    running = await createHarness({ dataDir });
    expect(running.store.evaluationStatus(sessionId)).toBe('none');
    const back = await running.open(sessionId, token, lastSeen);
    expect(back.frames[0]).toMatchObject({ type: 'ready', ended: true });
    const ended = await back.waitFor((frame) => frame.type === 'ended', 'the ended event');
    expect(ended).toMatchObject({ reason: 'candidate_ended', seq: lastSeen + 1 });
    const scorecard = await back.waitFor((frame) => frame.type === 'scorecard', 'the scorecard');
    Scorecard.parse(scorecard.scorecard);
    back.terminate();
  });

  it('the scorecard route queues the evaluation of an interview that ended just before a crash', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mlsd-crash-'));
    running = await createHarness({ dataDir, startWorker: false });
    const { sessionId, token } = await running.createPractice(SCRIPTED_PROBLEM);
    const state = running.store.getSession(sessionId)!.state;
    running.store.saveState({ ...state, ended: true, endReason: 'candidate_ended', endedAt: new Date().toISOString() });
    await running.close();

    running = await createHarness({ dataDir });
    const url = `/v1/sessions/${sessionId}/scorecard`;
    const headers = { authorization: `Bearer ${token}` };
    const first = await running.fastify.inject({ method: 'GET', url, headers });
    expect(first.statusCode === 200 || (first.statusCode === 202 && first.json().status !== 'interview_in_progress')).toBe(true);
    const done = await waitUntil(async () => {
      const response = await running!.fastify.inject({ method: 'GET', url, headers });
      return response.statusCode === 200 ? response : undefined;
    }, 'the scorecard');
    expect(Scorecard.parse(done.json()).transcriptId).toBe(sessionId);
  });

  it('reports a session whose stored state is unreadable with an error frame, and the server keeps serving others', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mlsd-crash-'));
    running = await createHarness({ dataDir });
    const broken = await running.createPractice(SCRIPTED_PROBLEM);
    const healthy = await running.createPractice(SCRIPTED_PROBLEM);
    await running.close();
    const db = new DatabaseSync(join(dataDir, 'mlsd-interviewer.sqlite'));
    db.prepare('UPDATE sessions SET state = ? WHERE id = ?').run(JSON.stringify({ schemaVersion: 1, id: broken.sessionId }), broken.sessionId);
    db.close();

    running = await createHarness({ dataDir });
    const socket = await running.connect(broken.sessionId);
    socket.send({ type: 'hello', token: broken.token });
    const error = await socket.waitFor((frame) => frame.type === 'error', 'an error frame');
    expect(error.code).toBe('file_invalid');
    expect(String(error.message)).not.toContain(dataDir);
    expect((await socket.waitForClose()).code).toBe(1011);
    const httpBroken = await running.fastify.inject({ method: 'GET', url: `/v1/sessions/${broken.sessionId}`, headers: { authorization: `Bearer ${broken.token}` } });
    expect(httpBroken.statusCode).toBe(500);
    expect(httpBroken.json()).toMatchObject({ error: { code: 'file_invalid' } });
    expect(httpBroken.body).not.toContain(dataDir);
    const http = await running.fastify.inject({ method: 'GET', url: `/v1/sessions/${healthy.sessionId}`, headers: { authorization: `Bearer ${healthy.token}` } });
    expect(http.statusCode).toBe(200);
    const other = await running.open(healthy.sessionId, healthy.token);
    await say(other, 'h-1', 'What is the business goal?');
    other.terminate();
  });
});

describe('graceful shutdown', () => {
  it('tells connected clients server_shutting_down and closes with 1001', async () => {
    const closing = await createHarness();
    const { sessionId, token } = await closing.createPractice(SCRIPTED_PROBLEM);
    const socket = await closing.open(sessionId, token);
    await say(socket, 'g-1', 'What is the business goal?');
    const seq = closing.store.lastSeq(sessionId);
    await closing.app.shutdown('restarting for a test');
    const { code } = await socket.waitForClose();
    expect(code).toBe(1001);
    expect(socket.frames.at(-1)).toMatchObject({ type: 'error', code: 'server_shutting_down', seq });
    await closing.close();
  });
});
