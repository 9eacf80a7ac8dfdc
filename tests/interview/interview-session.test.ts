import { describe, expect, it } from 'vitest';
import { AppError, InterviewEndedError, InvalidInputError, ProviderError } from '../../src/errors.ts';
import type { EngineTurn, InterviewerEngine } from '../../src/interview/engine.ts';
import { InterviewSession, type SessionEvent } from '../../src/interview/interview-session.ts';
import { InterviewState } from '../../src/interview/interview-state.ts';
import { PHRASES } from '../../src/offline/phrases.ts';
import { START, ScriptedEngine, manualClock, offlineEngine, problem, silentLogger, startSession, steppingClock } from './interview-helpers.ts';

const card = problem('fraud-detection');
const volume = card.facts.find((fact) => fact.id === 'transaction-volume');
if (!volume) throw new Error('the fraud card has no transaction-volume fact');

function deltasOf(events: readonly SessionEvent[], turnId: number): string {
  return events
    .filter((event): event is Extract<SessionEvent, { type: 'interviewer.delta' }> => event.type === 'interviewer.delta' && event.turnId === turnId)
    .map((event) => event.text)
    .join('');
}

function lastInterviewerText(session: InterviewSession): string {
  const turn = session.state.turns.at(-1);
  if (turn?.role !== 'interviewer') throw new Error('the last turn is not the interviewer’s');
  return turn.text;
}

describe('InterviewSession.start', () => {
  it('opens with the problem’s ambiguous prompt at the injected time, and nothing revealed', () => {
    const { session } = startSession(card);
    expect(session.state).toMatchObject({ id: 'test-interview', problemId: 'fraud-detection', phase: 'problem_exploration', ended: false, startedAt: START.toISOString(), revealedFacts: [] });
    expect(session.state.turns).toHaveLength(1);
    expect(session.state.turns[0]).toMatchObject({ id: 1, role: 'interviewer', engine: 'template', at: START.toISOString() });
    expect(session.state.turns[0]?.text).toContain(card.opening);
    for (const fact of card.facts) expect(session.state.turns[0]?.text).not.toContain(fact.answer);
    expect(InterviewState.safeParse(session.state).success).toBe(true);
  });
});

describe('the opening', () => {
  it('sets the expectations the guide asks for: format, length, questions and assumptions, probing, an honest "not sure"', () => {
    const opening = startSession(card, { clockScale: 2 }).session.state.turns[0]?.text ?? '';
    expect(opening).toContain("I'm an AI interviewer");
    expect(opening).toContain('five phases in about 90-120 minutes (typing takes longer than talking)');
    expect(opening).toContain('Ask me clarifying questions at any time; where I have no answer, state an assumption');
    expect(opening).toContain("I'll sometimes keep probing until we reach the edge of what you know: that happens to everyone");
    expect(opening).toContain('"I\'m not sure, but I\'d reason like this" is a good answer');
    expect(opening.endsWith(`Here is the problem: ${card.opening}\n\nWhere would you like to start?`)).toBe(true);
  });

  it('gives the guide’s 45-60 minutes when the clock is not scaled', () => {
    expect(startSession(card, { clockScale: 1 }).session.state.turns[0]?.text).toContain('five phases in about 45-60 minutes:');
  });
});

