import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DimensionId } from '../../src/evaluator/dimensions.ts';
import type { EvaluationInput, EvaluationSample, EvaluatorEngine } from '../../src/evaluator/evaluator-engine.ts';
import { OfflineEvaluator } from '../../src/evaluator/offline/offline-evaluator-engine.ts';
import { loadResources } from '../../src/resources.ts';
import { loadLabelledCases } from '../../evals/labelled-dataset.ts';
import { buildEvalReport } from '../../evals/run-evals.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'run-evals-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const resources = loadResources();

/** Runs the eval suite as `npm run eval` does, offline, in a scratch directory. */
function runEvals(args: readonly string[]): Promise<{ code: number | null; report: string }> {
  const out = join(scratch, `report-${args.join('-') || 'default'}.md`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'evals', 'run-evals.ts'), '--out', out, ...args], { cwd: scratch, env: { PATH: process.env.PATH ?? '', LLM_PROVIDER: 'offline' }, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, report: code === 0 ? readFileSync(out, 'utf8') : '' }));
  });
}

/**
 * A non-heuristic engine built on the offline one (so its quotes verify): samples numbered above
 * `flipAbove` rate technical depth one step differently, as a second run of a real model might, and each
 * sample after the first of its run reads most of its input from the cache.
 */
function samplingEngine(flipAbove: number): EvaluatorEngine & { requested: number[] } {
  const offline = new OfflineEvaluator({ guideVersion: resources.guide.version });
  const engine = {
    engine: 'sampling',
    model: 'sampling-1',
    heuristic: false,
    promptVersions: {},
    requested: [] as number[],
    async evaluateOnce(input: EvaluationInput): Promise<EvaluationSample> {
      const sample = input.sample ?? 1;
      engine.requested.push(sample);
      const base = await offline.evaluateOnce(input);
      const depth = base.dimensions.technical_depth;
      const flipped = depth.rating === 'meets' ? 'exceeds' : 'meets';
      // Runs of three samples: 1-3, then 4-6 for the retest.
      const firstOfRun = (sample - 1) % 3 === 0;
      return {
        ...base,
        dimensions: { ...base.dimensions, technical_depth: sample > flipAbove && depth.evidence.length > 0 ? { ...depth, rating: flipped } : depth },
        usage: { inputTokens: 1000, outputTokens: 100, cachedInputTokens: firstOfRun ? 0 : 900, cacheWriteTokens: firstOfRun ? 900 : 0 },
      };
    },
  };
  return engine;
}

describe('the eval suite', () => {
  it('scores with 3 samples by default and says the offline evaluator is trivially stable rather than measuring it', async () => {
    const { code, report } = await runEvals([]);
    expect(code).toBe(0);
    expect(report).toContain('3 samples per scorecard, run once since the offline evaluator is deterministic');
    expect(report).toContain('its test-retest agreement is 1 by construction (100%), not a measurement');
    expect(report).not.toContain('Test-retest (two independent runs');
  });

  it('takes --samples, from 1 to 9', async () => {
    expect((await runEvals(['--samples', '2'])).report).toContain('2 samples per scorecard');
    expect((await runEvals(['--samples', '10'])).code).not.toBe(0);
  });

  it('reports test-retest agreement between two independent runs of k samples each, numbered apart', async () => {
    const cases = loadLabelledCases().slice(0, 2);
    const engine = samplingEngine(3);
    const report = await buildEvalReport({ engine, resources, cases, samples: 3 });
    expect(report).toContain('every scorecard aggregates 3 independent samples');
    // Each transcript: samples 1-3 in the first run, 4-6 in the retest, and 1-3 again for every fairness and gaming variant.
    const perTranscript = engine.requested.filter((sample) => sample > 3);
    expect(perTranscript).toEqual([4, 5, 6, 4, 5, 6]);
    const line = report.split('\n').find((text) => text.startsWith('Test-retest'));
    expect(line).toMatch(/^Test-retest \(two independent runs of 3 samples each on every transcript\): ratings exact (\d+\.\d)%, .* \(16 ratings\); the same recommendation in \d\/2 transcripts\.$/);
    const exact = Number(line?.match(/exact (\d+\.\d)%/)?.[1]);
    expect(exact).toBeLessThan(100);
    expect(exact).toBeGreaterThanOrEqual(75);
    // Fairness is read against that noise: the flipped technical depth changed at least one transcript between runs.
    expect(report).toMatch(/^For scale: scoring the unchanged transcripts a second time changed a rating or the recommendation in [12] of 2; a swap rate well above \d+\.\d% points at the identity, not at sampling noise\.$/m);
  });

  it('finds a stable engine perfectly stable, and shows what the extra samples cost and how much of it was cached', async () => {
    const cases = loadLabelledCases().slice(0, 2);
    const report = await buildEvalReport({ engine: samplingEngine(Number.POSITIVE_INFINITY), resources, cases, samples: 3 });
    expect(report).toContain(`ratings exact 100.0%, within one step 100.0%, quadratic-weighted kappa 1.00 (${2 * DimensionId.options.length} ratings); the same recommendation in 2/2 transcripts.`);
    expect(report).toContain('changed a rating or the recommendation in 0 of 2; a swap rate well above 0.0%');
    expect(report).toMatch(/- The first sample of an evaluation: 1000 input tokens \(0\.0% read from the cache\) and 100 output tokens on average \(\d+ samples\)\./);
    expect(report).toMatch(/- Each extra sample: 1000 input tokens \(90\.0% read from the cache\) and 100 output tokens on average \(\d+ samples\)\./);
  });
});
