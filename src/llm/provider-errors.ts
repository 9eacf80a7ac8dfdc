import { ProviderError } from '../errors.ts';

/**
 * The retry policy shared by every adapter, kept free of SDK imports so each adapter can apply it to
 * its own SDK's error classes (src/llm/openai/openai-errors.ts, src/llm/anthropic/anthropic-errors.ts).
 */

/** 408 timeout, 409 conflict, 429 rate limit and every 5xx (529 overloaded included) may succeed on a retry. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Error `type`s a provider reports inside an already-open stream, where there is no HTTP status to go
 * by. Anthropic sends `overloaded_error` and `api_error` as `event: error`; OpenAI sends `server_error`
 * as a `data: {"error": ...}` chunk. The rest mirror the retryable statuses above.
 */
const RETRYABLE_ERROR_TYPES: ReadonlySet<string> = new Set([
  'overloaded_error',
  'api_error',
  'rate_limit_error',
  'timeout_error',
  'server_error',
]);

export function isRetryableErrorType(type: string | null | undefined): boolean {
  return type != null && RETRYABLE_ERROR_TYPES.has(type);
}

/** The caller's own abort: never retried, since the caller asked for it to stop. */
export function abortedError(provider: string, signal: AbortSignal): ProviderError {
  return new ProviderError(provider, 'the request was aborted', { retryable: false, cause: signal.reason });
}

/**
 * The stream closed without the provider's end-of-message marker: the connection dropped, or a proxy
 * cut it. What arrived is incomplete, so the whole call is worth repeating.
 */
export function truncatedStreamError(provider: string, receivedOutput = true): ProviderError {
  return new ProviderError(provider, 'the response stream ended before the model finished', { retryable: true, receivedOutput });
}

/** The error classes of one SDK, passed in by its adapter: only adapters import an SDK. */
export interface SdkErrorClasses {
  /** The caller aborted. */
  readonly abort: abstract new (...args: never[]) => Error;
  /** The connection failed or timed out (timeouts are a subclass). */
  readonly connection: abstract new (...args: never[]) => Error;
  /** The API answered with an error: a status, or an error event inside a stream. */
  readonly api: abstract new (...args: never[]) => Error & { status?: number | undefined; type?: string | null | undefined; headers?: Headers | undefined };
  /** Anything else the SDK raised itself. */
  readonly base: abstract new (...args: never[]) => Error;
}

/**
 * Turns anything an SDK threw into a ProviderError. Errors the SDK did not raise itself come from reading
 * the response body (a dropped connection surfaces as a TypeError from fetch), so they count as
 * retryable network failures.
 */
export function toProviderError(provider: string, error: unknown, classes: SdkErrorClasses): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof classes.abort) return new ProviderError(provider, 'the request was aborted', { retryable: false, cause: error });
  if (error instanceof classes.connection) return new ProviderError(provider, error.message, { retryable: true, cause: error });
  if (error instanceof classes.api) {
    const { status } = error as { status?: number | undefined };
    if (status !== undefined) {
      const retryAfterMs = parseRetryAfter((error as { headers?: Headers | undefined }).headers, Date.now());
      return new ProviderError(provider, error.message, { status, retryable: isRetryableStatus(status), cause: error, retryAfterMs });
    }
    // No status: an error event inside a 200 stream (Anthropic `event: error`, OpenAI `data: {"error": ...}`).
    return new ProviderError(provider, error.message, { retryable: isRetryableErrorType((error as { type?: string | null }).type), cause: error });
  }
  if (error instanceof classes.base) return new ProviderError(provider, error.message, { retryable: false, cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(provider, `connection failed: ${message}`, { retryable: true, cause: error });
}

/**
 * How long the provider asked us to wait, from `retry-after-ms` (OpenAI) or `retry-after` in seconds or as
 * an HTTP date (RFC 9110). Undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: Headers | undefined, nowMs: number): number | undefined {
  if (!headers || typeof headers.get !== 'function') return undefined;
  const millis = headers.get('retry-after-ms');
  if (millis !== null && /^\d+(\.\d+)?$/.test(millis.trim())) return Math.round(Number(millis));
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
