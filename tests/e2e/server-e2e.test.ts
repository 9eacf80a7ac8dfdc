import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Scorecard } from '../../src/evaluator/scorecard.ts';
import { SessionView } from '../../src/server/http-schemas.ts';
import { runScriptedInterview, scriptedCandidate, SCRIPTED_PROBLEM, waitUntil, type Frame } from '../helpers/app-harness.ts';
import { api, connectSocket, openSession, startServer, stopAllServers } from './server-process.ts';

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'mlsd-e2e-'));
});

afterEach(async () => {
  await stopAllServers();
  rmSync(dataDir, { recursive: true, force: true });
});

type TurnLike = { id: number; role: string; text: string };
const turnOf = (frame: Frame) => frame.turn as TurnLike;

describe('the server as a process', () => {
  it('listens on the port it prints (PORT=0), serves the page and the API, and runs a whole interview to its scorecard', async () => {
    const server = await startServer(dataDir);
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect((await api(server, '/healthz')).status).toBe(200);
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-testid="start-button"');

    const created = await api(server, '/v1/practice', { method: 'POST', body: { problemId: SCRIPTED_PROBLEM } });
    expect(created.status).toBe(201);
    const { sessionId, token } = created.body as { sessionId: string; token: string };
    const socket = await openSession(server, sessionId, token);
    const lines = scriptedCandidate();
    const sent = await runScriptedInterview(socket, lines);
    expect(socket.frames.filter((frame) => frame.type === 'phase').map((frame) => frame.phase)).toEqual(['high_level_design', 'deep_dive', 'tradeoffs', 'wrap_up']);
    expect(socket.frames.some((frame) => frame.type === 'ended' && frame.reason === 'completed')).toBe(true);
    const scorecardFrame = await socket.waitFor((frame) => frame.type === 'scorecard', 'the scorecard event');
    const scorecard = Scorecard.parse(scorecardFrame.scorecard);
    expect(Object.keys(scorecard.dimensions)).toHaveLength(8);

    const events = socket.events();
    events.forEach((frame, index) => expect(frame.seq).toBe(index + 1));

    const fromApi = await api(server, `/v1/sessions/${sessionId}/scorecard`, { token });
    expect(fromApi.status).toBe(200);
    expect(Scorecard.parse(fromApi.body)).toEqual(scorecard);
    const session = SessionView.parse((await api(server, `/v1/sessions/${sessionId}`, { token })).body);
    expect(session.ended).toBe(true);
    expect(session.turns.filter((turn) => turn.role === 'candidate').map((turn) => turn.text)).toEqual(lines.slice(0, sent));
    socket.terminate();
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });

  it('survives kill -9: every acknowledged message is kept and the interview goes on after a restart', async () => {
    const first = await startServer(dataDir);
    const { sessionId, token } = (await api(first, '/v1/practice', { method: 'POST', body: { problemId: SCRIPTED_PROBLEM } })).body as { sessionId: string; token: string };
    const lines = scriptedCandidate();
    const socket = await openSession(first, sessionId, token);
    const acknowledged: string[] = [];

    // A few messages, each sent once its acknowledgement (the candidate.message event) came back.
    for (let index = 0; index < 3; index += 1) {
      const from = socket.frames.length;
      socket.send({ type: 'candidate.message', clientMsgId: `k-${index}`, text: lines[index] });
      await socket.waitFor((frame) => frame.type === 'candidate.message' && frame.clientMsgId === `k-${index}`, `ack of k-${index}`, { from });
      acknowledged.push(lines[index]!);
    }

    // One more: the moment its acknowledgement arrives, send another and kill the process (SIGKILL, no cleanup).
    const unacknowledged = { clientMsgId: 'k-4', text: lines[4]! };
    const killed = new Promise<void>((resolve) => {
      socket.ws.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString('utf8')) as Frame;
        if (frame.type === 'candidate.message' && frame.clientMsgId === 'k-3' && first.child.exitCode === null && first.child.signalCode === null) {
          acknowledged.push(lines[3]!);
          socket.send({ type: 'candidate.message', ...unacknowledged });
          process.kill(first.pid, 'SIGKILL');
          resolve();
        }
      });
    });
    socket.send({ type: 'candidate.message', clientMsgId: 'k-3', text: lines[3] });
    await killed;
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await socket.waitForClose();

    // Restart on the same data and reconnect as a client that lost everything: hello with lastSeq 0.
    const second = await startServer(dataDir);
    const back = await openSession(second, sessionId, token, 0);
    const ready = back.frames[0]!;
    expect(ready).toMatchObject({ type: 'ready', sessionId, ended: false });

    // Every acknowledged message is in the transcript, once and in order; any candidate turn left
    // unanswered by the kill is answered now.
    const answered = await waitUntil(async () => {
      const session = SessionView.parse((await api(second, `/v1/sessions/${sessionId}`, { token })).body);
      return session.turns.at(-1)?.role === 'interviewer' ? session : undefined;
    }, 'the last candidate turn to be answered');
    const candidateTexts = answered.turns.filter((turn) => turn.role === 'candidate').map((turn) => turn.text);
    expect(candidateTexts.slice(0, acknowledged.length)).toEqual(acknowledged);
    expect(candidateTexts.length).toBeLessThanOrEqual(acknowledged.length + 1);
    expect(answered.turns.map((turn) => turn.id)).toEqual(answered.turns.map((_turn, index) => index + 1));
    // Roles alternate: nothing was answered twice or left unanswered.
    answered.turns.forEach((turn, index) => expect(turn.role).toBe(index % 2 === 0 ? 'interviewer' : 'candidate'));
    // The replay gives the client an acknowledgement for every stored candidate turn.
    await back.waitFor(() => back.frames.filter((frame) => frame.type === 'candidate.message').length === candidateTexts.length, 'an acknowledgement of every stored message');
    const acks = back.frames.filter((frame) => frame.type === 'candidate.message').map((frame) => frame.clientMsgId);
    expect(acks.slice(0, 4)).toEqual(['k-0', 'k-1', 'k-2', 'k-3']);

    // The client retries the message it never saw acknowledged: applied once whether or not the kill came first.
    back.send({ type: 'candidate.message', ...unacknowledged });
    const settled = await waitUntil(async () => {
      const session = SessionView.parse((await api(second, `/v1/sessions/${sessionId}`, { token })).body);
      return session.turns.at(-1)?.role === 'interviewer' && session.turns.some((turn) => turn.text === unacknowledged.text) ? session : undefined;
    }, 'the retried message to be answered');
    expect(settled.turns.filter((turn) => turn.text === unacknowledged.text)).toHaveLength(1);

    // The interview goes on: the next message gets an interviewer reply.
    const from = back.frames.length;
    back.send({ type: 'candidate.message', clientMsgId: 'k-5', text: lines[5] });
    const ack = await back.waitFor((frame) => frame.type === 'candidate.message' && frame.clientMsgId === 'k-5', 'ack of k-5', { from });
    const reply = await back.waitFor((frame) => frame.type === 'interviewer.message', 'the reply to k-5', { from });
    expect(turnOf(reply).id).toBe(turnOf(ack).id + 1);
    expect(back.frames.filter((frame) => frame.type === 'error')).toEqual([]);
    // Seqs stayed strictly increasing across the restart.
    const seqs = back.events().map((frame) => frame.seq);
    seqs.forEach((seq, index) => expect(seq).toBe(index + 1));
    back.terminate();
    expect((await second.stop()).code).toBe(0);
  });

  it('shuts down gracefully on SIGTERM: server_shutting_down, close 1001, exit 0', async () => {
    const server = await startServer(dataDir);
    const { sessionId, token } = (await api(server, '/v1/practice', { method: 'POST', body: { problemId: SCRIPTED_PROBLEM } })).body as { sessionId: string; token: string };
    const socket = await openSession(server, sessionId, token);
    const from = socket.frames.length;
    socket.send({ type: 'candidate.message', clientMsgId: 'g-1', text: 'What is the business goal?' });
    await socket.waitFor((frame) => frame.type === 'interviewer.message', 'a reply', { from });
    const unauthenticated = await connectSocket(server, sessionId);
    const seq = (await socket.ping()).seq;

    const exit = server.stop('SIGTERM');
    const error = await socket.waitFor((frame) => frame.type === 'error', 'server_shutting_down');
    expect(error).toMatchObject({ code: 'server_shutting_down', seq });
    expect((await socket.waitForClose()).code).toBe(1001);
    expect((await unauthenticated.waitForClose()).code).toBeGreaterThanOrEqual(1000);
    expect(await exit).toEqual({ code: 0, signal: null });

    // What was said before the shutdown is kept.
    const again = await startServer(dataDir);
    const session = SessionView.parse((await api(again, `/v1/sessions/${sessionId}`, { token })).body);
    expect(session.turns.map((turn) => turn.role)).toEqual(['interviewer', 'candidate', 'interviewer']);
    expect((await again.stop()).code).toBe(0);
  });
});
