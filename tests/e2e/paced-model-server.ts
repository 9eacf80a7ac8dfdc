import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A model on loopback that keeps a real model's pace, speaking both the OpenAI Chat Completions and the
 * Anthropic Messages wire formats over real HTTP: the first chunk after `firstTokenMs`, then
 * `tokensPerSecond` (four characters a token). An interviewer request gets a short question; a
 * structured-output request (OpenAI `response_format`, Anthropic forced `tool_choice`) gets an object built
 * from the request's own JSON schema, quoting the candidate turns of the transcript it was sent verbatim
 * and padded to `objectTokens` tokens, as a long scorecard is.
 */

export interface PacedModelOptions {
  readonly firstTokenMs: number;
  readonly tokensPerSecond: number;
  readonly objectTokens: number;
}

export interface PacedModelServer {
  readonly url: string;
  readonly requests: { readonly path: string; readonly body: Record<string, unknown>; readonly structured: boolean }[];
  close(): Promise<void>;
}

const CHARS_PER_TOKEN = 4;
const TOKENS_PER_CHUNK = 4;

export async function startPacedModel(options: PacedModelOptions): Promise<PacedModelServer> {
  const requests: { path: string; body: Record<string, unknown>; structured: boolean }[] = [];
  const server: Server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      const anthropic = (request.url ?? '').endsWith('/messages');
      const structured = anthropic ? body.tool_choice !== undefined : body.response_format !== undefined;
      requests.push({ path: request.url ?? '', body, structured });
      void reply(request, response, body, { anthropic, structured }, options);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function reply(_request: IncomingMessage, response: ServerResponse, body: Record<string, unknown>, kind: { anthropic: boolean; structured: boolean }, options: PacedModelOptions): Promise<void> {
  const content = kind.structured ? JSON.stringify(buildObject(schemaOf(body, kind.anthropic), transcriptText(body), options.objectTokens)) : interviewerReply(body);
  const pieces: string[] = [];
  const size = CHARS_PER_TOKEN * TOKENS_PER_CHUNK;
  for (let start = 0; start < content.length; start += size) pieces.push(content.slice(start, start + size));
  const events = kind.anthropic ? anthropicEvents(body, pieces, kind.structured, content.length) : openAIEvents(body, pieces, content.length);
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  await wait(options.firstTokenMs);
  const interval = (1000 * TOKENS_PER_CHUNK) / options.tokensPerSecond;
  for (const event of events) {
    if (response.destroyed) return;
    response.write(event);
    await wait(interval);
  }
  response.end();
}

function interviewerReply(body: Record<string, unknown>): string {
  const count = Array.isArray(body.messages) ? body.messages.length : 0;
  return `You said something specific there, so let me follow it. What would change in your design if the traffic were ten times higher, and what would you measure first to know it is working? (${count})`;
}

/** The text of every message of the request, where the evaluator's task carries the transcript. */
function transcriptText(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? (body.messages as { content: unknown }[]) : [];
  return messages.map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content))).join('\n');
}

function schemaOf(body: Record<string, unknown>, anthropic: boolean): JsonSchema {
  if (anthropic) return ((body.tools as { input_schema: JsonSchema }[] | undefined)?.[0]?.input_schema ?? {}) as JsonSchema;
  return ((body.response_format as { json_schema?: { schema?: JsonSchema } } | undefined)?.json_schema?.schema ?? {}) as JsonSchema;
}

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
}

/** Candidate turns as `[turn N | candidate | phase]` blocks, each with its first sentence as a quote. */
function candidateQuotes(transcript: string): { turnId: number; quote: string }[] {
  const quotes: { turnId: number; quote: string }[] = [];
  const pattern = /\[turn (\d+) \| candidate \| [a-z_]+\]\n([^\n]+)/g;
  for (const match of transcript.matchAll(pattern)) {
    const sentence = (match[2] ?? '').split(/(?<=[.?!])\s/)[0]?.trim() ?? '';
    if (sentence.length >= 12) quotes.push({ turnId: Number(match[1]), quote: sentence.slice(0, 120).replace(/\s+\S*$/, '') });
  }
  return quotes;
}

