import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { LlmInterviewer } from '../../../src/agents/interviewer/llm-interviewer.ts';
import type { DimensionId } from '../../../src/evaluator/dimensions.ts';
import { PHASE_ORDER, type PhaseId } from '../../../src/interview/phases.ts';
import { AnthropicModel } from '../../../src/llm/anthropic/anthropic-model.ts';
import type { LanguageModel, ModelRequest, ObjectRequest, ObjectResponse, StreamPart } from '../../../src/llm/model.ts';
import { OpenAIModel } from '../../../src/llm/openai/openai-model.ts';
import { inCacheOrder, prefixShares } from '../../helpers/prefix-share.ts';
import { problem, resources, startSession, steppingClock } from '../../interview/interview-helpers.ts';
import { asQuestion, genericCandidate } from '../../offline/scripted-candidates.ts';

/**
 * Issue 11, item 2: over a whole scripted interview, each request a provider receives must start with
 * the request before it, byte for byte, so that the provider's prompt cache can serve almost all of it.
 * The bodies are the exact ones the real adapters would send (describeStreamRequest), for a model that
 * reveals facts, notes evidence, moves the phases on and ends the interview as a real one would.
 */

const card = problem('fraud-detection');
const { prompts, guide } = resources();
const DIMENSIONS: readonly DimensionId[] = ['problem_navigation', 'system_design', 'technical_depth', 'tradeoff_analysis', 'communication'];
/** Candidate turns after which the scripted model moves each phase on (the script below has 20 messages). */
const PLAN: Readonly<Record<PhaseId, number>> = { problem_exploration: 5, high_level_design: 4, deep_dive: 6, tradeoffs: 3, wrap_up: 2 };
const USAGE: StreamPart = { type: 'usage', usage: { inputTokens: 20_000, outputTokens: 60, cachedInputTokens: 19_000, cacheWriteTokens: 500 } };

/** The candidate: the generic script without its filler, 20 messages across the five phases. */
const MESSAGES = genericCandidate(card).slice(0, 20);

interface Reading {
  readonly phase: PhaseId;
  readonly turnsInPhase: number;
  readonly candidateTurnId: number;
  readonly candidateText: string;
  /** Whether this call follows tool results of the same turn. */
  readonly laterStep: boolean;
}

/** What the scripted model reads from a request: the turn context at its end and the newest candidate turn. */
function read(request: ModelRequest): Reading {
  const context = request.messages.at(-1);
  if (context?.role !== 'user') throw new Error('the request does not end with the turn context');
  const phase = /Current phase: .*\(`(\w+)`\)/.exec(context.content)?.[1] as PhaseId | undefined;
  const turnsInPhase = Number(/Candidate turns in this phase: (\d+)/.exec(context.content)?.[1]);
  const candidate = request.messages.findLast((message) => message.role === 'user' && message.content.startsWith('[turn '));
  const content = candidate?.role === 'user' ? candidate.content : '';
  const label = /^\[turn (\d+)\] ([^]*)$/.exec(content.slice(content.lastIndexOf('[turn ')));
  if (!phase || !label) throw new Error('cannot read the phase or the candidate turn from the request');
  return { phase, turnsInPhase, candidateTurnId: Number(label[1]), candidateText: label[2] ?? '', laterStep: request.messages.at(-2)?.role === 'tool' };
}

/** A model that plays the interviewer with tools, and records the body each real adapter would send. */
class ToolUsingModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  /** Each body exactly as `JSON.stringify` serialises it. */
  readonly bodies: string[] = [];
  /** Each body in the order the provider's cache reads it (see inCacheOrder). */
  readonly cacheOrdered: string[] = [];
  readonly requests: ModelRequest[] = [];
  readonly #adapter: LanguageModel;
  readonly #idPrefix: string;
  #calls = 0;

  constructor(adapter: LanguageModel, idPrefix: string) {
    this.#adapter = adapter;
    this.provider = adapter.provider;
    this.modelId = adapter.modelId;
    this.#idPrefix = idPrefix;
  }

  async *stream(request: ModelRequest): AsyncIterable<StreamPart> {
    this.requests.push(request);
    const body = this.#adapter.describeStreamRequest(request);
    this.bodies.push(JSON.stringify(body));
    this.cacheOrdered.push(inCacheOrder(body));
    for (const part of this.#reply(read(request))) yield part;
    yield USAGE;
  }

  #reply(reading: Reading): StreamPart[] {
    const text = (value: string): StreamPart => ({ type: 'text-delta', text: value });
    const call = (name: string, input: unknown): StreamPart => ({ type: 'tool-call', call: { id: `${this.#idPrefix}${(this.#calls += 1)}`, name, input } });
    const finish = (reason: 'stop' | 'tool_calls'): StreamPart => ({ type: 'finish', reason });
    const { phase, turnsInPhase, candidateTurnId } = reading;
    const note = call('note_evidence', { dimension: DIMENSIONS[candidateTurnId % DIMENSIONS.length], turnId: candidateTurnId, observation: `Turn ${candidateTurnId}: ${reading.candidateText.slice(0, 60)}` });
    if (reading.laterStep) return [text(`About turn ${candidateTurnId}: how does that change your design?`), finish('stop')];
    const asked = card.facts.find((fact) => fact.askedBy.some((phrasing) => asQuestion(phrasing) === reading.candidateText));
    if (asked && phase !== 'wrap_up') return [text('Let me check.'), call('reveal_fact', { factId: asked.id }), note, finish('tool_calls')];
    if (turnsInPhase >= PLAN[phase]) {
      if (phase === 'wrap_up') return [text('Thank you, that is our time.'), note, call('end_interview', { reason: 'summary and questions done' }), finish('tool_calls')];
      const next = PHASE_ORDER[PHASE_ORDER.indexOf(phase) + 1];
      return [text(`Let us move on to the next part (after turn ${candidateTurnId}).`), note, call('advance_phase', { to: next, reason: 'objective met' }), finish('tool_calls')];
    }
    // Every fourth candidate turn the model notes first and speaks in a second call, as models often do.
    if (candidateTurnId % 8 === 0) return [note, finish('tool_calls')];
    return [text(`You said something in turn ${candidateTurnId}; what would you check first?`), note, finish('tool_calls')];
  }

  generateObject(_request: ObjectRequest): Promise<ObjectResponse> {
    throw new Error('not used by the interviewer');
  }

  describeStreamRequest(request: ModelRequest): unknown {
    return this.#adapter.describeStreamRequest(request);
  }

  describeObjectRequest(): unknown {
    throw new Error('not used by the interviewer');
  }
}

