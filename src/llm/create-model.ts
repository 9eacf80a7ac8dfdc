import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { AppConfig, ResolvedProvider } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { AnthropicModel } from './anthropic/anthropic-model.ts';
import type { CallLimits } from './call-limits.ts';
import type { LanguageModel } from './model.ts';
import { OpenAIModel } from './openai/openai-model.ts';
import { RetryingModel } from './retrying-model.ts';

export interface ModelOptions {
  readonly provider: ResolvedProvider;
  readonly modelId: string;
  readonly config: AppConfig;
  /** Which agent calls it: the evaluator's calls get a far longer ceiling. */
  readonly role: 'interviewer' | 'evaluator';
  /** Build a client that will never send (for --dump-request): no API key is needed. */
  readonly dumpOnly?: boolean;
}

/** The limits of one call for a role, from the environment (README, "Configuration"). */
export function callLimitsFor(config: AppConfig, role: 'interviewer' | 'evaluator'): CallLimits {
  const { env } = config;
  return {
    firstTokenMs: env.LLM_FIRST_TOKEN_TIMEOUT_MS,
    idleMs: env.LLM_IDLE_TIMEOUT_MS,
    totalMs: role === 'evaluator' ? env.LLM_EVALUATOR_CALL_TIMEOUT_MS : env.LLM_INTERVIEWER_CALL_TIMEOUT_MS,
    maxRetries: env.LLM_MAX_RETRIES,
  };
}

/**
 * The LanguageModel for a provider, with an SDK client set up here; `null` for the offline engine. Every
 * call streams under the limits of `callLimitsFor`; the SDKs' own retries are off (they would send a long
 * generation again silently) and their timeout sits just above the call's ceiling, so ours decide.
 */
export function createModel(options: ModelOptions): LanguageModel | null {
  const adapter = createAdapter(options);
  if (!adapter) return null;
  return new RetryingModel(adapter, { maxRetries: callLimitsFor(options.config, options.role).maxRetries });
}

function createAdapter(options: ModelOptions): LanguageModel | null {
  const { env } = options.config;
  const limits = callLimitsFor(options.config, options.role);
  const sdk = { timeout: limits.totalMs + 5000, maxRetries: 0 };
  const placeholderKey = options.dumpOnly ? 'dump-request-only' : undefined;
  switch (options.provider) {
    case 'offline':
      return null;
    case 'anthropic': {
      const apiKey = env.ANTHROPIC_API_KEY ?? placeholderKey;
      if (!apiKey) throw new ConfigError('ANTHROPIC_API_KEY: required for the anthropic provider');
      return new AnthropicModel({ client: new Anthropic({ apiKey, ...sdk }), modelId: options.modelId, limits });
    }
    case 'openai':
    case 'openai-compatible': {
      // Local compatible servers usually ignore the key, but the SDK requires one.
      const apiKey = env.OPENAI_API_KEY ?? placeholderKey ?? (options.provider === 'openai-compatible' ? 'not-needed' : undefined);
      if (!apiKey) throw new ConfigError('OPENAI_API_KEY: required for the openai provider');
      const client = new OpenAI({ apiKey, ...sdk, ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}) });
      return new OpenAIModel({ client, modelId: options.modelId, provider: options.provider, limits });
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
