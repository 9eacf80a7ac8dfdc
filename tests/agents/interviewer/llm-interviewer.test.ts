import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { LlmInterviewer } from '../../../src/agents/interviewer/llm-interviewer.ts';
import { AnthropicModel } from '../../../src/llm/anthropic/anthropic-model.ts';
import type { LanguageModel, Usage } from '../../../src/llm/model.ts';
import { OpenAIModel } from '../../../src/llm/openai/openai-model.ts';
import { ANTHROPIC_MESSAGES_URL, OPENAI_CHAT_URL } from '../../helpers/msw-server.ts';
import { problem, resources, startSession, type SessionHarness } from '../../interview/interview-helpers.ts';
import { jsonReply, sseReply, useScriptedProvider, type ScriptedReply } from '../../helpers/scripted-provider.ts';

const provider = useScriptedProvider();
const card = problem('fraud-detection');
const { prompts, guide } = resources();
const volume = card.facts.find((fact) => fact.id === 'transaction-volume');
if (!volume) throw new Error('the fraud card has no transaction-volume fact');
const QUESTION = 'How many transactions per second do we see at peak?';

/** How one provider's wire format is read back in assertions. */
interface ProviderCase {
  readonly name: 'openai' | 'anthropic';
  readonly url: string;
  readonly modelId: string;
  model(): LanguageModel;
  readonly fixtures: {
    readonly text: string;
    readonly textUsage: Usage;
    readonly revealFact: string;
    readonly textAfterReveal: string;
    readonly twoStepUsage: Usage;
    readonly advanceSkip: string;
    readonly textAfterRefusal: string;
    readonly serverError: ScriptedReply;
    readonly midStreamError: string;
    readonly midStreamText: string;
  };
  systemText(body: unknown): string;
  /** Tool results sent back to the model, as `{ content, isError }`. */
  toolResults(body: unknown): { content: string; isError: boolean }[];
  /** The body with its tool results removed. */
  withoutToolResults(body: unknown): unknown;
  toolNames(body: unknown): string[];
}

interface Body {
  system?: { text: string }[];
  messages: { role: string; content: unknown; tool_call_id?: string }[];
  tools?: ({ name: string } | { function: { name: string } })[];
}

const asBody = (body: unknown) => body as Body;

const openai: ProviderCase = {
  name: 'openai',
  url: OPENAI_CHAT_URL,
  modelId: 'gpt-5.1',
  // baseURL is explicit so an OPENAI_BASE_URL in the environment cannot redirect the tests.
  model: () => new OpenAIModel({ client: new OpenAI({ apiKey: 'test-key', baseURL: 'https://api.openai.com/v1', maxRetries: 0 }), modelId: 'gpt-5.1' }),
  fixtures: {
    text: 'openai/text.chunks.txt',
    textUsage: { inputTokens: 2310, outputTokens: 18, cachedInputTokens: 2048, cacheWriteTokens: 0 },
    revealFact: 'openai/interviewer-reveal-fact.chunks.txt',
    textAfterReveal: 'openai/interviewer-text-after-reveal.chunks.txt',
    twoStepUsage: { inputTokens: 9120 + 9290, outputTokens: 21 + 24, cachedInputTokens: 8960 + 9088, cacheWriteTokens: 0 },
    advanceSkip: 'openai/interviewer-advance-skip.chunks.txt',
    textAfterRefusal: 'openai/interviewer-text-after-refusal.chunks.txt',
    serverError: jsonReply('openai/server-error.json', 500),
    midStreamError: 'openai/stream-error.chunks.txt',
    midStreamText: 'How would you',
  },
  systemText: (body) =>
    asBody(body)
      .messages.filter((message) => message.role === 'system')
      .map((message) => String(message.content))
      .join('\n'),
  toolResults: (body) =>
    asBody(body)
      .messages.filter((message) => message.role === 'tool')
      .map((message) => {
        const content = String(message.content);
        // Chat Completions has no error flag: the adapter says it in the content.
        return content.startsWith('Error: ') ? { content: content.slice('Error: '.length), isError: true } : { content, isError: false };
      }),
  withoutToolResults: (body) => ({ ...asBody(body), messages: asBody(body).messages.filter((message) => message.role !== 'tool') }),
  toolNames: (body) => (asBody(body).tools ?? []).map((tool) => ('function' in tool ? tool.function.name : tool.name)),
};

type AnthropicBlock = { type: string; content?: string; is_error?: boolean };
const blocksOf = (content: unknown): AnthropicBlock[] => (Array.isArray(content) ? (content as AnthropicBlock[]) : []);

