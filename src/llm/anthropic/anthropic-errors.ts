import { AnthropicError, APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { ProviderError } from '../../errors.ts';
import { isRetryableErrorType, isRetryableStatus } from '../provider-errors.ts';

/**
 * Turns anything the Anthropic SDK threw into a ProviderError. Errors the SDK did not raise itself come
 * from reading the response body (a dropped connection surfaces as a TypeError from fetch), so they
 * count as retryable network failures.
 */
export function toProviderError(provider: string, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof APIUserAbortError) {
    return new ProviderError(provider, 'the request was aborted', { retryable: false, cause: error });
  }
  // Covers APIConnectionTimeoutError, its subclass.
  if (error instanceof APIConnectionError) {
    return new ProviderError(provider, error.message, { retryable: true, cause: error });
  }
  if (error instanceof APIError) {
    if (error.status !== undefined) {
      return new ProviderError(provider, error.message, { status: error.status, retryable: isRetryableStatus(error.status), cause: error });
    }
    // No status: an `event: error` inside a 200 stream, typically overloaded_error or api_error.
    return new ProviderError(provider, error.message, { retryable: isRetryableErrorType(error.type), cause: error });
  }
  if (error instanceof AnthropicError) {
    return new ProviderError(provider, error.message, { retryable: false, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(provider, `connection failed: ${message}`, { retryable: true, cause: error });
}