describe('InterviewSession.candidateSays with the offline engine', () => {
  it('emits the candidate turn, then the streamed reply, then the reply itself, in that order', async () => {
    const harness = startSession(card, { clock: steppingClock(30).clock });
    await harness.says('How many transactions per second do we see at peak?');
    const types = harness.events.map((event) => event.type);
    expect(types[0]).toBe('candidate.message');
    expect(types.at(-1)).toBe('interviewer.message');
    expect(types.slice(1, -1).every((type) => type === 'interviewer.delta')).toBe(true);
    expect(types.length).toBeGreaterThan(3);

    const [candidate, last] = [harness.events[0], harness.events.at(-1)];
    if (candidate?.type !== 'candidate.message' || last?.type !== 'interviewer.message') throw new Error('unexpected events');
    expect(candidate.turn).toMatchObject({ id: 2, role: 'candidate', phase: 'problem_exploration', text: 'How many transactions per second do we see at peak?' });
    expect(last.turn).toMatchObject({ id: 3, role: 'interviewer', engine: 'offline' });
    expect(deltasOf(harness.events, 3)).toBe(last.turn.text);
    expect(last.turn.text).toContain(volume.answer);
    expect(harness.session.state.revealedFacts).toEqual([{ factId: 'transaction-volume', turnId: 3 }]);
    expect(harness.session.state.turns.map((turn) => turn.id)).toEqual([1, 2, 3]);
  });

  it('stamps every turn with the injected clock', async () => {
    const clock = manualClock();
    const harness = startSession(card, { clock: clock.clock });
    clock.advanceMinutes(3);
    await harness.says('What latency budget do we have for a decision?');
    const at = new Date(START.getTime() + 3 * 60_000).toISOString();
    expect(harness.session.state.turns.slice(1).map((turn) => turn.at)).toEqual([at, at]);
  });

  it('emits a phase event before the reply that moved the interview on', async () => {
    const harness = startSession(card);
    await harness.says('What is the fraud rate?');
    expect(harness.events.map((event) => event.type)).not.toContain('phase');
    harness.events.length = 0;
    // The offline engine moves on once the candidate frames the problem without asking anything more.
    await harness.says('I would frame it as a binary classification of each payment, measured by fraud dollars caught at a fixed decline rate.');
    const phaseIndex = harness.events.findIndex((event) => event.type === 'phase');
    const messageIndex = harness.events.findIndex((event) => event.type === 'interviewer.message');
    expect(harness.events[phaseIndex]).toMatchObject({ type: 'phase', phase: 'high_level_design', previous: 'problem_exploration', reason: 'the interviewer moved on' });
    expect(phaseIndex).toBeGreaterThan(0);
    expect(phaseIndex).toBeLessThan(messageIndex);
    expect(harness.session.state.turns.at(-1)?.phase).toBe('high_level_design');
    expect(harness.session.state.turns.at(-2)?.phase).toBe('problem_exploration');
  });

  it('stores the candidate’s turn before any engine is called (write-ahead)', async () => {
    const seen: { persistedCount: number; lastPersistedTurn: string | undefined }[] = [];
    let persistedSoFar: () => { count: number; last: string | undefined } = () => ({ count: 0, last: undefined });
    const engine = new ScriptedEngine('recording', () => {
      const snapshot = persistedSoFar();
      seen.push({ persistedCount: snapshot.count, lastPersistedTurn: snapshot.last });
      return { text: 'Noted. What would you do first?', actions: [], engine: 'recording', promptVersions: {} };
    });
    const harness = startSession(card, { engine });
    persistedSoFar = () => ({ count: harness.persisted.length, last: harness.persisted.at(-1)?.turns.at(-1)?.text });
    await harness.says('I would start from the decision the model drives.');
    expect(seen).toEqual([{ persistedCount: 1, lastPersistedTurn: 'I would start from the decision the model drives.' }]);
    expect(harness.persisted).toHaveLength(2);
    expect(harness.persisted[0]?.turns.at(-1)?.role).toBe('candidate');
    expect(harness.persisted[1]?.turns.at(-1)).toMatchObject({ role: 'interviewer', text: 'Noted. What would you do first?' });
  });

  it('passes the client message id to the write-ahead persist call only', async () => {
    const calls: (string | undefined)[] = [];
    const session = InterviewSession.start({
      problem: card,
      engine: offlineEngine(),
      fallback: offlineEngine(),
      clock: steppingClock().clock,
      clockScale: 2,
      maxMessageChars: 8000,
      logger: silentLogger,
      persist: (_state, clientMsgId) => {
        calls.push(clientMsgId);
      },
    });
    await session.candidateSays('What is the fraud rate?', () => {}, { clientMsgId: 'msg-1' });
    expect(calls).toEqual(['msg-1', undefined]);
  });

  it('rejects bad input before anything is stored', async () => {
    const harness = startSession(card, { maxMessageChars: 200 });
    await expect(harness.says('   ')).rejects.toMatchObject({ code: 'message_empty' });
    await expect(harness.says('x'.repeat(201))).rejects.toBeInstanceOf(InvalidInputError);
    expect(harness.persisted).toEqual([]);
    expect(harness.events).toEqual([]);
    expect(harness.session.state.turns).toHaveLength(1);
  });

  it('refuses a second message while the interviewer is still answering', async () => {
    let release: () => void = () => {};
    const engine = new ScriptedEngine('slow', async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return { text: 'Go on.', actions: [], engine: 'slow', promptVersions: {} };
    });
    const harness = startSession(card, { engine });
    const first = harness.says('First message.');
    await expect(harness.says('Second message.')).rejects.toMatchObject({ code: 'turn_in_progress' });
    release();
    await first;
    expect(harness.session.state.turns.map((turn) => turn.text)).toEqual([expect.any(String), 'First message.', 'Go on.']);
  });
});

