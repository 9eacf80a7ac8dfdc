import { describe, expect, it } from 'vitest';
import { PHRASES } from '../../src/offline/phrases.ts';
import { problem, startSession } from '../interview/interview-helpers.ts';

const lastInterviewerText = (harness: ReturnType<typeof startSession>) => harness.session.state.turns.findLast((turn) => turn.role === 'interviewer')?.text ?? '';

describe('the offline interviewer in problem exploration', () => {
  it('asks a candidate who has not framed the problem to frame it before moving on', async () => {
    const harness = startSession(problem('support-assistant'));
    await harness.says('I would assume a good answer matters most for refunds.');
    expect(harness.session.state.phase).toBe('problem_exploration');
    expect(lastInterviewerText(harness)).toContain(PHRASES.frameIt);
    await harness.says('OK.');
    // Asked once is enough: the interview moves on rather than insisting.
    expect(harness.session.state.phase).toBe('high_level_design');
  });

  it('invites a candidate who frames at once to ask what they need, then moves on', async () => {
    const harness = startSession(problem('fraud-detection'));
    await harness.says('I will frame it as binary classification of each payment, with success measured by fraud losses avoided per false decline.');
    expect(harness.session.state.phase).toBe('problem_exploration');
    expect(lastInterviewerText(harness)).toContain(PHRASES.anythingElse);
    await harness.says('Nothing else for now.');
    expect(harness.session.state.phase).toBe('high_level_design');
  });
});
