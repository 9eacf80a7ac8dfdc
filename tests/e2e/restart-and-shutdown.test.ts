import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/store/data-dir-lock.ts';
import { createHarness, SCRIPTED_PROBLEM, waitUntil } from '../helpers/app-harness.ts';
import { api, startServer, stopAllServers } from './server-process.ts';

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
