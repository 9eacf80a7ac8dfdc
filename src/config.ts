import { existsSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { PriceOverrides, priceTable, type PriceTable } from './llm/pricing.ts';

export const ProviderSetting = z.enum(['auto', 'openai', 'anthropic', 'openai-compatible', 'offline']);
export type ProviderSetting = z.infer<typeof ProviderSetting>;

/** The provider actually used after `auto` is resolved. */
export type ResolvedProvider = Exclude<ProviderSetting, 'auto'>;

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());

/** The environment this application reads, parsed strictly. Every variable is documented in README. */
export const Environment = z.object({
  LLM_PROVIDER: z.preprocess(emptyAsUndefined, ProviderSetting.default('auto')),
  OPENAI_API_KEY: optionalString,
  // http(s) only: a bare "localhost:11434/v1" parses as a URL with the scheme "localhost:" and would fail only at the first request.
  OPENAI_BASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. http://localhost:11434/v1' }).optional()),
  ANTHROPIC_API_KEY: optionalString,
  INTERVIEWER_MODEL: optionalString,
  EVALUATOR_MODEL: optionalString,
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: z.preprocess(emptyAsUndefined, z.string().default('127.0.0.1')),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  /** Multiplies every phase's time budget: a typed chat is slower than speech. */
  INTERVIEW_CLOCK_SCALE: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(10).default(2)),
  /** The longest candidate message accepted, in characters. */
  MAX_MESSAGE_CHARS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).max(100_000).default(8000)),
  /**
   * How many independent evaluations of one interview are aggregated into a scorecard (median rating,
   * agreement as confidence). One is too few: single samples of the same interview differ from run to run.
   */
  EVALUATOR_SAMPLES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(9).default(3)),
  /** Time from sending a provider request to the first chunk of its reply before the call is given up. */
  LLM_FIRST_TOKEN_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1000).max(3_600_000).default(90_000)),
  /** The longest silence between two chunks of a reply that is streaming. */
  LLM_IDLE_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1000).max(3_600_000).default(30_000)),
  /** The ceiling of one interviewer call, however steadily it streams. */
  LLM_INTERVIEWER_CALL_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1000).max(3_600_000).default(180_000)),
  /** The ceiling of one evaluator call: a scorecard is thousands of tokens. */
  LLM_EVALUATOR_CALL_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1000).max(7_200_000).default(900_000)),
  /** Retries of a call that failed before any of its reply arrived. */
  LLM_MAX_RETRIES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(10).default(2)),
  /** Extra origins allowed to open the websocket, comma separated (the server's own origin always is). */
  ALLOWED_ORIGINS: optionalString,
  /** Open connections the server accepts in all; the default is below the process's descriptor limit. */
  MAX_CONNECTIONS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(2).max(1_000_000).optional()),
  /** Open connections one address may hold; past it only /healthz is answered. */
  MAX_CONNECTIONS_PER_ADDRESS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1_000_000).default(256)),
  /** Days a session (transcript, events, scorecard) is kept after it was last written; a purge job deletes older ones. */
  SESSION_TTL_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(36_500).default(30)),
  /** Interviews under way at once; POST /v1/practice past it gets sessions_exhausted. */
  MAX_ACTIVE_SESSIONS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(10_000_000).default(1000)),
  /** Sessions one address may create a minute; raise it for a trusted load test. */
  PRACTICE_RATE_LIMIT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(10_000_000).default(20)),
  /** Model prices in USD per million tokens (JSON), over the built-in table, for cost estimates. */
  LLM_PRICES: z.preprocess(emptyAsUndefined, PriceOverrides.optional()),
});
export type Environment = z.infer<typeof Environment>;

export interface AppConfig {
  readonly env: Environment;
  readonly provider: ResolvedProvider;
  /** Why this provider was chosen, for the start-up line. */
  readonly providerReason: string;
  readonly interviewerModel: string;
  readonly evaluatorModel: string;
  /** The built-in price table with LLM_PRICES over it. */
  readonly prices: PriceTable;
}

const DEFAULT_MODELS: Record<Exclude<ResolvedProvider, 'offline' | 'openai-compatible'>, string> = {
  openai: 'gpt-5.1',
  anthropic: 'claude-sonnet-4-6',
};

/** Reads `.env` in the working directory if present. Variables already set win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Parses the environment (plus command-line overrides) into the application's configuration. */
export function loadConfig(source: Record<string, string | undefined> = process.env, overrides: { provider?: string | undefined } = {}): AppConfig {
  const parsed = Environment.safeParse({ ...source, ...(overrides.provider ? { LLM_PROVIDER: overrides.provider } : {}) });
  if (!parsed.success) {
    const messages = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${messages.join('; ')}`);
  }
  const env = parsed.data;
  const { provider, reason } = resolveProvider(env);
  const modelFor = (explicit: string | undefined): string => {
    if (explicit) return explicit;
    if (provider === 'offline') return 'offline-heuristic';
    if (provider === 'openai-compatible') throw new ConfigError('INTERVIEWER_MODEL: required with LLM_PROVIDER=openai-compatible (the model name your server serves)');
    return DEFAULT_MODELS[provider];
  };
  return {
    env,
    provider,
    providerReason: reason,
    interviewerModel: modelFor(env.INTERVIEWER_MODEL),
    evaluatorModel: modelFor(env.EVALUATOR_MODEL ?? env.INTERVIEWER_MODEL),
    prices: priceTable(env.LLM_PRICES),
  };
}

function resolveProvider(env: Environment): { provider: ResolvedProvider; reason: string } {
  switch (env.LLM_PROVIDER) {
    case 'auto':
      if (env.ANTHROPIC_API_KEY) return { provider: 'anthropic', reason: 'auto: ANTHROPIC_API_KEY is set' };
      if (env.OPENAI_API_KEY) return { provider: 'openai', reason: 'auto: OPENAI_API_KEY is set' };
      return { provider: 'offline', reason: 'auto: no API key is set, using the offline engine' };
    case 'anthropic':
      if (!env.ANTHROPIC_API_KEY) throw new ConfigError('ANTHROPIC_API_KEY: required with LLM_PROVIDER=anthropic');
      return { provider: 'anthropic', reason: 'LLM_PROVIDER=anthropic' };
    case 'openai':
      if (!env.OPENAI_API_KEY) throw new ConfigError('OPENAI_API_KEY: required with LLM_PROVIDER=openai');
      return { provider: 'openai', reason: 'LLM_PROVIDER=openai' };
    case 'openai-compatible':
      if (!env.OPENAI_BASE_URL) throw new ConfigError('OPENAI_BASE_URL: required with LLM_PROVIDER=openai-compatible (e.g. http://localhost:11434/v1 for Ollama)');
      return { provider: 'openai-compatible', reason: `LLM_PROVIDER=openai-compatible at ${env.OPENAI_BASE_URL}` };
    case 'offline':
      return { provider: 'offline', reason: 'LLM_PROVIDER=offline' };
    default: {
      const unreachable: never = env.LLM_PROVIDER;
      throw new ConfigError(`LLM_PROVIDER: unknown value ${String(unreachable)}`);
    }
  }
}
