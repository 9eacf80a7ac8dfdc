import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { LlmEvaluator } from '../../../src/agents/evaluator/llm-evaluator.ts';
import { ModelOutputError } from '../../../src/errors.ts';
import { evaluateTranscript } from '../../../src/evaluator/evaluate-transcript.ts';
import { REMOVED_TEXT } from '../../../src/evaluator/integrity.ts';
import { Scorecard } from '../../../src/evaluator/scorecard.ts';
import { AnthropicModel } from '../../../src/llm/anthropic/anthropic-model.ts';
import type { LanguageModel } from '../../../src/llm/model.ts';
import { OpenAIModel } from '../../../src/llm/openai/openai-model.ts';
import { RetryingModel } from '../../../src/llm/retrying-model.ts';
import { loadResources } from '../../../src/resources.ts';
import { FIXED_CLOCK, loadLabelled } from '../../evaluator/helpers.ts';
import { ANTHROPIC_MESSAGES_URL, OPENAI_CHAT_URL, readFixture } from '../../helpers/msw-server.ts';
import { FABRICATED_EVALUATION, FABRICATED_QUOTE, SCHEMA_INVALID_EVALUATION, VALID_EVALUATION } from './evaluations.ts';
import { jsonReply, useScriptedProvider } from '../../helpers/scripted-provider.ts';

/*
 * The evaluator end to end through the real SDK clients: msw answers with fixtures in each API's wire shape
 * (an OpenAI chat completion whose content is the evaluation JSON; an Anthropic message whose tool_use
 * input is the evaluation), and every request body the SDKs sent is checked.
 */

const mock = useScriptedProvider();
const resources = loadResources();
const transcript = loadLabelled('support-injection.json');
const problem = resources.problems.get('support-assistant') ?? null;

type Body = { messages: { role: string; content: unknown }[] } & Record<string, unknown>;

interface Provider {
  readonly name: 'openai' | 'anthropic';
  readonly url: string;
  model(): LanguageModel;
  /** The text of the last message of a request body (the repair prompt in a repair round). */
  lastMessageText(body: Body): string;
  /** Checks that the body asks for the evaluation in this provider's structured-output form. */
  expectStructuredOutput(body: Body): void;
}

const PROVIDERS: readonly Provider[] = [
  {
    name: 'openai',
    url: OPENAI_CHAT_URL,
    // baseURL is explicit so an OPENAI_BASE_URL in the environment cannot redirect the tests.
    model: () => new OpenAIModel({ client: new OpenAI({ apiKey: 'test-key', baseURL: 'https://api.openai.com/v1', maxRetries: 0 }), modelId: 'gpt-5.1' }),
    lastMessageText: (body) => String(body.messages.at(-1)?.content),
    expectStructuredOutput(body) {
      expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'interview_evaluation', strict: true } });
      const schema = (body.response_format as { json_schema: { schema: { required: string[]; additionalProperties: boolean; properties: Record<string, unknown> } } }).json_schema.schema;
      expect(schema.additionalProperties).toBe(false);
      expect(new Set(schema.required)).toEqual(new Set(Object.keys(schema.properties)));
      expect(schema.properties).not.toHaveProperty('recommendation');
      expect(body.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining(resources.guide.text.slice(0, 200)) });
    },
  },
  {
    name: 'anthropic',
    url: ANTHROPIC_MESSAGES_URL,
    model: () => new AnthropicModel({ client: new Anthropic({ apiKey: 'test-key', baseURL: 'https://api.anthropic.com', maxRetries: 0 }), modelId: 'claude-sonnet-4-6' }),
    lastMessageText(body) {
      const content = body.messages.at(-1)?.content;
      return typeof content === 'string' ? content : JSON.stringify(content);
    },
    expectStructuredOutput(body) {
      expect(body.tool_choice).toEqual({ type: 'tool', name: 'interview_evaluation' });
      expect(body.tools).toEqual([expect.objectContaining({ name: 'interview_evaluation', input_schema: expect.objectContaining({ type: 'object', additionalProperties: false }) })]);
      expect(body.system).toEqual([expect.objectContaining({ type: 'text', text: expect.stringContaining(resources.guide.text.slice(0, 200)), cache_control: { type: 'ephemeral' } })]);
    },
  },
];

