import { describe, expect, it } from 'vitest';
import { interviewCost } from '../../src/interview/interview-cost.ts';
import type { TurnMeta } from '../../src/interview/interview-state.ts';

const usage = { inputTokens: 1000, outputTokens: 50, cachedInputTokens: 800, cacheWriteTokens: 100 };
const meta = (turnId: number, extra: Partial<TurnMeta>): TurnMeta => ({ turnId, engine: 'anthropic', promptVersions: {}, ...extra });

describe('interviewCost', () => {
  it('sums the tokens and estimates of the turns that called a model', () => {
    const cost = interviewCost({
      turnMeta: [meta(1, { engine: 'template' }), meta(3, { usage, costUsd: 0.002 }), meta(5, { engine: 'offline', fallbackFrom: 'anthropic' }), meta(7, { usage, costUsd: 0.003 })],
    });
    expect(cost.usage).toEqual({ inputTokens: 2000, outputTokens: 100, cachedInputTokens: 1600, cacheWriteTokens: 200 });
    expect(cost.uncachedInputTokens).toBe(200);
    expect(cost.costUsd).toBeCloseTo(0.005, 12);
    expect(cost.unpricedTurns).toBe(0);
  });

  it('counts turns of a model without a price apart, and has no cost when none is priced', () => {
    expect(interviewCost({ turnMeta: [meta(3, { usage, costUsd: null }), meta(5, { usage, costUsd: 0.001 })] })).toMatchObject({ costUsd: 0.001, unpricedTurns: 1 });
    // A turn stored before costs were recorded has usage but no costUsd.
    expect(interviewCost({ turnMeta: [meta(3, { usage }), meta(5, { usage, costUsd: null })] })).toMatchObject({ costUsd: null, unpricedTurns: 2 });
    expect(interviewCost({ turnMeta: [meta(1, { engine: 'template' })] })).toMatchObject({ costUsd: null, unpricedTurns: 0, uncachedInputTokens: 0 });
  });
});
