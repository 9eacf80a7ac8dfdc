import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ProviderError } from '../../src/errors.ts';
import { createModel } from '../../src/llm/create-model.ts';
import type { LanguageModel, ObjectResponse } from '../../src/llm/model.ts';
import { ANTHROPIC_MESSAGES_URL, OPENAI_CHAT_URL } from '../helpers/msw-server.ts';
import { usePacedProvider, type PacedReply } from '../helpers/paced-provider.ts';
import { completionToEvents, messageToEvents } from '../helpers/stream-fixtures.ts';
import { collectUntilError, sampleObjectRequest, sampleRequest } from './sample-requests.ts';

/*
 * Provider calls at a real model's pace, through the real SDKs and the default configuration, on a fake
 * clock: a slow first token, a five-minute structured reply, rate limits with retry-after, errors and
 * stalls mid-stream. A call that is still streaming must never be cut off; one that stalls must end by
 * the idle limit, not hang; a long generation is never sent again silently.
 */

const mock = usePacedProvider();

// About 24 KB of JSON: some 6,000 tokens at four characters a token, like a scorecard of a long interview.
const bigObject = {
  dimension: 'data_strategy',
  score: 3,
  evidence: Array.from({ length: 300 }, (_, index) => `item ${index}: the candidate split by time and checked leakage`.padEnd(78, '.')),
};
const TOKEN_CHARS = 4;

function openAICompletion(content: string) {
  return {
    id: 'chatcmpl-paced',
    object: 'chat.completion',
    created: 1764150732,
    model: 'gpt-5.1-2025-11-13',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 5000, completion_tokens: 6000, total_tokens: 11000, prompt_tokens_details: { cached_tokens: 4096 } },
  };
}

function anthropicMessage(input: unknown) {
  return {
    id: 'msg_paced',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-6',
    content: [{ type: 'tool_use' as const, id: 'toolu_paced', name: 'scorecard', input }],
    stop_reason: 'tool_use',
    usage: { input_tokens: 900, cache_read_input_tokens: 4096, cache_creation_input_tokens: 0, output_tokens: 6000 },
  };
}

interface Provider {
  readonly name: 'openai' | 'anthropic';
  readonly url: string;
  /** The streamed structured reply carrying `object`, cut into pieces of `pieceChars`. */
  objectEvents(object: unknown, pieceChars: number): string[];
  /** A streamed text reply. */
  textEvents(text: string, pieceChars: number): string[];
}

const PROVIDERS: readonly Provider[] = [
  { name: 'openai', url: OPENAI_CHAT_URL, objectEvents: (object, size) => completionToEvents(openAICompletion(JSON.stringify(object)), size), textEvents: (text, size) => completionToEvents(openAICompletion(text), size) },
  { name: 'anthropic', url: ANTHROPIC_MESSAGES_URL, objectEvents: (object, size) => messageToEvents(anthropicMessage(object), size),
    textEvents: (text, size) => messageToEvents({ ...anthropicMessage(null), content: [{ type: 'text', text }], stop_reason: 'end_turn' } as never, size),
  },
];

