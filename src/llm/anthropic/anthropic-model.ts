import type Anthropic from '@anthropic-ai/sdk';
import type { Message, MessageCreateParamsNonStreaming, MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages';
import { ModelOutputError } from '../../errors.ts';
import type { LanguageModel, ModelRequest, ObjectRequest, ObjectResponse, StreamPart } from '../model.ts';
import { abortedError, truncatedStreamError } from '../provider-errors.ts';
import { toProviderError } from './anthropic-errors.ts';
import { toAnthropicMessages, toAnthropicTools, toInputSchema, toSystemBlocks } from './anthropic-messages.ts';
import { readMessageStream, toFinishReason, usageFromMessage } from './anthropic-stream.ts';

/** Anthropic requires `max_tokens`; this is enough for an interviewer turn. */
const DEFAULT_MAX_TOKENS = 2048;

export interface AnthropicModelOptions {
  /** Built in main.ts with timeouts and retries. */
  readonly client: Anthropic;
  readonly modelId: string;
}

/**
 * A LanguageModel over the Anthropic Messages API. `request.temperature` is not sent: API version
 * 2026-10-21, which this SDK speaks, answers 400 to any sampling parameter, even at its default.
 */
export class AnthropicModel implements LanguageModel {
  readonly provider = 'anthropic';
  readonly modelId: string;
  readonly #client: Anthropic;

  constructor(options: AnthropicModelOptions) {
    this.#client = options.client;
    this.modelId = options.modelId;
  }

  describeStreamRequest(request: ModelRequest): MessageCreateParamsStreaming {
    const tools = request.tools ?? [];
    return {
      model: this.modelId,
      max_tokens: request.maxOutputTokens ?? DEFAULT_MAX_TOKENS,
      ...(request.system.length > 0 ? { system: toSystemBlocks(request.system) } : {}),
      messages: toAnthropicMessages(request.messages),
      ...(tools.length > 0 ? { tools: toAnthropicTools(tools) } : {}),
      stream: true,
    };
  }

  /** Structured output by forcing one tool whose input schema is the requested schema. */
  describeObjectRequest(request: ObjectRequest): MessageCreateParamsNonStreaming {
    return {
      model: this.modelId,
      max_tokens: request.maxOutputTokens ?? DEFAULT_MAX_TOKENS,
      ...(request.system.length > 0 ? { system: toSystemBlocks(request.system) } : {}),
      messages: toAnthropicMessages(request.messages),
      tools: [{ name: request.schemaName, description: request.schemaDescription, input_schema: toInputSchema(request.schema) }],
      tool_choice: { type: 'tool', name: request.schemaName },
    };
  }

  async *stream(request: ModelRequest): AsyncGenerator<StreamPart> {
    const body = this.describeStreamRequest(request);
    let outcome;
    try {
      const events = await this.#client.messages.create(body, { signal: request.signal });
      outcome = yield* readMessageStream(events);
    } catch (error) {
      if (request.signal?.aborted) throw abortedError(this.provider, request.signal);
      throw toProviderError(this.provider, error);
    }
    if (request.signal?.aborted) throw abortedError(this.provider, request.signal);
    // Without `message_delta` the connection closed mid-message.
    if (outcome.stopReason === null) throw truncatedStreamError(this.provider);
    yield { type: 'usage', usage: outcome.usage };
    yield { type: 'finish', reason: toFinishReason(outcome.stopReason) };
  }

  async generateObject(request: ObjectRequest): Promise<ObjectResponse> {
    const body = this.describeObjectRequest(request);
    let message: Message;
    try {
      message = await this.#client.messages.create(body, { signal: request.signal });
    } catch (error) {
      if (request.signal?.aborted) throw abortedError(this.provider, request.signal);
      throw toProviderError(this.provider, error);
    }
    return readForcedToolUse(message, request.schemaName);
  }
}

function readForcedToolUse(message: Message, toolName: string): ObjectResponse {
  if (message.stop_reason === 'max_tokens') {
    throw new ModelOutputError('the reply was cut off at the output token limit before the object was complete');
  }
  const toolUse = message.content.find((block) => block.type === 'tool_use' && block.name === toolName);
  if (!toolUse || toolUse.type !== 'tool_use') {
    throw new ModelOutputError(`the reply has no ${toolName} tool call (stop reason ${String(message.stop_reason)})`);
  }
  return { object: toolUse.input, raw: JSON.stringify(toolUse.input), usage: usageFromMessage(message.usage) };
}
