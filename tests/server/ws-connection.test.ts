import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createLogger } from '../../src/logger.ts';
import { ErrorFrame } from '../../src/server/protocol.ts';
import { createHarness, SCRIPTED_PROBLEM, TestSocket, waitUntil, type Harness, type HarnessOptions } from '../helpers/app-harness.ts';
import { LogCapture } from '../helpers/log-capture.ts';

/** What one hostile websocket client can and cannot do to the server. */

let harness: Harness | null = null;
let capture: LogCapture;

async function start(options: HarnessOptions = {}): Promise<Harness> {
  capture = new LogCapture();
  harness = await createHarness({ logger: createLogger('info', capture), ...options });
  return harness;
}

afterEach(async () => {
  await harness?.close();
  harness = null;
});

describe('a client that stops reading', () => {
  it('is closed with 4508 once its unread frames pass the send-buffer limit, instead of growing memory', async () => {
    // A real socket: the kernel's buffers fill and the server's own backlog (bufferedAmount) grows.
    const h = await start({ sendBufferLimit: 64 * 1024, frameRate: { burst: 1_000_000, perSecond: 1_000_000, closeAfter: 1_000_000 } });
    const { sessionId, token } = await h.createPractice(SCRIPTED_PROBLEM);
    await h.fastify.listen({ port: 0, host: '127.0.0.1' });
    const { port } = h.fastify.server.address() as AddressInfo;
    const socket = new TestSocket(new WebSocket(`ws://127.0.0.1:${port}/v1/sessions/${sessionId}/ws`));
    await once(socket.ws, 'open');
    socket.send({ type: 'hello', token });
    await socket.waitFor((frame) => frame.type === 'ready', 'ready');
    socket.ws.pause();
    // Each frame draws an error reply of a few hundred bytes; send until the server gives up, 50 MB of replies at most.
    const frame = JSON.stringify({ type: 'x'.repeat(100) });
    let sent = 0;
    while (!capture.text.includes('closed a websocket client that does not read its frames') && sent < 150_000) {
      for (let index = 0; index < 1000; index += 1) socket.sendRaw(frame);
      sent += 1000;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(capture.text).toContain('closed a websocket client that does not read its frames');
    socket.ws.resume();
    const closed = await socket.waitForClose();
    expect(closed.code).toBe(4508);
    expect(socket.frames.filter((received) => received.type === 'error').length).toBeLessThan(sent);
    expect(capture.errors()).toEqual([]);
  });
});

/** A real websocket client (autoPong off plays a dead peer: it never answers the server's pings). */
async function openReal(h: Harness, sessionId: string, token: string, wsOptions: { autoPong?: boolean } = {}): Promise<TestSocket> {
  if (!h.fastify.server.listening) await h.fastify.listen({ port: 0, host: '127.0.0.1' });
  const { port } = h.fastify.server.address() as AddressInfo;
  const socket = new TestSocket(new WebSocket(`ws://127.0.0.1:${port}/v1/sessions/${sessionId}/ws`, wsOptions));
  await once(socket.ws, 'open');
  socket.send({ type: 'hello', token });
  await socket.waitFor((frame) => frame.type === 'ready', 'ready');
  return socket;
}

describe('the server ping', () => {
  it('keeps a peer that answers, and closes one that does not', async () => {
    const h = await start({ pingIntervalMs: 40 });
    const alive = await h.createPractice(SCRIPTED_PROBLEM);
    const dead = await h.createPractice(SCRIPTED_PROBLEM);
    const answering = await openReal(h, alive.sessionId, alive.token);
    let pings = 0;
    answering.ws.on('ping', () => (pings += 1));
    const silent = await openReal(h, dead.sessionId, dead.token, { autoPong: false });
    let silentPings = 0;
    silent.ws.on('ping', () => (silentPings += 1));
    await silent.waitForClose();
    expect(silentPings).toBeGreaterThanOrEqual(1);
    await waitUntil(() => pings >= 3, 'three pings answered');
    expect(answering.closeCode).toBeNull();
    await answering.ping();
  });
});

describe('error frames', () => {
  it('never echo more than a few hundred characters of what the client sent', async () => {
    const h = await start();
    const { sessionId, token } = await h.createPractice(SCRIPTED_PROBLEM);
    const socket = await h.open(sessionId, token);
    const unknown = ErrorFrame.parse(await socket.expectError({ type: 't'.repeat(20_000) }));
    expect(unknown.code).toBe('frame_unknown_type');
    expect(unknown.message.length).toBeLessThanOrEqual(301);
    const manyKeys = Object.fromEntries(Array.from({ length: 500 }, (_, index) => [`key${index}`.padEnd(30, 'k'), 1]));
    const invalid = ErrorFrame.parse(await socket.expectError({ type: 'ping', ...manyKeys }));
    expect(invalid.code).toBe('frame_invalid');
    expect(invalid.message.length).toBeLessThanOrEqual(301);
    const longId = ErrorFrame.parse(await socket.expectError({ type: 'candidate.message', clientMsgId: 'i'.repeat(5000), text: 5 }));
    expect(longId.code).toBe('frame_invalid');
    expect(longId.clientMsgId).toBeUndefined();
  });
});

describe('the per-connection frame rate', () => {
  it('answers the first frame over the rate with frame_rate_limited, drops the rest, and closes persistent abuse with 4429', async () => {
    // A rate so slow that no token comes back during the test: the burst is all the client gets.
    const h = await start({ frameRate: { burst: 6, perSecond: 0.001, closeAfter: 50 } });
    const { sessionId, token } = await h.createPractice(SCRIPTED_PROBLEM);
    const socket = await h.open(sessionId, token); // the hello takes one token
    for (let index = 0; index < 5; index += 1) await socket.ping();
    const limited = ErrorFrame.parse(await socket.expectError({ type: 'ping' }));
    expect(limited.code).toBe('frame_rate_limited');
    for (let index = 0; index < 60; index += 1) socket.send({ type: 'ping' });
    const closed = await socket.waitForClose();
    expect(closed.code).toBe(4429);
    // One error for the whole run of refused frames, and no pong past the budget.
    expect(socket.frames.filter((frame) => frame.type === 'error')).toHaveLength(1);
    expect(socket.frames.filter((frame) => frame.type === 'pong')).toHaveLength(5);
  });
});

describe('frames a client can send to provoke the log', () => {
  it('a frame nested 4,388 levels deep gets frame_too_deep, and no error-level log line', async () => {
    const h = await start();
    const { sessionId, token } = await h.createPractice(SCRIPTED_PROBLEM);
    const socket = await h.open(sessionId, token);
    const nested = '['.repeat(4388) + ']'.repeat(4388);
    expect((await socket.expectError(nested)).code).toBe('frame_too_deep');
    expect((await socket.expectError(`{"type":"candidate.message","clientMsgId":"deep","text":${nested}}`)).code).toBe('frame_too_deep');
    await socket.ping();
    expect(capture.errors()).toEqual([]);
  });

  it('invalid UTF-8 closes the connection with 1007 and logs a warning at most', async () => {
    const h = await start();
    const { sessionId, token } = await h.createPractice(SCRIPTED_PROBLEM);
    const socket = await h.open(sessionId, token);
    socket.sendRaw(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await socket.waitForClose()).code).toBe(1007);
    await waitUntil(() => capture.lines().some((line) => line.msg === 'websocket error'), 'the warning');
    expect(capture.errors()).toEqual([]);
  });

  it('a frame over 1 MiB closes the connection with 1009 and logs a warning at most', async () => {
    const h = await start();
    const { sessionId, token } = await h.createPractice(SCRIPTED_PROBLEM);
    const socket = await h.open(sessionId, token);
    socket.sendRaw(JSON.stringify({ type: 'ping', padding: 'x'.repeat(1024 * 1024 + 10) }));
    expect((await socket.waitForClose()).code).toBe(1009);
    await waitUntil(() => capture.lines().some((line) => line.msg === 'websocket error'), 'the warning');
    expect(capture.errors()).toEqual([]);
  });
});
