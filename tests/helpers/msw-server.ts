import { readFileSync } from 'node:fs';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { replyToEvents, wantsStream } from './stream-fixtures.ts';

/**
 * A small msw server for adapter tests: it replays recorded-shape fixtures (tests/fixtures/) to the real
 * SDK clients and records every request body, so a test drives the SDKs' full HTTP path and then
 * asserts on exactly what was sent. Any request without a handler fails the test: nothing reaches the
 * network.
 */

export const OPENAI_CHAT_URL = 'https://api.openai.com/v1/chat/completions';
export const ANTHROPIC_MESSAGES_URL = 'https://api.anthropic.com/v1/messages';

const FIXTURES = new URL('../fixtures/', import.meta.url);

export function readFixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

/** How the body of a server-sent-event reply is cut short, to imitate a failing connection. */
export type StreamCut =
  /** The body simply ends, as when a proxy closes the connection cleanly. */
  | 'close'
  /** The socket closes mid-body, so fetch fails the read with `TypeError: terminated`, as on a reset. */
  | 'reset';

export interface SseOptions {
  /** Network chunks the fixture is split into, at byte offsets that ignore event boundaries. */
  readonly pieces?: number;
  /** Serve only this many pieces, then cut the stream as `cut` says. */
  readonly cutAfter?: number;
  readonly cut?: StreamCut;
}

/** What a handler answers with: a fixture replayed as `text/event-stream`, or as a JSON body. */
export type Reply =
  | { readonly kind: 'sse'; readonly fixture: string; readonly options: SseOptions }
  | { readonly kind: 'json'; readonly fixture: string; readonly status: number; readonly headers: Readonly<Record<string, string>> };

export function sse(fixture: string, options: SseOptions = {}): Reply {
  return { kind: 'sse', fixture, options };
}

export function json(fixture: string, status = 200, headers: Readonly<Record<string, string>> = {}): Reply {
  return { kind: 'json', fixture, status, headers };
}

export interface RecordedRequest {
  readonly url: string;
  readonly headers: Headers;
  readonly body: unknown;
}

export interface ProviderServer {
  /** Every request received since the last test, in order. */
  readonly requests: RecordedRequest[];
  /** Answers POSTs to `url` with `reply`, for the current test only. */
  reply(url: string, reply: Reply): void;
  /** The body of the only request received; fails when there was not exactly one. */
  onlyRequestBody(): unknown;
}

/** Starts one msw server for the calling test file, resetting handlers and recordings between tests. */
export function useProviderServer(): ProviderServer {
  const server = setupServer();
  const requests: RecordedRequest[] = [];

  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    requests.length = 0;
  });
  afterAll(() => server.close());

  return {
    requests,
    reply(url, reply) {
      server.use(
        http.post(url, async ({ request }) => {
          const body: unknown = await request.json();
          requests.push({ url: request.url, headers: request.headers, body });
          return toResponse(reply, wantsStream(body));
        }),
      );
    },
    onlyRequestBody() {
      if (requests.length !== 1) throw new Error(`expected exactly one request, received ${requests.length}`);
      return requests[0]?.body;
    },
  };
}

function toResponse(reply: Reply, streamRequested: boolean): Response {
  const text = readFixture(reply.fixture);
  // A successful recorded reply to a request that asked to stream is sent as that API's events.
  if (reply.kind === 'json' && reply.status === 200 && streamRequested) {
    return new Response(eventStream(replyToEvents(JSON.parse(text)).join(''), {}), { status: 200, headers: SSE_HEADERS });
  }
  if (reply.kind === 'json') {
    return new Response(text, { status: reply.status, headers: { 'content-type': 'application/json', ...reply.headers } });
  }
  // Chunked framing, as the providers send: without it a closed socket would read as a clean end.
  return new Response(eventStream(text, reply.options), { status: 200, headers: SSE_HEADERS });
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'transfer-encoding': 'chunked' };

/** The fixture's bytes, handed out a piece at a time on separate ticks, as a network would. */
function eventStream(text: string, options: SseOptions): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const pieceCount = Math.max(1, options.pieces ?? 7);
  const size = Math.ceil(bytes.length / pieceCount);
  const pieces: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += size) pieces.push(bytes.subarray(start, start + size));
  const served = options.cutAfter ?? pieces.length;
  let next = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      const piece = pieces[next];
      if (next < served && piece) {
        next += 1;
        controller.enqueue(piece);
      } else if (options.cut === 'reset') {
        // msw answers a failing body by destroying its mock socket.
        controller.error(new Error('connection reset'));
      } else {
        controller.close();
      }
    },
  });
}
