import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess, type ProcessRun } from '../helpers/run-process.ts';
import { REMOVED_TEXT } from '../../src/evaluator/integrity.ts';
import { HEURISTIC_NOTE } from '../../src/evaluator/render/render-markdown.ts';
import { Scorecard } from '../../src/evaluator/scorecard.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'src', 'cli', 'evaluate.ts');
const LABELLED = join(ROOT, 'evals', 'datasets', 'labelled');
// The working directory is a scratch one: a developer's .env in the project cannot change these runs.
const scratch = mkdtempSync(join(tmpdir(), 'evaluate-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the CLI as a user would, with an environment that holds no API key. */
function evaluateCli(args: readonly string[], env: Record<string, string> = { LLM_PROVIDER: 'offline' }): Promise<ProcessRun> {
  return runProcess(process.execPath, [CLI, ...args], { cwd: scratch, env: { PATH: process.env.PATH ?? '', ...env } });
}

describe('npm run evaluate (src/cli/evaluate.ts)', () => {
  it('writes an HTML report whose evidence links land on turns of the transcript', async () => {
    const out = join(scratch, 'fraud-strong.html');
    const run = await evaluateCli([join(LABELLED, 'fraud-strong.json'), '--format', 'html', '--out', out]);
    expect(run.stderr).toMatch(/^Wrote html report to .*fraud-strong\.html: recommendation \w+ \(offline, heuristic\)\.\n$/);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const html = readFileSync(out, 'utf8');
    const targets = [...html.matchAll(/href="#turn-(\d+)"/g)].map((match) => Number(match[1]));
    const evidenceTargets = [...html.matchAll(/<a href="#turn-(\d+)">turn \d+<\/a>/g)].map((match) => Number(match[1]));
    expect(evidenceTargets.length).toBeGreaterThan(0);
    for (const turn of new Set(targets)) expect(html).toContain(`id="turn-${turn}"`);
    expect(html).not.toContain('Amara');
  });

  it('writes a Markdown report that says it is heuristic', async () => {
    const out = join(scratch, 'recs.md');
    const run = await evaluateCli([join(LABELLED, 'recs-short-strong.json'), '--format', 'md', '--out', out]);
    expect(run.code).toBe(0);
    const markdown = readFileSync(out, 'utf8');
    expect(markdown).toContain(HEURISTIC_NOTE);
    expect(markdown).toMatch(/turn \d+/);
  });

  it('prints the JSON scorecard to standard output by default', async () => {
    const run = await evaluateCli([join(LABELLED, 'eta-abandoned.json')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const scorecard = Scorecard.parse(JSON.parse(run.stdout));
    expect(scorecard).toMatchObject({ transcriptId: 'eta-abandoned', recommendation: 'insufficient', meta: { heuristic: true, engine: 'offline' } });
  });

  it('exits 2 naming the file when the transcript is not valid JSON or not a transcript', async () => {
    const broken = join(scratch, 'broken-transcript.json');
    writeFileSync(broken, '{ "id": "x", "turns": [');
    const notJson = await evaluateCli([broken, '--format', 'html', '--out', join(scratch, 'never.html')]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/^error \(file_invalid\): .*broken-transcript\.json: is not valid JSON/);
    expect(notJson.stdout).toBe('');

    const wrongShape = join(scratch, 'wrong-shape.json');
    writeFileSync(wrongShape, JSON.stringify({ id: 'x', problem: 'fraud-detection', turns: [{ id: 2, role: 'candidate', phase: 'problem_exploration', text: 'hi' }] }));
    const invalid = await evaluateCli([wrongShape]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('wrong-shape.json: not a transcript in the shared format');
    expect(invalid.stderr).toContain('turns.0.id');
  });

  it('exits 2 on bad options, with what is expected', async () => {
    const file = join(LABELLED, 'fraud-weak.json');
    const samples = await evaluateCli([file, '--samples', '0']);
    expect(samples.code).toBe(2);
    expect(samples.stderr).toContain('--samples');
    const format = await evaluateCli([file, '--format', 'pdf']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format: one of json, md, html');
  });

  it('prints the Anthropic request it would send with --dump-request, without a key or the network', async () => {
    const run = await evaluateCli([join(LABELLED, 'support-injection.json'), '--dump-request', '--provider', 'anthropic'], {});
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const dump = JSON.parse(run.stdout) as { provider: string; samples: number; request: { model: string; tool_choice: unknown; messages: unknown[]; system: unknown } };
    expect(dump).toMatchObject({ provider: 'anthropic', samples: 3, request: { model: 'claude-sonnet-4-6', tool_choice: { type: 'tool', name: 'interview_evaluation' } } });
    expect(run.stdout.toLowerCase()).not.toContain('ignore previous instructions');
    expect(run.stdout).toContain(REMOVED_TEXT);
  });

  it('samples 3 times by default; EVALUATOR_SAMPLES changes the default and --samples overrides both', async () => {
    const file = join(LABELLED, 'support-injection.json');
    const samplesOf = async (args: readonly string[], env: Record<string, string> = {}) => {
      const run = await evaluateCli([file, '--dump-request', '--provider', 'anthropic', ...args], env);
      expect(run.stderr).toBe('');
      return (JSON.parse(run.stdout) as { samples: number; note?: string }).samples;
    };
    expect(await samplesOf([])).toBe(3);
    expect(await samplesOf([], { EVALUATOR_SAMPLES: '5' })).toBe(5);
    expect(await samplesOf(['--samples', '2'], { EVALUATOR_SAMPLES: '5' })).toBe(2);
    expect(await samplesOf(['--samples', '1'])).toBe(1);
    const tooMany = await evaluateCli([file, '--samples', '10']);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toContain('--samples: a whole number from 1 to 9');
    const badEnv = await evaluateCli([file], { LLM_PROVIDER: 'offline', EVALUATOR_SAMPLES: '0' });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain('EVALUATOR_SAMPLES');
  });

  it('runs the offline evaluator once for the default three samples and says so in the scorecard', async () => {
    const run = await evaluateCli([join(LABELLED, 'fraud-weak.json')]);
    expect(run.code).toBe(0);
    const scorecard = Scorecard.parse(JSON.parse(run.stdout));
    expect(scorecard.meta).toMatchObject({ samples: 3, heuristic: true, samplesFailed: 0 });
    expect(scorecard.meta.sampleUsage).toHaveLength(1);
    expect(scorecard.interviewerIssues).toEqual([]);
  });

  it('says the offline evaluator sends nothing when asked to dump its request', async () => {
    const run = await evaluateCli([join(LABELLED, 'fraud-weak.json'), '--dump-request']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ provider: 'offline', note: 'the offline evaluator sends no provider request' });
  });
});
