import { describe, expect, it } from 'vitest';
import { isLeaveWord, parseChatCommand, phaseClock, statusText } from '../../../src/cli/terminal/chat-commands.ts';
import { INTERVIEW_SCHEMA_VERSION, type InterviewState } from '../../../src/interview/interview-state.ts';

describe('chat commands', () => {
  it('reads /help, /status, /end and its aliases /quit and /exit, in any case', () => {
    expect(parseChatCommand('/help')).toEqual({ type: 'help' });
    expect(parseChatCommand('  /status ')).toEqual({ type: 'status' });
    for (const word of ['/end', '/quit', '/QUIT', '/exit']) expect(parseChatCommand(word)).toEqual({ type: 'end' });
    expect(parseChatCommand('/stauts')).toEqual({ type: 'unknown', text: '/stauts' });
  });

  it('leaves answers that merely start with a slash, and plain words, to the interviewer', () => {
    expect(parseChatCommand('/predict takes 40 ms at p99')).toBeNull();
    expect(parseChatCommand('/v1/score')).toBeNull();
    expect(parseChatCommand('quit')).toBeNull();
    expect(parseChatCommand('I would end with /status checks')).toBeNull();
  });

  it('recognises a whole message that is only a word for leaving, and not a sentence containing one', () => {
    for (const word of ['quit', 'Quit.', 'exit', 'EXIT!', 'q']) expect(isLeaveWord(word)).toBe(true);
    for (const text of ['I would quit the batch job', 'quite', 'exit criteria?', 'bye', 'qq']) expect(isLeaveWord(text)).toBe(false);
  });

  it('shows the phase, its clock against its scaled budget, and the interview so far', () => {
    const state: InterviewState = {
      schemaVersion: INTERVIEW_SCHEMA_VERSION,
      id: 'status-test',
      problemId: 'fraud-detection',
      candidate: {},
      startedAt: '2025-01-01T09:00:00.000Z',
      phase: 'high_level_design',
      phaseStartedAt: '2025-01-01T09:14:00.000Z',
      candidateTurnsInPhase: 2,
      ended: false,
      turns: [],
      revealedFacts: [],
      notes: [],
      integrityFlags: [],
      turnMeta: [],
      turnSteps: [],
      offline: { probedConcepts: [], askedProbes: [], deepDiveAreas: [], constraintChanges: [], wrapUpStep: 0, unansweredQuestions: 0 },
    };
    const now = new Date('2025-01-01T09:21:30.000Z');
    expect(phaseClock(state, now, 2)).toBe('High-level design 7/24 min');
    expect(phaseClock(state, now, 1)).toBe('High-level design 7/12 min');
    expect(statusText(state, now, 2)).toBe('Phase 2 of 5: High-level design, 7 of 24 min, 2 of at most 9 answers. Interview so far: 21 min, 0 turns.');
  });
});