const anthropic: ProviderCase = {
  name: 'anthropic',
  url: ANTHROPIC_MESSAGES_URL,
  modelId: 'claude-sonnet-4-6',
  // baseURL is explicit so an ANTHROPIC_BASE_URL in the environment cannot redirect the tests.
  model: () => new AnthropicModel({ client: new Anthropic({ apiKey: 'test-key', baseURL: 'https://api.anthropic.com', maxRetries: 0 }), modelId: 'claude-sonnet-4-6' }),
  fixtures: {
    text: 'anthropic/text.sse.txt',
    textUsage: { inputTokens: 24 + 1850, outputTokens: 19, cachedInputTokens: 1850, cacheWriteTokens: 0 },
    revealFact: 'anthropic/interviewer-reveal-fact.sse.txt',
    textAfterReveal: 'anthropic/interviewer-text-after-reveal.sse.txt',
    twoStepUsage: { inputTokens: 160 + 8840 + 230 + 8840, outputTokens: 58 + 27, cachedInputTokens: 8840, cacheWriteTokens: 8840 },
    advanceSkip: 'anthropic/interviewer-advance-skip.sse.txt',
    textAfterRefusal: 'anthropic/interviewer-text-after-refusal.sse.txt',
    serverError: jsonReply('anthropic/api-error.json', 500),
    midStreamError: 'anthropic/stream-overloaded.sse.txt',
    midStreamText: 'How would you',
  },
  systemText: (body) => (asBody(body).system ?? []).map((block) => block.text).join('\n'),
  toolResults: (body) =>
    asBody(body)
      .messages.flatMap((message) => blocksOf(message.content))
      .filter((block) => block.type === 'tool_result')
      .map((block) => ({ content: String(block.content), isError: block.is_error === true })),
  withoutToolResults: (body) => ({
    ...asBody(body),
    messages: asBody(body).messages.map((message) => (Array.isArray(message.content) ? { ...message, content: blocksOf(message.content).filter((block) => block.type !== 'tool_result') } : message)),
  }),
  toolNames: (body) => (asBody(body).tools ?? []).map((tool) => ('name' in tool ? tool.name : tool.function.name)),
};

function sessionWith(providerCase: ProviderCase): SessionHarness {
  return startSession(card, { engine: new LlmInterviewer({ model: providerCase.model(), prompts, guide }) });
}

function bodyAt(index: number): unknown {
  const body = provider.bodies[index];
  if (body === undefined) throw new Error(`no request ${index}; received ${provider.bodies.length}`);
  return body;
}

function streamedText(harness: SessionHarness, turnId: number): string {
  return harness.events.flatMap((event) => (event.type === 'interviewer.delta' && event.turnId === turnId ? [event.text] : [])).join('');
}

