import type { MessageDeltaUsage, RawMessageStreamEvent, StopReason, Usage as AnthropicUsage } from '@anthropic-ai/sdk/resources/messages';
import type { FinishReason, StreamPart, Usage } from '../model.ts';

interface PendingToolUse {
  readonly id: string;
  readonly name: string;
  json: string;
}

/** Token counts as Anthropic reports them: `input_tokens` excludes both kinds of cached tokens. */
interface TokenCounts {
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
}

/** What the event loop learned, for the model to finish the stream with. */
export interface MessageStreamOutcome {
  /** Null when the stream ended before `message_delta` said why the model stopped. */
  readonly stopReason: StopReason | null;
  readonly usage: Usage;
}

/**
 * Yields text deltas as they arrive and each tool call when its content block closes, and returns the
 * stop reason and usage. The SDK already drops `ping` events and throws on `event: error`.
 */
export async function* readMessageStream(events: AsyncIterable<RawMessageStreamEvent>): AsyncGenerator<StreamPart, MessageStreamOutcome> {
  const toolUses = new Map<number, PendingToolUse>();
  let counts: TokenCounts = { input: 0, cacheRead: 0, cacheWrite: 0, output: 0 };
  let stopReason: StopReason | null = null;
  for await (const event of events) {
    switch (event.type) {
      case 'message_start':
        counts = fromStartUsage(event.message.usage);
        break;
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'tool_use') toolUses.set(event.index, { id: block.id, name: block.name, json: '' });
        else if (block.type === 'text' && block.text !== '') yield { type: 'text-delta', text: block.text };
        break;
      }
      case 'content_block_delta':
        if (event.delta.type === 'text_delta') {
          yield { type: 'text-delta', text: event.delta.text };
        } else if (event.delta.type === 'input_json_delta') {
          const toolUse = toolUses.get(event.index);
          if (toolUse) toolUse.json += event.delta.partial_json;
        }
        break;
      case 'content_block_stop': {
        const toolUse = toolUses.get(event.index);
        if (toolUse) {
          toolUses.delete(event.index);
          yield { type: 'tool-call', call: { id: toolUse.id, name: toolUse.name, input: parseToolInput(toolUse.json) } };
        }
        break;
      }
      case 'message_delta':
        stopReason = event.delta.stop_reason ?? stopReason;
        counts = mergeDeltaUsage(counts, event.usage);
        break;
      case 'message_stop':
        break;
      default: {
        // The SDK passes through event types newer than itself; none of them carries anything we need.
        const ignored: never = event;
        void ignored;
      }
    }
  }
  return { stopReason, usage: toUsage(counts) };
}

/**
 * A tool with no parameters streams no `input_json_delta` at all, hence `{}` for an empty string.
 * Input that is not JSON stays a string, so the agent's validation reports it to the model.
 */
function parseToolInput(json: string): unknown {
  if (json.trim() === '') return {};
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

function fromStartUsage(usage: AnthropicUsage): TokenCounts {
  return {
    input: usage.input_tokens,
    cacheRead: usage.cache_read_input_tokens ?? 0,
    cacheWrite: usage.cache_creation_input_tokens ?? 0,
    output: usage.output_tokens,
  };
}

/** `message_delta` counts are cumulative totals, present only when they apply: overwrite, never add. */
function mergeDeltaUsage(counts: TokenCounts, usage: MessageDeltaUsage): TokenCounts {
  return {
    input: usage.input_tokens ?? counts.input,
    cacheRead: usage.cache_read_input_tokens ?? counts.cacheRead,
    cacheWrite: usage.cache_creation_input_tokens ?? counts.cacheWrite,
    output: usage.output_tokens,
  };
}

/** Our `inputTokens` counts every input token, so the cached ones are added back in. */
function toUsage(counts: TokenCounts): Usage {
  return {
    inputTokens: counts.input + counts.cacheRead + counts.cacheWrite,
    outputTokens: counts.output,
    cachedInputTokens: counts.cacheRead,
    cacheWriteTokens: counts.cacheWrite,
  };
}

export function toFinishReason(reason: StopReason | null): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'tool_use':
      return 'tool_calls';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'refusal':
      return 'content_filter';
    case 'pause_turn':
    case null:
      return 'other';
    default: {
      // Stop reasons newer than this SDK arrive too.
      const unknownReason: never = reason;
      void unknownReason;
      return 'other';
    }
  }
}
