import type { ProviderError } from '../errors.ts';

/**
 * When a failed provider call is sent again, kept free of I/O so it can be tested on its own. A call that
 * failed before any of its reply arrived costs little to repeat and is retried up to `maxRetries` times; one
 * that failed mid-reply is paid for again in full, so it is repeated at most once per request, never silently.
 */
export interface RetryState {
  /** Attempts made so far, the failed one included. */
  readonly attempts: number;
  /** Retries already spent on failures after part of the reply had arrived. */
  readonly retriesAfterOutput: number;
}

export interface RetryOptions {
  readonly maxRetries: number;
  /** The first backoff when the provider gave no `retry-after`; it doubles on every retry. */
  readonly baseDelayMs?: number;
  /** The longest wait accepted: a `retry-after` beyond it is a failure now, not a wait. */
  readonly maxDelayMs?: number;
}

export type RetryDecision = { readonly retry: false; readonly why: string } | { readonly retry: true; readonly delayMs: number; readonly why: string };

const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 60_000;

export function decideRetry(error: ProviderError, state: RetryState, options: RetryOptions): RetryDecision {
  if (!error.retryable) return { retry: false, why: 'not retryable' };
  const retriesSoFar = state.attempts - 1;
  if (error.receivedOutput) {
    if (state.retriesAfterOutput >= 1) return { retry: false, why: 'already retried once after part of a reply had arrived' };
  } else if (retriesSoFar - state.retriesAfterOutput >= options.maxRetries) {
    return { retry: false, why: `no retries left (LLM_MAX_RETRIES=${options.maxRetries})` };
  }
  const maxDelay = options.maxDelayMs ?? MAX_DELAY_MS;
  if (error.retryAfterMs !== undefined) {
    if (error.retryAfterMs > maxDelay) return { retry: false, why: `the provider asked to wait ${error.retryAfterMs} ms, longer than ${maxDelay} ms` };
    return { retry: true, delayMs: error.retryAfterMs, why: 'retry-after' };
  }
  const delayMs = Math.min(maxDelay, (options.baseDelayMs ?? BASE_DELAY_MS) * 2 ** retriesSoFar);
  return { retry: true, delayMs, why: 'backoff' };
}
