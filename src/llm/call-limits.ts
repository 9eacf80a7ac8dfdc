/**
 * How long one provider call may take, as a user paying for a model would want it: a reply that is still
 * arriving is never cut off by a total timeout, but a provider that never starts, or stops mid-reply, is
 * given up on within a bounded time.
 */
export interface CallLimits {
  /** From sending the request to the first chunk of the reply (headers alone do not count). */
  readonly firstTokenMs: number;
  /** The longest silence allowed between two chunks once the reply has started. */
  readonly idleMs: number;
  /** The ceiling for the whole call, however steadily it streams. */
  readonly totalMs: number;
  /** Retries of a call that failed before its first chunk (rate limits, overload, connection failures). */
  readonly maxRetries: number;
}

/** Defaults: an interviewer turn is short; an evaluation is 4-6k output tokens, minutes at ordinary speeds. */
export const DEFAULT_CALL_LIMITS = {
  firstTokenMs: 90_000,
  idleMs: 30_000,
  interviewerTotalMs: 180_000,
  evaluatorTotalMs: 900_000,
  maxRetries: 2,
} as const;
