import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { FinishReason, StreamPart, ToolCall, Usage } from '../model.ts';
import { ZERO_USAGE } from '../model.ts';

type ToolCallDelta = ChatCompletionChunk.Choice.Delta.ToolCall;
type ChatFinishReason = NonNullable<ChatCompletionChunk.Choice['finish_reason']>;

interface PendingCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Reassembles tool calls from their streamed fragments. OpenAI sends the id and name on a call's first
 * fragment and then argument pieces under the same `index`. Ollama gives every call `index: 0` (older
 * versions no index at all) but sends each call whole with its own id, so a new id opens a new call.
 */
export class ToolCallAccumulator {
  readonly #calls: PendingCall[] = [];
  readonly #byIndex = new Map<number, PendingCall>();

  add(delta: ToolCallDelta): void {
    const index = typeof delta.index === 'number' ? delta.index : undefined;
    let call = index === undefined ? this.#calls.at(-1) : this.#byIndex.get(index);
    if (call === undefined || (delta.id && call.id && delta.id !== call.id)) {
      call = { id: '', name: '', arguments: '' };
      this.#calls.push(call);
      if (index !== undefined) this.#byIndex.set(index, call);
    }
    if (delta.id) call.id = delta.id;
    if (delta.function?.name) call.name = delta.function.name;
    if (delta.function?.arguments) call.arguments += delta.function.arguments;
  }

  finish(): ToolCall[] {
    return this.#calls.map((call, position) => ({
      id: call.id || `call_${position}`,
      name: call.name,
      input: parseArguments(call.arguments),
    }));
  }
}

/**
 * Tool arguments are parsed but not validated here. Arguments that are not JSON (a truncated call, a
 * small local model) stay a string, so the agent's validation reports them to the model instead of the
 * whole turn failing. An empty string is a call with no arguments.
 */
export function parseArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function toUsage(usage: CompletionUsage | null | undefined): Usage {
  if (!usage) return ZERO_USAGE;
  return {
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    // Newer OpenAI models report cache writes; other servers leave it out.
    cacheWriteTokens: usage.prompt_tokens_details?.cache_write_tokens ?? 0,
  };
}

export function toFinishReason(reason: ChatFinishReason): FinishReason {
  switch (reason) {
    case 'stop':
    case 'tool_calls':
    case 'length':
    case 'content_filter':
      return reason;
    default:
      // `function_call` (deprecated) and whatever a compatible server invents.
      return 'other';
  }
}

/** What the chunk loop learned, for the model to finish the stream with. */
export interface ChatStreamOutcome {
  finishReason: FinishReason | undefined;
  usage: Usage;
}

/**
 * Yields text deltas as they arrive and the completed tool calls once the choice finishes, and returns
 * the finish reason and usage. The usage chunk (`choices: []`) comes after the finish chunk, so the
 * caller emits `usage` and `finish` only after the loop ends.
 */
export async function* readChatStream(chunks: AsyncIterable<ChatCompletionChunk>): AsyncGenerator<StreamPart, ChatStreamOutcome> {
  const toolCalls = new ToolCallAccumulator();
  let finishReason: FinishReason | undefined;
  let refused = false;
  let usage = ZERO_USAGE;
  for await (const chunk of chunks) {
    if (chunk.usage) usage = toUsage(chunk.usage);
    const choice = chunk.choices.find((candidate) => candidate.index === 0);
    if (!choice) continue;
    const { delta } = choice;
    if (delta.content) yield { type: 'text-delta', text: delta.content };
    // A refusal is still text for the candidate to read; the finish reason records that it was one.
    if (delta.refusal) {
      refused = true;
      yield { type: 'text-delta', text: delta.refusal };
    }
    for (const toolDelta of delta.tool_calls ?? []) toolCalls.add(toolDelta);
    if (choice.finish_reason && finishReason === undefined) {
      const calls = toolCalls.finish();
      finishReason = refused ? 'content_filter' : toFinishReason(choice.finish_reason);
      // Some compatible servers (Ollama among them) report `stop` after a turn of tool calls.
      if (finishReason === 'stop' && calls.length > 0) finishReason = 'tool_calls';
      for (const call of calls) yield { type: 'tool-call', call };
    }
  }
  return { finishReason, usage };
}