function buildObject(schema: JsonSchema, transcript: string, targetTokens: number): unknown {
  const quotes = candidateQuotes(transcript);
  const root = schema;
  const resolve = (node: JsonSchema): JsonSchema => {
    if (!node.$ref) return node;
    const name = node.$ref.split('/').at(-1) ?? '';
    return resolve(root.$defs?.[name] ?? root.definitions?.[name] ?? {});
  };
  // Prose fields share the padding that brings the reply to its target size.
  const proseFields: { holder: Record<string, unknown>; key: string }[] = [];
  let quoteIndex = 0;
  const generate = (raw: JsonSchema, key: string): unknown => {
    const node = resolve(raw);
    if (node.anyOf) {
      const nonNull = node.anyOf.map(resolve).find((option) => option.type !== 'null');
      return nonNull ? generate(nonNull, key) : null;
    }
    if (node.enum) return key === 'rating' ? (node.enum.includes('meets') ? 'meets' : node.enum[0]) : node.enum[0];
    const type = Array.isArray(node.type) ? node.type.find((entry) => entry !== 'null') : node.type;
    switch (type) {
      case 'object': {
        const object: Record<string, unknown> = {};
        for (const [name, child] of Object.entries(node.properties ?? {})) {
          object[name] = generate(child, name);
          if (typeof object[name] === 'string' && ['rationale', 'note', 'summary', 'feedback', 'observation'].includes(name)) proseFields.push({ holder: object, key: name });
        }
        return object;
      }
      case 'array': {
        if (key !== 'evidence' || quotes.length === 0 || !node.items) return [];
        return [0, 1].map(() => {
          const item = generate(node.items as JsonSchema, 'item') as Record<string, unknown>;
          const quote = quotes[quoteIndex++ % quotes.length];
          if (quote) Object.assign(item, { turnId: quote.turnId, quote: quote.quote });
          return item;
        });
      }
      case 'integer':
        return quotes[0]?.turnId ?? 1;
      case 'number':
        return 0.7;
      case 'boolean':
        return false;
      case 'string':
        return key === 'polarity' ? 'positive' : `On ${key}: the candidate reasoned from the requirements they asked about.`;
      default:
        return null;
    }
  };
  const object = generate(schema, 'root');
  const targetChars = targetTokens * CHARS_PER_TOKEN;
  const sentence = ' The evidence cited shows the reasoning in the candidate\'s own words, with the trade-off they named and the number they gave.';
  let size = JSON.stringify(object).length;
  for (let index = 0; size < targetChars && proseFields.length > 0; index += 1) {
    const field = proseFields[index % proseFields.length] as { holder: Record<string, unknown>; key: string };
    field.holder[field.key] = `${String(field.holder[field.key])}${sentence}`;
    size += sentence.length;
  }
  return object;
}

function openAIEvents(body: Record<string, unknown>, pieces: readonly string[], length: number): string[] {
  const base = { id: 'chatcmpl-paced', object: 'chat.completion.chunk', created: 1764150732, model: String(body.model), system_fingerprint: null };
  const data = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
  const events = [data({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })];
  for (const piece of pieces) events.push(data({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] }));
  events.push(data({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
  const prompt = Math.round(JSON.stringify(body).length / CHARS_PER_TOKEN);
  events.push(data({ ...base, choices: [], usage: { prompt_tokens: prompt, completion_tokens: Math.round(length / CHARS_PER_TOKEN), total_tokens: prompt, prompt_tokens_details: { cached_tokens: 0 } } }));
  events.push('data: [DONE]\n\n');
  return events;
}

function anthropicEvents(body: Record<string, unknown>, pieces: readonly string[], structured: boolean, length: number): string[] {
  const event = (type: string, value: unknown) => `event: ${type}\ndata: ${JSON.stringify(value)}\n\n`;
  const prompt = Math.round(JSON.stringify(body).length / CHARS_PER_TOKEN);
  const usage = { input_tokens: prompt, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 };
  const toolName = (body.tool_choice as { name?: string } | undefined)?.name ?? 'tool';
  const events = [
    event('message_start', { type: 'message_start', message: { id: 'msg_paced', type: 'message', role: 'assistant', model: String(body.model), content: [], stop_reason: null, stop_sequence: null, usage } }),
    event('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: structured ? { type: 'tool_use', id: 'toolu_paced', name: toolName, input: {} } : { type: 'text', text: '' },
    }),
  ];
  for (const piece of pieces) {
    const delta = structured ? { type: 'input_json_delta', partial_json: piece } : { type: 'text_delta', text: piece };
    events.push(event('content_block_delta', { type: 'content_block_delta', index: 0, delta }));
  }
  events.push(event('content_block_stop', { type: 'content_block_stop', index: 0 }));
  events.push(event('message_delta', { type: 'message_delta', delta: { stop_reason: structured ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: Math.round(length / CHARS_PER_TOKEN) } }));
  events.push(event('message_stop', { type: 'message_stop' }));
  return events;
}