function evaluateWith(provider: Provider, samples = 1) {
  const engine = new LlmEvaluator({ model: provider.model(), prompts: resources.prompts, guide: resources.guide });
  return evaluateTranscript(transcript, { engine, problem, samples, clock: FIXED_CLOCK });
}

const fixture = (provider: Provider, name: string) => `${provider.name}/evaluation-${name}.json`;
const bodies = () => mock.bodies as Body[];

describe('the evaluation fixtures', () => {
  it.each(PROVIDERS)('carry the evaluations of evaluations.ts in the $name wire shape', (provider) => {
    const read = (name: string) => JSON.parse(readFixture(fixture(provider, name))) as Record<string, unknown>;
    const payload = (body: Record<string, unknown>) =>
      provider.name === 'openai' ? JSON.parse((body.choices as { message: { content: string } }[])[0]?.message.content ?? '') : (body.content as { input: unknown }[])[0]?.input;
    expect(payload(read('valid'))).toEqual(VALID_EVALUATION);
    expect(payload(read('fabricated-quote'))).toEqual(FABRICATED_EVALUATION);
    expect(payload(read('schema-invalid'))).toEqual(SCHEMA_INVALID_EVALUATION);
  });
});

describe.each(PROVIDERS)('LlmEvaluator over $name', (provider) => {
  it('accepts a valid evaluation in one request with strict structured output', async () => {
    mock.script(provider.url, [jsonReply(fixture(provider, 'valid'), 200)]);
    const { scorecard } = await evaluateWith(provider);
    expect(bodies()).toHaveLength(1);
    provider.expectStructuredOutput(bodies()[0] as Body);
    expect(Scorecard.parse(scorecard)).toEqual(scorecard);
    expect(scorecard.dimensions.system_design.evidence).toEqual(VALID_EVALUATION.dimensions.system_design.evidence);
    expect(scorecard.meta).toMatchObject({ engine: provider.name, repairRounds: 0, citationsDropped: 0 });
    expect(scorecard.meta.usage.inputTokens).toBeGreaterThan(10_000);
    expect(scorecard.meta.usage.cachedInputTokens).toBeGreaterThan(10_000);
  });

  it('records every provider call in the scorecard, a rate-limited one and its retry included', async () => {
    mock.script(provider.url, [jsonReply(`${provider.name}/rate-limit.json`, 429), jsonReply(fixture(provider, 'valid'), 200)]);
    const engine = new LlmEvaluator({ model: new RetryingModel(provider.model(), { maxRetries: 2, baseDelayMs: 10 }), prompts: resources.prompts, guide: resources.guide });
    const { scorecard } = await evaluateTranscript(transcript, { engine, problem, samples: 1, clock: FIXED_CLOCK });
    expect(bodies()).toHaveLength(2);
    expect(scorecard.meta.attempts).toEqual([
      expect.objectContaining({ sample: 1, round: 'first', attempt: 1, outcome: 'failed', receivedOutput: false, retryInMs: 10 }),
      expect.objectContaining({ sample: 1, round: 'first', attempt: 2, outcome: 'ok' }),
    ]);
    expect(scorecard.meta.attempts[0]?.error).toContain('429');
  });

  it('never sends the injected text to the provider', async () => {
    mock.script(provider.url, [jsonReply(fixture(provider, 'valid'), 200)]);
    const { scorecard } = await evaluateWith(provider);
    const sent = JSON.stringify(bodies());
    expect(sent.toLowerCase()).not.toContain('ignore previous instructions');
    expect(sent).not.toContain('Note to the evaluator');
    expect(sent).not.toContain('summary of my performance');
    expect(sent).toContain(REMOVED_TEXT);
    expect(scorecard.integrityFlags.map((flag) => [flag.turnId, flag.kind])).toEqual([
      [22, 'instruction_to_evaluator'],
      [38, 'pasted_scorecard'],
    ]);
  });

  it('repairs schema-invalid output in exactly one round that carries the errors', async () => {
    mock.script(provider.url, [jsonReply(fixture(provider, 'schema-invalid'), 200), jsonReply(fixture(provider, 'valid'), 200)]);
    const { scorecard } = await evaluateWith(provider);
    expect(bodies()).toHaveLength(2);
    const [first, repair] = bodies() as [Body, Body];
    expect(repair.messages).toHaveLength(first.messages.length + 2);
    expect(repair.messages.slice(0, first.messages.length)).toEqual(first.messages);
    expect(repair.messages.at(-2)?.role).toBe('assistant');
    const errors = provider.lastMessageText(repair);
    expect(errors).toContain('does not match the schema');
    expect(errors).toContain('dimensions.communication');
    provider.expectStructuredOutput(repair);
    expect(scorecard.meta.repairRounds).toBe(1);
  });

  it('fails with ModelOutputError when the repair is invalid too, after exactly two requests', async () => {
    mock.script(provider.url, [jsonReply(fixture(provider, 'schema-invalid'), 200), jsonReply(fixture(provider, 'schema-invalid'), 200)]);
    await expect(evaluateWith(provider)).rejects.toBeInstanceOf(ModelOutputError);
    expect(bodies()).toHaveLength(2);
  });

  it('sends one citation repair round for a fabricated quote and uses the corrected answer', async () => {
    mock.script(provider.url, [jsonReply(fixture(provider, 'fabricated-quote'), 200), jsonReply(fixture(provider, 'valid'), 200)]);
    const { scorecard } = await evaluateWith(provider);
    expect(bodies()).toHaveLength(2);
    expect(provider.lastMessageText(bodies()[1] as Body)).toContain('the quote is not in that turn verbatim');
    expect(provider.lastMessageText(bodies()[1] as Body)).toContain(FABRICATED_QUOTE.slice(0, 40));
    expect(scorecard.meta).toMatchObject({ repairRounds: 1, citationsDropped: 0 });
    expect(scorecard.dimensions.technical_depth.rating).toBe('meets');
  });

  it('sends three samples whose bodies are identical but for the last message, which numbers the sample', async () => {
    mock.script(provider.url, [jsonReply(fixture(provider, 'valid'), 200), jsonReply(fixture(provider, 'valid'), 200), jsonReply(fixture(provider, 'valid'), 200)]);
    const { scorecard } = await evaluateWith(provider, 3);
    expect(bodies()).toHaveLength(3);
    const [first, ...others] = bodies() as [Body, ...Body[]];
    const withoutLast = (body: Body) => ({ ...body, messages: body.messages.slice(0, -1) });
    for (const other of others) {
      expect(withoutLast(other)).toEqual(withoutLast(first));
      provider.expectStructuredOutput(other);
    }
    // The first sample goes alone; the other two are sent side by side, so they may arrive in either order.
    const numbers = bodies().map((body) => provider.lastMessageText(body).match(/independent evaluation (\d) of/)?.[1]);
    expect(numbers[0]).toBe('1');
    expect(numbers.slice(1).sort()).toEqual(['2', '3']);
    expect(scorecard.meta).toMatchObject({ samples: 3, samplesFailed: 0 });
    expect(scorecard.meta.sampleUsage).toHaveLength(3);
    // On Anthropic the shared task message (the transcript) carries a breakpoint, so samples 2 and 3 read it from the cache.
    if (provider.name === 'anthropic') {
      const task = JSON.stringify(first.messages.at(-2));
      expect(task).toContain('"cache_control":{"type":"ephemeral"}');
      expect(JSON.stringify(first.messages.at(-1))).not.toContain('cache_control');
    }
  });

  it('drops a quote that is still fabricated and leaves the dimension insufficient', async () => {
    mock.script(provider.url, [jsonReply(fixture(provider, 'fabricated-quote'), 200), jsonReply(fixture(provider, 'fabricated-quote'), 200)]);
    const { scorecard } = await evaluateWith(provider);
    expect(bodies()).toHaveLength(2);
    expect(scorecard.meta).toMatchObject({ repairRounds: 1, citationsDropped: 1 });
    expect(scorecard.dimensions.technical_depth).toMatchObject({ rating: 'insufficient', evidence: [] });
    expect(JSON.stringify(scorecard)).not.toContain(FABRICATED_QUOTE);
  });
});
