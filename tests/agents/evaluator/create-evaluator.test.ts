import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEvaluator } from '../../../src/agents/evaluator/create-evaluator.ts';
import { LlmEvaluator } from '../../../src/agents/evaluator/llm-evaluator.ts';
import { loadConfig } from '../../../src/config.ts';
import { ConfigError } from '../../../src/errors.ts';
import { OfflineEvaluator } from '../../../src/evaluator/offline/offline-evaluator-engine.ts';
import { loadResources } from '../../../src/resources.ts';
import { ScriptedModel } from './scripted-model.ts';

const resources = loadResources();
const offlineConfig = loadConfig({ LLM_PROVIDER: 'offline' });
const scratch = mkdtempSync(join(tmpdir(), 'create-evaluator-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('createEvaluator', () => {
  it('is the offline heuristic for the offline provider, versioned by the guide', () => {
    const engine = createEvaluator(offlineConfig, resources);
    expect(engine).toBeInstanceOf(OfflineEvaluator);
    expect(engine.heuristic).toBe(true);
    expect(engine.promptVersions.guide).toBe(resources.guide.version);
  });

  it('is an LLM evaluator over a given model, named after it', () => {
    const engine = createEvaluator(offlineConfig, resources, { model: new ScriptedModel([]) });
    expect(engine).toBeInstanceOf(LlmEvaluator);
    expect(engine).toMatchObject({ engine: 'scripted', model: 'scripted-model-1', heuristic: false });
  });

  it('builds a provider model for --dump-request without an API key', () => {
    const engine = createEvaluator(offlineConfig, resources, { provider: 'anthropic', dumpOnly: true });
    expect(engine).toMatchObject({ engine: 'anthropic', model: 'claude-sonnet-4-6' });
  });

  it('needs the API key when it would really call the provider', () => {
    expect(() => createEvaluator(offlineConfig, resources, { provider: 'openai' })).toThrow(ConfigError);
  });

  it('wraps the model for --record, keeping its name, and refuses --replay from a directory that does not exist', () => {
    const recorded = createEvaluator(offlineConfig, resources, { model: new ScriptedModel([]), record: join(scratch, 'recordings') });
    expect(recorded).toMatchObject({ engine: 'scripted', model: 'scripted-model-1' });
    expect(() => createEvaluator(offlineConfig, resources, { provider: 'openai', replay: join(scratch, 'missing') })).toThrow(/--replay: .*missing does not exist/);
  });
});
