import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.ts';
import { parseRetryAfter } from '../../src/llm/provider-errors.ts';
import { decideRetry } from '../../src/llm/retry-policy.ts';

const failure = (options: { retryable?: boolean; receivedOutput?: boolean; retryAfterMs?: number } = {}) =>
  new ProviderError('openai', 'failed', { retryable: options.retryable ?? true, receivedOutput: options.receivedOutput ?? false, retryAfterMs: options.retryAfterMs });

describe('decideRetry', () => {
  it('retries a failure before the first token up to maxRetries, doubling the backoff', () => {
    expect(decideRetry(failure(), { attempts: 1, retriesAfterOutput: 0 }, { maxRetries: 2 })).toEqual({ retry: true, delayMs: 1000, why: 'backoff' });
    expect(decideRetry(failure(), { attempts: 2, retriesAfterOutput: 0 }, { maxRetries: 2 })).toEqual({ retry: true, delayMs: 2000, why: 'backoff' });
    expect(decideRetry(failure(), { attempts: 3, retriesAfterOutput: 0 }, { maxRetries: 2 })).toMatchObject({ retry: false });
    expect(decideRetry(failure(), { attempts: 1, retriesAfterOutput: 0 }, { maxRetries: 0 })).toMatchObject({ retry: false });
  });

  it('repeats a call that failed mid-reply once, whatever maxRetries says', () => {
    expect(decideRetry(failure({ receivedOutput: true }), { attempts: 1, retriesAfterOutput: 0 }, { maxRetries: 0 })).toMatchObject({ retry: true });
    expect(decideRetry(failure({ receivedOutput: true }), { attempts: 2, retriesAfterOutput: 1 }, { maxRetries: 5 })).toMatchObject({ retry: false });
  });

  it('waits what retry-after says, and gives up when that is beyond the longest wait', () => {
    expect(decideRetry(failure({ retryAfterMs: 7000 }), { attempts: 1, retriesAfterOutput: 0 }, { maxRetries: 2 })).toEqual({ retry: true, delayMs: 7000, why: 'retry-after' });
    expect(decideRetry(failure({ retryAfterMs: 120_000 }), { attempts: 1, retriesAfterOutput: 0 }, { maxRetries: 2 })).toMatchObject({ retry: false });
  });

  it('never retries what is not retryable', () => {
    expect(decideRetry(failure({ retryable: false }), { attempts: 1, retriesAfterOutput: 0 }, { maxRetries: 2 })).toMatchObject({ retry: false, why: 'not retryable' });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-04T12:00:00Z');
  it('reads retry-after-ms, seconds and HTTP dates', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '1500' }), now)).toBe(1500);
    expect(parseRetryAfter(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Fri, 04 Dec 2026 12:00:30 GMT' }), now)).toBe(30_000);
  });
  it('ignores absent and unreadable values', () => {
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
