import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import type { EvaluationInput, EvaluationSample, EvaluatorEngine } from '../../src/evaluator/evaluator-engine.ts';
import { OfflineEvaluator } from '../../src/evaluator/offline/offline-evaluator-engine.ts';
import { Scorecard } from '../../src/evaluator/scorecard.ts';
import { createHarness, resources, SCRIPTED_PROBLEM, waitUntil, type Harness } from '../helpers/app-harness.ts';

/** An evaluator that fails its first `failures` calls (or always), then answers as the offline one. */
function flakyEvaluator(failures: number, name = 'flaky'): EvaluatorEngine & { calls: number; gate: Promise<void> | undefined; entered: (() => void) | undefined } {
  const offline = new OfflineEvaluator({ guideVersion: resources().guide.version });
  const engine = {
    engine: name,
    model: `${name}-model`,
    heuristic: true,
    promptVersions: {},
    calls: 0,
    gate: undefined as Promise<void> | undefined,
    entered: undefined as (() => void) | undefined,
    async evaluateOnce(input: EvaluationInput): Promise<EvaluationSample> {
      engine.calls += 1;
      engine.entered?.();
      if (engine.gate) await engine.gate;
      if (engine.calls <= failures) throw new Error(`${name} failure ${engine.calls}`);
      return offline.evaluateOnce(input);
    },
  };
  return engine;
}

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

/** A session with one exchange, ended by the candidate, whose evaluation is queued. */
async function endedSession(h: Harness): Promise<{ sessionId: string; token: string }> {
  const created = await h.createPractice(SCRIPTED_PROBLEM);
  const socket = await h.open(created.sessionId, created.token);
  const from = socket.frames.length;
  socket.send({ type: 'candidate.message', clientMsgId: 'w-1', text: 'What is the business goal, and how many payments per second do we score?' });
  await socket.waitFor((frame) => frame.type === 'interviewer.message', 'a reply', { from });
  socket.send({ type: 'end' });
  await socket.waitFor((frame) => frame.type === 'ended', 'ended');
  socket.terminate();
  return created;
}

