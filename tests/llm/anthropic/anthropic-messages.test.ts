import { describe, expect, it } from 'vitest';
import { toAnthropicMessages } from '../../../src/llm/anthropic/anthropic-messages.ts';
import type { ModelMessage } from '../../../src/llm/model.ts';

const EPHEMERAL = { type: 'ephemeral' };

describe('toAnthropicMessages cache breakpoints', () => {
  it('puts cache_control on the last content block of a marked message; user messages are blocks either way', () => {
    const messages: ModelMessage[] = [
      { role: 'user', content: 'Open the interview.' },
      { role: 'assistant', content: 'Hello.' },
      { role: 'user', content: '[turn 2] How big is it?', cache: true },
      { role: 'user', content: 'Turn context.' },
    ];
    expect(toAnthropicMessages(messages)).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Open the interview.' }] },
      { role: 'assistant', content: 'Hello.' },
      { role: 'user', content: [{ type: 'text', text: '[turn 2] How big is it?', cache_control: EPHEMERAL }] },
      { role: 'user', content: [{ type: 'text', text: 'Turn context.' }] },
    ]);
  });

  it('marks the last tool result of a marked tool message and the last block of a marked assistant turn', () => {
    const messages: ModelMessage[] = [
      { role: 'user', content: 'Go on.' },
      { role: 'assistant', content: 'Let me check.', toolCalls: [{ id: 'toolu_1', name: 'reveal_fact', input: { factId: 'a' } }], cache: true },
      {
        role: 'tool',
        results: [
          { toolCallId: 'toolu_1', name: 'reveal_fact', content: 'A.' },
          { toolCallId: 'toolu_2', name: 'note_evidence', content: 'refused', isError: true },
        ],
        cache: true,
      },
    ];
    const [, assistant, tool] = toAnthropicMessages(messages);
    expect(assistant).toEqual({
      role: 'assistant',
      content: [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: 'toolu_1', name: 'reveal_fact', input: { factId: 'a' }, cache_control: EPHEMERAL },
      ],
    });
    expect(tool).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: 'A.' },
        { type: 'tool_result', tool_use_id: 'toolu_2', content: 'refused', is_error: true, cache_control: EPHEMERAL },
      ],
    });
  });

  it('keeps at most three message breakpoints, the newest, so that with the system one a request has at most four', () => {
    const messages: ModelMessage[] = Array.from({ length: 5 }, (_, index) => ({ role: index % 2 === 0 ? ('user' as const) : ('assistant' as const), content: `m${index}`, cache: true }));
    const converted = toAnthropicMessages(messages);
    expect(converted.map((message) => JSON.stringify(message).includes('cache_control'))).toEqual([false, false, true, true, true]);
    expect(converted[0]).toEqual({ role: 'user', content: [{ type: 'text', text: 'm0' }] });
  });

  it('serialises a message exactly as before once its breakpoint has moved on, apart from the marker', () => {
    const message: ModelMessage = { role: 'user', content: '[turn 2] How big is it?' };
    const [marked] = toAnthropicMessages([{ ...message, cache: true }]);
    const [unmarked] = toAnthropicMessages([message]);
    expect(JSON.stringify(marked).replace(',"cache_control":{"type":"ephemeral"}', '')).toBe(JSON.stringify(unmarked));
  });
});
