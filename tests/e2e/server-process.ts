import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { TestSocket } from '../helpers/app-harness.ts';

/** The real server (src/main.ts) as a child process on a free loopback port, for end-to-end tests. */

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const READY_LINE = /mlsd-interviewer is ready: open (http:\/\/[^\s/]+:(\d+))\//;

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  readonly output: () => { stdout: string; stderr: string };
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal (default SIGTERM) if still running and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<ServerProcess>();

/** Starts `node src/main.ts` with PORT=0, the offline engines and DATA_DIR=dataDir; waits for its ready line. */
export async function startServer(dataDir: string, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  // A clean environment: no API key of the developer's can switch the provider, and no .env is read (cwd = dataDir).
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LLM_PROVIDER: 'offline',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const child = spawn(process.execPath, [MAIN], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('the server did not print its ready line within 30 s')), 30_000);
    const onData = () => {
      const found = READY_LINE.exec(stdout);
      if (found) {
        cleanup();
        resolve(found);
      }
    };
    const onExit = (code: number | null, signal: string | null) => fail(new Error(`the server exited before it was ready (code ${code}, signal ${signal})`));
    const fail = (error: Error) => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\nstdout: ${stdout}\nstderr: ${stderr}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });

  const server: ServerProcess = {
    child,
    pid: child.pid!,
    url: match[1]!,
    port: Number(match[2]),
    output: () => ({ stdout, stderr }),
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const result = await exited;
      running.delete(server);
      return result;
    },
  };
  running.add(server);
  void exited.then(() => running.delete(server));
  return server;
}

/** Kills every server this file started that is still running (for afterEach). */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop('SIGKILL')));
}

/** Opens a real websocket to a session; every frame is recorded from the start. */
export async function connectSocket(server: ServerProcess, sessionId: string, headers: Record<string, string> = {}): Promise<TestSocket> {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/v1/sessions/${encodeURIComponent(sessionId)}/ws`, { headers });
  const socket = new TestSocket(ws);
  await Promise.race([
    once(ws, 'open'),
    once(ws, 'error').then(([error]) => {
      throw error;
    }),
  ]);
  return socket;
}

/** Connects, says hello and waits for ready and the whole replay. */
export async function openSession(server: ServerProcess, sessionId: string, token: string, lastSeq?: number): Promise<TestSocket> {
  const socket = await connectSocket(server, sessionId);
  socket.send({ type: 'hello', token, ...(lastSeq !== undefined ? { lastSeq } : {}) });
  const ready = await socket.waitFor((frame) => frame.type === 'ready', 'ready');
  const replaying = Number(ready.replaying);
  await socket.waitFor(() => socket.events().length >= replaying, 'the replay');
  return socket;
}

export async function api(server: ServerProcess, path: string, options: { method?: string; body?: unknown; token?: string } = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${server.url}${path}`, { method: options.method ?? 'GET', headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: response.status, body };
}
