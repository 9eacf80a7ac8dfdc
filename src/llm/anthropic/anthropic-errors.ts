import { AnthropicError, APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { ProviderError } from '../../errors.ts';
import { toProviderError as mapSdkError } from '../provider-errors.ts';

const CLASSES = { abort: APIUserAbortError, connection: APIConnectionError, api: APIError, base: AnthropicError };

/** Turns anything the Anthropic SDK threw into a ProviderError. */
export function toProviderError(provider: string, error: unknown): ProviderError {
  return mapSdkError(provider, error, CLASSES);
}
