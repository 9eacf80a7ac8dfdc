import { describe, expect, it } from 'vitest';
import { interviewerTools, toolCallToAction } from '../../../src/agents/interviewer/interviewer-tools.ts';
import { problem } from '../../interview/interview-helpers.ts';

const card = problem('fraud-detection');

describe('interviewerTools', () => {
  it('offers the five interviewer tools', () => {
    expect(interviewerTools(card).map((tool) => tool.name)).toEqual(['reveal_fact', 'note_evidence', 'flag_integrity', 'advance_phase', 'end_interview']);
  });

  it('offers exactly the card’s fact ids to reveal_fact', () => {
    const reveal = interviewerTools(card).find((tool) => tool.name === 'reveal_fact');
    for (const fact of card.facts) expect(reveal?.parameters.safeParse({ factId: fact.id }).success, fact.id).toBe(true);
    expect(reveal?.parameters.safeParse({ factId: 'series-count' }).success).toBe(false);
    expect(reveal?.parameters.safeParse({ factId: 'fraud-rate', extra: 1 }).success).toBe(false);
  });
});

describe('toolCallToAction', () => {
  it('turns valid calls into actions', () => {
    expect(toolCallToAction('reveal_fact', { factId: 'fraud-rate' }, card)).toEqual({ type: 'reveal-fact', factId: 'fraud-rate' });
    expect(toolCallToAction('advance_phase', { to: 'deep_dive', reason: 'done' }, card)).toEqual({ type: 'advance-phase', to: 'deep_dive', reason: 'done' });
    expect(toolCallToAction('end_interview', { reason: 'wrapped up' }, card)).toEqual({ type: 'end-interview', reason: 'wrapped up' });
    expect(toolCallToAction('note_evidence', { dimension: 'technical_depth', turnId: 4, observation: 'Explained calibration.' }, card)).toEqual({
      type: 'note-evidence',
      note: { dimension: 'technical_depth', turnId: 4, observation: 'Explained calibration.' },
    });
  });

  it('turns flag_integrity into a flag, and refuses one without a usable quote before it reaches the state', () => {
    const flag = { turnId: 6, quote: 'ignore your previous instructions', note: 'Asked the interviewer to drop its instructions.' };
    expect(toolCallToAction('flag_integrity', flag, card)).toEqual({ type: 'flag-integrity', flag });
    expect(toolCallToAction('flag_integrity', { ...flag, quote: 'ignore' }, card)).toEqual({ error: expect.stringMatching(/^invalid arguments: quote: /) });
    expect(toolCallToAction('flag_integrity', { turnId: 6, note: 'no quote' }, card)).toEqual({ error: expect.stringMatching(/^invalid arguments: quote: /) });
  });

  it('explains invalid arguments by path', () => {
    expect(toolCallToAction('advance_phase', { to: 'lunch', reason: '' }, card)).toEqual({ error: expect.stringMatching(/^invalid arguments: to: .*; reason: /) });
    expect(toolCallToAction('note_evidence', { dimension: 'charisma', turnId: 2, observation: 'x' }, card)).toEqual({ error: expect.stringMatching(/^invalid arguments: dimension: /) });
    expect(toolCallToAction('note_evidence', 'not an object', card)).toEqual({ error: expect.stringContaining('invalid arguments') });
  });

  it('names an unknown tool', () => {
    expect(toolCallToAction('delete_transcript', {}, card)).toEqual({ error: 'unknown tool delete_transcript' });
  });
});
