import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebSocket } from 'ws';
import { createEvaluator } from '../../src/agents/evaluator/create-evaluator.ts';
import { createInterviewer } from '../../src/agents/interviewer/create-interviewer.ts';
import { loadConfig } from '../../src/config.ts';
import type { EvaluatorEngine } from '../../src/evaluator/evaluator-engine.ts';
import { OfflineEvaluator } from '../../src/evaluator/offline/offline-evaluator-engine.ts';
import { createLogger } from '../../src/logger.ts';
import { loadResources, type Resources } from '../../src/resources.ts';
import { buildApp, type App, type AppDependencies } from '../../src/server/build-app.ts';
import type { ServerFrame } from '../../src/server/protocol.ts';
import { SqliteSessionStore } from '../../src/store/sqlite-session-store.ts';

/**
 * Builds the real practice server (buildApp) for tests: the offline interviewer and evaluator, a
 * SqliteSessionStore in a fresh temporary directory, a silent logger and a fast-polling evaluation
 * worker. Nothing listens on a port: use `fastify.inject` and `fastify.injectWS`.
 */

let cachedResources: Resources | null = null;

/** The project's prompts, guide, problem bank and concepts, read once per test file. */
export function resources(): Resources {
  cachedResources ??= loadResources();
  return cachedResources;
}

/** The scripted candidate of the fraud-detection problem, one message a line. */
export function scriptedCandidate(name = 'fraud-26.txt'): string[] {
  const text = readFileSync(new URL(`../fixtures/candidates/${name}`, import.meta.url), 'utf8');
  return text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
}

export const SCRIPTED_PROBLEM = 'fraud-detection';

export interface HarnessOptions {
  readonly practiceRateLimit?: { max: number; timeWindow: string };
  readonly maxMessageChars?: number;
  readonly allowedOrigins?: readonly string[];
  readonly helloTimeoutMs?: number;
  readonly clock?: () => Date;
  readonly clockScale?: number;
  readonly evaluator?: EvaluatorEngine;
  /** The evaluator of the last attempt (default: the offline one). */
  readonly fallbackEvaluator?: EvaluatorEngine;
  /** Independent evaluations per scorecard (default: EVALUATOR_SAMPLES's default, 3). */
  readonly evaluatorSamples?: number;
  /** Start the evaluation worker (default true). */
  readonly startWorker?: boolean;
  /** Use this directory (kept on close) instead of a fresh temporary one; for restart tests. */
  readonly dataDir?: string;
  /** The app's logger (default: silent). */
  readonly logger?: AppDependencies['logger'];
  readonly frameRate?: AppDependencies['frameRate'];
  readonly sendBufferLimit?: number;
  readonly connectionLimits?: AppDependencies['connectionLimits'];
  readonly httpTimeouts?: AppDependencies['httpTimeouts'];
  readonly pingIntervalMs?: number;
  readonly maxActiveSessions?: number;
  readonly sessionTtlDays?: number;
}

