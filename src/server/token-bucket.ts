/** A token bucket: `burst` tokens at most, refilled at `perSecond`; each frame a client sends takes one. */
export interface TokenBucketOptions {
  readonly burst: number;
  readonly perSecond: number;
  /** Milliseconds, injected so tests are deterministic. */
  readonly now?: () => number;
}

export class TokenBucket {
  readonly #options: TokenBucketOptions;
  #tokens: number;
  #last: number;

  constructor(options: TokenBucketOptions) {
    this.#options = options;
    this.#tokens = options.burst;
    this.#last = this.#now();
  }

  /** Takes a token if one is left; false means the caller is over its rate. */
  take(): boolean {
    const now = this.#now();
    this.#tokens = Math.min(this.#options.burst, this.#tokens + ((now - this.#last) / 1000) * this.#options.perSecond);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}
