import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, InvalidFileError } from '../../src/errors.ts';
import type { LanguageModel, ModelRequest, ObjectRequest, ObjectResponse, StreamPart } from '../../src/llm/model.ts';
import { RecordingModel } from '../../src/llm/recording-model.ts';

/** A model that answers with a counter, so a replayed answer is told apart from a fresh one. */
class CountingModel implements LanguageModel {
  readonly provider = 'counting';
  readonly modelId = 'counting-1';
  calls = 0;

  async generateObject(request: ObjectRequest): Promise<ObjectResponse> {
    this.calls += 1;
    const object = { call: this.calls, echo: request.messages.at(-1), nested: { list: [1, 'two', null, { deep: true }] } };
    return { object, raw: JSON.stringify(object), usage: { inputTokens: 120 + this.calls, outputTokens: 7, cachedInputTokens: 64, cacheWriteTokens: 3 } };
  }

  async *stream(request: ModelRequest): AsyncIterable<StreamPart> {
    this.calls += 1;
    yield { type: 'text-delta', text: `reply ${this.calls} to ${request.messages.length} message(s)` };
    yield { type: 'tool-call', call: { id: 'call_1', name: 'advance_phase', input: { to: 'deep_dive' } } };
    yield { type: 'usage', usage: { inputTokens: 10, outputTokens: 2, cachedInputTokens: 0, cacheWriteTokens: 0 } };
    yield { type: 'finish', reason: 'stop' };
  }

  describeObjectRequest(request: ObjectRequest): unknown {
    return { model: this.modelId, system: request.system.map((block) => block.text), messages: request.messages, schema: request.schemaName };
  }

  describeStreamRequest(request: ModelRequest): unknown {
    return { model: this.modelId, stream: true, messages: request.messages };
  }
}

const objectRequest = (content: string): ObjectRequest => ({
  system: [{ text: 'You are the evaluator.', cache: true }],
  messages: [{ role: 'user', content }],
  schema: z.object({ call: z.number() }),
  schemaName: 'answer',
  schemaDescription: 'An answer.',
});

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

let directory = '';
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'recording-model-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('RecordingModel', () => {
  it('records object responses and replays identical ones without calling the provider', async () => {
    const live = new CountingModel();
    const recorder = new RecordingModel(live, { directory, mode: 'record' });
    const first = await recorder.generateObject(objectRequest('Evaluate transcript A.'));
    const second = await recorder.generateObject(objectRequest('Evaluate transcript B.'));
    expect(live.calls).toBe(2);
    expect(readdirSync(directory)).toHaveLength(2);

    const offline = new CountingModel();
    const player = new RecordingModel(offline, { directory, mode: 'replay' });
    expect(await player.generateObject(objectRequest('Evaluate transcript B.'))).toEqual(second);
    expect(await player.generateObject(objectRequest('Evaluate transcript A.'))).toEqual(first);
    expect(offline.calls).toBe(0);
  });

  it('stores the exact provider request beside the response, under a hash of it', async () => {
    const live = new CountingModel();
    await new RecordingModel(live, { directory, mode: 'record' }).generateObject(objectRequest('Evaluate transcript A.'));
    const [file] = readdirSync(directory);
    expect(file).toMatch(/^[0-9a-f]{32}\.json$/);
    const stored = JSON.parse(readFileSync(join(directory, file ?? ''), 'utf8')) as { kind: string; request: unknown };
    expect(stored.kind).toBe('object');
    expect(stored.request).toEqual(live.describeObjectRequest(objectRequest('Evaluate transcript A.')));
  });

  it('keeps the provider and model names, and describes requests as the wrapped model does', () => {
    const live = new CountingModel();
    const recorder = new RecordingModel(live, { directory, mode: 'record' });
    expect(recorder).toMatchObject({ provider: 'counting', modelId: 'counting-1' });
    expect(recorder.describeObjectRequest(objectRequest('x'))).toEqual(live.describeObjectRequest(objectRequest('x')));
    expect(recorder.describeStreamRequest({ system: [], messages: [] })).toEqual(live.describeStreamRequest({ system: [], messages: [] }));
  });

  it('records and replays a stream part by part', async () => {
    const request: ModelRequest = { system: [{ text: 'Interview.' }], messages: [{ role: 'user', content: 'Hello.' }] };
    const recorded = await collect(new RecordingModel(new CountingModel(), { directory, mode: 'record' }).stream(request));
    const offline = new CountingModel();
    const replayed = await collect(new RecordingModel(offline, { directory, mode: 'replay' }).stream(request));
    expect(replayed).toEqual(recorded);
    expect(offline.calls).toBe(0);
  });

  it('fails with a clear error, naming the file and --record, when a request was never recorded', async () => {
    await new RecordingModel(new CountingModel(), { directory, mode: 'record' }).generateObject(objectRequest('Evaluate transcript A.'));
    const player = new RecordingModel(new CountingModel(), { directory, mode: 'replay' });
    const attempt = player.generateObject(objectRequest('A request nobody recorded.'));
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/--replay: no recorded response for this request \(.*[0-9a-f]{32}\.json\); record it first with --record/);
    await expect(collect(player.stream({ system: [], messages: [] }))).rejects.toThrow(/no recorded response/);
  });

  it('refuses to replay from a directory that does not exist', () => {
    expect(() => new RecordingModel(new CountingModel(), { directory: join(directory, 'nope'), mode: 'replay' })).toThrow(ConfigError);
  });

  it('refuses a recording that is not valid JSON or not a recorded response', async () => {
    const live = new CountingModel();
    await new RecordingModel(live, { directory, mode: 'record' }).generateObject(objectRequest('Evaluate transcript A.'));
    const path = join(directory, readdirSync(directory)[0] ?? '');
    const player = new RecordingModel(new CountingModel(), { directory, mode: 'replay' });
    writeFileSync(path, '{ not json');
    await expect(player.generateObject(objectRequest('Evaluate transcript A.'))).rejects.toBeInstanceOf(InvalidFileError);
    writeFileSync(path, JSON.stringify({ kind: 'stream', request: {}, parts: [] }));
    await expect(player.generateObject(objectRequest('Evaluate transcript A.'))).rejects.toThrow(/kind/);
  });
});
