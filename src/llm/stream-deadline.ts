import { ProviderError } from '../errors.ts';
import type { CallLimits } from './call-limits.ts';

export type DeadlineKind = 'first_token' | 'idle' | 'total';

const DESCRIPTIONS: Record<DeadlineKind, (ms: number) => string> = {
  first_token: (ms) => `no reply started within ${ms} ms (LLM_FIRST_TOKEN_TIMEOUT_MS)`,
  idle: (ms) => `the reply stalled: nothing arrived for ${ms} ms (LLM_IDLE_TIMEOUT_MS)`,
  total: (ms) => `the call ran past its ceiling of ${ms} ms`,
};

/**
 * The clocks of one streamed provider call: a time-to-first-chunk limit, then an idle limit that every
 * chunk resets, and a ceiling for the whole call. When one runs out, `signal` aborts the SDK's request and
 * every `race` rejects with a retryable ProviderError that says which limit it was and whether any of the
 * reply had arrived.
 */
export class StreamDeadline {
  readonly signal: AbortSignal;
  readonly #provider: string;
  readonly #limits: CallLimits;
  readonly #controller = new AbortController();
  readonly #startedAt: number;
  readonly #expired: Promise<never>;
  #reject: (error: ProviderError) => void = () => {};
  #timer: NodeJS.Timeout | undefined;
  #ceiling: NodeJS.Timeout | undefined;
  #firstChunkAt: number | null = null;
  #error: ProviderError | null = null;

  constructor(provider: string, limits: CallLimits, callerSignal?: AbortSignal) {
    this.#provider = provider;
    this.#limits = limits;
    this.#startedAt = Date.now();
    this.signal = callerSignal ? AbortSignal.any([callerSignal, this.#controller.signal]) : this.#controller.signal;
    this.#expired = new Promise<never>((_resolve, reject) => {
      this.#reject = reject;
    });
    // Nobody may be awaiting it when it fires; the error is also kept in `error`.
    this.#expired.catch(() => {});
    this.#timer = setTimeout(() => this.#expire('first_token', limits.firstTokenMs), limits.firstTokenMs);
    this.#ceiling = setTimeout(() => this.#expire('total', limits.totalMs), limits.totalMs);
  }

  /** The timeout that ended the call, if one did. */
  get error(): ProviderError | null {
    return this.#error;
  }

  get receivedOutput(): boolean {
    return this.#firstChunkAt !== null;
  }

  /** Milliseconds from the start of the call to its first chunk, or null before it. */
  get firstTokenMs(): number | null {
    return this.#firstChunkAt === null ? null : this.#firstChunkAt - this.#startedAt;
  }

  /** A chunk arrived: the first-chunk limit is met and the idle clock starts again. */
  touch(): void {
    if (this.#error) return;
    if (this.#firstChunkAt === null) {
      // The first chunk swaps the first-token timer for the idle one; later chunks only re-arm it.
      this.#firstChunkAt = Date.now();
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.#expire('idle', this.#limits.idleMs), this.#limits.idleMs);
      return;
    }
    this.#timer?.refresh();
  }

  /** Waits for `promise`, or rejects as soon as a limit runs out. */
  race<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.#expired]);
  }

  /** The chunks of `source`, each waited for under the limits, each resetting the idle clock. */
  async *guard<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
    const iterator = source[Symbol.asyncIterator]();
    try {
      while (true) {
        const next = await this.race(iterator.next());
        if (next.done) return;
        this.touch();
        yield next.value;
      }
    } finally {
      // Not awaited: a stalled body may never settle its own cancellation.
      void iterator.return?.().catch(() => {});
    }
  }

  dispose(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#ceiling);
  }

  #expire(kind: DeadlineKind, ms: number): void {
    if (this.#error) return;
    this.dispose();
    this.#error = new ProviderError(this.#provider, DESCRIPTIONS[kind](ms), { retryable: true, receivedOutput: this.receivedOutput, timeout: kind });
    this.#controller.abort(this.#error);
    this.#reject(this.#error);
  }
}

/**
 * What a failed call throws: the caller's own abort, else the limit that ran out, else the SDK's error
 * mapped by the adapter and marked with whether part of the reply had arrived.
 */
export function callFailure(error: unknown, deadline: StreamDeadline, callerSignal: AbortSignal | undefined, map: (error: unknown) => ProviderError, aborted: () => ProviderError): ProviderError {
  if (callerSignal?.aborted) return aborted();
  if (deadline.error) return deadline.error;
  const mapped = map(error);
  return mapped.withReceivedOutput(mapped.receivedOutput || deadline.receivedOutput);
}

/** Runs a stream reader to its end, handing each part to `onPart`, and returns what the reader returns. */
export async function drain<Part, Result>(reader: AsyncGenerator<Part, Result>, onPart: (part: Part) => void): Promise<Result> {
  while (true) {
    const next = await reader.next();
    if (next.done) return next.value;
    onPart(next.value);
  }
}
