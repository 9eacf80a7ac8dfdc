import { APIConnectionError, APIError, APIUserAbortError, OpenAIError } from 'openai';
import type { ProviderError } from '../../errors.ts';
import { toProviderError as mapSdkError } from '../provider-errors.ts';

const CLASSES = { abort: APIUserAbortError, connection: APIConnectionError, api: APIError, base: OpenAIError };

/** Turns anything the OpenAI SDK threw into a ProviderError. */
export function toProviderError(provider: string, error: unknown): ProviderError {
  return mapSdkError(provider, error, CLASSES);
}
