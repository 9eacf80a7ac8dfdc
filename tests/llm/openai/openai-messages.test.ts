import { describe, expect, it } from 'vitest';
import type { ModelMessage } from '../../../src/llm/model.ts';
import { toChatMessages } from '../../../src/llm/openai/openai-messages.ts';

describe('toChatMessages', () => {
  it('joins a user message that follows another, so roles alternate for strict chat templates', () => {
    const messages: ModelMessage[] = [
      { role: 'user', content: '[turn 2] How big is it?', cache: true },
      { role: 'user', content: 'Turn context.' },
    ];
    expect(toChatMessages([{ text: 'System.', cache: true }], messages)).toEqual([
      { role: 'system', content: 'System.' },
      { role: 'user', content: '[turn 2] How big is it?\n\nTurn context.' },
    ]);
  });

  it('sends a user message after tool results as its own message, and ignores cache marks', () => {
    const messages: ModelMessage[] = [
      { role: 'user', content: 'Go on.' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'note_evidence', input: { turnId: 2 } }] },
      { role: 'tool', results: [{ toolCallId: 'call_1', name: 'note_evidence', content: 'noted' }], cache: true },
      { role: 'user', content: 'Turn context.' },
    ];
    expect(toChatMessages([], messages)).toEqual([
      { role: 'user', content: 'Go on.' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'note_evidence', arguments: '{"turnId":2}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'noted' },
      { role: 'user', content: 'Turn context.' },
    ]);
  });
});
