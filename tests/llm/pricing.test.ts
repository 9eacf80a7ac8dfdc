import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES, PriceOverrides, describeUsage, estimateCostUsd, formatCostUsd, priceOf, priceTable } from '../../src/llm/pricing.ts';

const usage = (inputTokens: number, cachedInputTokens: number, cacheWriteTokens: number, outputTokens: number) => ({ inputTokens, cachedInputTokens, cacheWriteTokens, outputTokens });

describe('estimateCostUsd', () => {
  it('bills cache reads, cache writes, the uncached rest of the input and the output each at its own rate', () => {
    // claude-sonnet-4-6: $3 input, $0.30 cache read, $3.75 cache write, $15 output per million tokens.
    const cost = estimateCostUsd('claude-sonnet-4-6', usage(100_000, 60_000, 30_000, 2_000));
    expect(cost).toBeCloseTo((10_000 * 3 + 60_000 * 0.3 + 30_000 * 3.75 + 2_000 * 15) / 1_000_000, 10);
  });

  it('prices the OpenAI default, whose usage reports no cache writes', () => {
    expect(estimateCostUsd('gpt-5.1', usage(2310, 2048, 0, 18))).toBeCloseTo((262 * 1.25 + 2048 * 0.125 + 18 * 10) / 1_000_000, 12);
  });

  it('returns null for a model without a price rather than guessing', () => {
    expect(estimateCostUsd('llama3.1:8b', usage(1000, 0, 0, 100))).toBeNull();
    // A near name is not the same model.
    expect(priceOf('gpt-5-nano')).toBeNull();
  });

  it('prices a dated snapshot as its model', () => {
    expect(priceOf('gpt-5.1-2025-11-13')).toEqual(DEFAULT_PRICES['gpt-5.1']);
    expect(priceOf('claude-sonnet-4-6-20260115')).toEqual(DEFAULT_PRICES['claude-sonnet-4-6']);
  });

  it('uses the table it is given', () => {
    const prices = priceTable({ 'llama3.1:8b': { input: 0, cachedInput: 0, cacheWrite: 0, output: 0 }, 'gpt-5.1': { input: 2, cachedInput: 1, cacheWrite: 2, output: 4 } });
    expect(estimateCostUsd('llama3.1:8b', usage(1000, 0, 0, 100), prices)).toBe(0);
    expect(estimateCostUsd('gpt-5.1', usage(1_000_000, 0, 0, 0), prices)).toBe(2);
    expect(prices['claude-sonnet-4-6']).toEqual(DEFAULT_PRICES['claude-sonnet-4-6']);
  });
});

describe('PriceOverrides (LLM_PRICES)', () => {
  it('parses a JSON table of prices', () => {
    expect(PriceOverrides.parse('{"m":{"input":1,"cachedInput":0.1,"cacheWrite":1.25,"output":4}}')).toEqual({ m: { input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 4 } });
  });

  it('rejects text that is not JSON, and prices with a missing or negative rate', () => {
    expect(PriceOverrides.safeParse('{m: 1}').error?.issues[0]?.message).toMatch(/^not valid JSON .*USD per million tokens$/);
    const missing = PriceOverrides.safeParse('{"m":{"input":1,"cachedInput":0.1,"output":4}}');
    expect(missing.error?.issues[0]?.path).toEqual(['m', 'cacheWrite']);
    expect(PriceOverrides.safeParse('{"m":{"input":-1,"cachedInput":0,"cacheWrite":0,"output":0}}').success).toBe(false);
  });
});

describe('formatting', () => {
  it('shows small costs to a hundredth of a cent, larger ones to the cent, and no price as unknown', () => {
    expect(formatCostUsd(0.00076)).toBe('$0.0008');
    expect(formatCostUsd(1.234)).toBe('$1.23');
    expect(formatCostUsd(null)).toBe('unknown price');
  });

  it('describes usage with the cached, written and uncached input tokens', () => {
    expect(describeUsage(usage(100, 60, 30, 5))).toBe('100 input (60 read from the cache, 30 written to the cache, 10 uncached), 5 output');
  });
});
