import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, InvalidFileError, formatIssues } from '../errors.ts';
import type { LanguageModel, ModelRequest, ObjectRequest, ObjectResponse, StreamPart } from './model.ts';

const RecordedObject = z.object({ kind: z.literal('object'), request: z.unknown(), response: z.object({ object: z.unknown(), raw: z.string(), usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), cachedInputTokens: z.number(), cacheWriteTokens: z.number() }) }) });
const RecordedStream = z.object({ kind: z.literal('stream'), request: z.unknown(), parts: z.array(z.record(z.string(), z.unknown())) });

/**
 * Wraps a model to store every response under a hash of the exact provider request (`record`), or to
 * answer only from such stored responses (`replay`), so an evaluation can be reproduced offline.
 */
export class RecordingModel implements LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly #inner: LanguageModel;
  readonly #directory: string;
  readonly #mode: 'record' | 'replay';

  constructor(inner: LanguageModel, options: { directory: string; mode: 'record' | 'replay' }) {
    this.#inner = inner;
    this.#directory = options.directory;
    this.#mode = options.mode;
    this.provider = inner.provider;
    this.modelId = inner.modelId;
    if (options.mode === 'record') mkdirSync(options.directory, { recursive: true });
    else if (!existsSync(options.directory)) throw new ConfigError(`--replay: ${options.directory} does not exist`);
  }

  describeStreamRequest(request: ModelRequest): unknown {
    return this.#inner.describeStreamRequest(request);
  }

  describeObjectRequest(request: ObjectRequest): unknown {
    return this.#inner.describeObjectRequest(request);
  }

  async generateObject(request: ObjectRequest): Promise<ObjectResponse> {
    const described = this.#inner.describeObjectRequest(request);
    const path = this.#pathFor(described);
    if (this.#mode === 'replay') {
      const parsed = RecordedObject.safeParse(this.#read(path));
      if (!parsed.success) throw new InvalidFileError(path, formatIssues(parsed.error.issues));
      return parsed.data.response;
    }
    const response = await this.#inner.generateObject(request);
    writeFileSync(path, `${JSON.stringify({ kind: 'object', request: described, response }, null, 2)}\n`);
    return response;
  }

  async *stream(request: ModelRequest): AsyncIterable<StreamPart> {
    const described = this.#inner.describeStreamRequest(request);
    const path = this.#pathFor(described);
    if (this.#mode === 'replay') {
      const parsed = RecordedStream.safeParse(this.#read(path));
      if (!parsed.success) throw new InvalidFileError(path, formatIssues(parsed.error.issues));
      for (const part of parsed.data.parts) yield part as unknown as StreamPart;
      return;
    }
    const parts: StreamPart[] = [];
    for await (const part of this.#inner.stream(request)) {
      parts.push(part);
      yield part;
    }
    writeFileSync(path, `${JSON.stringify({ kind: 'stream', request: described, parts }, null, 2)}\n`);
  }

  #pathFor(described: unknown): string {
    return join(this.#directory, `${createHash('sha256').update(JSON.stringify(described)).digest('hex').slice(0, 32)}.json`);
  }

  #read(path: string): unknown {
    if (!existsSync(path)) throw new ConfigError(`--replay: no recorded response for this request (${path}); record it first with --record`);
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as unknown;
    } catch (error) {
      throw new InvalidFileError(path, `is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }
}