function modelFor(provider: Provider, role: 'interviewer' | 'evaluator', env: Record<string, string> = {}): LanguageModel {
  // Only what is given here: an OPENAI_BASE_URL of the machine must not redirect the test.
  const config = loadConfig({ LLM_PROVIDER: provider.name, OPENAI_API_KEY: 'test-key', ANTHROPIC_API_KEY: 'test-key', ...env });
  const model = createModel({ provider: provider.name, modelId: provider.name === 'openai' ? 'gpt-5.1' : 'claude-sonnet-4-6', config, role });
  if (!model) throw new Error('no model');
  return model;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

async function failureOf(promise: Promise<Settled<unknown>>): Promise<ProviderError> {
  const result = await promise;
  if (result.ok) throw new Error('expected the call to fail');
  expect(result.error).toBeInstanceOf(ProviderError);
  return result.error as ProviderError;
}

const rateLimited = (provider: Provider, retryAfterSeconds: string): PacedReply => ({
  kind: 'error',
  status: 429,
  headers: { 'retry-after': retryAfterSeconds },
  body: provider.name === 'openai' ? { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } } : { type: 'error', error: { type: 'rate_limit_error', message: 'Rate limited' } },
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe.each(PROVIDERS)('$name at a real model pace', (provider) => {
  it('waits 20 s for a first token and takes the reply', async () => {
    mock.script(provider.url, [{ kind: 'events', events: provider.objectEvents({ dimension: 'd', score: 2, evidence: ['e'] }, 16), firstDelayMs: 20_000, intervalMs: 40 }]);

    const call = settle(modelFor(provider, 'evaluator').generateObject(sampleObjectRequest));
    await mock.arrived(1);
    await vi.advanceTimersByTimeAsync(25_000);

    const result = await call;
    expect(result.ok).toBe(true);
    const response = (result as { value: ObjectResponse }).value;
    expect(response.object).toEqual({ dimension: 'd', score: 2, evidence: ['e'] });
    expect(response.attempts).toEqual([expect.objectContaining({ attempt: 1, outcome: 'ok', firstTokenMs: expect.any(Number) })]);
    expect(response.attempts?.[0]?.firstTokenMs).toBeGreaterThanOrEqual(20_000);
    expect(mock.arrivals).toHaveLength(1);
  });

  it('takes a five-minute structured reply at 20 tokens a second, sent once', async () => {
    const events = provider.objectEvents(bigObject, TOKEN_CHARS);
    expect(events.length).toBeGreaterThan(5500);
    mock.script(provider.url, [{ kind: 'events', events, firstDelayMs: 3000, intervalMs: 50 }]);

    const call = settle(modelFor(provider, 'evaluator').generateObject(sampleObjectRequest));
    await mock.arrived(1);
    await vi.advanceTimersByTimeAsync(events.length * 50 + 10_000);

    const result = await call;
    expect(result).toMatchObject({ ok: true });
    const response = (result as { value: ObjectResponse }).value;
    expect(response.object).toEqual(bigObject);
    expect(response.attempts?.[0]?.durationMs).toBeGreaterThan(280_000);
    expect(response.usage.outputTokens).toBe(6000);
    expect(mock.arrivals).toHaveLength(1);
  }, 120_000);

  it('waits as long as a 429 says in retry-after, then succeeds, and records both attempts', async () => {
    mock.script(provider.url, [rateLimited(provider, '7'), { kind: 'events', events: provider.objectEvents({ dimension: 'd', score: 1, evidence: [] }, 16), intervalMs: 10 }]);

    const call = settle(modelFor(provider, 'evaluator').generateObject(sampleObjectRequest));
    await mock.arrived(1);
    await vi.advanceTimersByTimeAsync(6_000);
    expect(mock.arrivals).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5_000);

    const result = await call;
    expect(result).toMatchObject({ ok: true });
    expect(mock.arrivals).toHaveLength(2);
    expect((mock.arrivals[1] ?? 0) - (mock.arrivals[0] ?? 0)).toBeGreaterThanOrEqual(7_000);
    expect((result as { value: ObjectResponse }).value.attempts).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'failed', receivedOutput: false, retryInMs: 7_000 }),
      expect.objectContaining({ attempt: 2, outcome: 'ok' }),
    ]);
  });

  it('gives up at once when retry-after asks for more than a minute', async () => {
    mock.script(provider.url, [rateLimited(provider, '3600')]);

    const error = failureOf(settle(modelFor(provider, 'evaluator').generateObject(sampleObjectRequest)));
    await mock.arrived(1);
    await vi.advanceTimersByTimeAsync(1_000);

    expect(await error).toMatchObject({ status: 429, retryAfterMs: 3_600_000 });
    expect(mock.arrivals).toHaveLength(1);
  });

  it('fails a stalled stream by the idle limit instead of hanging, and sends it again only once', async () => {
    const events = provider.objectEvents(bigObject, 64);
    const stalled: PacedReply = { kind: 'events', events, intervalMs: 50, stallAfter: 40 };
    mock.script(provider.url, [stalled, stalled, stalled]);

    const error = failureOf(settle(modelFor(provider, 'evaluator').generateObject(sampleObjectRequest)));
    await mock.arrived(1);
    await vi.advanceTimersByTimeAsync(2 * (40 * 50 + 30_000) + 5_000);

    expect(await error).toMatchObject({ timeout: 'idle', receivedOutput: true, retryable: true });
    // Part of the reply had arrived both times: one repeat, not the two a failure before the first token gets.
    expect(mock.arrivals).toHaveLength(2);
    expect((await error).message).toContain('LLM_IDLE_TIMEOUT_MS');
  });

  it('fails a provider that never starts by the first-token limit, retrying it as configured', async () => {
    const silent: PacedReply = { kind: 'events', events: provider.objectEvents(bigObject, 64), stallAfter: 0 };
    mock.script(provider.url, [silent, silent]);

    const error = failureOf(settle(modelFor(provider, 'evaluator', { LLM_FIRST_TOKEN_TIMEOUT_MS: '10000', LLM_MAX_RETRIES: '1' }).generateObject(sampleObjectRequest)));
    await mock.arrived(1);
    await vi.advanceTimersByTimeAsync(10_000 + 5_000 + 10_000 + 1_000);

    expect(await error).toMatchObject({ timeout: 'first_token', receivedOutput: false });
    expect(mock.arrivals).toHaveLength(2);
  });

  it('ends a steady stream at the call ceiling', async () => {
    const events = provider.objectEvents(bigObject, TOKEN_CHARS);
    mock.script(provider.url, [{ kind: 'events', events, intervalMs: 50 }, { kind: 'events', events, intervalMs: 50 }]);

    const error = failureOf(settle(modelFor(provider, 'evaluator', { LLM_EVALUATOR_CALL_TIMEOUT_MS: '60000' }).generateObject(sampleObjectRequest)));
    await mock.arrived(1);
    await vi.advanceTimersByTimeAsync(2 * 60_000 + 5_000);

    expect(await error).toMatchObject({ timeout: 'total', receivedOutput: true });
    expect(mock.arrivals).toHaveLength(2);
  }, 60_000);

  it('gives an interviewer stream that stalls mid-reply back to the caller, without a silent repeat', async () => {
    const text = 'You said the labels arrive late: how would you train on the last week of data? '.repeat(4);
    mock.script(provider.url, [{ kind: 'events', events: provider.textEvents(text, 8), intervalMs: 50, stallAfter: 6 }]);

    const model = modelFor(provider, 'interviewer');
    const collected = settle(collectUntilError(model.stream(sampleRequest(provider.name === 'openai' ? 'call_' : 'toolu_'))));
    await mock.arrived(1);
    await vi.advanceTimersByTimeAsync(40_000);

    const result = await collected;
    expect(result.ok).toBe(true);
    const { parts, error } = (result as { value: { parts: { type: string }[]; error: unknown } }).value;
    expect(parts.some((part) => part.type === 'text-delta')).toBe(true);
    expect(error).toMatchObject({ name: 'ProviderError', timeout: 'idle', receivedOutput: true });
    expect(mock.arrivals).toHaveLength(1);
  });
});

