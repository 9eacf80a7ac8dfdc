import { describe, expect, it } from 'vitest';
import { LlmInterviewer } from '../../../src/agents/interviewer/llm-interviewer.ts';
import { ModelOutputError } from '../../../src/errors.ts';
import type { EngineInput } from '../../../src/interview/engine.ts';
import { checkBudget } from '../../../src/interview/phase-machine.ts';
import type { LanguageModel, ModelMessage, ModelRequest, ObjectRequest, ObjectResponse, StreamPart } from '../../../src/llm/model.ts';
import { InterviewState } from '../../../src/interview/interview-state.ts';
import { buildInterviewerRequest } from '../../../src/agents/interviewer/interviewer-request.ts';
import { START, problem, resources, startSession } from '../../interview/interview-helpers.ts';

const card = problem('fraud-detection');
const { prompts, guide } = resources();
const volumeAnswer = card.facts.find((fact) => fact.id === 'transaction-volume')?.answer ?? 'missing fact';
const USAGE = { inputTokens: 100, outputTokens: 10, cachedInputTokens: 80, cacheWriteTokens: 0 };

/** A model that answers each call with the next scripted list of stream parts and records the requests. */
class ScriptedModel implements LanguageModel {
  readonly provider = 'scripted';
  readonly modelId = 'scripted-1';
  readonly requests: ModelRequest[] = [];
  readonly #steps: StreamPart[][];

  constructor(steps: StreamPart[][]) {
    this.#steps = steps;
  }

  async *stream(request: ModelRequest): AsyncIterable<StreamPart> {
    this.requests.push(request);
    const parts = this.#steps.shift();
    if (!parts) throw new Error('no scripted step left');
    for (const part of parts) yield part;
  }

  generateObject(_request: ObjectRequest): Promise<ObjectResponse> {
    throw new Error('not used by the interviewer');
  }

  describeStreamRequest(request: ModelRequest): unknown {
    return { described: true, systemBlocks: request.system.length, messages: request.messages.length };
  }

  describeObjectRequest(): unknown {
    throw new Error('not used by the interviewer');
  }
}

const text = (value: string): StreamPart => ({ type: 'text-delta', text: value });
const call = (id: string, name: string, input: unknown): StreamPart => ({ type: 'tool-call', call: { id, name, input } });
const finish = (reason: 'stop' | 'tool_calls'): StreamPart[] => [{ type: 'usage', usage: USAGE }, { type: 'finish', reason }];

/** The engine input after the candidate's first message, as the session would build it. */
async function inputAfter(message: string): Promise<EngineInput> {
  const harness = startSession(card, { engine: new LlmInterviewer({ model: new ScriptedModel([[text('Go on.'), ...finish('stop')]]), prompts, guide }) });
  await harness.says(message);
  const state = { ...harness.session.state, turns: harness.session.state.turns.slice(0, 2), turnMeta: harness.session.state.turnMeta.slice(0, 1) };
  const now = new Date(START.getTime() + 60_000);
  return { state, problem: card, now, budget: checkBudget(state, now, 2), forcedTransition: null };
}

async function run(model: ScriptedModel, input: EngineInput) {
  const deltas: string[] = [];
  const turn = await new LlmInterviewer({ model, prompts, guide }).nextTurn(input, (delta) => deltas.push(delta));
  return { turn, streamed: deltas.join('') };
}