export interface Harness {
  readonly app: App;
  readonly fastify: App['fastify'];
  readonly store: SqliteSessionStore;
  readonly dataDir: string;
  readonly dbPath: string;
  /** POST /v1/practice; returns the session id, token and public problem. */
  createPractice(problemId?: string): Promise<{ sessionId: string; token: string; problem: { id: string; title: string; opening: string } }>;
  /** Opens an injected websocket to a session, recording every frame from the start. */
  connect(sessionId: string, headers?: Record<string, string>): Promise<TestSocket>;
  /** Opens a socket, sends hello and waits for ready. */
  open(sessionId: string, token: string, lastSeq?: number): Promise<TestSocket>;
  /** Shuts the app down (idempotent) and removes the temporary directory. */
  close(): Promise<void>;
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitUntil<T>(check: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mlsd-test-'));
  const dbPath = join(dataDir, 'mlsd-interviewer.sqlite');
  const store = new SqliteSessionStore(dbPath);
  const res = resources();
  const config = loadConfig({ LLM_PROVIDER: 'offline' });
  const deps: AppDependencies = {
    store,
    problems: res.problems,
    engines: createInterviewer(config, res),
    evaluator: options.evaluator ?? createEvaluator(config, res),
    fallbackEvaluator: options.fallbackEvaluator ?? new OfflineEvaluator({ guideVersion: res.guide.version }),
    evaluatorSamples: options.evaluatorSamples ?? config.env.EVALUATOR_SAMPLES,
    logger: options.logger ?? createLogger('silent'),
    clockScale: options.clockScale ?? config.env.INTERVIEW_CLOCK_SCALE,
    maxMessageChars: options.maxMessageChars ?? config.env.MAX_MESSAGE_CHARS,
    workerPollMs: 20,
    workerBaseBackoffMs: 10,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    // Tests create many sessions from one address; the limit itself is tested with a small one.
    practiceRateLimit: options.practiceRateLimit ?? { max: 10_000, timeWindow: '1 minute' },
    ...(options.helloTimeoutMs !== undefined ? { helloTimeoutMs: options.helloTimeoutMs } : {}),
    ...(options.frameRate ? { frameRate: options.frameRate } : {}),
    ...(options.sendBufferLimit !== undefined ? { sendBufferLimit: options.sendBufferLimit } : {}),
    ...(options.connectionLimits ? { connectionLimits: options.connectionLimits } : {}),
    ...(options.httpTimeouts ? { httpTimeouts: options.httpTimeouts } : {}),
    ...(options.maxActiveSessions !== undefined ? { maxActiveSessions: options.maxActiveSessions } : {}),
    ...(options.sessionTtlDays !== undefined ? { sessionTtlDays: options.sessionTtlDays } : {}),
    ...(options.pingIntervalMs !== undefined ? { pingIntervalMs: options.pingIntervalMs } : {}),
  };
  const app = await buildApp(deps);
  await app.fastify.ready();
  if (options.startWorker ?? true) app.worker.start();
  const sockets: TestSocket[] = [];
  let closed = false;

  const harness: Harness = {
    app,
    fastify: app.fastify,
    store,
    dataDir,
    dbPath,
    async createPractice(problemId) {
      const response = await app.fastify.inject({ method: 'POST', url: '/v1/practice', payload: problemId ? { problemId } : {} });
      if (response.statusCode !== 201) throw new Error(`POST /v1/practice: ${response.statusCode} ${response.body}`);
      return response.json();
    },
    async connect(sessionId, headers = {}) {
      let socket: TestSocket | null = null;
      await app.fastify.injectWS(`/v1/sessions/${encodeURIComponent(sessionId)}/ws`, { headers }, {
        onInit: (ws) => {
          socket = new TestSocket(ws);
        },
      });
      sockets.push(socket!);
      return socket!;
    },
    async open(sessionId, token, lastSeq) {
      const socket = await harness.connect(sessionId);
      socket.send({ type: 'hello', token, ...(lastSeq !== undefined ? { lastSeq } : {}) });
      await socket.waitFor((frame) => frame.type === 'ready', 'ready');
      return socket;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const socket of sockets) socket.terminate();
      await app.shutdown('test finished');
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** A server frame as the tests read it. */
export type Frame = ServerFrame & Record<string, unknown>;

/**
 * A websocket client that records every frame it receives (from before the connection opens) and its
 * close, so tests wait on events instead of timing.
 */
export class TestSocket {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  /** Raw text of every frame, in order (for frames that are not JSON). */
  readonly raw: string[] = [];
  closeCode: number | null = null;
  closeReason = '';
  readonly #waiters = new Set<() => void>();

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const text = isBinary ? `<binary ${data.length}>` : data.toString('utf8');
      this.raw.push(text);
      try {
        this.frames.push(JSON.parse(text) as Frame);
      } catch {
        /* kept in raw */
      }
      this.#notify();
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.closeCode = code;
      this.closeReason = reason.toString('utf8');
      this.#notify();
    });
    ws.on('error', () => this.#notify());
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer, options: { binary?: boolean } = {}): void {
    this.ws.send(data, { binary: options.binary ?? Buffer.isBuffer(data) });
  }

  /** Frames that carry a stored session event (everything except ready, error and pong). */
  events(): Frame[] {
    return this.frames.filter((frame) => !['ready', 'error', 'pong'].includes(frame.type));
  }

  /** Waits for a frame, received at index `from` or later, that matches. */
  async waitFor(match: (frame: Frame) => boolean, what: string, options: { from?: number; timeoutMs?: number } = {}): Promise<Frame> {
    const from = options.from ?? 0;
    return this.#wait(() => this.frames.slice(from).find(match), `frame ${what}`, options.timeoutMs);
  }

  async waitForClose(timeoutMs?: number): Promise<{ code: number; reason: string }> {
    return this.#wait(() => (this.closeCode === null ? undefined : { code: this.closeCode, reason: this.closeReason }), 'the socket to close', timeoutMs);
  }

  /** Sends a ping and waits for its pong: proves the connection still works. */
  async ping(timeoutMs?: number): Promise<Frame> {
    const from = this.frames.length;
    this.send({ type: 'ping' });
    return this.waitFor((frame) => frame.type === 'pong', 'pong', { from, ...(timeoutMs ? { timeoutMs } : {}) });
  }

  /** Sends a frame and waits for the error frame it causes. */
  async expectError(frame: unknown, code?: string, options: { binary?: boolean } = {}): Promise<Frame> {
    const from = this.frames.length;
    if (typeof frame === 'string' || Buffer.isBuffer(frame)) this.sendRaw(frame, options);
    else this.send(frame);
    const error = await this.waitFor((received) => received.type === 'error', `error ${code ?? ''}`, { from });
    return error;
  }

  terminate(): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.terminate();
  }

  #wait<T>(check: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value === undefined) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received: ${this.raw.slice(-8).map((text) => text.slice(0, 200)).join(' | ')}; close=${this.closeCode}`));
      }, timeoutMs);
      const listener = () => void attempt();
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters.delete(listener);
      };
      this.#waiters.add(listener);
      attempt();
    });
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

/**
 * Runs an interview over a test socket: sends the next scripted line after every finished interviewer
 * turn until the interview ends. Returns how many lines were sent.
 */
export async function runScriptedInterview(socket: TestSocket, lines: readonly string[], options: { idPrefix?: string } = {}): Promise<number> {
  let sent = 0;
  for (const line of lines) {
    if (socket.frames.some((frame) => frame.type === 'ended')) break;
    const clientMsgId = `${options.idPrefix ?? 'm'}-${sent + 1}`;
    const from = socket.frames.length;
    socket.send({ type: 'candidate.message', clientMsgId, text: line });
    sent += 1;
    await socket.waitFor((frame) => frame.type === 'candidate.message' && frame.clientMsgId === clientMsgId, `ack of ${clientMsgId}`, { from });
    await socket.waitFor((frame) => frame.type === 'interviewer.message' || frame.type === 'error', `reply to ${clientMsgId}`, { from });
    const error = socket.frames.slice(from).find((frame) => frame.type === 'error');
    if (error) throw new Error(`error frame during the scripted interview: ${JSON.stringify(error)}`);
    // Frames arrive in order: once the pong is in, so is an `ended` that followed the reply.
    await socket.ping();
  }
  return sent;
}