describe('InterviewSession fallback when the engine fails', () => {
  it('lets the offline engine write the turn when the provider fails mid-stream, keeping the candidate turn', async () => {
    const failing = new ScriptedEngine('openai', (_input, onDelta) => {
      onDelta('How would');
      onDelta(' you');
      throw new ProviderError('openai', 'the server had an error', { status: 500, retryable: true });
    });
    const harness = startSession(card, { engine: failing });
    await harness.says('How many transactions per second do we see at peak?');

    const state = harness.session.state;
    expect(state.turns).toHaveLength(3);
    expect(state.turns[1]).toMatchObject({ role: 'candidate', text: 'How many transactions per second do we see at peak?' });
    expect(state.turns[2]).toMatchObject({ role: 'interviewer', engine: 'offline' });
    expect(state.turns[2]?.text).toContain(volume.answer);
    expect(state.turns[2]?.text).not.toContain('How would you');
    expect(state.turnMeta.at(-1)).toMatchObject({ turnId: 3, engine: 'offline', fallbackFrom: 'openai' });
    expect(state.revealedFacts).toEqual([{ factId: 'transaction-volume', turnId: 3 }]);
    expect(failing.inputs).toHaveLength(1);
    // The client saw the failed engine's partial text, a reset voiding it, then the fallback's reply.
    const types = harness.events.map((event) => event.type);
    const reset = types.indexOf('interviewer.reset');
    expect(types.slice(0, reset).filter((type) => type === 'interviewer.delta')).toHaveLength(2);
    expect(harness.events[reset]).toMatchObject({ type: 'interviewer.reset', turnId: 3 });
    expect(types.slice(reset + 1).filter((type) => type === 'interviewer.delta').length).toBeGreaterThan(0);
    const message = harness.events.at(-1);
    expect(message).toMatchObject({ type: 'interviewer.message', turn: { id: 3, text: state.turns[2]?.text } });
    expect(harness.persisted.at(-1)).toEqual(state);
  });

  it('keeps the candidate turn stored and unanswered when even the fallback fails, and replyToPending answers it later', async () => {
    const broken = new ScriptedEngine('offline', () => {
      throw new Error('disk on fire');
    });
    const events: SessionEvent[] = [];
    const persisted: InterviewState[] = [];
    const deps = { problem: card, engine: broken, fallback: broken, clock: steppingClock().clock, clockScale: 2, maxMessageChars: 8000, logger: silentLogger, persist: (state: InterviewState) => void persisted.push(state) };
    const session = InterviewSession.start(deps, { id: 'crashed' });
    await expect(session.candidateSays('What is the fraud rate?', (event) => events.push(event))).rejects.toThrow('disk on fire');
    expect(session.awaitingReply).toBe(true);
    expect(persisted.at(-1)?.turns.at(-1)).toMatchObject({ role: 'candidate', text: 'What is the fraud rate?' });

    // After a restart, the stored state is loaded and the pending turn is answered.
    const stored = InterviewState.parse(JSON.parse(JSON.stringify(persisted.at(-1))));
    const restarted = startSession(card, { state: stored });
    expect(restarted.session.awaitingReply).toBe(true);
    await restarted.session.replyToPending(restarted.emit);
    const fraudRate = card.facts.find((fact) => fact.id === 'fraud-rate');
    expect(lastInterviewerText(restarted.session)).toContain(fraudRate?.answer);
    expect(restarted.session.state.turns.map((turn) => turn.role)).toEqual(['interviewer', 'candidate', 'interviewer']);
    expect(restarted.session.awaitingReply).toBe(false);
    expect(restarted.events.map((event) => event.type)).not.toContain('candidate.message');

    // Nothing is pending any more: a second call writes nothing.
    await restarted.session.replyToPending(restarted.emit);
    expect(restarted.session.state.turns).toHaveLength(3);
  });

  it('does not swallow the error when the failing engine is the fallback itself', async () => {
    const broken = new ScriptedEngine('offline', () => {
      throw new ProviderError('openai', 'down', { retryable: true });
    });
    const session = InterviewSession.start({ problem: card, engine: broken, fallback: broken, clock: steppingClock().clock, clockScale: 2, maxMessageChars: 8000, logger: silentLogger });
    await expect(session.candidateSays('Hello there.', () => {})).rejects.toBeInstanceOf(ProviderError);
  });
});

