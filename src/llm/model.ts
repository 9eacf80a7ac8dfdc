import type { z } from 'zod';

/**
 * The one small interface between agents and LLM providers. Agents speak only this; the adapters in
 * src/llm/openai/ and src/llm/anthropic/ translate it to each SDK. Nothing here imports an SDK.
 */

/** A block of the system prompt. `cache: true` marks the end of a long, stable prefix worth caching. */
export interface SystemBlock {
  readonly text: string;
  readonly cache?: boolean;
}

/** A tool the model may call. `parameters` is a zod object schema; adapters turn it into JSON Schema. */
export interface ToolDefinition {
  readonly name: string;
  readonly description: string;
  readonly parameters: z.ZodObject;
}

export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** The arguments, parsed from JSON but not validated: the agent validates them. */
  readonly input: unknown;
}

export interface ToolResult {
  readonly toolCallId: string;
  readonly name: string;
  readonly content: string;
  readonly isError?: boolean;
}

/** One message of the conversation sent to the model. */
export type ModelMessage =
  | { readonly role: 'user'; readonly content: string }
  | { readonly role: 'assistant'; readonly content: string; readonly toolCalls?: readonly ToolCall[] }
  | { readonly role: 'tool'; readonly results: readonly ToolResult[] };

export interface ModelRequest {
  readonly system: readonly SystemBlock[];
  readonly messages: readonly ModelMessage[];
  readonly tools?: readonly ToolDefinition[];
  readonly maxOutputTokens?: number;
  readonly temperature?: number;
  readonly signal?: AbortSignal;
}

/** Token usage normalised across providers. `inputTokens` counts every input token, cached or not. */
export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Input tokens read from the provider's prompt cache. */
  readonly cachedInputTokens: number;
  /** Input tokens written to the prompt cache on this call (Anthropic reports these; OpenAI does not). */
  readonly cacheWriteTokens: number;
}

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'error' | 'other';

/** What a streaming call yields, in order: text deltas and tool calls as they complete, then usage, then finish. */
export type StreamPart =
  | { readonly type: 'text-delta'; readonly text: string }
  | { readonly type: 'tool-call'; readonly call: ToolCall }
  | { readonly type: 'usage'; readonly usage: Usage }
  | { readonly type: 'finish'; readonly reason: FinishReason };

/** A request for a JSON object that must satisfy `schema` (OpenAI strict JSON schema, Anthropic forced tool use). */
export interface ObjectRequest extends Omit<ModelRequest, 'tools'> {
  readonly schema: z.ZodType;
  readonly schemaName: string;
  readonly schemaDescription: string;
}

export interface ObjectResponse {
  /** The parsed JSON the model produced, not yet validated against the schema. */
  readonly object: unknown;
  /** The raw text of the reply (the JSON as sent, or the tool input re-serialised). */
  readonly raw: string;
  readonly usage: Usage;
  /** Milliseconds from sending the request to the first chunk of the reply. */
  readonly firstTokenMs?: number | null;
  /** Every provider call this response took, failed ones included (set by RetryingModel). */
  readonly attempts?: readonly CallAttempt[];
}

/** One provider call, as recorded in a scorecard: what it waited for, how it ended. */
export interface CallAttempt {
  readonly attempt: number;
  readonly outcome: 'ok' | 'failed';
  readonly durationMs: number;
  readonly firstTokenMs: number | null;
  /** The failure, when it failed: message, and whether part of the reply had arrived. */
  readonly error?: string;
  readonly receivedOutput?: boolean;
  /** How long the next attempt waited, and why (`retry-after` or backoff). */
  readonly retryInMs?: number;
}

export interface LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  /** Streams one model call. Throws ProviderError (before or during the stream) when the provider fails. */
  stream(request: ModelRequest): AsyncIterable<StreamPart>;
  /** One call whose reply must be a JSON object for `request.schema`. Throws ProviderError on failure. */
  generateObject(request: ObjectRequest): Promise<ObjectResponse>;
  /** The exact provider request body `stream` would send, for --dump-request. Sends nothing. */
  describeStreamRequest(request: ModelRequest): unknown;
  /** The exact provider request body `generateObject` would send. Sends nothing. */
  describeObjectRequest(request: ObjectRequest): unknown;
}

export const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 };

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
  };
}
