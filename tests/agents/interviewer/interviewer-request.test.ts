import { describe, expect, it } from 'vitest';
import { buildInterviewerRequest, interviewerPromptIds, type InterviewerRequestInput } from '../../../src/agents/interviewer/interviewer-request.ts';
import { checkBudget } from '../../../src/interview/phase-machine.ts';
import type { InterviewState } from '../../../src/interview/interview-state.ts';
import { START, problem, resources, startSession } from '../../interview/interview-helpers.ts';

const card = problem('fraud-detection');
const { prompts, guide } = resources();
const NOW = new Date(START.getTime() + 60_000);

/** The state right after the candidate's first message, before any reply. */
async function stateAfter(message: string): Promise<InterviewState> {
  const harness = startSession(card);
  await harness.says(message);
  const state = harness.session.state;
  return { ...state, turns: state.turns.slice(0, 2), turnMeta: state.turnMeta.slice(0, 1), revealedFacts: [] };
}

function input(state: InterviewState, forcedTransition: string | null = null): InterviewerRequestInput {
  return { guide, prompts, problem: card, state, budget: checkBudget(state, NOW, 2), now: NOW, forcedTransition };
}

describe('buildInterviewerRequest', () => {
  it('orders the system prompt for caching: guide, then persona and card (cached), then the turn context', async () => {
    const request = buildInterviewerRequest(input(await stateAfter('How many transactions per second at peak?')));
    expect(request.system.map((block) => block.cache ?? false)).toEqual([false, true, false]);
    expect(request.system[0]?.text).toBe(guide.text);
    expect(request.system[1]?.text.startsWith(prompts.render('interviewer/persona'))).toBe(true);
    expect(request.system[2]?.text).toContain('Current phase: Problem exploration (`problem_exploration`).');
    expect(request.system[2]?.text).toContain('Candidate turns in this phase: 1 so far.');
    expect(request.system[2]?.text).toContain('Whole interview: 1.0 min (0.5 guide min) of a 45-60 guide-minute interview (90-120 min here).');
    expect(request.maxOutputTokens).toBe(4096);
  });

  it('keeps the cached prefix identical from turn to turn', async () => {
    const first = buildInterviewerRequest(input(await stateAfter('How many transactions per second at peak?')));
    const later = await stateAfter('What is the fraud rate?');
    const second = buildInterviewerRequest(input({ ...later, phase: 'deep_dive', revealedFacts: [{ factId: 'fraud-rate', turnId: 3 }] }));
    expect(second.system.slice(0, 2)).toEqual(first.system.slice(0, 2));
    expect(second.system[2]).not.toEqual(first.system[2]);
  });

  it('starts the conversation with a user message and labels candidate turns with their ids', async () => {
    const request = buildInterviewerRequest(input(await stateAfter('How many transactions per second at peak?')));
    expect(request.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(request.messages[0]).toEqual({ role: 'user', content: '(The candidate has joined. Open the interview.)' });
    expect(request.messages[2]).toEqual({ role: 'user', content: '[turn 2] How many transactions per second at peak?' });
  });

  it('merges consecutive turns of one role so roles alternate', async () => {
    const state = await stateAfter('First thought.');
    const withSecond = { ...state, turns: [...state.turns, { id: 3, role: 'candidate' as const, phase: 'problem_exploration' as const, text: 'Second thought.' }] };
    const request = buildInterviewerRequest(input(withSecond));
    expect(request.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(request.messages[2]).toEqual({ role: 'user', content: '[turn 2] First thought.\n\n[turn 3] Second thought.' });
  });

  it('lists revealed facts with their answers in the turn context, and only those', async () => {
    const state = { ...(await stateAfter('What is the fraud rate?')), revealedFacts: [{ factId: 'fraud-rate', turnId: 3 }] };
    const context = buildInterviewerRequest(input(state)).system[2]?.text ?? '';
    const fraudRate = card.facts.find((fact) => fact.id === 'fraud-rate');
    expect(context).toContain(`- \`fraud-rate\`: ${fraudRate?.answer}`);
    for (const fact of card.facts.filter((other) => other.id !== 'fraud-rate')) expect(context).not.toContain(fact.answer);
  });

  it('tells the model when the phase machine forced the move', async () => {
    const state = await stateAfter('Hello.');
    const moved: InterviewState = { ...state, phase: 'high_level_design', phaseStartedAt: NOW.toISOString(), candidateTurnsInPhase: 0 };
    const request = buildInterviewerRequest(input(moved, 'time budget spent (20.0 of 20 min)'));
    expect(request.system[2]?.text).toContain('Budget status: The phase machine has just moved the interview here from problem exploration: time budget spent (20.0 of 20 min). Say so briefly and begin this phase.');
    expect(request.system[2]?.text).toContain('Current phase: High-level design (`high_level_design`).');
  });

  it('names the prompts of each phase for version records', () => {
    expect(interviewerPromptIds('tradeoffs')).toEqual(['interviewer/persona', 'interviewer/problem-card', 'interviewer/turn-context', 'interviewer/phase-tradeoffs']);
  });
});
