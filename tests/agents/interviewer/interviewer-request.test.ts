import { describe, expect, it } from 'vitest';
import { buildInterviewerRequest, interviewerPromptIds, type InterviewerRequestInput } from '../../../src/agents/interviewer/interviewer-request.ts';
import { checkBudget } from '../../../src/interview/phase-machine.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InterviewState } from '../../../src/interview/interview-state.ts';
import { PROJECT_ROOT } from '../../../src/resources.ts';
import type { ModelMessage, ModelRequest } from '../../../src/llm/model.ts';
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

/** The trailing turn-context message of a request. */
function turnContext(request: ModelRequest): string {
  const last = request.messages.at(-1);
  if (last?.role !== 'user') throw new Error('the request does not end with the turn context');
  return last.content;
}

describe('buildInterviewerRequest', () => {
  it('caches the guide, persona and card as the system prompt and sends the turn context after the conversation', async () => {
    const request = buildInterviewerRequest(input(await stateAfter('How many transactions per second at peak?')));
    expect(request.system.map((block) => block.cache ?? false)).toEqual([false, true]);
    expect(request.system[0]?.text).toBe(guide.text);
    expect(request.system[1]?.text.startsWith(prompts.render('interviewer/persona'))).toBe(true);
    expect(JSON.stringify(request.system)).not.toContain('Current phase:');
    expect(turnContext(request)).toContain('Current phase: Problem exploration (`problem_exploration`).');
    expect(turnContext(request)).toContain('Candidate turns in this phase: 1; steer on after 7');
    expect(turnContext(request)).toContain('Whole interview: 1.0 of 90-120 min (0.5 of 45-60 guide min); phase 1 of 5.');
    expect(request.maxOutputTokens).toBe(4096);
  });

  it('keeps the system prompt and every earlier message identical from turn to turn', async () => {
    const firstState = await stateAfter('How many transactions per second at peak?');
    const first = buildInterviewerRequest(input(firstState));
    const later: InterviewState = {
      ...firstState,
      phase: 'high_level_design',
      revealedFacts: [{ factId: 'fraud-rate', turnId: 3 }],
      turns: [
        ...firstState.turns,
        { id: 3, role: 'interviewer', phase: 'problem_exploration', text: 'About 5,000.' },
        { id: 4, role: 'candidate', phase: 'high_level_design', text: 'Then a streaming design.' },
      ],
    };
    const second = buildInterviewerRequest(input(later));
    expect(second.system).toEqual(first.system);
    const stripCache = (messages: readonly ModelMessage[]) => messages.map(({ cache: _cache, ...message }) => message);
    // Everything but the trailing turn context is a prefix of the next request.
    expect(stripCache(second.messages.slice(0, first.messages.length - 1))).toEqual(stripCache(first.messages.slice(0, -1)));
    expect(turnContext(second)).not.toEqual(turnContext(first));
  });

  it('marks the newest message of the conversation, not the turn context, as the end of the cached prefix', async () => {
    const request = buildInterviewerRequest(input(await stateAfter('How many transactions per second at peak?')));
    expect(request.messages.map((message) => message.cache === true)).toEqual([false, false, true, false]);
  });

  it('starts the conversation with a user message and labels candidate turns with their ids', async () => {
    const request = buildInterviewerRequest(input(await stateAfter('How many transactions per second at peak?')));
    expect(request.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'user']);
    expect(request.messages[0]).toEqual({ role: 'user', content: '(The candidate has joined. Open the interview.)' });
    expect(request.messages[2]).toEqual({ role: 'user', content: '[turn 2] How many transactions per second at peak?', cache: true });
  });

  it('merges consecutive turns of one role so roles alternate', async () => {
    const state = await stateAfter('First thought.');
    const withSecond = { ...state, turns: [...state.turns, { id: 3, role: 'candidate' as const, phase: 'problem_exploration' as const, text: 'Second thought.' }] };
    const request = buildInterviewerRequest(input(withSecond));
    expect(request.messages.slice(0, -1).map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(request.messages[2]).toEqual({ role: 'user', content: '[turn 2] First thought.\n\n[turn 3] Second thought.', cache: true });
  });

  it('replays an LLM turn as the model calls that wrote it: text, tool calls and tool results verbatim', async () => {
    const state = await stateAfter('How many transactions per second at peak?');
    const withReply: InterviewState = {
      ...state,
      turns: [...state.turns, { id: 3, role: 'interviewer', phase: 'problem_exploration', text: 'Let me check.\n\nAbout 5,000.' }, { id: 4, role: 'candidate', phase: 'problem_exploration', text: 'Thanks.' }],
      turnSteps: [
        {
          turnId: 3,
          steps: [
            { text: 'Let me check.', toolCalls: [{ id: 'c1', name: 'reveal_fact', input: { factId: 'transaction-volume' } }], results: [{ toolCallId: 'c1', name: 'reveal_fact', content: 'About 5,000.' }] },
            { text: 'About 5,000.', toolCalls: [{ id: 'c2', name: 'note_evidence', input: { dimension: 'problem_navigation', turnId: 2, observation: 'Asked.' } }], results: [{ toolCallId: 'c2', name: 'note_evidence', content: 'refused: no', isError: true }] },
          ],
        },
      ],
    };
    const request = buildInterviewerRequest(input(withReply));
    expect(request.messages.slice(3, -1)).toEqual([
      { role: 'assistant', content: 'Let me check.', toolCalls: [{ id: 'c1', name: 'reveal_fact', input: { factId: 'transaction-volume' } }] },
      { role: 'tool', results: [{ toolCallId: 'c1', name: 'reveal_fact', content: 'About 5,000.' }] },
      { role: 'assistant', content: 'About 5,000.', toolCalls: [{ id: 'c2', name: 'note_evidence', input: { dimension: 'problem_navigation', turnId: 2, observation: 'Asked.' } }] },
      { role: 'tool', results: [{ toolCallId: 'c2', name: 'note_evidence', content: 'refused: no', isError: true }] },
      { role: 'user', content: '[turn 4] Thanks.', cache: true },
    ]);
  });

  it('lists the revealed facts by id and turn in the turn context, and sends no hidden answer', async () => {
    const state = { ...(await stateAfter('What is the fraud rate?')), revealedFacts: [{ factId: 'fraud-rate', turnId: 3 }] };
    const request = buildInterviewerRequest(input(state));
    expect(turnContext(request)).toContain('(id and turn; their answers are in the conversation above): `fraud-rate` (3)\n');
    // The answer itself reaches the model only in the reveal_fact result replayed in the conversation.
    for (const fact of card.facts) expect(JSON.stringify(request)).not.toContain(fact.answer);
  });

  it('lists the evidence noted so far by dimension, so the model sees which notes it wrote and what is missing', async () => {
    const state = await stateAfter('How many transactions per second at peak?');
    expect(turnContext(buildInterviewerRequest(input(state)))).toContain('(candidate turn ids by dimension): problem_navigation none; technical_depth none;');
    const noted = {
      ...state,
      notes: [
        { dimension: 'problem_navigation' as const, turnId: 2, observation: 'Asked about peak scale first.' },
        { dimension: 'communication' as const, turnId: 2, observation: 'Clear question.' },
        { dimension: 'problem_navigation' as const, turnId: 4, observation: 'Asked about labels.' },
      ],
    };
    const context = turnContext(buildInterviewerRequest(input(noted)));
    expect(context).toContain('problem_navigation 2, 4;');
    expect(context).toContain('; communication 2\n');
    expect(context).toContain('; system_design none;');
  });

  it('describes the context state in the turn context, listing a fact revealed in this turn by id only', async () => {
    const state = await stateAfter('How many transactions per second at peak?');
    const moved: InterviewState = { ...state, phase: 'high_level_design', revealedFacts: [{ factId: 'transaction-volume', turnId: 3 }] };
    const context = turnContext(buildInterviewerRequest({ ...input(state), contextState: moved }));
    expect(context).toContain('(`high_level_design`)');
    expect(context).toContain('conversation above): `transaction-volume` (3)');
    expect(context).not.toContain(card.facts.find((fact) => fact.id === 'transaction-volume')?.answer);
  });

  it('tells the model when the phase machine forced the move', async () => {
    const state = await stateAfter('Hello.');
    const moved: InterviewState = { ...state, phase: 'high_level_design', phaseStartedAt: NOW.toISOString(), candidateTurnsInPhase: 0 };
    const request = buildInterviewerRequest(input(moved, 'time budget spent (20.0 of 20 min)'));
    expect(turnContext(request)).toContain('Budget status: The phase machine has just moved the interview here from problem exploration: time budget spent (20.0 of 20 min). Say so briefly and begin this phase.');
    expect(turnContext(request)).toContain('Current phase: High-level design (`high_level_design`).');
  });

  it('replays a state stored before turn steps were kept (schema v1) as text, roles alternating', () => {
    const stored = InterviewState.parse(JSON.parse(readFileSync(join(PROJECT_ROOT, 'tests', 'fixtures', 'state', 'interview-state-v1.json'), 'utf8')));
    expect(stored.turnSteps).toEqual([]);
    const request = buildInterviewerRequest(input(stored));
    const history = request.messages.slice(0, -1);
    expect(history).toHaveLength(stored.turns.length + 1);
    history.forEach((message, index) => expect(message.role).toBe(index % 2 === 0 ? 'user' : 'assistant'));
    expect(history.at(-1)).toMatchObject({ role: 'assistant', content: stored.turns.at(-1)?.text, cache: true });
  });

  it('names every prompt a request carries for version records: all phases and the closing are in the cached prompt', () => {
    expect(interviewerPromptIds()).toEqual([
      'interviewer/persona',
      'interviewer/problem-card',
      'interviewer/turn-context',
      'interviewer/phase-problem_exploration',
      'interviewer/phase-high_level_design',
      'interviewer/phase-deep_dive',
      'interviewer/phase-tradeoffs',
      'interviewer/phase-wrap_up',
      'interviewer/closing',
    ]);
  });

  it('keeps every phase\'s instructions and the clock in the cached system prompt, and names only the current phase in the turn context', async () => {
    const request = buildInterviewerRequest(input(await stateAfter('Hello.')));
    const cached = request.system[1]?.text ?? '';
    for (const phase of ['problem_exploration', 'high_level_design', 'deep_dive', 'tradeoffs', 'wrap_up']) expect(cached).toContain(prompts.render(`interviewer/phase-${phase}`));
    expect(cached).toContain(prompts.render('interviewer/closing'));
    expect(cached).toContain('one guide minute is 2 minutes of wall-clock time here');
    expect(turnContext(request)).toContain('Follow "Problem exploration" under "What to do in each phase"');
    expect(turnContext(request)).not.toContain(prompts.render('interviewer/phase-problem_exploration'));
  });
});
