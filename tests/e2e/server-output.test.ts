import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { api, startServer, stopAllServers } from './server-process.ts';

/** What `npm start` writes when its stdout is not a terminal (a pipe, a file, a log collector). */

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'mlsd-output-'));
});

afterEach(async () => {
  await stopAllServers();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the server process, stdout not a terminal', () => {
  it('writes only JSON lines: the ready line, one line per request, and its shutdown', async () => {
    const server = await startServer(dataDir, { LOG_LEVEL: 'info' });
    expect((await api(server, '/v1/problems')).status).toBe(200);
    expect((await server.stop('SIGTERM')).code).toBe(0);
    const lines = server.output().stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { level: number; msg: string; url?: string });
    const messages = lines.map((line) => line.msg);
    expect(messages[0]).toMatch(/^mlsd-interviewer is ready: open http:\/\/127\.0\.0\.1:\d+\/ \(engine: offline;/);
    expect(lines.filter((line) => line.url === '/v1/problems')).toEqual([expect.objectContaining({ level: 30, msg: 'request', statusCode: 200 })]);
    expect(messages.slice(-2)).toEqual(['shutting down (SIGTERM)', 'stopped']);
  });

  it('still says when it is ready and when it stops at LOG_LEVEL=warn', async () => {
    const server = await startServer(dataDir, { LOG_LEVEL: 'warn' });
    expect((await api(server, '/v1/problems')).status).toBe(200);
    await server.stop('SIGTERM');
    const messages = server.output().stdout.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toHaveLength(3);
    expect(messages[0]).toContain('is ready: open');
    expect(messages.slice(1)).toEqual(['shutting down (SIGTERM)', 'stopped']);
  });
});
