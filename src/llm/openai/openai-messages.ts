import type {
  ChatCompletionFunctionTool,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { ModelMessage, SystemBlock, ToolCall, ToolDefinition } from '../model.ts';

/**
 * Converts our provider-neutral conversation into Chat Completions messages and tools. Chat Completions
 * is used rather than the Responses API because every OpenAI-compatible server (Ollama, vLLM,
 * llama.cpp, LM Studio) speaks it.
 */

/**
 * One system message, first and byte-for-byte stable across turns: OpenAI caches the longest prefix it
 * has seen before, so anything that varies must come after it. `cache` marks need no translation: the
 * caching is automatic.
 */
export function toChatMessages(system: readonly SystemBlock[], messages: readonly ModelMessage[]): ChatCompletionMessageParam[] {
  const chat: ChatCompletionMessageParam[] = [];
  if (system.length > 0) {
    chat.push({ role: 'system', content: system.map((block) => block.text).join('\n\n') });
  }
  for (const message of messages) {
    switch (message.role) {
      case 'user': {
        // Some compatible servers' chat templates insist that roles alternate: a user message right
        // after another (the interviewer's turn context after the candidate's turn) joins it.
        const last = chat.at(-1);
        if (last?.role === 'user' && typeof last.content === 'string') last.content = `${last.content}\n\n${message.content}`;
        else chat.push({ role: 'user', content: message.content });
        break;
      }
      case 'assistant': {
        const toolCalls = message.toolCalls ?? [];
        if (toolCalls.length === 0) {
          chat.push({ role: 'assistant', content: message.content });
        } else {
          // `content` may be null only when tool calls carry the turn.
          chat.push({ role: 'assistant', content: message.content === '' ? null : message.content, tool_calls: toolCalls.map(toChatToolCall) });
        }
        break;
      }
      case 'tool':
        for (const result of message.results) {
          // Chat Completions has no error flag on tool results; say it in the content instead.
          chat.push({ role: 'tool', tool_call_id: result.toolCallId, content: result.isError ? `Error: ${result.content}` : result.content });
        }
        break;
      default: {
        const unknownMessage: never = message;
        throw new Error(`unknown message role: ${JSON.stringify(unknownMessage)}`);
      }
    }
  }
  return chat;
}

function toChatToolCall(call: ToolCall): ChatCompletionMessageFunctionToolCall {
  // A string input is arguments that never parsed as JSON (see openai-stream.ts): send them back verbatim.
  const args = typeof call.input === 'string' ? call.input : JSON.stringify(call.input ?? {});
  return { id: call.id, type: 'function', function: { name: call.name, arguments: args } };
}

export function toChatTools(tools: readonly ToolDefinition[]): ChatCompletionFunctionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: toParametersSchema(tool.parameters) },
  }));
}

/**
 * `io: 'input'` describes what the agent's parser accepts (a field with a default may be left out).
 * `$schema` is dropped: the API ignores it and it would cost tokens on every call.
 */
function toParametersSchema(schema: z.ZodObject): Record<string, unknown> {
  const { $schema: _ignored, ...parameters } = z.toJSONSchema(schema, { io: 'input' });
  return parameters;
}
