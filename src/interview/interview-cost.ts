import { addUsage, ZERO_USAGE, type Usage } from '../llm/model.ts';
import { uncachedInputTokens } from '../llm/pricing.ts';
import type { InterviewState } from './interview-state.ts';

/** What the interviewer's model calls of one interview used and cost, summed over its turns. */
export interface InterviewCost {
  readonly usage: Usage;
  /** Input tokens read without the cache. */
  readonly uncachedInputTokens: number;
  /** The sum of the priced turns' estimates in USD; null when no turn that used a model has a price. */
  readonly costUsd: number | null;
  /** Turns that used a model without a known price, left out of `costUsd`. */
  readonly unpricedTurns: number;
}

export function interviewCost(state: Pick<InterviewState, 'turnMeta'>): InterviewCost {
  let usage = ZERO_USAGE;
  let costUsd: number | null = null;
  let unpricedTurns = 0;
  for (const meta of state.turnMeta) {
    if (!meta.usage) continue;
    usage = addUsage(usage, meta.usage);
    if (typeof meta.costUsd === 'number') costUsd = (costUsd ?? 0) + meta.costUsd;
    else unpricedTurns += 1;
  }
  return { usage, uncachedInputTokens: uncachedInputTokens(usage), costUsd, unpricedTurns };
}