describe('InterviewSession limits', () => {
  it('forces the next phase when the time budget is spent and tells the engine', async () => {
    const clock = manualClock();
    const harness = startSession(card, { clock: clock.clock, clockScale: 2 });
    await harness.says('What is the fraud rate?');
    clock.advanceMinutes(20);
    harness.events.length = 0;
    await harness.says('I think I have what I need about the labels.');
    expect(harness.events[0]?.type).toBe('candidate.message');
    expect(harness.events[1]).toMatchObject({ type: 'phase', phase: 'high_level_design', previous: 'problem_exploration' });
    expect(harness.events[1]?.type === 'phase' && harness.events[1].reason).toContain('time budget spent');
    expect(harness.session.state.phase).toBe('high_level_design');
    expect(lastInterviewerText(harness.session)).toContain(PHRASES.forcedMove);
    expect(harness.session.state.turns.at(-2)).toMatchObject({ role: 'candidate', phase: 'problem_exploration' });
  });

  /** A session in the wrap-up, started at START, whose clock runs out before the candidate's next message. */
  function wrapUpRunningOut(engine: InterviewerEngine) {
    const clock = manualClock();
    const opened = startSession(card, { clock: clock.clock }).session.state;
    const state: InterviewState = { ...opened, phase: 'wrap_up', phaseStartedAt: START.toISOString(), candidateTurnsInPhase: 1 };
    const harness = startSession(card, { clock: clock.clock, engine, state, clockScale: 1 });
    clock.advanceMinutes(7);
    return harness;
  }

  it('lets the engine write the closing turn when the clock ends the interview, so a last question is answered', async () => {
    const engine = new ScriptedEngine('scripted', (input) => ({
      text: 'You asked about the team: I am an AI interviewer, so a person will follow up on that. Thank you for your time; the written evaluation follows.',
      // Actions are still checked: nothing can be revealed once the interview is over.
      actions: [{ type: 'reveal-fact', factId: 'fraud-rate' }],
      engine: 'scripted',
      promptVersions: { seen: input.state.ended ? 'ended' : 'open' },
    }));
    const harness = wrapUpRunningOut(engine);
    await harness.says('How big is the team I would join?');
    expect(engine.inputs).toHaveLength(1);
    expect(engine.inputs[0]?.state).toMatchObject({ ended: true, endReason: 'time_up' });
    expect(engine.inputs[0]?.forcedTransition).toContain('time budget spent');
    expect(harness.session.state).toMatchObject({ ended: true, endReason: 'time_up', endedAt: new Date(START.getTime() + 7 * 60_000).toISOString(), revealedFacts: [] });
    expect(lastInterviewerText(harness.session)).toContain('You asked about the team');
    expect(harness.session.state.turnMeta.at(-1)).toMatchObject({ engine: 'scripted', promptVersions: { seen: 'ended' } });
    expect(harness.events.map((event) => event.type).slice(-2)).toEqual(['interviewer.message', 'ended']);
    expect(harness.events.at(-1)).toEqual({ type: 'ended', reason: 'time_up' });
  });

  it('falls back to the fixed closing when the engine fails on the closing turn, still answering the question', async () => {
    const engine = new ScriptedEngine('failing', () => {
      throw new ProviderError('openai', 'the provider is down', { retryable: true });
    });
    const harness = wrapUpRunningOut(engine);
    await harness.says('How big is the team I would join?');
    expect(engine.inputs).toHaveLength(1);
    expect(lastInterviewerText(harness.session)).toBe(`${PHRASES.answerCandidateQuestion}\n\n${PHRASES.closing}`);
    expect(harness.session.state.turnMeta.at(-1)).toMatchObject({ engine: 'offline', fallbackFrom: 'failing' });
    expect(harness.events.at(-1)).toEqual({ type: 'ended', reason: 'time_up' });
  });

  it('closes with the fixed closing alone when the candidate asked nothing', async () => {
    const harness = wrapUpRunningOut(offlineEngine());
    await harness.says('One more thing about the rollout.');
    expect(lastInterviewerText(harness.session)).toBe(PHRASES.closing);
    expect(harness.session.state).toMatchObject({ ended: true, endReason: 'time_up' });
  });
});

