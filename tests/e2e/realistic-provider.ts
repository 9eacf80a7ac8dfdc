import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/resources.ts';
import { startPacedModel, type PacedModelServer } from './paced-model-server.ts';

/**
 * A scripted interview in the chat CLI and its evaluation, against a model on loopback that streams at a
 * real model's pace (first chunk after 3 s, 50 tokens a second, a 5,000-token scorecard: about 100 s a
 * sample; the default three run the first alone, then two side by side), through the real SDK, with the
 * default configuration: no timeout or retry is set. The model's own scorecard must arrive, not the
 * offline fallback. Shared by one test file per API so both run at once.
 */
export function realisticProviderTest(provider: 'openai-compatible' | 'anthropic'): void {
  let model: PacedModelServer;
  const directory = mkdtempSync(join(tmpdir(), `mlsd-paced-${provider}-`));

  beforeAll(async () => {
    model = await startPacedModel({ firstTokenMs: 3000, tokensPerSecond: 50, objectTokens: 5000 });
  });
  afterAll(async () => {
    await model.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it(`scores the interview with the model's own scorecard (${provider})`, async () => {
    const transcriptPath = join(directory, 'interview.json');
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: directory, DATA_DIR: directory, LOG_LEVEL: 'silent', LLM_PROVIDER: provider };
    if (provider === 'anthropic') Object.assign(env, { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: model.url });
    else Object.assign(env, { OPENAI_BASE_URL: `${model.url}/v1`, INTERVIEWER_MODEL: 'paced-test-model' });
    const child = spawn(process.execPath, ['src/cli/chat.ts', '--problem', 'fraud-detection', '--transcript', transcriptPath], { cwd: PROJECT_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const script = readFileSync(join(PROJECT_ROOT, 'tests', 'fixtures', 'candidates', 'fraud-26.txt'), 'utf8').split('\n').filter(Boolean).slice(0, 6);
    child.stdin.end(`${script.join('\n')}\n`);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, output).toBe(0);

    expect(output).not.toContain('the evaluator failed');
    expect(output).not.toContain('offline engine writes');
    const interviewer = model.requests.filter((request) => !request.structured);
    const evaluator = model.requests.filter((request) => request.structured);
    expect(interviewer.length).toBeGreaterThanOrEqual(script.length);
    // The default configuration aggregates three samples (EVALUATOR_SAMPLES): all three must arrive.
    expect(evaluator.length).toBeGreaterThanOrEqual(3);
    // After the fixed opening, every interviewer turn came from the model, none from the offline fallback.
    const transcript = JSON.parse(readFileSync(transcriptPath, 'utf8')) as { turns: { role: string; engine?: string }[] };
    const [opening, ...replies] = transcript.turns.filter((turn) => turn.role === 'interviewer');
    expect(opening?.engine).toBe('template');
    expect(new Set(replies.map((turn) => turn.engine))).toEqual(new Set([provider]));
    const report = readFileSync(transcriptPath.replace(/\.json$/, '.report.html'), 'utf8');
    expect(report).toContain(`by ${provider}`);
    expect(report).not.toContain('heuristic evaluator');
    expect(report).toContain('<dt>Samples</dt><dd>3;');
  }, 20 * 60_000);
}
