import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
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
});
