import type { LanguageModel, ModelRequest, ObjectRequest, ObjectResponse, StreamPart, Usage } from '../../../src/llm/model.ts';

/**
 * A LanguageModel that answers `generateObject` from a script, in order, and records every request. It
 * fails the test if called more often than scripted, so "exactly one repair round" is checked by the script.
 */
export class ScriptedModel implements LanguageModel {
  readonly provider = 'scripted';
  readonly modelId = 'scripted-model-1';
  readonly requests: ObjectRequest[] = [];
  readonly #replies: (unknown | Error)[];

  constructor(replies: readonly (unknown | Error)[]) {
    this.#replies = [...replies];
  }

  static usage(inputTokens = 1000, outputTokens = 200): Usage {
    return { inputTokens, outputTokens, cachedInputTokens: 600, cacheWriteTokens: 0 };
  }

  async generateObject(request: ObjectRequest): Promise<ObjectResponse> {
    this.requests.push(request);
    if (this.#replies.length === 0) throw new Error(`ScriptedModel: unscripted call number ${this.requests.length}`);
    const reply = this.#replies.shift();
    if (reply instanceof Error) throw reply;
    return { object: reply, raw: JSON.stringify(reply), usage: ScriptedModel.usage() };
  }

  /** Everything the provider would have been sent, as one string, for "does not contain" assertions. */
  sentText(): string {
    return this.requests.map((request) => JSON.stringify(this.describeObjectRequest(request))).join('\n');
  }

  describeObjectRequest(request: ObjectRequest): unknown {
    return { model: this.modelId, system: request.system, messages: request.messages, schema: request.schemaName, maxOutputTokens: request.maxOutputTokens };
  }

  describeStreamRequest(request: ModelRequest): unknown {
    return { model: this.modelId, system: request.system, messages: request.messages };
  }

  async *stream(): AsyncIterable<StreamPart> {
    throw new Error('the evaluator never streams');
  }
}
