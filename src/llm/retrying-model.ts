import { ProviderError } from '../errors.ts';
import type { CallAttempt, LanguageModel, ModelRequest, ObjectRequest, ObjectResponse, StreamPart } from './model.ts';
import { decideRetry, type RetryOptions } from './retry-policy.ts';

export interface RetryingModelOptions extends RetryOptions {
  /** Waits between attempts; tests pass a fake. It must reject when the signal aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

/**
 * Sends a failed call again by the retry policy (src/llm/retry-policy.ts), instead of the SDKs' own retries,
 * which would repeat a long generation silently. A stream is retried only while none of it has reached the
 * caller; structured output, which the caller sees only whole, may be retried once after a mid-reply
 * failure. Every attempt of a structured call is listed in its response.
 */
export class RetryingModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly #inner: LanguageModel;
  readonly #options: RetryingModelOptions;
  readonly #sleep: (ms: number, signal: AbortSignal | undefined) => Promise<void>;

  constructor(inner: LanguageModel, options: RetryingModelOptions) {
    this.#inner = inner;
    this.#options = options;
    this.#sleep = options.sleep ?? sleep;
    this.provider = inner.provider;
    this.modelId = inner.modelId;
  }

  describeStreamRequest(request: ModelRequest): unknown {
    return this.#inner.describeStreamRequest(request);
  }

  describeObjectRequest(request: ObjectRequest): unknown {
    return this.#inner.describeObjectRequest(request);
  }

  async *stream(request: ModelRequest): AsyncGenerator<StreamPart> {
    let retriesAfterOutput = 0;
    for (let attempt = 1; ; attempt += 1) {
      let yielded = false;
      try {
        for await (const part of this.#inner.stream(request)) {
          yielded = true;
          yield part;
        }
        return;
      } catch (error) {
        // Text the caller has already shown cannot be taken back here: the caller decides what follows.
        if (!(error instanceof ProviderError) || yielded || request.signal?.aborted) throw error;
        const decision = decideRetry(error, { attempts: attempt, retriesAfterOutput }, this.#options);
        if (!decision.retry) throw error;
        if (error.receivedOutput) retriesAfterOutput += 1;
        await this.#sleep(decision.delayMs, request.signal);
      }
    }
  }

  async generateObject(request: ObjectRequest): Promise<ObjectResponse> {
    const attempts: CallAttempt[] = [];
    let retriesAfterOutput = 0;
    for (let attempt = 1; ; attempt += 1) {
      const started = Date.now();
      try {
        const response = await this.#inner.generateObject(request);
        attempts.push({ attempt, outcome: 'ok', durationMs: Date.now() - started, firstTokenMs: response.firstTokenMs ?? null });
        return { ...response, attempts };
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        const failed: CallAttempt = { attempt, outcome: 'failed', durationMs: Date.now() - started, firstTokenMs: null, error: error.message, receivedOutput: error.receivedOutput };
        const decision = request.signal?.aborted ? { retry: false as const, why: 'aborted' } : decideRetry(error, { attempts: attempt, retriesAfterOutput }, this.#options);
        if (!decision.retry) {
          attempts.push(failed);
          throw withAttempts(error, attempts);
        }
        attempts.push({ ...failed, retryInMs: decision.delayMs });
        if (error.receivedOutput) retriesAfterOutput += 1;
        await this.#sleep(decision.delayMs, request.signal);
      }
    }
  }
}

/** The final error, carrying the attempts that led to it, for the caller's log. */
function withAttempts(error: ProviderError, attempts: readonly CallAttempt[]): ProviderError {
  return Object.assign(error, { attempts });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
