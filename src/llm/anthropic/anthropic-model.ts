import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming, StopReason } from '@anthropic-ai/sdk/resources/messages';
import { ModelOutputError } from '../../errors.ts';
import { DEFAULT_CALL_LIMITS, type CallLimits } from '../call-limits.ts';
import type { LanguageModel, ModelRequest, ObjectRequest, ObjectResponse, StreamPart, ToolCall, Usage } from '../model.ts';
import { abortedError, truncatedStreamError } from '../provider-errors.ts';
import { callFailure, drain, StreamDeadline } from '../stream-deadline.ts';
import { toProviderError } from './anthropic-errors.ts';
import { toAnthropicMessages, toAnthropicTools, toInputSchema, toSystemBlocks } from './anthropic-messages.ts';
import { readMessageStream, toFinishReason } from './anthropic-stream.ts';

/** Anthropic requires `max_tokens`; this is enough for an interviewer turn. */
const DEFAULT_MAX_TOKENS = 2048;

export interface AnthropicModelOptions {
  /** Built in main.ts with timeouts and retries. */
  readonly client: Anthropic;
  readonly modelId: string;
  /** Time-to-first-chunk, idle and total limits of each call (the SDK's own timeout sits above them). */
  readonly limits?: CallLimits;
}

const FALLBACK_LIMITS: CallLimits = { firstTokenMs: DEFAULT_CALL_LIMITS.firstTokenMs, idleMs: DEFAULT_CALL_LIMITS.idleMs, totalMs: DEFAULT_CALL_LIMITS.evaluatorTotalMs, maxRetries: 0 };

/**
 * A LanguageModel over the Anthropic Messages API. `request.temperature` is not sent: API version
 * 2026-10-21, which this SDK speaks, answers 400 to any sampling parameter, even at its default.
 */
export class AnthropicModel implements LanguageModel {
  readonly provider = 'anthropic';
  readonly modelId: string;
  readonly #client: Anthropic;
  readonly #limits: CallLimits;

  constructor(options: AnthropicModelOptions) {
    this.#client = options.client;
    this.#limits = options.limits ?? FALLBACK_LIMITS;
    this.modelId = options.modelId;
  }

  describeStreamRequest(request: ModelRequest): MessageCreateParamsStreaming {
    const tools = request.tools ?? [];
    return {
      model: this.modelId,
      max_tokens: request.maxOutputTokens ?? DEFAULT_MAX_TOKENS,
      // Tools, then system, then messages: the order in which the API builds (and caches) the prompt.
      ...(tools.length > 0 ? { tools: toAnthropicTools(tools) } : {}),
      ...(request.system.length > 0 ? { system: toSystemBlocks(request.system) } : {}),
      messages: toAnthropicMessages(request.messages),
      stream: true,
    };
  }

  /** Structured output by forcing one tool whose input schema is the requested schema, streamed like every call. */
  describeObjectRequest(request: ObjectRequest): MessageCreateParamsStreaming {
    return {
      model: this.modelId,
      max_tokens: request.maxOutputTokens ?? DEFAULT_MAX_TOKENS,
      tools: [{ name: request.schemaName, description: request.schemaDescription, input_schema: toInputSchema(request.schema) }],
      ...(request.system.length > 0 ? { system: toSystemBlocks(request.system) } : {}),
      messages: toAnthropicMessages(request.messages),
      tool_choice: { type: 'tool', name: request.schemaName },
      stream: true,
    };
  }

  async *stream(request: ModelRequest): AsyncGenerator<StreamPart> {
    const result = yield* this.#streamCall(this.describeStreamRequest(request), request.signal);
    yield { type: 'usage', usage: result.usage };
    yield { type: 'finish', reason: toFinishReason(result.stopReason) };
  }

  /** The forced tool's input arrives as `input_json_delta` pieces; it is parsed only once its block closes. */
  async generateObject(request: ObjectRequest): Promise<ObjectResponse> {
    const calls: ToolCall[] = [];
    const result = await drain(this.#streamCall(this.describeObjectRequest(request), request.signal), (part) => {
      if (part.type === 'tool-call') calls.push(part.call);
    });
    if (result.stopReason === 'max_tokens') throw new ModelOutputError('the reply was cut off at the output token limit before the object was complete');
    const call = calls.find((candidate) => candidate.name === request.schemaName);
    if (!call) throw new ModelOutputError(`the reply has no ${request.schemaName} tool call (stop reason ${String(result.stopReason)})`);
    // Input that did not parse stays a string, so the schema check reports it and a repair round follows.
    const raw = typeof call.input === 'string' ? call.input : JSON.stringify(call.input);
    return { object: call.input, raw, usage: result.usage, firstTokenMs: result.firstTokenMs };
  }

  /** One streamed call under the call limits: the parts as they arrive, then how it stopped. */
  async *#streamCall(body: MessageCreateParamsStreaming, signal: AbortSignal | undefined): AsyncGenerator<StreamPart, { stopReason: StopReason; usage: Usage; firstTokenMs: number | null }> {
    const deadline = new StreamDeadline(this.provider, this.#limits, signal);
    let outcome;
    try {
      const events = await deadline.race(this.#client.messages.create(body, { signal: deadline.signal }));
      outcome = yield* readMessageStream(deadline.guard(events));
    } catch (error) {
      throw callFailure(error, deadline, signal, (cause) => toProviderError(this.provider, cause), () => abortedError(this.provider, signal as AbortSignal));
    } finally {
      deadline.dispose();
    }
    if (signal?.aborted) throw abortedError(this.provider, signal);
    if (deadline.error) throw deadline.error;
    // Without `message_delta` the connection closed mid-message.
    if (outcome.stopReason === null) throw truncatedStreamError(this.provider, deadline.receivedOutput);
    return { stopReason: outcome.stopReason, usage: outcome.usage, firstTokenMs: deadline.firstTokenMs };
  }
}