describe('InterviewSession end', () => {
  it('lets the candidate end the interview, once, at the injected time', async () => {
    const clock = manualClock();
    const harness = startSession(card, { clock: clock.clock });
    await harness.says('What is the fraud rate?');
    clock.advanceMinutes(4);
    await harness.session.endByCandidate(harness.emit);
    expect(harness.events.at(-1)).toEqual({ type: 'ended', reason: 'candidate_ended' });
    expect(harness.session.state).toMatchObject({ ended: true, endReason: 'candidate_ended', endedAt: new Date(START.getTime() + 4 * 60_000).toISOString() });
    expect(harness.persisted.at(-1)?.ended).toBe(true);

    const count = harness.events.length;
    await harness.session.endByCandidate(harness.emit);
    expect(harness.events).toHaveLength(count);
  });

  it('rejects messages after the end with InterviewEndedError and stores nothing', async () => {
    const harness = startSession(card);
    await harness.session.endByCandidate(harness.emit);
    const stored = harness.persisted.length;
    const error = await harness.says('Wait, one more question?').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InterviewEndedError);
    expect((error as AppError).code).toBe('interview_ended');
    expect(harness.persisted).toHaveLength(stored);
    expect(harness.session.state.turns).toHaveLength(1);
  });

  it('rejects messages after the interviewer completed the interview', async () => {
    const engine = new ScriptedEngine('closer', (): EngineTurn => ({ text: 'Thank you, that is all.', actions: [{ type: 'end-interview', reason: 'done' }], engine: 'closer', promptVersions: {} }));
    const opened = startSession(card).session.state;
    const harness = startSession(card, { engine, state: { ...opened, phase: 'wrap_up' } });
    await harness.says('No questions from me, thanks.');
    expect(harness.session.state).toMatchObject({ ended: true, endReason: 'completed' });
    expect(harness.events.slice(-2).map((event) => event.type)).toEqual(['interviewer.message', 'ended']);
    await expect(harness.says('Actually, one more.')).rejects.toBeInstanceOf(InterviewEndedError);
  });

  it('applies only the actions the phase machine allows and keeps going', async () => {
    const engine = new ScriptedEngine('overeager', (): EngineTurn => ({
      text: 'Let us jump ahead.',
      actions: [
        { type: 'advance-phase', to: 'deep_dive', reason: 'skip' },
        { type: 'end-interview', reason: 'too early' },
        { type: 'reveal-fact', factId: 'fraud-rate' },
      ],
      engine: 'overeager',
      promptVersions: {},
    }));
    const harness = startSession(card, { engine });
    await harness.says('What is the fraud rate?');
    expect(harness.session.state).toMatchObject({ phase: 'problem_exploration', ended: false, revealedFacts: [{ factId: 'fraud-rate', turnId: 3 }] });
    expect(harness.events.map((event) => event.type)).not.toContain('phase');
  });
});
