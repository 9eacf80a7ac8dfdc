import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/resources.ts';
import { Transcript } from '../../src/transcript/transcript.ts';

// A real HTTP server on loopback playing an OpenAI-compatible server (as Ollama or vLLM would), so the
// whole path runs as a user would run it: config from the environment, the SDK client with a base URL,
// the tool loop, streaming, and the transcript on disk. Replies replay recorded-shape fixtures in order.
const FIXTURES = ['interviewer-reveal-fact.chunks.txt', 'interviewer-text-after-reveal.chunks.txt'];

describe('the chat CLI against an OpenAI-compatible server on loopback', () => {
  let server: Server;
  let baseUrl = '';
  const requests: { url: string; body: Record<string, unknown> }[] = [];
  const directory = mkdtempSync(join(tmpdir(), 'mlsd-compatible-'));

  beforeAll(async () => {
    let next = 0;
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        requests.push({ url: request.url ?? '', body: JSON.parse(body) as Record<string, unknown> });
        const fixture = FIXTURES[next++];
        if (!fixture) {
          response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'no more scripted replies' } }));
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(readFileSync(join(PROJECT_ROOT, 'tests', 'fixtures', 'openai', fixture)));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(directory, { recursive: true, force: true });
  });

  it('reveals a fact through the tool loop and records the turn as written by the provider', async () => {
    const transcriptPath = join(directory, 'interview.json');
    const child = spawn(process.execPath, ['src/cli/chat.ts', '--problem', 'fraud-detection', '--transcript', transcriptPath, '--no-evaluate'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: directory, LLM_PROVIDER: 'openai-compatible', OPENAI_BASE_URL: baseUrl, INTERVIEWER_MODEL: 'local-test-model', DATA_DIR: directory, LOG_LEVEL: 'silent' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stdin.end('How many transactions per second do we see at peak?\n');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, output).toBe(0);

    // Two calls: the reveal, then the reply written with the fact the tool returned.
    expect(requests.map((entry) => entry.url)).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
    expect(requests[0]?.body.model).toBe('local-test-model');
    const second = JSON.stringify(requests[1]?.body);
    expect(second).toContain('"role":"tool"');
    expect(second).toContain('100 million card transactions a day');
    // Before the reveal the fact's text was nowhere in the request.
    expect(JSON.stringify(requests[0]?.body)).not.toContain('100 million card transactions a day');

    const transcript = Transcript.parse(JSON.parse(readFileSync(transcriptPath, 'utf8')));
    const reply = transcript.turns[2];
    expect(reply?.role).toBe('interviewer');
    expect(reply?.engine).toBe('openai-compatible');
    expect(reply?.text).toContain('5,000');
    const state = JSON.parse(readFileSync(join(directory, 'interview.state.json'), 'utf8')) as { revealedFacts: { factId: string }[] };
    expect(state.revealedFacts.map((entry) => entry.factId)).toEqual(['transaction-volume']);
  });
});