describe.each([openai, anthropic])('LlmInterviewer over $name', (providerCase) => {
  it('sends the guide and the current phase’s instructions, and no hidden fact answer before a reveal', async () => {
    provider.script(providerCase.url, [sseReply(providerCase.fixtures.text)]);
    const harness = sessionWith(providerCase);
    await harness.says(QUESTION);

    expect(provider.bodies).toHaveLength(1);
    const body = bodyAt(0);
    const system = providerCase.systemText(body);
    expect(system).toContain(guide.text);
    expect(system).toContain(prompts.render('interviewer/phase-problem_exploration'));
    expect(system).not.toContain(prompts.render('interviewer/phase-deep_dive'));
    expect(system).toContain(prompts.render('interviewer/persona'));
    expect(system).toContain(`# The problem for this interview: ${card.title}`);
    expect(system).toContain('(none yet)');
    // The card lists each fact by id and topic so the model can reveal it, but never its answer.
    const serialised = JSON.stringify(body);
    for (const fact of card.facts) {
      expect(system).toContain(`\`${fact.id}\``);
      expect(serialised, fact.id).not.toContain(fact.answer);
    }
    expect(serialised).toContain(`[turn 2] ${QUESTION}`);
    expect(providerCase.toolNames(body)).toEqual(['reveal_fact', 'note_evidence', 'flag_integrity', 'advance_phase', 'end_interview']);
  });

  it('records the reply, its model, prompt versions and usage with cached tokens in turnMeta', async () => {
    provider.script(providerCase.url, [sseReply(providerCase.fixtures.text)]);
    const harness = sessionWith(providerCase);
    await harness.says(QUESTION);

    const state = harness.session.state;
    const reply = state.turns.at(-1);
    expect(reply).toMatchObject({ id: 3, role: 'interviewer', engine: providerCase.name });
    expect(reply?.text).toMatch(/^Let's start with the problem: how would you frame the ranking objective\?$/);
    expect(streamedText(harness, 3)).toBe(reply?.text);
    const meta = state.turnMeta.at(-1);
    expect(meta).toMatchObject({ turnId: 3, engine: providerCase.name, model: providerCase.modelId, usage: providerCase.fixtures.textUsage });
    expect(meta?.usage?.cachedInputTokens).toBeGreaterThan(0);
    expect(meta?.fallbackFrom).toBeUndefined();
    expect(meta?.promptVersions).toEqual({
      guide: guide.version,
      ...prompts.versions(['interviewer/persona', 'interviewer/problem-card', 'interviewer/turn-context', 'interviewer/phase-problem_exploration']),
    });
    expect(state.revealedFacts).toEqual([]);
  });

  it('reveals a fact through reveal_fact: its answer reaches the model only as the tool result', async () => {
    provider.script(providerCase.url, [sseReply(providerCase.fixtures.revealFact), sseReply(providerCase.fixtures.textAfterReveal)]);
    const harness = sessionWith(providerCase);
    await harness.says(QUESTION);

    expect(provider.bodies).toHaveLength(2);
    expect(JSON.stringify(bodyAt(0))).not.toContain(volume.answer);

    const second = bodyAt(1);
    expect(providerCase.toolResults(second)).toEqual([{ content: volume.answer, isError: false }]);
    expect(JSON.stringify(providerCase.withoutToolResults(second))).not.toContain(volume.answer);
    expect(providerCase.systemText(second)).toContain(guide.text);

    const state = harness.session.state;
    expect(state.revealedFacts).toEqual([{ factId: 'transaction-volume', turnId: 3 }]);
    expect(state.turns.at(-1)?.text).toBe('About 5,000 per second at peak, and up to three times that on the busiest days. How does that shape your design?');
    expect(state.turnMeta.at(-1)?.usage).toEqual(providerCase.fixtures.twoStepUsage);
  });

  it('lists facts revealed in earlier turns in the next turn’s context', async () => {
    provider.script(providerCase.url, [sseReply(providerCase.fixtures.revealFact), sseReply(providerCase.fixtures.textAfterReveal), sseReply(providerCase.fixtures.text)]);
    const harness = sessionWith(providerCase);
    await harness.says(QUESTION);
    await harness.says('Thanks. I would frame it as a binary classification per payment.');
    expect(provider.bodies).toHaveLength(3);
    expect(providerCase.systemText(bodyAt(2))).toContain(`- \`transaction-volume\`: ${volume.answer}`);
    expect(providerCase.toolResults(bodyAt(2))).toEqual([]);
  });

  it('refuses a phase skip and sends the refusal back to the model as the tool result', async () => {
    provider.script(providerCase.url, [sseReply(providerCase.fixtures.advanceSkip), sseReply(providerCase.fixtures.textAfterRefusal)]);
    const harness = sessionWith(providerCase);
    await harness.says('I think I have enough to design now.');

    expect(provider.bodies).toHaveLength(2);
    expect(providerCase.toolResults(bodyAt(1))).toEqual([{ content: 'refused: cannot move from problem_exploration to deep_dive: the next phase is high_level_design', isError: true }]);
    // The model still sees the phase it is really in.
    expect(providerCase.systemText(bodyAt(1))).toContain(prompts.render('interviewer/phase-problem_exploration'));
    const state = harness.session.state;
    expect(state.phase).toBe('problem_exploration');
    expect(harness.events.some((event) => event.type === 'phase')).toBe(false);
    expect(state.turns.at(-1)).toMatchObject({ role: 'interviewer', phase: 'problem_exploration', text: 'Before we go deeper, how would you frame the prediction target?' });
  });

  it('falls back to the offline engine on an HTTP 500, keeping the candidate turn', async () => {
    provider.script(providerCase.url, [providerCase.fixtures.serverError]);
    const harness = sessionWith(providerCase);
    await harness.says(QUESTION);

    expect(provider.bodies).toHaveLength(1);
    const state = harness.session.state;
    expect(state.turns.map((turn) => turn.role)).toEqual(['interviewer', 'candidate', 'interviewer']);
    expect(state.turns[1]?.text).toBe(QUESTION);
    expect(state.turns[2]).toMatchObject({ engine: 'offline' });
    expect(state.turns[2]?.text).toContain(volume.answer);
    expect(state.turnMeta.at(-1)).toMatchObject({ turnId: 3, engine: 'offline', fallbackFrom: providerCase.name });
    expect(harness.persisted.at(-1)).toEqual(state);
  });

  it('falls back to the offline engine when the stream fails midway, keeping the candidate turn', async () => {
    provider.script(providerCase.url, [sseReply(providerCase.fixtures.midStreamError)]);
    const harness = sessionWith(providerCase);
    await harness.says(QUESTION);

    const state = harness.session.state;
    expect(state.turns).toHaveLength(3);
    expect(state.turns[1]).toMatchObject({ role: 'candidate', text: QUESTION });
    expect(state.turns[2]?.text).toContain(volume.answer);
    expect(state.turns[2]?.text).not.toContain(providerCase.fixtures.midStreamText);
    expect(state.turnMeta.at(-1)).toMatchObject({ engine: 'offline', fallbackFrom: providerCase.name });
    // The partial text did stream before the failure; the interviewer.message that follows is authoritative.
    expect(streamedText(harness, 3).startsWith(providerCase.fixtures.midStreamText)).toBe(true);
    expect(harness.events.at(-1)).toMatchObject({ type: 'interviewer.message', turn: { text: state.turns[2]?.text } });
  });
});
