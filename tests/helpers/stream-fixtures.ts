/**
 * Turns a recorded non-streamed reply (an OpenAI `chat.completion`, an Anthropic `message`) into the
 * server-sent events the same API sends when the request asks for `stream: true`, so one fixture serves
 * both shapes. The event shapes follow the recorded stream fixtures beside them (tests/fixtures/).
 */

interface ChatCompletionFixture {
  id: string;
  created: number;
  model: string;
  choices: { index: number; message: { content: string | null; refusal?: string | null }; finish_reason: string }[];
  usage?: unknown;
}

interface MessageFixture {
  id: string;
  model: string;
  content: ({ type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown })[];
  stop_reason: string | null;
  usage: { input_tokens: number; output_tokens: number; cache_read_input_tokens?: number; cache_creation_input_tokens?: number };
}

/** Splits text into pieces of about `size` characters, as a model streams tokens. */
export function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let start = 0; start < text.length; start += size) out.push(text.slice(start, start + size));
  return out;
}

export function completionToEvents(completion: ChatCompletionFixture, pieceSize = 24): string[] {
  const base = { id: completion.id, object: 'chat.completion.chunk', created: completion.created, model: completion.model, system_fingerprint: null };
  const choice = completion.choices[0];
  const events: unknown[] = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], usage: null }];
  if (choice) {
    for (const text of pieces(choice.message.content ?? '', pieceSize)) events.push({ ...base, choices: [{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }], usage: null });
    for (const text of pieces(choice.message.refusal ?? '', pieceSize)) events.push({ ...base, choices: [{ index: 0, delta: { refusal: text }, logprobs: null, finish_reason: null }], usage: null });
    events.push({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: choice.finish_reason }], usage: null });
  }
  events.push({ ...base, choices: [], usage: completion.usage ?? null });
  return [...events.map((event) => `data: ${JSON.stringify(event)}\n\n`), 'data: [DONE]\n\n'];
}

export function messageToEvents(message: MessageFixture, pieceSize = 24): string[] {
  const event = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
  const events = [
    event('message_start', {
      type: 'message_start',
      message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...message.usage, output_tokens: 1 } },
    }),
  ];
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push(event('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
      for (const text of pieces(block.text, pieceSize)) events.push(event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } }));
    } else {
      events.push(event('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }));
      for (const partial_json of pieces(JSON.stringify(block.input), pieceSize)) {
        events.push(event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } }));
      }
    }
    events.push(event('content_block_stop', { type: 'content_block_stop', index }));
  });
  events.push(event('message_delta', { type: 'message_delta', delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { ...message.usage } }));
  events.push(event('message_stop', { type: 'message_stop' }));
  return events;
}

/** The events of a recorded reply in whichever API's shape it is. */
export function replyToEvents(fixture: unknown, pieceSize?: number): string[] {
  const record = fixture as { object?: string; type?: string };
  if (record.object === 'chat.completion') return completionToEvents(fixture as ChatCompletionFixture, pieceSize);
  if (record.type === 'message') return messageToEvents(fixture as MessageFixture, pieceSize);
  throw new Error('the fixture is neither an OpenAI chat.completion nor an Anthropic message');
}

/** Whether a recorded request body asked for a streamed reply. */
export function wantsStream(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { stream?: unknown }).stream === true;
}
