import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { AppConfig, ResolvedProvider } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { AnthropicModel } from './anthropic/anthropic-model.ts';
import type { LanguageModel } from './model.ts';
import { OpenAIModel } from './openai/openai-model.ts';

export interface ModelOptions {
  readonly provider: ResolvedProvider;
  readonly modelId: string;
  readonly config: AppConfig;
  /** Build a client that will never send (for --dump-request): no API key is needed. */
  readonly dumpOnly?: boolean;
}

// SDK retries cover transient 408/409/429/5xx; the session's offline fallback covers the rest.
const TIMEOUT_MS = 60_000;
const MAX_RETRIES = 2;

/** The LanguageModel for a provider, with an SDK client set up here; `null` for the offline engine. */
export function createModel(options: ModelOptions): LanguageModel | null {
  const { env } = options.config;
  const placeholderKey = options.dumpOnly ? 'dump-request-only' : undefined;
  switch (options.provider) {
    case 'offline':
      return null;
    case 'anthropic': {
      const apiKey = env.ANTHROPIC_API_KEY ?? placeholderKey;
      if (!apiKey) throw new ConfigError('ANTHROPIC_API_KEY: required for the anthropic provider');
      return new AnthropicModel({ client: new Anthropic({ apiKey, timeout: TIMEOUT_MS, maxRetries: MAX_RETRIES }), modelId: options.modelId });
    }
    case 'openai':
    case 'openai-compatible': {
      // Local compatible servers usually ignore the key, but the SDK requires one.
      const apiKey = env.OPENAI_API_KEY ?? placeholderKey ?? (options.provider === 'openai-compatible' ? 'not-needed' : undefined);
      if (!apiKey) throw new ConfigError('OPENAI_API_KEY: required for the openai provider');
      const client = new OpenAI({ apiKey, timeout: TIMEOUT_MS, maxRetries: MAX_RETRIES, ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}) });
      return new OpenAIModel({ client, modelId: options.modelId, provider: options.provider });
    }
    default: {
      const unreachable: never = options.provider;
      throw new ConfigError(`unknown provider ${String(unreachable)}`);
    }
  }
}

/** The default model id of a provider when the user named none. */
export function defaultModelFor(provider: ResolvedProvider, config: AppConfig, role: 'interviewer' | 'evaluator'): string {
  if (config.provider === provider) return role === 'interviewer' ? config.interviewerModel : config.evaluatorModel;
  if (provider === 'anthropic') return 'claude-sonnet-4-6';
  if (provider === 'openai') return 'gpt-5.1';
  return config.env.INTERVIEWER_MODEL ?? 'local-model';
}
