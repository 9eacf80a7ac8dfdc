import Anthropic, { APIError, AuthenticationError, RateLimitError } from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { ModelOutputError, ProviderError } from '../../../src/errors.ts';
import { AnthropicModel } from '../../../src/llm/anthropic/anthropic-model.ts';
import type { StreamPart } from '../../../src/llm/model.ts';
import { collect, collectUntilError, sampleObjectRequest, sampleRequest, textOf } from '../sample-requests.ts';
import { ANTHROPIC_MESSAGES_URL, json, sse, useProviderServer } from '../../helpers/msw-server.ts';

const mock = useProviderServer();

const request = sampleRequest('toolu_');
// Without maxOutputTokens, so the adapter's default max_tokens (which Anthropic requires) is exercised.
const { maxOutputTokens: _withoutLimit, ...objectRequest } = sampleObjectRequest;

function anthropicModel(): AnthropicModel {
  // baseURL is explicit so an ANTHROPIC_BASE_URL in the environment cannot redirect the tests.
  return new AnthropicModel({
    client: new Anthropic({ apiKey: 'test-key', baseURL: 'https://api.anthropic.com', maxRetries: 0 }),
    modelId: 'claude-sonnet-4-6',
  });
}

describe('AnthropicModel.stream', () => {
  it('streams a text reply, then usage counting cached input, then the finish reason', async () => {
    mock.reply(ANTHROPIC_MESSAGES_URL, sse('anthropic/text.sse.txt'));

    const parts = await collect(anthropicModel().stream(request));

    expect(textOf(parts)).toBe("Let's start with the problem: how would you frame the ranking objective?");
    expect(parts.slice(-2)).toEqual([
      { type: 'usage', usage: { inputTokens: 24 + 1850, outputTokens: 19, cachedInputTokens: 1850, cacheWriteTokens: 0 } },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(parts.slice(0, -2).every((part) => part.type === 'text-delta')).toBe(true);
  });

  it('sends system blocks with one cache breakpoint, converted tools and the mapped conversation', async () => {
    mock.reply(ANTHROPIC_MESSAGES_URL, sse('anthropic/text.sse.txt'));
    const model = anthropicModel();

    await collect(model.stream(request));

    const body = mock.onlyRequestBody();
    expect(body).toEqual(model.describeStreamRequest(request));
    expect(body).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 800,
      stream: true,
      system: [
        { type: 'text', text: 'You are a Principal-level ML system design interviewer.' },
        { type: 'text', text: 'Problem: design a feed ranking system.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Current phase: requirements.' },
      ],
      messages: [
        { role: 'user', content: 'I would start from the business objective.' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Noted.' },
            { type: 'tool_use', id: 'toolu_prev1', name: 'note_evidence', input: { dimension: 'problem_framing', quote: 'business objective', strength: 3 } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_prev1', content: 'recorded' },
            { type: 'tool_result', tool_use_id: 'toolu_prev2', content: 'not allowed yet', is_error: true },
          ],
        },
        { role: 'user', content: 'Then I would look at the data.' },
      ],
      tools: [
        {
          name: 'note_evidence',
          description: 'Record evidence for a rubric dimension.',
          input_schema: {
            type: 'object',
            properties: {
              dimension: { type: 'string' },
              quote: { type: 'string', description: "the candidate's own words" },
              strength: { type: 'integer', minimum: 1, maximum: 5 },
            },
            required: ['dimension', 'quote', 'strength'],
          },
        },
        {
          name: 'advance_phase',
          description: 'Move the interview to another phase.',
          input_schema: { type: 'object', properties: { to: { type: 'string' }, reason: { type: 'string' } }, required: ['to'] },
        },
      ],
    });
  });

  it('defaults max_tokens to 2048 and leaves out an empty system prompt and tool list', async () => {
    mock.reply(ANTHROPIC_MESSAGES_URL, sse('anthropic/text.sse.txt'));

    await collect(anthropicModel().stream({ system: [], messages: [{ role: 'user', content: 'Hello' }] }));

    expect(mock.onlyRequestBody()).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 2048,
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
    });
  });

  it('sends a tool call whose input never parsed as an empty object, which the API accepts', () => {
    const body = anthropicModel().describeStreamRequest({
      system: [],
      messages: [
        { role: 'user', content: 'Go on.' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'toolu_cut', name: 'note_evidence', input: '{"dimension": "da' }] },
        { role: 'tool', results: [{ toolCallId: 'toolu_cut', name: 'note_evidence', content: 'invalid arguments', isError: true }] },
      ],
    });

    expect(body.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_cut', name: 'note_evidence', input: {} }] });
  });

  it('streams text, then a tool call assembled from input_json_delta fragments', async () => {
    mock.reply(ANTHROPIC_MESSAGES_URL, sse('anthropic/text-and-tool-use.sse.txt', { pieces: 11 }));

    const parts = await collect(anthropicModel().stream(request));

    expect(textOf(parts)).toBe('Good point about label leakage.');
    expect(parts.filter((part) => part.type !== 'text-delta')).toEqual([
      {
        type: 'tool-call',
        call: {
          id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
          name: 'note_evidence',
          input: { dimension: 'data_strategy', quote: 'I would split by time, not by user', strength: 3 },
        },
      },
      // This reply wrote the cache; message_delta repeats the cumulative input counts.
      { type: 'usage', usage: { inputTokens: 312 + 1850, outputTokens: 87, cachedInputTokens: 0, cacheWriteTokens: 1850 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('emits each of two tool calls as its content block closes', async () => {
    mock.reply(ANTHROPIC_MESSAGES_URL, sse('anthropic/two-tool-uses.sse.txt'));

    const parts = await collect(anthropicModel().stream(request));

    expect(parts).toEqual([
      {
        type: 'tool-call',
        call: {
          id: 'toolu_01A09q90qw90lq917835lq9',
          name: 'note_evidence',
          input: { dimension: 'metrics', quote: 'NDCG@10 offline, then an A/B test', strength: 4 },
        },
      },
      {
        type: 'tool-call',
        call: { id: 'toolu_01B7c9d8e6f5a4b3c2d1e0f9', name: 'advance_phase', input: { to: 'high_level_design', reason: 'requirements are settled' } },
      },
      { type: 'usage', usage: { inputTokens: 40 + 2162, outputTokens: 96, cachedInputTokens: 2162, cacheWriteTokens: 0 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('throws a retryable ProviderError after the earlier deltas when an overloaded_error event arrives', async () => {
    mock.reply(ANTHROPIC_MESSAGES_URL, sse('anthropic/stream-overloaded.sse.txt'));

    const { parts, error } = await collectUntilError(anthropicModel().stream(request));

    expect(textOf(parts)).toBe('How would you');
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'anthropic', status: undefined, retryable: true });
    const cause = (error as ProviderError).cause;
    expect(cause).toBeInstanceOf(APIError);
    expect((cause as APIError).type).toBe('overloaded_error');
  });

  it('throws a retryable ProviderError when the stream closes before message_delta', async () => {
    mock.reply(ANTHROPIC_MESSAGES_URL, sse('anthropic/text.sse.txt', { pieces: 8, cutAfter: 4, cut: 'close' }));

    const { error } = await collectUntilError(anthropicModel().stream(request));

    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: true, status: undefined });
  });

  it('throws a retryable ProviderError when the connection is reset mid-stream', async () => {
    mock.reply(ANTHROPIC_MESSAGES_URL, sse('anthropic/text.sse.txt', { pieces: 8, cutAfter: 4, cut: 'reset' }));

    const { parts, error } = await collectUntilError(anthropicModel().stream(request));

    expect(parts.every((part) => part.type === 'text-delta')).toBe(true);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: true, status: undefined });
    expect((error as ProviderError).message).toContain('terminated');
  });

  it('throws a ProviderError that is not retryable when the caller aborts mid-stream', async () => {
    mock.reply(ANTHROPIC_MESSAGES_URL, sse('anthropic/text.sse.txt', { pieces: 12 }));
    const controller = new AbortController();
    const parts: StreamPart[] = [];

    const stream = anthropicModel().stream({ ...request, signal: controller.signal });
    const error = await (async () => {
      try {
        for await (const part of stream) {
          parts.push(part);
          controller.abort();
        }
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();

    expect(parts).toHaveLength(1);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: false });
  });

  it('maps 429 to a retryable ProviderError carrying the status and the SDK error', async () => {
    mock.reply(ANTHROPIC_MESSAGES_URL, json('anthropic/rate-limit.json', 429, { 'retry-after': '12', 'request-id': 'req_011CSHoEeqs5C35K2UUqR7Fx' }));

    const { parts, error } = await collectUntilError(anthropicModel().stream(request));

    expect(parts).toEqual([]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'anthropic', status: 429, retryable: true });
    expect((error as ProviderError).cause).toBeInstanceOf(RateLimitError);
    expect((error as ProviderError).message).toContain('rate limit');
  });

  it('maps 401 to a ProviderError that is not retryable', async () => {
    mock.reply(ANTHROPIC_MESSAGES_URL, json('anthropic/unauthorized.json', 401));

    const { error } = await collectUntilError(anthropicModel().stream(request));

    expect(error).toMatchObject({ status: 401, retryable: false });
    expect((error as ProviderError).cause).toBeInstanceOf(AuthenticationError);
  });
});

describe('AnthropicModel.generateObject', () => {
  it('returns the forced tool call input as the object, with usage', async () => {
    mock.reply(ANTHROPIC_MESSAGES_URL, json('anthropic/structured-output.json'));

    const response = await anthropicModel().generateObject(objectRequest);

    expect(response.object).toEqual({ dimension: 'data_strategy', score: 3, evidence: ['I would split by time, not by user'] });
    expect(JSON.parse(response.raw)).toEqual(response.object);
    expect(response.usage).toEqual({ inputTokens: 406 + 2790, outputTokens: 58, cachedInputTokens: 2790, cacheWriteTokens: 0 });
  });

  it('forces one tool whose input schema is the requested schema, and streams it', async () => {
    mock.reply(ANTHROPIC_MESSAGES_URL, json('anthropic/structured-output.json'));
    const model = anthropicModel();

    await model.generateObject(objectRequest);

    const body = mock.onlyRequestBody();
    expect(body).toEqual(model.describeObjectRequest(objectRequest));
    expect(body).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 2048,
      system: [{ type: 'text', text: 'You are the evaluator.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'Score the data strategy dimension.' }],
      tools: [
        {
          name: 'scorecard',
          description: 'One scored rubric dimension with evidence.',
          input_schema: {
            type: 'object',
            properties: {
              dimension: { type: 'string' },
              // zod states the safe-integer range of z.number().int().
              score: { type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER },
              evidence: { type: 'array', items: { type: 'string' } },
            },
            required: ['dimension', 'score', 'evidence'],
          },
        },
      ],
      tool_choice: { type: 'tool', name: 'scorecard' },
      stream: true,
    });
  });

  it('reports a reply without the forced tool call as a ModelOutputError', async () => {
    mock.reply(ANTHROPIC_MESSAGES_URL, json('anthropic/structured-output.json'));

    await expect(anthropicModel().generateObject({ ...objectRequest, schemaName: 'other_name' })).rejects.toBeInstanceOf(ModelOutputError);
  });

  it('maps 429 to a retryable ProviderError', async () => {
    mock.reply(ANTHROPIC_MESSAGES_URL, json('anthropic/rate-limit.json', 429));

    await expect(anthropicModel().generateObject(objectRequest)).rejects.toMatchObject({ name: 'ProviderError', status: 429, retryable: true });
  });
});
