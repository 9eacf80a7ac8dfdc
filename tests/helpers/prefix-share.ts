/**
 * How much of a request a provider's prompt cache could serve from the request before it: the longest
 * byte-identical prefix of the two serialised bodies, as a share of the later one.
 */

/** The length of the longest common prefix of two strings. */
export function commonPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let index = 0;
  while (index < limit && a.charCodeAt(index) === b.charCodeAt(index)) index += 1;
  return index;
}

export interface PrefixShares {
  /** Per request after the first: common prefix with the request before it / its own length. */
  readonly perRequest: readonly number[];
  /** All common prefixes over all lengths: the share of input bytes a cache could have served. */
  readonly overall: number;
}

export function prefixShares(bodies: readonly string[]): PrefixShares {
  const perRequest: number[] = [];
  let shared = 0;
  let total = 0;
  for (let index = 1; index < bodies.length; index += 1) {
    const previous = bodies[index - 1] ?? '';
    const current = bodies[index] ?? '';
    const prefix = commonPrefixLength(previous, current);
    perRequest.push(prefix / current.length);
    shared += prefix;
    total += current.length;
  }
  return { perRequest, overall: total === 0 ? 0 : shared / total };
}

/**
 * A request body serialised in the order a provider reads it into its prompt cache: the tool
 * definitions, then the system prompt, then the messages (Anthropic documents this order; OpenAI renders
 * tools ahead of the conversation too). `JSON.stringify` of the body as the SDK sends it puts `tools`
 * last, which would count a byte-stable tool list as uncacheable. Anthropic's `cache_control` markers
 * are left out: they say where a cached prefix ends and are not part of the cache key.
 */
export function inCacheOrder(body: unknown): string {
  const { tools, system, messages, ...rest } = body as { tools?: unknown; system?: unknown; messages?: unknown };
  return JSON.stringify({ tools, system, messages, ...rest }, (key, value: unknown) => (key === 'cache_control' ? undefined : value));
}