describe('mid-stream provider errors', () => {
  const overloaded = [
    'event: message_start\ndata: {"type":"message_start","message":{"model":"claude-sonnet-4-6","id":"msg_x","type":"message","role":"assistant","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":24,"cache_creation_input_tokens":0,"cache_read_input_tokens":1850,"output_tokens":1}}}\n\n',
    'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_x","name":"scorecard","input":{}}}\n\n',
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"dimension\\": \\"d"}}\n\n',
    'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_x"}\n\n',
  ];
  const anthropic = PROVIDERS[1] as Provider;
  const openai = PROVIDERS[0] as Provider;

  it('Anthropic overloaded_error after a 200: retried once, and the second answer is used', async () => {
    mock.script(anthropic.url, [
      { kind: 'events', events: overloaded, intervalMs: 100 },
      { kind: 'events', events: anthropic.objectEvents({ dimension: 'd', score: 2, evidence: [] }, 16), intervalMs: 10 },
    ]);

    const call = settle(modelFor(anthropic, 'evaluator').generateObject(sampleObjectRequest));
    await mock.arrived(1);
    await vi.advanceTimersByTimeAsync(10_000);

    const result = await call;
    expect(result).toMatchObject({ ok: true, value: { object: { dimension: 'd', score: 2, evidence: [] } } });
    expect((result as { value: ObjectResponse }).value.attempts).toEqual([
      expect.objectContaining({ outcome: 'failed', receivedOutput: true, error: expect.stringContaining('Overloaded') }),
      expect.objectContaining({ outcome: 'ok' }),
    ]);
  });

  it('Anthropic overloaded_error twice after a 200: not sent a third time', async () => {
    mock.script(anthropic.url, [
      { kind: 'events', events: overloaded, intervalMs: 100 },
      { kind: 'events', events: overloaded, intervalMs: 100 },
      { kind: 'events', events: anthropic.objectEvents({ dimension: 'd', score: 2, evidence: [] }, 16) },
    ]);

    const error = failureOf(settle(modelFor(anthropic, 'evaluator').generateObject(sampleObjectRequest)));
    await mock.arrived(1);
    await vi.advanceTimersByTimeAsync(20_000);

    expect(await error).toMatchObject({ retryable: true, receivedOutput: true });
    expect(mock.arrivals).toHaveLength(2);
  });

  it('an OpenAI stream that closes without [DONE] is incomplete, never parsed as a reply', async () => {
    const events = openai.objectEvents({ dimension: 'd', score: 2, evidence: ['x'] }, 8);
    mock.script(openai.url, [
      { kind: 'events', events, intervalMs: 20, closeAfter: events.length - 3 },
      { kind: 'events', events, intervalMs: 20, closeAfter: events.length - 3 },
    ]);

    const error = failureOf(settle(modelFor(openai, 'evaluator').generateObject(sampleObjectRequest)));
    await mock.arrived(1);
    await vi.advanceTimersByTimeAsync(10_000);

    expect((await error).message).toContain('ended before the model finished');
    expect(mock.arrivals).toHaveLength(2);
  });
});
