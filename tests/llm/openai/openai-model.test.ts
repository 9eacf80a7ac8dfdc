import OpenAI, { AuthenticationError, RateLimitError } from 'openai';
import { describe, expect, it } from 'vitest';
import { ModelOutputError, ProviderError } from '../../../src/errors.ts';
import type { StreamPart } from '../../../src/llm/model.ts';
import { collect, collectUntilError, sampleObjectRequest, sampleRequest, textOf } from '../sample-requests.ts';
import { OpenAIModel } from '../../../src/llm/openai/openai-model.ts';
import { OPENAI_CHAT_URL, json, sse, useProviderServer } from '../../helpers/msw-server.ts';

const mock = useProviderServer();

const request = sampleRequest('call_');
const objectRequest = sampleObjectRequest;

function openAIModel(): OpenAIModel {
  // baseURL is explicit so an OPENAI_BASE_URL in the environment cannot redirect the tests.
  return new OpenAIModel({ client: new OpenAI({ apiKey: 'test-key', baseURL: 'https://api.openai.com/v1', maxRetries: 0 }), modelId: 'gpt-5.1' });
}

describe('OpenAIModel.stream', () => {
  it('streams a text reply, then normalised usage with cached tokens, then the finish reason', async () => {
    mock.reply(OPENAI_CHAT_URL, sse('openai/text.chunks.txt'));

    const parts = await collect(openAIModel().stream(request));

    expect(textOf(parts)).toBe("Let's start with the problem: how would you frame the ranking objective?");
    expect(parts.slice(-2)).toEqual([
      { type: 'usage', usage: { inputTokens: 2310, outputTokens: 18, cachedInputTokens: 2048, cacheWriteTokens: 0 } },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(parts.slice(0, -2).every((part) => part.type === 'text-delta')).toBe(true);
  });

  it('sends the system prompt first, converted tools, stream_options and the mapped conversation', async () => {
    mock.reply(OPENAI_CHAT_URL, sse('openai/text.chunks.txt'));
    const model = openAIModel();

    await collect(model.stream(request));

    const body = mock.onlyRequestBody();
    expect(body).toEqual(model.describeStreamRequest(request));
    expect(body).toMatchObject({
      model: 'gpt-5.1',
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 800,
      temperature: 0.3,
      messages: [
        {
          role: 'system',
          content:
            'You are a Principal-level ML system design interviewer.\n\nProblem: design a feed ranking system.\n\nCurrent phase: requirements.',
        },
        { role: 'user', content: 'I would start from the business objective.' },
        {
          role: 'assistant',
          content: 'Noted.',
          tool_calls: [
            {
              id: 'call_prev1',
              type: 'function',
              function: { name: 'note_evidence', arguments: '{"dimension":"problem_framing","quote":"business objective","strength":3}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_prev1', content: 'recorded' },
        { role: 'tool', tool_call_id: 'call_prev2', content: 'Error: not allowed yet' },
        { role: 'user', content: 'Then I would look at the data.' },
      ],
    });
    expect(body).toHaveProperty('tools', [
      {
        type: 'function',
        function: {
          name: 'note_evidence',
          description: 'Record evidence for a rubric dimension.',
          parameters: {
            type: 'object',
            properties: {
              dimension: { type: 'string' },
              quote: { type: 'string', description: "the candidate's own words" },
              strength: { type: 'integer', minimum: 1, maximum: 5 },
            },
            required: ['dimension', 'quote', 'strength'],
          },
        },
      },
      {
        type: 'function',
        function: {
          name: 'advance_phase',
          description: 'Move the interview to another phase.',
          parameters: { type: 'object', properties: { to: { type: 'string' }, reason: { type: 'string' } }, required: ['to'] },
        },
      },
    ]);
  });

  it('streams text, then a tool call whose arguments arrived in fragments', async () => {
    mock.reply(OPENAI_CHAT_URL, sse('openai/text-and-tool-call.chunks.txt', { pieces: 13 }));

    const parts = await collect(openAIModel().stream(request));

    expect(textOf(parts)).toBe('Good point about label leakage.');
    expect(parts.filter((part) => part.type !== 'text-delta')).toEqual([
      {
        type: 'tool-call',
        call: {
          id: 'call_Qm4rT8vXk2LpN6sY1wZa3bCd',
          name: 'note_evidence',
          input: { dimension: 'data_strategy', quote: 'I would split by time, not by user', strength: 3 },
        },
      },
      { type: 'usage', usage: { inputTokens: 2544, outputTokens: 61, cachedInputTokens: 2304, cacheWriteTokens: 0 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('keeps two tool calls of one reply apart, in order', async () => {
    mock.reply(OPENAI_CHAT_URL, sse('openai/two-tool-calls.chunks.txt'));

    const parts = await collect(openAIModel().stream(request));

    expect(parts).toEqual([
      {
        type: 'tool-call',
        call: {
          id: 'call_A1b2C3d4E5f6G7h8I9j0K1l2',
          name: 'note_evidence',
          input: { dimension: 'metrics', quote: 'NDCG@10 offline, then an A/B test', strength: 4 },
        },
      },
      {
        type: 'tool-call',
        call: { id: 'call_M3n4O5p6Q7r8S9t0U1v2W3x4', name: 'advance_phase', input: { to: 'high_level_design', reason: 'requirements are settled' } },
      },
      { type: 'usage', usage: { inputTokens: 2701, outputTokens: 74, cachedInputTokens: 2560, cacheWriteTokens: 0 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('throws a retryable ProviderError after the earlier deltas when the server sends an error chunk', async () => {
    mock.reply(OPENAI_CHAT_URL, sse('openai/stream-error.chunks.txt'));

    const { parts, error } = await collectUntilError(openAIModel().stream(request));

    expect(textOf(parts)).toBe('How would you');
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'openai', status: undefined, retryable: true, code: 'provider_failed' });
    expect((error as ProviderError).message).toContain('The server had an error');
  });

  it('throws a retryable ProviderError when the body ends before the finish chunk', async () => {
    mock.reply(OPENAI_CHAT_URL, sse('openai/stream-dropped.chunks.txt'));

    const { parts, error } = await collectUntilError(openAIModel().stream(request));

    expect(textOf(parts)).toBe('Tell me about');
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: true, status: undefined });
  });

  it('throws a retryable ProviderError when the connection is reset mid-stream', async () => {
    mock.reply(OPENAI_CHAT_URL, sse('openai/text.chunks.txt', { pieces: 10, cutAfter: 4, cut: 'reset' }));

    const { parts, error } = await collectUntilError(openAIModel().stream(request));

    expect(parts.length).toBeGreaterThan(0);
    expect(parts.every((part) => part.type === 'text-delta')).toBe(true);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: true, status: undefined });
    expect((error as ProviderError).message).toContain('terminated');
  });

  it('maps 429 to a retryable ProviderError carrying the status and the SDK error', async () => {
    mock.reply(OPENAI_CHAT_URL, json('openai/rate-limit.json', 429, { 'x-request-id': 'req_7c2e', 'retry-after': '3' }));

    const { parts, error } = await collectUntilError(openAIModel().stream(request));

    expect(parts).toEqual([]);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: 'openai', status: 429, retryable: true });
    expect((error as ProviderError).cause).toBeInstanceOf(RateLimitError);
    expect((error as ProviderError).message).toContain('Rate limit reached');
  });

  it('maps 401 to a ProviderError that is not retryable', async () => {
    mock.reply(OPENAI_CHAT_URL, json('openai/unauthorized.json', 401));

    const { error } = await collectUntilError(openAIModel().stream(request));

    expect(error).toMatchObject({ status: 401, retryable: false });
    expect((error as ProviderError).cause).toBeInstanceOf(AuthenticationError);
  });

  it('throws a ProviderError that is not retryable when the caller aborts mid-stream', async () => {
    mock.reply(OPENAI_CHAT_URL, sse('openai/text.chunks.txt', { pieces: 10 }));
    const controller = new AbortController();
    const parts: StreamPart[] = [];

    const stream = openAIModel().stream({ ...request, signal: controller.signal });
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
});

describe('OpenAIModel with an OpenAI-compatible server', () => {
  const baseURL = 'http://localhost:11434/v1';
  const compatibleModel = () =>
    new OpenAIModel({ client: new OpenAI({ apiKey: 'ollama', baseURL, maxRetries: 0 }), modelId: 'qwen3:8b', provider: 'openai-compatible' });

  it('talks to the base URL and separates whole tool calls that all claim index 0', async () => {
    mock.reply(`${baseURL}/chat/completions`, sse('openai/ollama-tool-calls.chunks.txt'));

    const parts = await collect(compatibleModel().stream(request));

    expect(mock.requests.map((recorded) => recorded.url)).toEqual(['http://localhost:11434/v1/chat/completions']);
    expect(parts).toEqual([
      { type: 'text-delta', text: 'Noted.' },
      {
        type: 'tool-call',
        call: { id: 'call_8x2kq1vd', name: 'note_evidence', input: { dimension: 'serving', quote: 'cache the top-k per user', strength: 3 } },
      },
      { type: 'tool-call', call: { id: 'call_m1c7fz0w', name: 'advance_phase', input: { to: 'deep_dive', reason: 'design agreed' } } },
      { type: 'usage', usage: { inputTokens: 812, outputTokens: 57, cachedInputTokens: 0, cacheWriteTokens: 0 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('sends max_tokens, which compatible servers understand, instead of max_completion_tokens', async () => {
    mock.reply(`${baseURL}/chat/completions`, sse('openai/ollama-tool-calls.chunks.txt'));

    await collect(compatibleModel().stream(request));

    const body = mock.onlyRequestBody();
    expect(body).toMatchObject({ model: 'qwen3:8b', max_tokens: 800, stream: true, stream_options: { include_usage: true } });
    expect(body).not.toHaveProperty('max_completion_tokens');
  });

  it('reports a reply that is not JSON as a ModelOutputError', async () => {
    mock.reply(`${baseURL}/chat/completions`, json('openai/compatible-invalid-json.json'));

    await expect(compatibleModel().generateObject(objectRequest)).rejects.toBeInstanceOf(ModelOutputError);
  });
});

describe('OpenAIModel.generateObject', () => {
  it('returns the parsed object, the raw JSON and the usage', async () => {
    mock.reply(OPENAI_CHAT_URL, json('openai/structured-output.json'));

    const response = await openAIModel().generateObject(objectRequest);

    expect(response.object).toEqual({ dimension: 'data_strategy', score: 3, evidence: ['I would split by time, not by user'] });
    expect(JSON.parse(response.raw)).toEqual(response.object);
    expect(response.usage).toEqual({ inputTokens: 3120, outputTokens: 42, cachedInputTokens: 2944, cacheWriteTokens: 0 });
  });

  it('sends a strict JSON schema response format, streamed with usage', async () => {
    mock.reply(OPENAI_CHAT_URL, json('openai/structured-output.json'));
    const model = openAIModel();

    await model.generateObject(objectRequest);

    const body = mock.onlyRequestBody();
    expect(body).toEqual(model.describeObjectRequest(objectRequest));
    expect(body).toMatchObject({
      model: 'gpt-5.1',
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 1000,
      messages: [
        { role: 'system', content: 'You are the evaluator.' },
        { role: 'user', content: 'Score the data strategy dimension.' },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'scorecard',
          description: 'One scored rubric dimension with evidence.',
          strict: true,
          schema: {
            type: 'object',
            properties: { dimension: { type: 'string' }, score: { type: 'integer' }, evidence: { type: 'array', items: { type: 'string' } } },
            required: ['dimension', 'score', 'evidence'],
            additionalProperties: false,
          },
        },
      },
    });
  });

  it('reports a refusal as a ModelOutputError', async () => {
    mock.reply(OPENAI_CHAT_URL, json('openai/structured-refusal.json'));

    await expect(openAIModel().generateObject(objectRequest)).rejects.toThrow(ModelOutputError);
  });

  it('maps 429 to a retryable ProviderError', async () => {
    mock.reply(OPENAI_CHAT_URL, json('openai/rate-limit.json', 429));

    await expect(openAIModel().generateObject(objectRequest)).rejects.toMatchObject({ name: 'ProviderError', status: 429, retryable: true });
  });
});
