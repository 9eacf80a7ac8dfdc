import type {
  AssistantMessageParam,
  ContentBlockParam,
  MessageParam,
  TextBlockParam,
  Tool,
  ToolResultBlockParam,
  UserMessageParam,
} from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';
import type { ModelMessage, SystemBlock, ToolDefinition, ToolResult } from '../model.ts';

/** Converts our provider-neutral conversation into Messages API system blocks, messages and tools. */

/**
 * One text block per SystemBlock, with a cache breakpoint after the last block marked `cache`. The
 * cached prefix runs tools, then system, up to the breakpoint, so the tool definitions are cached too.
 */
export function toSystemBlocks(system: readonly SystemBlock[]): TextBlockParam[] {
  const lastCached = system.findLastIndex((block) => block.cache === true);
  return system.map((block, index) =>
    index === lastCached ? { type: 'text', text: block.text, cache_control: { type: 'ephemeral' } } : { type: 'text', text: block.text },
  );
}

// The API allows four cache breakpoints per request; toSystemBlocks uses one.
const MAX_MESSAGE_BREAKPOINTS = 3;
const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * Messages marked `cache` get a breakpoint on their last content block (only the newest three, so that
 * with the system's one a request never passes the API's limit of four). User messages are always sent
 * as text blocks, marked or not: a breakpoint needs a block to sit on, and a message that had one last
 * turn must serialise exactly as before once its breakpoint has moved on (the cache key ignores
 * `cache_control` itself, not a change of form).
 */
export function toAnthropicMessages(messages: readonly ModelMessage[]): MessageParam[] {
  const marked = messages.flatMap((message, index) => (message.cache === true ? [index] : [])).slice(-MAX_MESSAGE_BREAKPOINTS);
  return messages.map((message, index) => {
    const converted = toMessageParam(message);
    return marked.includes(index) ? withBreakpoint(converted) : converted;
  });
}

function toMessageParam(message: ModelMessage): UserMessageParam | AssistantMessageParam {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: [{ type: 'text', text: message.content }] };
    case 'assistant': {
      const toolCalls = message.toolCalls ?? [];
      if (toolCalls.length === 0) return { role: 'assistant', content: message.content };
      // The API rejects blank text blocks, so a turn of only tool calls carries no text block.
      const content: ContentBlockParam[] = message.content.trim() === '' ? [] : [{ type: 'text', text: message.content }];
      for (const call of toolCalls) content.push({ type: 'tool_use', id: call.id, name: call.name, input: toToolUseInput(call.input) });
      return { role: 'assistant', content };
    }
    case 'tool':
      // Tool results travel in a user turn; the API merges it with a user message that follows.
      return { role: 'user', content: message.results.map(toToolResultBlock) };
    default: {
      const unknownMessage: never = message;
      throw new Error(`unknown message role: ${JSON.stringify(unknownMessage)}`);
    }
  }
}

/** The message with `cache_control` on its last content block: the cached prefix ends there. */
function withBreakpoint(message: UserMessageParam | AssistantMessageParam): MessageParam {
  const blocks: ContentBlockParam[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : [...message.content];
  const last = blocks.at(-1);
  if (!last) return message;
  const content = [...blocks.slice(0, -1), { ...last, cache_control: EPHEMERAL } as ContentBlockParam];
  return message.role === 'user' ? { role: 'user', content } : { role: 'assistant', content };
}

/**
 * The API rejects a `tool_use` whose input is not an object, which would fail every later turn of the
 * conversation. Input that never parsed (a call cut off at max_tokens, see anthropic-stream.ts) is sent
 * as `{}`; its tool result already told the model what went wrong.
 */
function toToolUseInput(input: unknown): unknown {
  return typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {};
}

function toToolResultBlock(result: ToolResult): ToolResultBlockParam {
  return {
    type: 'tool_result',
    tool_use_id: result.toolCallId,
    content: result.content,
    ...(result.isError ? { is_error: true } : {}),
  };
}

export function toAnthropicTools(tools: readonly ToolDefinition[]): Tool[] {
  return tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: toInputSchema(tool.parameters) }));
}

/**
 * `io: 'input'` describes what the agent's parser accepts (a field with a default may be left out).
 * `$schema` is dropped: it would cost tokens on every call. Tool inputs must be JSON objects.
 */
export function toInputSchema(schema: z.ZodType): Tool.InputSchema {
  const { $schema: _ignored, ...jsonSchema } = z.toJSONSchema(schema, { io: 'input' });
  if (jsonSchema.type !== 'object') {
    throw new Error(`an Anthropic tool input schema must describe an object, not ${JSON.stringify(jsonSchema.type ?? 'anything')}`);
  }
  return { ...jsonSchema, type: 'object' };
}