const providers = [
  { name: 'openai', model: () => new ToolUsingModel(new OpenAIModel({ client: new OpenAI({ apiKey: 'test-key', baseURL: 'https://api.openai.com/v1' }), modelId: 'gpt-5.1' }), 'call_') },
  { name: 'anthropic', model: () => new ToolUsingModel(new AnthropicModel({ client: new Anthropic({ apiKey: 'test-key', baseURL: 'https://api.anthropic.com' }), modelId: 'claude-sonnet-4-6' }), 'toolu_') },
];

async function interview(model: ToolUsingModel) {
  const harness = startSession(card, { engine: new LlmInterviewer({ model, prompts, guide }), clock: steppingClock(20).clock, clockScale: 3 });
  for (const message of MESSAGES) {
    if (harness.session.ended) break;
    await harness.says(message);
  }
  return harness.session.state;
}

describe.each(providers)('requests of a scripted interview over $name', (provider) => {
  it('share at least 97% of their bytes with the request before, from the first turn to the last', async () => {
    const model = provider.model();
    const state = await interview(model);

    // The interview ran its course on the model alone: every phase, its tools, no fallback.
    expect(state.ended).toBe(true);
    expect(state.endReason).toBe('completed');
    expect(state.turns.length).toBeGreaterThanOrEqual(40);
    expect(state.turnMeta.filter((meta) => meta.fallbackFrom !== undefined)).toEqual([]);
    expect(state.revealedFacts.map((fact) => fact.factId)).toHaveLength(4);
    expect(state.notes.length).toBeGreaterThanOrEqual(19);
    expect(model.bodies.length).toBeGreaterThanOrEqual(25);

    const shares = prefixShares(model.cacheOrdered);
    expect(shares.overall).toBeGreaterThanOrEqual(0.97);
    // The raw bodies too, as a proxy that logs byte-identical prefixes (the llm-bridge's cache.log) sees them.
    expect(prefixShares(model.bodies).overall).toBeGreaterThanOrEqual(0.97);
    // The share must not decay as the conversation grows (it fell to 72% by the 37th request before).
    expect(prefixShares(model.cacheOrdered.slice(-11)).overall).toBeGreaterThanOrEqual(0.97);
    expect(Math.min(...shares.perRequest)).toBeGreaterThanOrEqual(0.95);
  });

  it('replay the earlier turns verbatim, tool calls and results included, in every later request', async () => {
    const model = provider.model();
    const state = await interview(model);
    const last = model.requests.at(-1);
    if (!last) throw new Error('no request was sent');
    const replayed = last.messages.flatMap((message) => (message.role === 'assistant' ? (message.toolCalls ?? []).map((call) => call.name) : []));
    // Every tool call of the earlier turns is still there (the final turn's own calls come after the last request).
    const stored = state.turnSteps.slice(0, -1).flatMap((entry) => entry.steps.flatMap((step) => step.toolCalls.map((call) => call.name)));
    expect(replayed).toEqual(stored);
    expect(replayed).toEqual(expect.arrayContaining(['reveal_fact', 'note_evidence', 'advance_phase']));
  });
});

describe('Anthropic cache breakpoints over the scripted interview', () => {
  it('mark the system prefix and the newest message of the history, never more than four per request', async () => {
    const model = providers[1]?.model();
    if (!model) throw new Error('no anthropic case');
    await interview(model);
    for (const body of model.bodies) {
      const parsed = JSON.parse(body) as { system: { cache_control?: unknown }[]; messages: { content: unknown }[] };
      expect(parsed.system.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
      expect(body.split('"cache_control"').length - 1).toBeLessThanOrEqual(4);
      // The history's newest message (before the trailing turn context) carries the breakpoint.
      expect(JSON.stringify(parsed.messages.at(-2))).toContain('"cache_control":{"type":"ephemeral"}');
      expect(JSON.stringify(parsed.messages.at(-1))).not.toContain('cache_control');
    }
  });
});
