import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/store/data-dir-lock.ts';
import { createHarness, SCRIPTED_PROBLEM, waitUntil } from '../helpers/app-harness.ts';
import type { TestSocket } from '../helpers/app-harness.ts';
import { api, connectSocket, openSession, startServer, stopAllServers } from './server-process.ts';

/** Restarts and shutdowns of the real server process lose no time and no data. */

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'mlsd-restart-'));
});

afterEach(async () => {
  await stopAllServers();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('one server per data directory', () => {
  it('refuses to start a second server on a DATA_DIR in use, with a clear message and exit status 2', async () => {
    const first = await startServer(dataDir);
    expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim()).toBe(String(first.pid));
    const second = startServer(dataDir);
    await expect(second).rejects.toThrow(/exited before it was ready \(code 2[\s\S]*data_dir_in_use[\s\S]*in use by another mlsd-interviewer \(pid \d+/);
    // The first one is untouched.
    expect((await api(first, '/healthz')).status).toBe(200);
  });

  it('takes over the lock of a server that was killed (kill -9), and frees it on a clean exit', async () => {
    const killed = await startServer(dataDir);
    await killed.stop('SIGKILL');
    expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim()).toBe(String(killed.pid));
    const next = await startServer(dataDir);
    expect((await api(next, '/healthz')).status).toBe(200);
    expect((await next.stop('SIGTERM')).code).toBe(0);
    const after = await startServer(dataDir);
    expect((await api(after, '/healthz')).status).toBe(200);
  });
});

describe('an evaluation interrupted by a crash', () => {
  it('is run again as soon as the next process starts, not when its 10-minute lease runs out', async () => {
    // A process that ended an interview and leased its evaluation, then died before finishing it.
    const crashed = await createHarness({ dataDir, startWorker: false });
    const { sessionId, token } = await crashed.createPractice(SCRIPTED_PROBLEM);
    const socket = await crashed.open(sessionId, token);
    socket.send({ type: 'end' });
    await socket.waitFor((frame) => frame.type === 'ended', 'ended');
    await waitUntil(() => crashed.store.evaluationStatus(sessionId) === 'pending', 'the evaluation to be queued');
    const now = new Date();
    expect(crashed.store.claimEvaluation(now, new Date(now.getTime() + 10 * 60_000))?.sessionId).toBe(sessionId);
    await crashed.close();

    const server = await startServer(dataDir);
    const scorecard = await waitUntil(async () => {
      const response = await api(server, `/v1/sessions/${sessionId}/scorecard`, { token });
      return response.status === 200 ? response.body : undefined;
    }, 'the scorecard', 30_000, 100);
    expect(scorecard).toHaveProperty('recommendation');
  });
});

describe('SIGTERM with many clients connected', () => {
  it('every client, busy or not yet authenticated, gets server_shutting_down and close 1001, and the process exits 0', async () => {
    // PRACTICE_RATE_LIMIT raised as for a load test: 30 sessions from one address in a moment.
    const server = await startServer(dataDir, { PRACTICE_RATE_LIMIT: '1000' });
    const sockets: TestSocket[] = [];
    for (let index = 0; index < 30; index += 1) {
      const created = await api(server, '/v1/practice', { method: 'POST', body: { problemId: SCRIPTED_PROBLEM } });
      expect(created.status).toBe(201);
      sockets.push(await openSession(server, created.body.sessionId, created.body.token));
    }
    for (let index = 0; index < 5; index += 1) sockets.push(await connectSocket(server, 'no-hello-yet'));
    // Every client keeps talking (within its frame rate) while the server stops: unread frames are what
    // turned an exit without a finished close handshake into a reset that lost the last frames.
    const timers = sockets.map((socket, index) =>
      setInterval(() => {
        if (socket.ws.readyState !== socket.ws.OPEN) return;
        if (index < 30 && index % 2 === 0) socket.send({ type: 'candidate.message', clientMsgId: `m-${Math.random()}`, text: 'What is the peak transaction rate?' });
        else socket.send({ type: 'ping' });
      }, 60),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exit = server.stop('SIGTERM');
    try {
      const closes = await Promise.all(sockets.map((socket) => socket.waitForClose()));
      expect(closes.map((close) => close.code)).toEqual(sockets.map(() => 1001));
      for (const socket of sockets) expect(socket.frames.some((frame) => frame.type === 'error' && frame.code === 'server_shutting_down')).toBe(true);
    } finally {
      for (const timer of timers) clearInterval(timer);
    }
    expect((await exit).code).toBe(0);
  });
});
