import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { formatLogLine, TerminalLogDestination } from '../src/terminal-log.ts';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

describe('terminal log lines', () => {
  it('show a request as method, path, status and time', () => {
    const line = JSON.stringify({ level: 30, time: 1, pid: 2, hostname: 'h', reqId: 'req-1', method: 'GET', url: '/v1/problems', statusCode: 200, responseTime: 3, msg: 'request' });
    expect(formatLogLine(line)).toBe('GET /v1/problems 200 3 ms');
  });

  it('show other lines as their message, the level from warn up, and their own fields', () => {
    expect(formatLogLine(JSON.stringify({ level: 30, time: 1, pid: 2, hostname: 'h', msg: 'mlsd-interviewer is ready: open http://127.0.0.1:3000/' }))).toBe('mlsd-interviewer is ready: open http://127.0.0.1:3000/');
    expect(formatLogLine(JSON.stringify({ level: 40, time: 1, pid: 2, hostname: 'h', sessionId: 's-1', reason: 'two words', msg: 'socket closed' }))).toBe('warn: socket closed sessionId=s-1 reason="two words"');
  });

  it('show an error with its stack, and pass a line that is not JSON through', () => {
    const text = formatLogLine(JSON.stringify({ level: 50, msg: 'unexpected error', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at here' } }));
    expect(text).toBe('error: unexpected error err=\nError: boom\n    at here');
    expect(formatLogLine('plain text')).toBe('plain text');
  });

  it('come out of a pino logger one per call, still redacted', () => {
    const capture = new Capture();
    const logger = createLogger('info', new TerminalLogDestination(capture));
    logger.info('first');
    logger.warn({ token: 'tok-secret-1' }, 'second');
    expect(capture.text).toBe('first\nwarn: second token=[redacted]\n');
  });
});
