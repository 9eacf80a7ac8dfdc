import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

/**
 * An msw server whose replies keep a model's pace: the first event after `firstDelayMs`, then one every
 * `intervalMs`, with every wait on `setTimeout` so a test with fake timers can play minutes of streaming in
 * milliseconds. A reply can stall (stop sending without closing) or close early without its end marker,
 * and an error reply carries headers such as `retry-after`.
 */

export type PacedReply =
  | {
      readonly kind: 'events';
      readonly events: readonly string[];
      readonly firstDelayMs?: number;
      readonly intervalMs?: number;
      /** After this many events, send nothing more and never close. */
      readonly stallAfter?: number;
      /** After this many events, close the body cleanly (no `[DONE]`, no `message_stop`). */
      readonly closeAfter?: number;
    }
  | { readonly kind: 'error'; readonly status: number; readonly body: unknown; readonly headers?: Readonly<Record<string, string>>; readonly delayMs?: number };

export interface PacedProvider {
  /** When each request arrived, in fake-clock milliseconds, in order. */
  readonly arrivals: number[];
  readonly bodies: unknown[];
  /**
   * Resolves once `count` requests have arrived. An SDK may do real I/O before it sends, which fake timers
   * do not wait for: a test advances the clock only after the request it is timing has arrived.
   */
  arrived(count: number): Promise<void>;
  script(url: string, replies: readonly PacedReply[]): void;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function usePacedProvider(): PacedProvider {
  const server = setupServer();
  const arrivals: number[] = [];
  const bodies: unknown[] = [];
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    arrivals.length = 0;
    bodies.length = 0;
  });
  afterAll(() => server.close());
  return {
    arrivals,
    bodies,
    async arrived(count) {
      const started = performance.now();
      while (arrivals.length < count) {
        if (performance.now() - started > 10_000) throw new Error(`request ${count} did not arrive within 10 s`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    script(url, replies) {
      const queue = [...replies];
      server.use(
        http.post(url, async ({ request }) => {
          arrivals.push(Date.now());
          bodies.push(await request.json());
          const reply = queue.shift();
          if (!reply) return Response.json({ error: { message: 'the test script has no more replies', type: 'invalid_request_error' } }, { status: 400 });
          if (reply.kind === 'error') {
            if (reply.delayMs) await wait(reply.delayMs);
            return Response.json(reply.body, { status: reply.status, headers: reply.headers ?? {} });
          }
          return new Response(pacedBody(reply), {
            status: 200,
            headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'transfer-encoding': 'chunked' },
          });
        }),
      );
    },
  };
}

function pacedBody(reply: Extract<PacedReply, { kind: 'events' }>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      await wait(next === 0 ? (reply.firstDelayMs ?? 0) : (reply.intervalMs ?? 0));
      if (reply.stallAfter !== undefined && next >= reply.stallAfter) {
        // A connection that stays open with nothing on it.
        await new Promise(() => {});
      }
      const event = reply.events[next];
      if (event === undefined || (reply.closeAfter !== undefined && next >= reply.closeAfter)) {
        controller.close();
        return;
      }
      next += 1;
      controller.enqueue(encoder.encode(event));
    },
  });
}
