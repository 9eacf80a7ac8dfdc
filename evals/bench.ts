// Benchmarks of the hot paths. Usage: npm run bench. Numbers go in README.md and the closing note.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { createInterviewer } from '../src/agents/interviewer/create-interviewer.ts';
import { loadConfig } from '../src/config.ts';
import { evaluateTranscript } from '../src/evaluator/evaluate-transcript.ts';
import { OfflineEvaluator } from '../src/evaluator/offline/offline-evaluator-engine.ts';
import { InterviewSession } from '../src/interview/interview-session.ts';
import { createLogger } from '../src/logger.ts';
import { FactRetriever } from '../src/offline/fact-retriever.ts';
import { loadResources, PROJECT_ROOT } from '../src/resources.ts';
import { buildApp } from '../src/server/build-app.ts';
import { SqliteSessionStore } from '../src/store/sqlite-session-store.ts';
import { loadLabelledCases } from './labelled-dataset.ts';

const resources = loadResources();
const config = loadConfig({ LLM_PROVIDER: 'offline' });
const logger = createLogger('silent');
const script = readFileSync(join(PROJECT_ROOT, 'tests', 'fixtures', 'candidates', 'fraud-26.txt'), 'utf8').trim().split('\n');
const results: { name: string; unit: string; median: number; p95: number; n: number }[] = [];

function record(name: string, unit: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  results.push({ name, unit, median: at(0.5), p95: at(0.95), n: samples.length });
}

async function time(run: () => unknown | Promise<unknown>, repeat: number): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < repeat; index += 1) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples;
}

// 1. Offline interviewer: one candidate turn, end to end through the session orchestrator (no store).
{
  const engines = createInterviewer(config, resources);
  const samples: number[] = [];
  for (const problem of resources.problems.values()) {
    const session = InterviewSession.start({ problem, engine: engines.engine, fallback: engines.fallback, clock: () => new Date(), clockScale: 2, maxMessageChars: 8000, logger });
    for (const line of script) {
      if (session.ended) break;
      const started = performance.now();
      await session.candidateSays(line, () => undefined);
      samples.push(performance.now() - started);
    }
  }
  record('offline interviewer turn', 'ms', samples);
}

// 2. Fact retrieval for one question.
{
  const problem = resources.problems.get('fraud-detection');
  if (!problem) throw new Error('fraud-detection missing');
  const retriever = FactRetriever.forProblem(problem);
  const questions = problem.facts.flatMap((fact) => fact.askedBy);
  record('fact retrieval (BM25) per question', 'ms', await time(() => questions.forEach((question) => retriever.match(question)), 50).then((runs) => runs.map((ms) => ms / questions.length)));
}

// 3. Offline evaluation of one labelled transcript (blind, neutralise, rate, verify, aggregate).
{
  const cases = loadLabelledCases();
  const engine = new OfflineEvaluator({ guideVersion: resources.guide.version });
  const samples: number[] = [];
  for (let round = 0; round < 5; round += 1) for (const { transcript } of cases) samples.push(...(await time(() => evaluateTranscript(transcript, { engine, problem: resources.problems.get(transcript.problem) ?? null, samples: 1 }), 1)));
  record('offline evaluation per transcript', 'ms', samples);
}

// 4. SQLite store: storing one websocket event (the write that precedes every send).
const directory = mkdtempSync(join(tmpdir(), 'mlsd-bench-'));
{
  const store = new SqliteSessionStore(join(directory, 'bench.sqlite'));
  const engines = createInterviewer(config, resources);
  const problem = resources.problems.values().next().value;
  if (!problem) throw new Error('no problems');
  const session = InterviewSession.start({ problem, engine: engines.engine, fallback: engines.fallback, clock: () => new Date(), clockScale: 2, maxMessageChars: 8000, logger });
  for (const line of script) if (!session.ended) await session.candidateSays(line, () => undefined);
  store.createSession({ id: session.state.id, tokenHash: 'x', state: session.state });
  record('store: append one event', 'ms', await time(() => store.appendEvent(session.state.id, { type: 'interviewer.delta', turnId: 2, text: 'word ' }), 2000));
  record(`store: save a finished interview's state (${session.state.turns.length} turns)`, 'ms', await time(() => store.saveState(session.state), 500));
  store.close();
}

// 5. A full websocket turn over loopback: candidate message sent -> interviewer.message received.
{
  const store = new SqliteSessionStore(join(directory, 'server.sqlite'));
  const app = await buildApp({ store, problems: resources.problems, engines: createInterviewer(config, resources), evaluator: new OfflineEvaluator({ guideVersion: resources.guide.version }), fallbackEvaluator: new OfflineEvaluator({ guideVersion: resources.guide.version }), evaluatorSamples: config.env.EVALUATOR_SAMPLES, logger, clockScale: 2, maxMessageChars: 8000 });
  await app.fastify.listen({ port: 0, host: '127.0.0.1' });
  const address = app.fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const samples: number[] = [];
  for (let interview = 0; interview < 3; interview += 1) {
    const created = (await (await fetch(`http://127.0.0.1:${port}/v1/practice`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"problemId":"fraud-detection"}' })).json()) as { sessionId: string; token: string };
    const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/sessions/${created.sessionId}/ws`);
    await new Promise<void>((resolveDone, reject) => {
      let index = 0;
      let sentAt = 0;
      socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', token: created.token })));
      socket.on('error', reject);
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { type: string; turn?: { id: number } };
        if (frame.type === 'interviewer.message' || frame.type === 'ended') {
          if (sentAt && frame.type === 'interviewer.message') samples.push(performance.now() - sentAt);
          if (frame.type === 'ended' || index >= script.length) return socket.close();
          sentAt = performance.now();
          socket.send(JSON.stringify({ type: 'candidate.message', clientMsgId: `b${interview}-${index}`, text: script[index++] }));
        }
      });
      socket.on('close', () => resolveDone());
    });
  }
  record('websocket turn round trip (offline engine, stored events)', 'ms', samples);
  await app.shutdown();
}
rmSync(directory, { recursive: true, force: true });

const lines = ['| benchmark | median | p95 | samples |', '| --- | --- | --- | --- |', ...results.map((result) => `| ${result.name} | ${result.median.toFixed(3)} ${result.unit} | ${result.p95.toFixed(3)} ${result.unit} | ${result.n} |`)];
process.stdout.write(`Node ${process.versions.node}, ${new Date().toISOString()}\n\n${lines.join('\n')}\n`);
