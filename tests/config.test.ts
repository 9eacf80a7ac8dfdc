import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, loadDotEnv } from '../src/config.ts';
import { ConfigError } from '../src/errors.ts';

function configError(source: Record<string, string | undefined>, overrides: { provider?: string } = {}): ConfigError {
  try {
    loadConfig(source, overrides);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('loadConfig: provider selection', () => {
  it('auto picks anthropic when its key is set, even if an OpenAI key is set too', () => {
    const config = loadConfig({ ANTHROPIC_API_KEY: 'sk-ant-x', OPENAI_API_KEY: 'sk-x' });
    expect(config).toMatchObject({ provider: 'anthropic', providerReason: 'auto: ANTHROPIC_API_KEY is set', interviewerModel: 'claude-sonnet-4-6', evaluatorModel: 'claude-sonnet-4-6' });
  });

  it('auto picks openai when only its key is set', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-x' })).toMatchObject({ provider: 'openai', providerReason: 'auto: OPENAI_API_KEY is set', interviewerModel: 'gpt-5.1' });
  });

  it('auto falls back to the offline engine with no key', () => {
    expect(loadConfig({})).toMatchObject({ provider: 'offline', interviewerModel: 'offline-heuristic' });
    expect(loadConfig({ LLM_PROVIDER: 'auto', OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '' }).provider).toBe('offline');
  });

  it('honours an explicit provider, and a command-line override over the environment', () => {
    expect(loadConfig({ LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-x', ANTHROPIC_API_KEY: 'sk-ant-x' }).provider).toBe('openai');
    expect(loadConfig({ LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-x' }, { provider: 'offline' }).provider).toBe('offline');
  });

  it('uses the named models, the evaluator defaulting to the interviewer model', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-x', INTERVIEWER_MODEL: 'gpt-x' })).toMatchObject({ interviewerModel: 'gpt-x', evaluatorModel: 'gpt-x' });
    expect(loadConfig({ OPENAI_API_KEY: 'sk-x', INTERVIEWER_MODEL: 'gpt-x', EVALUATOR_MODEL: 'gpt-y' })).toMatchObject({ interviewerModel: 'gpt-x', evaluatorModel: 'gpt-y' });
  });

  it('accepts openai-compatible with a base URL and a model, and no key', () => {
    const config = loadConfig({ LLM_PROVIDER: 'openai-compatible', OPENAI_BASE_URL: 'http://localhost:11434/v1', INTERVIEWER_MODEL: 'llama3.1' });
    expect(config).toMatchObject({ provider: 'openai-compatible', interviewerModel: 'llama3.1', providerReason: 'LLM_PROVIDER=openai-compatible at http://localhost:11434/v1' });
  });
});

describe('loadConfig: errors name the variable', () => {
  it.each(['abc', '70000', '-1', '80.5'])('rejects PORT=%s', (port) => {
    const error = configError({ PORT: port });
    expect(error.code).toBe('config_invalid');
    expect(error.message).toMatch(/^invalid configuration: PORT: /);
  });

  it('rejects openai without a key', () => {
    expect(configError({ LLM_PROVIDER: 'openai' }).message).toBe('OPENAI_API_KEY: required with LLM_PROVIDER=openai');
    expect(configError({ LLM_PROVIDER: 'openai', OPENAI_API_KEY: '' }).message).toContain('OPENAI_API_KEY');
  });

  it('rejects anthropic without a key', () => {
    expect(configError({}, { provider: 'anthropic' }).message).toBe('ANTHROPIC_API_KEY: required with LLM_PROVIDER=anthropic');
  });

  it('rejects openai-compatible without a base URL', () => {
    expect(configError({ LLM_PROVIDER: 'openai-compatible', INTERVIEWER_MODEL: 'llama3.1' }).message).toMatch(/^OPENAI_BASE_URL: required with LLM_PROVIDER=openai-compatible/);
  });

  it('rejects openai-compatible without a model', () => {
    expect(configError({ LLM_PROVIDER: 'openai-compatible', OPENAI_BASE_URL: 'http://localhost:11434/v1' }).message).toMatch(/^INTERVIEWER_MODEL: required with LLM_PROVIDER=openai-compatible/);
  });

  it.each(['localhost:11434/v1', 'not a url', 'ftp://example.com/v1'])('rejects the base URL %s, naming the variable', (url) => {
    expect(configError({ LLM_PROVIDER: 'openai-compatible', OPENAI_BASE_URL: url, INTERVIEWER_MODEL: 'm' }).message).toBe(
      'invalid configuration: OPENAI_BASE_URL: must be an http:// or https:// URL, e.g. http://localhost:11434/v1',
    );
  });

  it('accepts http and https base URLs', () => {
    for (const url of ['http://localhost:11434/v1', 'https://llm.example.com/v1']) {
      expect(loadConfig({ LLM_PROVIDER: 'openai-compatible', OPENAI_BASE_URL: url, INTERVIEWER_MODEL: 'm' }).env.OPENAI_BASE_URL).toBe(url);
    }
  });

  it('rejects an unknown provider, listing the variable', () => {
    expect(configError({ LLM_PROVIDER: 'gemini' }).message).toMatch(/^invalid configuration: LLM_PROVIDER: /);
    expect(configError({}, { provider: 'gemini' }).message).toMatch(/LLM_PROVIDER: /);
  });

  it('lists every bad variable at once', () => {
    const message = configError({ PORT: 'x', LOG_LEVEL: 'loud', INTERVIEW_CLOCK_SCALE: '0', MAX_MESSAGE_CHARS: '5' }).message;
    for (const name of ['PORT', 'LOG_LEVEL', 'INTERVIEW_CLOCK_SCALE', 'MAX_MESSAGE_CHARS']) expect(message).toContain(`${name}: `);
  });
});

describe('loadConfig: defaults and parsing', () => {
  it('fills in the documented defaults', () => {
    expect(loadConfig({}).env).toMatchObject({ LLM_PROVIDER: 'auto', DATA_DIR: './data', PORT: 3000, HOST: '127.0.0.1', LOG_LEVEL: 'info', INTERVIEW_CLOCK_SCALE: 2, MAX_MESSAGE_CHARS: 8000 });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATA_DIR: '', LOG_LEVEL: '' }).env).toMatchObject({ PORT: 3000, DATA_DIR: './data', LOG_LEVEL: 'info' });
  });

  it('aggregates 3 evaluator samples unless EVALUATOR_SAMPLES says otherwise, from 1 to 9', () => {
    expect(loadConfig({}).env.EVALUATOR_SAMPLES).toBe(3);
    expect(loadConfig({ EVALUATOR_SAMPLES: '' }).env.EVALUATOR_SAMPLES).toBe(3);
    expect(loadConfig({ EVALUATOR_SAMPLES: '1' }).env.EVALUATOR_SAMPLES).toBe(1);
    expect(loadConfig({ EVALUATOR_SAMPLES: '9' }).env.EVALUATOR_SAMPLES).toBe(9);
    for (const bad of ['0', '10', '2.5', 'three']) expect(() => loadConfig({ EVALUATOR_SAMPLES: bad }), bad).toThrow(/EVALUATOR_SAMPLES/);
  });

  it('parses numbers from strings', () => {
    expect(loadConfig({ PORT: '8080', INTERVIEW_CLOCK_SCALE: '1.5', MAX_MESSAGE_CHARS: '2000' }).env).toMatchObject({ PORT: 8080, INTERVIEW_CLOCK_SCALE: 1.5, MAX_MESSAGE_CHARS: 2000 });
  });
});

describe('loadDotEnv', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  it('does nothing when the file does not exist', () => {
    expect(() => loadDotEnv(join(tmpdir(), 'mlsd-no-such-dir', '.env'))).not.toThrow();
  });

  it('sets variables from the file without overriding ones already set', () => {
    const directory = mkdtempSync(join(tmpdir(), 'mlsd-env-'));
    directories.push(directory);
    const path = join(directory, '.env');
    const fresh = `MLSD_TEST_FRESH_${process.pid}`;
    const existing = `MLSD_TEST_EXISTING_${process.pid}`;
    writeFileSync(path, `${fresh}=from-file\n${existing}=from-file\n`);
    process.env[existing] = 'from-environment';
    try {
      loadDotEnv(path);
      expect(process.env[fresh]).toBe('from-file');
      expect(process.env[existing]).toBe('from-environment');
    } finally {
      delete process.env[fresh];
      delete process.env[existing];
    }
  });
});

describe('loadConfig: LLM_PRICES', () => {
  it('lays the prices it is given over the built-in table', () => {
    const config = loadConfig({ LLM_PRICES: '{"llama3.1:8b":{"input":0,"cachedInput":0,"cacheWrite":0,"output":0}}' });
    expect(config.prices['llama3.1:8b']).toEqual({ input: 0, cachedInput: 0, cacheWrite: 0, output: 0 });
    expect(config.prices['gpt-5.1']).toBeDefined();
    expect(loadConfig({}).prices['llama3.1:8b']).toBeUndefined();
  });

  it('names the variable when its value is not JSON or not a price table', () => {
    expect(configError({ LLM_PRICES: 'cheap' }).message).toMatch(/LLM_PRICES: not valid JSON/);
    expect(configError({ LLM_PRICES: '{"m":{"input":"one"}}' }).message).toMatch(/LLM_PRICES\.m\.input: /);
  });
});

describe('loadConfig: abuse limits', () => {
  it('defaults the retention, session cap and creation rate, and a load test can raise the rate', () => {
    const { env } = loadConfig({});
    expect([env.SESSION_TTL_DAYS, env.MAX_ACTIVE_SESSIONS, env.PRACTICE_RATE_LIMIT, env.MAX_CONNECTIONS_PER_ADDRESS]).toEqual([30, 1000, 20, 256]);
    expect(env.MAX_CONNECTIONS).toBeUndefined();
    expect(loadConfig({ PRACTICE_RATE_LIMIT: '100000' }).env.PRACTICE_RATE_LIMIT).toBe(100_000);
  });

  it('refuses a retention or cap that is not a positive number, naming the variable', () => {
    expect(configError({ SESSION_TTL_DAYS: '0' }).message).toContain('SESSION_TTL_DAYS');
    expect(configError({ MAX_ACTIVE_SESSIONS: 'lots' }).message).toContain('MAX_ACTIVE_SESSIONS');
    expect(configError({ MAX_CONNECTIONS: '1' }).message).toContain('MAX_CONNECTIONS');
  });
});
