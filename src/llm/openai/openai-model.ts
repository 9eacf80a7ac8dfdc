import type OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import { ModelOutputError } from '../../errors.ts';
import { DEFAULT_CALL_LIMITS, type CallLimits } from '../call-limits.ts';
import type { FinishReason, LanguageModel, ModelRequest, ObjectRequest, ObjectResponse, StreamPart, Usage } from '../model.ts';
import { abortedError, truncatedStreamError } from '../provider-errors.ts';
import { callFailure, drain, StreamDeadline } from '../stream-deadline.ts';
import { toProviderError } from './openai-errors.ts';
import { toChatMessages, toChatTools } from './openai-messages.ts';
import { readChatStream } from './openai-stream.ts';

export interface OpenAIModelOptions {
  /** Built in main.ts with timeouts and retries; `baseURL` points it at a compatible server. */
  readonly client: OpenAI;
  readonly modelId: string;
  /** `openai` (the default) or `openai-compatible` for Ollama, vLLM, llama.cpp and LM Studio servers. */
  readonly provider?: string;
  /** Time-to-first-chunk, idle and total limits of each call (the SDK's own timeout sits above them). */
  readonly limits?: CallLimits;
}

const FALLBACK_LIMITS: CallLimits = { firstTokenMs: DEFAULT_CALL_LIMITS.firstTokenMs, idleMs: DEFAULT_CALL_LIMITS.idleMs, totalMs: DEFAULT_CALL_LIMITS.evaluatorTotalMs, maxRetries: 0 };

/** A LanguageModel over the Chat Completions API of OpenAI or any server that imitates it. */
export class OpenAIModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly #client: OpenAI;
  readonly #callLimits: CallLimits;

  constructor(options: OpenAIModelOptions) {
    this.#client = options.client;
    this.#callLimits = options.limits ?? FALLBACK_LIMITS;
    this.modelId = options.modelId;
    this.provider = options.provider ?? 'openai';
  }

  describeStreamRequest(request: ModelRequest): ChatCompletionCreateParamsStreaming {
    const tools = request.tools ?? [];
    return {
      model: this.modelId,
      // Tools first: they never change, so a byte-level prefix cache (and a reader of the raw requests) sees them as shared.
      ...(tools.length > 0 ? { tools: toChatTools(tools) } : {}),
      messages: toChatMessages(request.system, request.messages),
      ...this.#limits(request),
      stream: true,
      // Without this the stream carries no token counts at all.
      stream_options: { include_usage: true },
    };
  }

  /** Streamed like every call, so a long structured reply is never cut off by a total timeout. */
  describeObjectRequest(request: ObjectRequest): ChatCompletionCreateParamsStreaming {
    return {
      model: this.modelId,
      messages: toChatMessages(request.system, request.messages),
      ...this.#limits(request),
      response_format: toResponseFormat(request),
      stream: true,
      stream_options: { include_usage: true },
    };
  }

  async *stream(request: ModelRequest): AsyncGenerator<StreamPart> {
    const result = yield* this.#streamCall(this.describeStreamRequest(request), request.signal);
    yield { type: 'usage', usage: result.usage };
    yield { type: 'finish', reason: result.finishReason };
  }

  /** Streamed structured output: the JSON is gathered from the deltas and parsed only once it is complete. */
  async generateObject(request: ObjectRequest): Promise<ObjectResponse> {
    let raw = '';
    const result = await drain(this.#streamCall(this.describeObjectRequest(request), request.signal), (part) => {
      if (part.type === 'text-delta') raw += part.text;
    });
    return { ...readObjectReply(raw, result.finishReason), usage: result.usage, firstTokenMs: result.firstTokenMs };
  }

  /** One streamed call under the call limits: the parts as they arrive, then how it finished. */
  async *#streamCall(body: ChatCompletionCreateParamsStreaming, signal: AbortSignal | undefined): AsyncGenerator<StreamPart, { finishReason: FinishReason; usage: Usage; firstTokenMs: number | null }> {
    const deadline = new StreamDeadline(this.provider, this.#callLimits, signal);
    let outcome;
    try {
      const chunks = await deadline.race(this.#client.chat.completions.create(body, { signal: deadline.signal }));
      outcome = yield* readChatStream(deadline.guard(chunks));
    } catch (error) {
      throw callFailure(error, deadline, signal, (cause) => toProviderError(this.provider, cause), () => abortedError(this.provider, signal as AbortSignal));
    } finally {
      deadline.dispose();
    }
    // The SDK ends the iteration quietly both on abort and when the body closes before `[DONE]`.
    if (signal?.aborted) throw abortedError(this.provider, signal);
    if (deadline.error) throw deadline.error;
    if (outcome.finishReason === undefined) throw truncatedStreamError(this.provider, deadline.receivedOutput);
    return { finishReason: outcome.finishReason, usage: outcome.usage, firstTokenMs: deadline.firstTokenMs };
  }

  /**
   * OpenAI's reasoning models refuse the old `max_tokens`; compatible servers do not all know its
   * replacement `max_completion_tokens`, so each gets the name it understands.
   */
  #limits(request: ModelRequest | ObjectRequest): { max_completion_tokens?: number; max_tokens?: number; temperature?: number } {
    const limits: { max_completion_tokens?: number; max_tokens?: number; temperature?: number } = {};
    if (request.maxOutputTokens !== undefined) {
      if (this.provider === 'openai') limits.max_completion_tokens = request.maxOutputTokens;
      else limits.max_tokens = request.maxOutputTokens;
    }
    if (request.temperature !== undefined) limits.temperature = request.temperature;
    return limits;
  }
}

/**
 * Strict structured output. The SDK's own converter makes the schema strict-mode legal (every property
 * required, objects closed) and fails loudly here on what strict mode cannot express, such as
 * `.optional()` without `.nullable()`, instead of the API answering 400 on every call.
 */
function toResponseFormat(request: ObjectRequest): ResponseFormatJSONSchema {
  const strict = zodResponseFormat(request.schema, request.schemaName);
  return {
    type: 'json_schema',
    json_schema: { name: request.schemaName, description: request.schemaDescription, schema: strict.json_schema.schema ?? {}, strict: true },
  };
}

/** The streamed reply's text as the requested JSON object; a refusal streams as text with `content_filter`. */
function readObjectReply(raw: string, finishReason: FinishReason): { object: unknown; raw: string } {
  if (finishReason === 'content_filter') throw new ModelOutputError(`the model refused: ${raw.slice(0, 500)}`);
  if (finishReason === 'length') throw new ModelOutputError('the reply was cut off at the output token limit before the JSON was complete');
  if (raw.trim() === '') throw new ModelOutputError(`the reply has no content (finish reason ${finishReason})`);
  let object: unknown;
  try {
    object = JSON.parse(raw);
  } catch (error) {
    throw new ModelOutputError(`the reply is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return { object, raw };
}