describe('LlmInterviewer tool loop', () => {
  it('joins the text of separate steps with a blank line, in the reply and in the stream', async () => {
    const model = new ScriptedModel([
      [text('Let me check.'), call('c1', 'reveal_fact', { factId: 'transaction-volume' }), ...finish('tool_calls')],
      [text('About 5,000 per second at peak.'), ...finish('stop')],
    ]);
    const { turn, streamed } = await run(model, await inputAfter('How many transactions per second at peak?'));
    expect(turn.text).toBe('Let me check.\n\nAbout 5,000 per second at peak.');
    expect(streamed).toBe(turn.text);
    expect(turn.actions).toEqual([{ type: 'reveal-fact', factId: 'transaction-volume' }]);
    expect(turn.usage).toEqual({ inputTokens: 200, outputTokens: 20, cachedInputTokens: 160, cacheWriteTokens: 0 });
    // The assistant's own words go back without the separator.
    expect(model.requests[1]?.messages.at(-3)).toMatchObject({ role: 'assistant', content: 'Let me check.' });
    // Stored verbatim, so later requests replay the turn as it happened.
    expect(turn.steps).toEqual([
      { text: 'Let me check.', toolCalls: [{ id: 'c1', name: 'reveal_fact', input: { factId: 'transaction-volume' } }], results: [{ toolCallId: 'c1', name: 'reveal_fact', content: volumeAnswer }] },
      { text: 'About 5,000 per second at peak.', toolCalls: [], results: [] },
    ]);
  });

  it('sends each later step as the earlier request plus the new model call; only the turn context moves to the end', async () => {
    const model = new ScriptedModel([
      [call('c1', 'note_evidence', { dimension: 'problem_navigation', turnId: 2, observation: 'Asked about scale first.' }), call('c2', 'reveal_fact', { factId: 'transaction-volume' }), ...finish('tool_calls')],
      [text('About 5,000 per second at peak.'), ...finish('stop')],
    ]);
    await run(model, await inputAfter('How many transactions per second at peak?'));
    const [first, second] = model.requests;
    if (!first || !second) throw new Error('expected two requests');
    expect(second.system).toEqual(first.system);
    const history = first.messages.slice(0, -1).map(({ cache: _cache, ...message }) => message);
    expect(second.messages.slice(0, history.length).map(({ cache: _cache, ...message }) => message)).toEqual(history);
    expect(second.messages.slice(history.length).map((message) => [message.role, message.cache === true])).toEqual([
      ['assistant', false],
      ['tool', true],
      ['user', false],
    ]);
    const context = second.messages.at(-1);
    // The note taken in this turn is listed; the fact revealed in this turn is only in its tool result.
    expect(context?.role === 'user' ? context.content : '').toContain('problem_navigation 2;');
    expect(JSON.stringify(second.messages.slice(0, -2))).not.toContain(volumeAnswer);
    expect(context?.role === 'user' ? context.content : '').not.toContain(volumeAnswer);
  });

  it('ends the turn after text plus bookkeeping-only calls, without another model call', async () => {
    const model = new ScriptedModel([
      [text('Good. How would you measure success?'), call('c1', 'note_evidence', { dimension: 'problem_navigation', turnId: 2, observation: 'Asked about scale first.' }), ...finish('tool_calls')],
    ]);
    const { turn } = await run(model, await inputAfter('How many transactions per second at peak?'));
    expect(model.requests).toHaveLength(1);
    expect(turn.text).toBe('Good. How would you measure success?');
    expect(turn.actions).toEqual([{ type: 'note-evidence', note: { dimension: 'problem_navigation', turnId: 2, observation: 'Asked about scale first.' } }]);
  });

  it('returns bad tool calls to the model as errors and applies nothing from them', async () => {
    const model = new ScriptedModel([
      [call('c1', 'reveal_fact', { factId: 'office-carpet' }), call('c2', 'delete_transcript', {}), call('c3', 'note_evidence', { dimension: 'communication', turnId: 1, observation: 'Interviewer turn.' }), ...finish('tool_calls')],
      [text('What would you assume, and why?'), ...finish('stop')],
    ]);
    const { turn } = await run(model, await inputAfter('What colour is the carpet?'));
    expect(turn.actions).toEqual([]);
    const results = model.requests[1]?.messages.at(-2);
    if (results?.role !== 'tool') throw new Error('the second request does not end with tool results');
    expect(results.results.map((result) => [result.toolCallId, result.isError])).toEqual([
      ['c1', true],
      ['c2', true],
      ['c3', true],
    ]);
    expect(results.results[0]?.content).toMatch(/^invalid arguments: factId: /);
    expect(results.results[1]?.content).toBe('unknown tool delete_transcript');
    expect(results.results[2]?.content).toBe('refused: turn 1 is not a candidate turn of this interview');
  });

  it('shows a phase moved during the turn in the next step’s instructions', async () => {
    const model = new ScriptedModel([
      [call('c1', 'advance_phase', { to: 'high_level_design', reason: 'framed' }), ...finish('tool_calls')],
      [text("Let's move to the design."), ...finish('stop')],
    ]);
    const { turn } = await run(model, await inputAfter('I would frame it as binary classification per payment.'));
    expect(turn.actions).toEqual([{ type: 'advance-phase', to: 'high_level_design', reason: 'framed' }]);
    const secondContext = model.requests[1]?.messages.at(-1);
    const contextText = secondContext?.role === 'user' ? secondContext.content : '';
    expect(contextText).toContain('Current phase: High-level design');
    expect(contextText).toContain('Follow "High-level design"');
  });

  it('stores the turn’s model calls in the session state, and a reloaded state replays them unchanged', async () => {
    const model = new ScriptedModel([
      [text('Let me check.'), call('c1', 'reveal_fact', { factId: 'transaction-volume' }), ...finish('tool_calls')],
      [text('About 5,000 per second at peak.'), call('c2', 'note_evidence', { dimension: 'problem_navigation', turnId: 2, observation: 'Asked about scale first.' }), ...finish('tool_calls')],
      [text('Go on.'), ...finish('stop')],
    ]);
    const harness = startSession(card, { engine: new LlmInterviewer({ model, prompts, guide }) });
    await harness.says('How many transactions per second at peak?');
    const stored = harness.persisted.at(-1);
    if (!stored) throw new Error('nothing was persisted');
    expect(stored.turnSteps).toEqual([{ turnId: 3, steps: [expect.objectContaining({ text: 'Let me check.' }), expect.objectContaining({ text: 'About 5,000 per second at peak.' })] }]);

    const reloaded = InterviewState.parse(JSON.parse(JSON.stringify(stored)));
    await harness.says('I would design for 15,000 per second.');
    const now = new Date(START.getTime() + 60_000);
    const rebuilt = buildInterviewerRequest({ guide, prompts, problem: card, state: reloaded, budget: checkBudget(reloaded, now, 2), now, forcedTransition: null });
    // The last request (turn 5) starts with the history a reloaded state rebuilds, message for message.
    const strip = (messages: readonly ModelMessage[]) => messages.map(({ cache: _cache, ...message }) => message);
    const history = strip(rebuilt.messages.slice(0, -1));
    expect(strip(model.requests.at(-1)?.messages.slice(0, history.length) ?? [])).toEqual(history);
    expect(history.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'tool', 'assistant', 'tool']);
  });

  it('fails with ModelOutputError when the model never speaks, so the session falls back', async () => {
    const loop = Array.from({ length: 4 }, (_, index) => [call(`c${index}`, 'reveal_fact', { factId: 'fraud-rate' }), ...finish('tool_calls')]);
    const model = new ScriptedModel(loop);
    await expect(run(model, await inputAfter('What is the fraud rate?'))).rejects.toBeInstanceOf(ModelOutputError);
    expect(model.requests).toHaveLength(4);

    const harness = startSession(card, { engine: new LlmInterviewer({ model: new ScriptedModel([[text('   '), ...finish('stop')]]), prompts, guide }) });
    await harness.says('What is the fraud rate?');
    expect(harness.session.state.turnMeta.at(-1)).toMatchObject({ engine: 'offline', fallbackFrom: 'scripted' });
  });

  it('describes the next request without calling the model', async () => {
    const model = new ScriptedModel([]);
    const input = await inputAfter('Hello.');
    expect(new LlmInterviewer({ model, prompts, guide }).describeNextRequest(input)).toEqual({ described: true, systemBlocks: 2, messages: 4 });
    expect(model.requests).toEqual([]);
  });
});
