import type OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import { ModelOutputError } from '../../errors.ts';
import type { LanguageModel, ModelRequest, ObjectRequest, ObjectResponse, StreamPart } from '../model.ts';
import { abortedError, truncatedStreamError } from '../provider-errors.ts';
import { toProviderError } from './openai-errors.ts';
import { toChatMessages, toChatTools } from './openai-messages.ts';
import { readChatStream, toUsage } from './openai-stream.ts';

export interface OpenAIModelOptions {
  /** Built in main.ts with timeouts and retries; `baseURL` points it at a compatible server. */
  readonly client: OpenAI;
  readonly modelId: string;
  /** `openai` (the default) or `openai-compatible` for Ollama, vLLM, llama.cpp and LM Studio servers. */
  readonly provider?: string;
}

/** A LanguageModel over the Chat Completions API of OpenAI or any server that imitates it. */
export class OpenAIModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly #client: OpenAI;

  constructor(options: OpenAIModelOptions) {
    this.#client = options.client;
    this.modelId = options.modelId;
    this.provider = options.provider ?? 'openai';
  }

  describeStreamRequest(request: ModelRequest): ChatCompletionCreateParamsStreaming {
    const tools = request.tools ?? [];
    return {
      model: this.modelId,
      messages: toChatMessages(request.system, request.messages),
      ...(tools.length > 0 ? { tools: toChatTools(tools) } : {}),
      ...this.#limits(request),
      stream: true,
      // Without this the stream carries no token counts at all.
      stream_options: { include_usage: true },
    };
  }

  describeObjectRequest(request: ObjectRequest): ChatCompletionCreateParamsNonStreaming {
    return {
      model: this.modelId,
      messages: toChatMessages(request.system, request.messages),
      ...this.#limits(request),
      response_format: toResponseFormat(request),
    };
  }

  async *stream(request: ModelRequest): AsyncGenerator<StreamPart> {
    const body = this.describeStreamRequest(request);
    let outcome;
    try {
      const chunks = await this.#client.chat.completions.create(body, { signal: request.signal });
      outcome = yield* readChatStream(chunks);
    } catch (error) {
      if (request.signal?.aborted) throw abortedError(this.provider, request.signal);
      throw toProviderError(this.provider, error);
    }
    // The SDK ends the iteration quietly both on abort and when the body closes before `[DONE]`.
    if (request.signal?.aborted) throw abortedError(this.provider, request.signal);
    if (outcome.finishReason === undefined) throw truncatedStreamError(this.provider);
    yield { type: 'usage', usage: outcome.usage };
    yield { type: 'finish', reason: outcome.finishReason };
  }

  async generateObject(request: ObjectRequest): Promise<ObjectResponse> {
    const body = this.describeObjectRequest(request);
    let completion: ChatCompletion;
    try {
      completion = await this.#client.chat.completions.create(body, { signal: request.signal });
    } catch (error) {
      if (request.signal?.aborted) throw abortedError(this.provider, request.signal);
      throw toProviderError(this.provider, error);
    }
    return readObjectCompletion(completion);
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

function readObjectCompletion(completion: ChatCompletion): ObjectResponse {
  const choice = completion.choices[0];
  if (!choice) throw new ModelOutputError('the reply has no choices');
  const { message } = choice;
  if (message.refusal) throw new ModelOutputError(`the model refused: ${message.refusal}`);
  if (choice.finish_reason === 'length') throw new ModelOutputError('the reply was cut off at the output token limit before the JSON was complete');
  const raw = message.content ?? '';
  if (raw.trim() === '') throw new ModelOutputError(`the reply has no content (finish reason ${choice.finish_reason})`);
  let object: unknown;
  try {
    object = JSON.parse(raw);
  } catch (error) {
    throw new ModelOutputError(`the reply is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return { object, raw, usage: toUsage(completion.usage) };
}
