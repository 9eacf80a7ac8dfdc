import { z } from 'zod';
import type { Usage } from './model.ts';

/** What one model costs, in US dollars per million tokens. */
export const ModelPrice = z.strictObject({
  /** Input tokens read without the cache. */
  input: z.number().nonnegative(),
  /** Input tokens read from the prompt cache. */
  cachedInput: z.number().nonnegative(),
  /** Input tokens written to the prompt cache (Anthropic bills these; OpenAI reports none). */
  cacheWrite: z.number().nonnegative(),
  output: z.number().nonnegative(),
});
export type ModelPrice = z.infer<typeof ModelPrice>;

/** Model id -> price. A dated snapshot (`gpt-5.1-2025-11-13`) is priced as its model. */
export const PriceTable = z.record(z.string().min(1), ModelPrice);
export type PriceTable = z.infer<typeof PriceTable>;

/**
 * List prices of the default models and a few common ones, for estimates only: providers change them,
 * so `LLM_PRICES` can override or extend this table. Anthropic's cache writes are the 5-minute ones.
 */
export const DEFAULT_PRICES: PriceTable = {
  'claude-sonnet-4-6': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  'claude-sonnet-4-5': { input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  'claude-opus-4-5': { input: 5, cachedInput: 0.5, cacheWrite: 6.25, output: 25 },
  'claude-haiku-4-5': { input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 5 },
  'gpt-5.1': { input: 1.25, cachedInput: 0.125, cacheWrite: 1.25, output: 10 },
  'gpt-5': { input: 1.25, cachedInput: 0.125, cacheWrite: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, cacheWrite: 0.25, output: 2 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, cacheWrite: 2, output: 8 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, cacheWrite: 2.5, output: 10 },
};

/** The price of `model`, or null when the table does not know it: an estimate is never a guess. */
export function priceOf(model: string, prices: PriceTable = DEFAULT_PRICES): ModelPrice | null {
  const exact = prices[model];
  if (exact) return exact;
  // Only a date suffix is stripped: `gpt-5-nano` must not be priced as `gpt-5`.
  const undated = /^(.+?)-(\d{4}-?\d{2}-?\d{2})$/.exec(model)?.[1];
  return (undated && prices[undated]) || null;
}

/**
 * The estimated cost of `usage` on `model` in US dollars, or null for a model without a price.
 * `usage.inputTokens` counts every input token; the ones read from or written to the cache are billed
 * at their own rates and the rest at the input rate.
 */
export function estimateCostUsd(model: string, usage: Usage, prices: PriceTable = DEFAULT_PRICES): number | null {
  const price = priceOf(model, prices);
  if (!price) return null;
  const uncached = Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens);
  const micro = uncached * price.input + usage.cachedInputTokens * price.cachedInput + usage.cacheWriteTokens * price.cacheWrite + usage.outputTokens * price.output;
  return micro / 1_000_000;
}

/** Input tokens read without the cache: what a better cached prefix would save. */
export function uncachedInputTokens(usage: Usage): number {
  return Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens);
}

/** Token usage for people: what was read from the cache, written to it, and read without it. */
export function describeUsage(usage: Usage): string {
  return `${usage.inputTokens} input (${usage.cachedInputTokens} read from the cache, ${usage.cacheWriteTokens} written to the cache, ${uncachedInputTokens(usage)} uncached), ${usage.outputTokens} output`;
}

/** A cost for people: dollars to four places below a cent, or why there is none. */
export function formatCostUsd(costUsd: number | null): string {
  if (costUsd === null) return 'unknown price';
  return costUsd < 0.01 ? `$${costUsd.toFixed(4)}` : `$${costUsd.toFixed(2)}`;
}

/**
 * `LLM_PRICES`: a JSON object of model id -> price that overrides or extends the defaults, e.g.
 * `{"my-model":{"input":1,"cachedInput":0.1,"cacheWrite":1.25,"output":4}}`.
 */
export const PriceOverrides = z
  .string()
  .transform((text, context): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      context.addIssue({ code: 'custom', message: `not valid JSON (${error instanceof Error ? error.message : String(error)}); expected {"model-id":{"input":…,"cachedInput":…,"cacheWrite":…,"output":…}} in USD per million tokens` });
      return z.NEVER;
    }
  })
  .pipe(PriceTable);

/** The defaults with the overrides laid over them. */
export function priceTable(overrides: PriceTable | undefined): PriceTable {
  return { ...DEFAULT_PRICES, ...overrides };
}