describe('the evaluation worker', () => {
  it('retries a failed evaluation with backoff until it succeeds', async () => {
    const evaluator = flakyEvaluator(2);
    harness = await createHarness({ evaluator, startWorker: false });
    const { sessionId } = await endedSession(harness);
    expect(harness.store.evaluationStatus(sessionId)).toBe('pending');
    harness.app.worker.start();
    await waitUntil(() => harness!.store.evaluationStatus(sessionId) === 'done', 'the evaluation');
    expect(evaluator.calls).toBe(3);
    const stored = harness.store.getScorecard(sessionId)!;
    expect(stored.scorecard.meta.engine).toBe('flaky');
    expect(harness.store.eventsAfter(sessionId, 0).filter((event) => (event.body as { type: string }).type === 'scorecard')).toHaveLength(1);
  });

  it("passes the interviewer's integrity flags to the evaluator and into the stored scorecard", async () => {
    const evaluator = flakyEvaluator(0, 'flag-reader');
    const seen: EvaluationInput[] = [];
    const evaluateOnce = evaluator.evaluateOnce.bind(evaluator);
    evaluator.evaluateOnce = async (input) => {
      seen.push(input);
      return evaluateOnce(input);
    };
    harness = await createHarness({ evaluator, startWorker: false });
    const { sessionId } = await endedSession(harness);
    const stored = harness.store.getSession(sessionId)!;
    const flag = { turnId: 2, quote: 'how many payments per second do we score?', note: 'Flag for the test.' };
    harness.store.saveState({ ...stored.state, integrityFlags: [flag] });
    harness.app.worker.start();
    await waitUntil(() => harness!.store.evaluationStatus(sessionId) === 'done', 'the evaluation');
    expect(seen[0]?.interviewerFlags).toEqual([flag]);
    expect(harness.store.getScorecard(sessionId)!.scorecard.integrityFlags).toContainEqual({ kind: 'other', turnId: 2, quote: flag.quote, note: 'Flagged by the interviewer during the interview: Flag for the test.' });
  });

  it('uses the fallback evaluator for the last attempt', async () => {
    const evaluator = flakyEvaluator(Number.POSITIVE_INFINITY, 'down');
    harness = await createHarness({ evaluator });
    const { sessionId } = await endedSession(harness);
    await waitUntil(() => harness!.store.evaluationStatus(sessionId) === 'done', 'the evaluation');
    expect(evaluator.calls).toBe(3);
    expect(Scorecard.parse(harness.store.getScorecard(sessionId)!.scorecard).meta.engine).toBe('offline');
  });

  it('takes over a job whose lease expired (the process evaluating it died)', async () => {
    harness = await createHarness({ startWorker: false });
    const { sessionId } = await endedSession(harness);
    // A previous process claimed the job and died; its lease is over.
    expect(harness.store.claimEvaluation(new Date(), new Date(Date.now() - 1))).toEqual({ sessionId, attempts: 1 });
    expect(harness.store.evaluationStatus(sessionId)).toBe('running');
    harness.app.worker.start();
    await waitUntil(() => harness!.store.evaluationStatus(sessionId) === 'done', 'the evaluation');
    Scorecard.parse(harness.store.getScorecard(sessionId)!.scorecard);
  });

  it('marks the job of an unreadable session failed, keeps running and evaluates the others', async () => {
    harness = await createHarness({ startWorker: false });
    const broken = await endedSession(harness);
    const healthy = await endedSession(harness);
    const db = new DatabaseSync(harness.dbPath);
    db.prepare('UPDATE sessions SET state = ? WHERE id = ?').run('{"schemaVersion": 1}', broken.sessionId);
    // Make the broken job come first.
    db.prepare("UPDATE evaluation_jobs SET run_at = '2000-01-01T00:00:00.000Z' WHERE session_id = ?").run(broken.sessionId);
    db.close();
    harness.app.worker.start();
    await waitUntil(() => harness!.store.evaluationStatus(healthy.sessionId) === 'done', 'the healthy evaluation');
    await waitUntil(() => harness!.store.evaluationStatus(broken.sessionId) === 'failed', 'the broken job to fail');
    expect(harness.store.getScorecard(broken.sessionId)).toBeNull();
    expect(harness.store.eventsAfter(broken.sessionId, 0).at(-1)!.body).toMatchObject({ type: 'evaluation.failed' });
    // The healthy session got its scorecard.
    const response = await harness.fastify.inject({ method: 'GET', url: `/v1/sessions/${healthy.sessionId}/scorecard`, headers: { authorization: `Bearer ${healthy.token}` } });
    expect(response.statusCode).toBe(200);
  });

  it('stop() waits for the evaluation that is running', async () => {
    const evaluator = flakyEvaluator(0, 'slow');
    let release!: () => void;
    evaluator.gate = new Promise<void>((resolve) => (release = resolve));
    const entered = new Promise<void>((resolve) => (evaluator.entered = resolve));
    harness = await createHarness({ evaluator });
    const { sessionId } = await endedSession(harness);
    await entered;
    let stopped = false;
    const stopping = harness.app.worker.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(harness.store.evaluationStatus(sessionId)).toBe('done');
  });

  it('aggregates EVALUATOR_SAMPLES samples per scorecard by default (3), or the number it is built with', async () => {
    const sampling = (): EvaluatorEngine & { samples: number[] } => {
      const offline = new OfflineEvaluator({ guideVersion: resources().guide.version });
      const engine = {
        engine: 'sampling',
        model: 'sampling-1',
        // Not heuristic, so every sample is a call of its own, as with an LLM.
        heuristic: false,
        promptVersions: {},
        samples: [] as number[],
        async evaluateOnce(input: EvaluationInput): Promise<EvaluationSample> {
          engine.samples.push(input.sample ?? 0);
          return offline.evaluateOnce(input);
        },
      };
      return engine;
    };
    const byDefault = sampling();
    harness = await createHarness({ evaluator: byDefault });
    const first = await endedSession(harness);
    await waitUntil(() => harness!.store.evaluationStatus(first.sessionId) === 'done', 'the evaluation');
    expect(byDefault.samples).toEqual([1, 2, 3]);
    expect(harness.store.getScorecard(first.sessionId)!.scorecard.meta).toMatchObject({ engine: 'sampling', samples: 3 });
    await harness.close();

    const five = sampling();
    harness = await createHarness({ evaluator: five, evaluatorSamples: 5 });
    const second = await endedSession(harness);
    await waitUntil(() => harness!.store.evaluationStatus(second.sessionId) === 'done', 'the evaluation');
    expect(five.samples.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(harness.store.getScorecard(second.sessionId)!.scorecard.meta.samples).toBe(5);
  });
});
