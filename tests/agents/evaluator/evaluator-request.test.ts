import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EvaluationOutput } from '../../../src/agents/evaluator/evaluation-output.ts';
import { buildEvaluatorRequest, buildRepairRequest } from '../../../src/agents/evaluator/evaluator-request.ts';
import { LlmEvaluator } from '../../../src/agents/evaluator/llm-evaluator.ts';
import { MIN_QUOTE_CHARS } from '../../../src/evaluator/citations.ts';
import { DimensionId } from '../../../src/evaluator/dimensions.ts';
import { evaluateTranscript } from '../../../src/evaluator/evaluate-transcript.ts';
import { AnthropicModel } from '../../../src/llm/anthropic/anthropic-model.ts';
import type { LanguageModel, ObjectRequest } from '../../../src/llm/model.ts';
import { OpenAIModel } from '../../../src/llm/openai/openai-model.ts';
import { RecordingModel } from '../../../src/llm/recording-model.ts';
import { loadResources } from '../../../src/resources.ts';
import { FIXED_CLOCK, loadLabelled } from '../../evaluator/helpers.ts';
import { VALID_EVALUATION } from './evaluations.ts';
import { ScriptedModel } from './scripted-model.ts';

const resources = loadResources();
const transcript = loadLabelled('support-injection.json');
const problem = resources.problems.get('support-assistant') ?? null;

function userText(request: ObjectRequest | undefined): string {
  const message = request?.messages[0];
  if (message?.role !== 'user') throw new Error('the request does not start with a user message');
  return message.content;
}

function commonPrefixLength(a: string, b: string): number {
  let index = 0;
  while (index < a.length && index < b.length && a[index] === b[index]) index += 1;
  return index;
}

async function threeSampleRequests(): Promise<ObjectRequest[]> {
  const model = new ScriptedModel([VALID_EVALUATION, VALID_EVALUATION, VALID_EVALUATION]);
  const engine = new LlmEvaluator({ model, prompts: resources.prompts, guide: resources.guide });
  await evaluateTranscript(transcript, { engine, problem, samples: 3, clock: FIXED_CLOCK });
  return model.requests;
}

describe('the k requests of one evaluation share the cached prefix', () => {
  it('send the same system prompt and task (transcript included) byte for byte, and differ only in a last message that numbers the sample', async () => {
    const requests = await threeSampleRequests();
    expect(requests).toHaveLength(3);
    const [first, ...others] = requests as [ObjectRequest, ...ObjectRequest[]];
    expect(userText(first)).toContain('</transcript>');
    expect(first.messages).toHaveLength(2);
    for (const other of others) {
      expect(other.system).toEqual(first.system);
      expect(other.schema).toBe(first.schema);
      expect(other.messages[0]).toEqual(first.messages[0]);
      expect(other.messages[1]).not.toEqual(first.messages[1]);
    }
    expect(requests.map((request) => JSON.stringify(request.messages[1]).match(/independent evaluation (\d+) of this transcript/)?.[1])).toEqual(['1', '2', '3']);
  });

  const adapters: readonly [string, LanguageModel][] = [
    ['openai', new OpenAIModel({ client: new OpenAI({ apiKey: 'test-key', baseURL: 'https://api.openai.com/v1', maxRetries: 0 }), modelId: 'gpt-5.1' })],
    ['anthropic', new AnthropicModel({ client: new Anthropic({ apiKey: 'test-key', baseURL: 'https://api.anthropic.com', maxRetries: 0 }), modelId: 'claude-sonnet-4-6' })],
  ];
  it.each(adapters)('stay byte-identical past the end of the transcript in the %s request bodies', async (_name, adapter) => {
    const requests = await threeSampleRequests();
    const bodies = requests.map((request) => JSON.stringify(adapter.describeObjectRequest(request)));
    const first = bodies[0] as string;
    // The transcript ends with this turn's text, escaped as JSON inside the body.
    const end = first.indexOf(JSON.stringify('</transcript>').slice(1, -1)) + '</transcript>'.length;
    expect(end).toBeGreaterThan(resources.guide.text.length);
    for (const body of bodies.slice(1)) expect(commonPrefixLength(first, body)).toBeGreaterThanOrEqual(end);
  });
});

describe('the evaluator is told the quote rule it is checked against', () => {
  const request = buildEvaluatorRequest({ prompts: resources.prompts, guide: resources.guide, transcript, problem, notes: [] });
  const rule = `at least ${MIN_QUOTE_CHARS} characters`;

  it('in the system prompt, the task and the repair prompt, from the same constant', () => {
    expect(request.system[0]?.text).toContain(rule);
    expect(request.system[0]?.text).toContain('"Yes."');
    expect(userText(request)).toContain(rule);
    expect(request.messages).toHaveLength(2);
    const repair = buildRepairRequest(request, '{}', ['technical_depth: turn 4, quote "Yes.": the quote is shorter than 8 characters'], resources.prompts);
    const last = repair.messages.at(-1);
    expect(last?.role === 'user' ? last.content : '').toContain(rule);
    expect(JSON.stringify(repair)).not.toContain('{{');
  });

  it('in the output schema, on every quote the model writes', () => {
    const schema = JSON.stringify(z.toJSONSchema(EvaluationOutput));
    const quotes = [...schema.matchAll(/"quote":\{"type":"string","description":"([^"]*(?:\\"[^"]*)*)"/g)].map((match) => match[1] ?? '');
    // The evidence of each of the eight dimensions, the integrity flags and the interviewer issues.
    expect(quotes).toHaveLength(DimensionId.options.length + 2);
    for (const description of quotes) expect(description).toContain(rule);
  });
});

describe('recording and replaying k samples', () => {
  it('keeps every sample of an evaluation and of a second, independent run, and replays the same scorecard', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'evaluator-samples-'));
    try {
      const at = (rating: 'exceeds' | 'meets' | 'below') => ({ ...VALID_EVALUATION, dimensions: { ...VALID_EVALUATION.dimensions, technical_depth: { ...VALID_EVALUATION.dimensions.technical_depth, rating } } });
      const live = new ScriptedModel([at('exceeds'), at('meets'), at('below'), at('meets'), at('meets'), at('meets')]);
      const evaluateWith = (model: LanguageModel, sampleOffset = 0) =>
        evaluateTranscript(transcript, { engine: new LlmEvaluator({ model, prompts: resources.prompts, guide: resources.guide }), problem, samples: 3, sampleOffset, clock: FIXED_CLOCK });
      const recording = new RecordingModel(live, { directory, mode: 'record' });
      const recorded = await evaluateWith(recording);
      const retest = await evaluateWith(recording, 3);
      expect(readdirSync(directory)).toHaveLength(6);
      expect(recorded.scorecard.dimensions.technical_depth).toMatchObject({ rating: 'meets', needsHumanReview: true });
      expect(retest.scorecard.dimensions.technical_depth).toMatchObject({ rating: 'meets', needsHumanReview: false });

      // No live model behind the replay: every answer comes from the recording.
      const replaying = new RecordingModel(new ScriptedModel([]), { directory, mode: 'replay' });
      expect((await evaluateWith(replaying)).scorecard).toEqual(recorded.scorecard);
      expect((await evaluateWith(replaying, 3)).scorecard).toEqual(retest.scorecard);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
