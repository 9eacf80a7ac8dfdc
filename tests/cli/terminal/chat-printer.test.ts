import { describe, expect, it } from 'vitest';
import { ChatPrinter } from '../../../src/cli/terminal/chat-printer.ts';
import type { Turn } from '../../../src/transcript/transcript.ts';

const REPLY = "Let's move to the high-level design. Walk me through the main components and how data flows between them.";
const turn = (text: string): Turn => ({ id: 3, role: 'interviewer', phase: 'high_level_design', text });

function screen(width: number | undefined, write: (printer: ChatPrinter) => void): string {
  let out = '';
  const printer = new ChatPrinter({ write: (text: string) => (out += text) }, { width: () => width, echoCandidate: false });
  write(printer);
  return out;
}

/** Streams a reply in deltas of a few characters, as a model does. */
function stream(printer: ChatPrinter, text: string): void {
  printer.startReply();
  for (let at = 0; at < text.length; at += 7) printer.print({ type: 'interviewer.delta', turnId: 3, text: text.slice(at, at + 7) });
}

describe('ChatPrinter', () => {
  it('finishes the reply on screen before a phase change the interviewer made while it streamed', () => {
    const shown = screen(50, (printer) => {
      stream(printer, REPLY);
      printer.print({ type: 'phase', phase: 'high_level_design', previous: 'problem_exploration', reason: 'the interviewer moved on', phaseStartedAt: '2025-01-01T09:00:00.000Z' });
      printer.print({ type: 'interviewer.message', turn: turn(REPLY) });
    });
    expect(shown).toBe("interviewer> Let's move to the high-level design.\nWalk me through the main components and how data\nflows between them.\n[phase: High-level design]\n\n\n");
  });

  it('writes the same characters as before when the output is not a terminal', () => {
    const shown = screen(undefined, (printer) => {
      stream(printer, REPLY);
      printer.print({ type: 'interviewer.message', turn: turn(REPLY) });
      printer.print({ type: 'ended', reason: 'candidate_ended' });
    });
    expect(shown).toBe(`interviewer> ${REPLY}\n\n[interview ended: candidate_ended]\n`);
  });

  it('wraps the stored reply too when it differs from what streamed, and a reply that came without a stream', () => {
    const differs = screen(30, (printer) => {
      stream(printer, 'How would you');
      printer.print({ type: 'interviewer.message', turn: turn(REPLY) });
    });
    expect(differs.startsWith('interviewer> How would you\n[the reply as stored:]\n')).toBe(true);
    for (const line of differs.split('\n')) expect(line.length).toBeLessThanOrEqual(30);
    const unstreamed = screen(30, (printer) => {
      printer.startReply();
      printer.print({ type: 'interviewer.message', turn: turn('Thanks, that is all the time we have today.') });
    });
    expect(unstreamed).toBe('interviewer> Thanks, that is\nall the time we have today.\n\n');
  });
});
