import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { TerminalLogDestination } from '../../src/terminal-log.ts';
import { createHarness, type Harness } from '../helpers/app-harness.ts';

/** Collects everything the logger writes. */
class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

describe('server logs', () => {
  let harness: Harness | null = null;
  afterEach(async () => {
    await harness?.close();
    harness = null;
  });

  it('carry neither session tokens nor candidate text at info level', async () => {
    const capture = new Capture();
    harness = await createHarness({ logger: createLogger('info', capture) });
    const { sessionId, token } = await harness.createPractice('fraud-detection');
    const secretText = 'My favourite colour is ultramarine-7731 and the peak rate question follows: what QPS are we at?';
    const socket = await harness.open(sessionId, token);
    socket.send({ type: 'candidate.message', clientMsgId: 'log-1', text: secretText });
    await socket.waitFor((frame) => frame.type === 'interviewer.message' && (frame.turn as { id: number }).id === 3, 'the reply');
    const response = await harness.fastify.inject({ method: 'GET', url: `/v1/sessions/${sessionId}`, headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(200);
    // The logger did write (requests are logged), so the absence below means something.
    expect(capture.text.length).toBeGreaterThan(0);
    expect(capture.text).not.toContain(token);
    expect(capture.text).not.toContain('ultramarine-7731');
  });

  it('blanks secrets and text wherever pino finds them by name', () => {
    const capture = new Capture();
    const logger = createLogger('info', capture);
    logger.info({ apiKey: 'sk-test-secret', text: 'candidate words', request: { token: 'tok-123' } }, 'something happened');
    expect(capture.text).toContain('something happened');
    expect(capture.text).not.toContain('sk-test-secret');
    expect(capture.text).not.toContain('candidate words');
    expect(capture.text).not.toContain('tok-123');
  });

  it('write one JSON line per HTTP request, without its query string', async () => {
    const capture = new Capture();
    harness = await createHarness({ logger: createLogger('info', capture) });
    const response = await harness.fastify.inject({ method: 'GET', url: '/v1/problems?secret=q-7731' });
    expect(response.statusCode).toBe(200);
    const lines = capture.text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'request', method: 'GET', url: '/v1/problems', statusCode: 200 });
    expect(lines[0]!.responseTime).toEqual(expect.any(Number));
    expect(capture.text).not.toContain('q-7731');
  });

  it('read as one short line per request at a terminal', async () => {
    const capture = new Capture();
    harness = await createHarness({ logger: createLogger('info', new TerminalLogDestination(capture)) });
    await harness.fastify.inject({ method: 'GET', url: '/v1/problems' });
    await harness.fastify.inject({ method: 'GET', url: '/v1/sessions/no-such-session' });
    expect(capture.text).toMatch(/^GET \/v1\/problems 200 \d+ ms\nGET \/v1\/sessions\/no-such-session 40\d \d+ ms\n$/);
  });
});
