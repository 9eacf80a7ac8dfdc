import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { readFixture } from '../../helpers/msw-server.ts';

/**
 * Like tests/helpers/msw-server.ts, but for calls that come in rounds (a request, then a repair): each POST
 * to a URL is answered with the next fixture of its script, replayed as the JSON body the provider sends.
 * A request beyond the script, or to any other URL, fails the test: nothing reaches the network.
 */
export interface ScriptedProviderServer {
  /** Every request body received since the last test, in order. */
  readonly bodies: unknown[];
  /** Answers the next POSTs to `url` with these fixtures, one per request, for the current test only. */
  script(url: string, fixtures: readonly string[]): void;
}

export function useScriptedProviderServer(): ScriptedProviderServer {
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
    script(url, fixtures) {
      const queue = [...fixtures];
      server.use(
        http.post(url, async ({ request }) => {
          bodies.push(await request.json());
          const fixture = queue.shift();
          if (!fixture) return new Response(JSON.stringify({ error: { message: `unscripted request ${bodies.length}` } }), { status: 418 });
          return new Response(readFixture(fixture), { status: 200, headers: { 'content-type': 'application/json' } });
        }),
      );
    },
  };
}
