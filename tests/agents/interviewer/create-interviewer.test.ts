import { describe, expect, it } from 'vitest';
import { createInterviewer } from '../../../src/agents/interviewer/create-interviewer.ts';
import { LlmInterviewer } from '../../../src/agents/interviewer/llm-interviewer.ts';
import { loadConfig } from '../../../src/config.ts';
import { ConfigError } from '../../../src/errors.ts';
import { OfflineInterviewer } from '../../../src/offline/offline-interviewer.ts';
import { resources } from '../../interview/interview-helpers.ts';

describe('createInterviewer', () => {
  it('uses the offline engine alone when the provider is offline', () => {
    const engines = createInterviewer(loadConfig({ LLM_PROVIDER: 'offline' }), resources());
    expect(engines.llm).toBeNull();
    expect(engines.engine).toBe(engines.fallback);
    expect(engines.fallback).toBeInstanceOf(OfflineInterviewer);
  });

  it('puts the LLM engine first with the offline engine behind it', () => {
    const engines = createInterviewer(loadConfig({ ANTHROPIC_API_KEY: 'sk-ant-test' }), resources());
    expect(engines.engine).toBeInstanceOf(LlmInterviewer);
    expect(engines.engine).toBe(engines.llm);
    expect(engines.engine.name).toBe('anthropic');
    expect(engines.fallback).toBeInstanceOf(OfflineInterviewer);
  });

  it('builds a provider without a key only to describe requests', () => {
    const config = loadConfig({ LLM_PROVIDER: 'offline' });
    expect(createInterviewer(config, resources(), { provider: 'openai', dumpOnly: true }).llm?.name).toBe('openai');
    expect(() => createInterviewer(config, resources(), { provider: 'openai' })).toThrow(ConfigError);
  });
});
