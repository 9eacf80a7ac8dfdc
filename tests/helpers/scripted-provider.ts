import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { readFixture } from './msw-server.ts';
import { replyToEvents, wantsStream } from './stream-fixtures.ts';

/**
 * An msw server that answers a provider URL with a script of recorded-shape fixtures, one per request in
 * order, so a test can drive a multi-step tool loop (a `reveal_fact` call, then the reply) through the
 * real SDK clients. tests/helpers/msw-server.ts answers every request with the same fixture, which a
 * tool loop or a repair round cannot use. Nothing reaches the network: unhandled requests fail the test.
 */

export type ScriptedReply =
  | { readonly kind: 'sse'; readonly fixture: string }
  | { readonly kind: 'json'; readonly fixture: string; readonly status: number };

export const sseReply = (fixture: string): ScriptedReply => ({ kind: 'sse', fixture });
export const jsonReply = (fixture: string, status: number): ScriptedReply => ({ kind: 'json', fixture, status });

export interface ScriptedProvider {
  /** The JSON body of every request received in the current test, in order. */
  readonly bodies: unknown[];
  /** Answers the next POSTs to `url` with `replies`, one each; a request beyond the script gets a 400. */
  script(url: string, replies: readonly ScriptedReply[]): void;
}

export function useScriptedProvider(): ScriptedProvider {
  const server = setupServer();
  const bodies: unknown[] = [];
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    bodies.length = 0;
  });
  afterAll(() => server.close());
  return {
    bodies,
    script(url, replies) {
      const queue = [...replies];
      server.use(
        http.post(url, async ({ request }) => {
          const body: unknown = await request.json();
          bodies.push(body);
          const next = queue.shift();
          // A 400 is not retried and makes the session fall back, which the test's request count then exposes.
          if (!next) return Response.json({ error: { message: 'the test script has no more replies', type: 'invalid_request_error' } }, { status: 400 });
          return toResponse(next, wantsStream(body));
        }),
      );
    },
  };
}

function toResponse(reply: ScriptedReply, streamRequested: boolean): Response {
  let text = readFixture(reply.fixture);
  // A successful recorded reply to a request that asked to stream is sent as that API's events.
  if (reply.kind === 'json' && reply.status === 200 && streamRequested) text = replyToEvents(JSON.parse(text)).join('');
  else if (reply.kind === 'json') return new Response(text, { status: reply.status, headers: { 'content-type': 'application/json' } });
  const bytes = new TextEncoder().encode(text);
  // Handed out in a few pieces on separate ticks, cutting across event boundaries as a network would.
  const size = Math.ceil(bytes.length / 5);
  let offset = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.subarray(offset, offset + size));
      offset += size;
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'transfer-encoding': 'chunked' } });
}
