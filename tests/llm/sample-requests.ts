import { z } from 'zod';
import type { ModelRequest, ObjectRequest, StreamPart } from '../../src/llm/model.ts';

/**
 * What both adapter test suites share: the requests they send (a conversation with earlier tool calls and results, two
 * tools, a cacheable system prefix, a structured-output request; only tool-call ids differ by provider) and stream readers.
 */
export const NoteEvidence = z.object({
  dimension: z.string(),
  quote: z.string().describe("the candidate's own words"),
  strength: z.number().int().min(1).max(5),
});
export const AdvancePhase = z.object({ to: z.string(), reason: z.string().optional() });
export const SampleScorecard = z.object({ dimension: z.string(), score: z.number().int(), evidence: z.array(z.string()) });

/** `idPrefix` is the provider's tool-call id prefix: `call_` for OpenAI, `toolu_` for Anthropic. */
export function sampleRequest(idPrefix: string): ModelRequest {
  return {
    system: [
      { text: 'You are a Principal-level ML system design interviewer.' },
      { text: 'Problem: design a feed ranking system.', cache: true },
      { text: 'Current phase: requirements.' },
    ],
    messages: [
      { role: 'user', content: 'I would start from the business objective.' },
      {
        role: 'assistant',
        content: 'Noted.',
        toolCalls: [{ id: `${idPrefix}prev1`, name: 'note_evidence', input: { dimension: 'problem_framing', quote: 'business objective', strength: 3 } }],
      },
      {
        role: 'tool',
        results: [
          { toolCallId: `${idPrefix}prev1`, name: 'note_evidence', content: 'recorded' },
          { toolCallId: `${idPrefix}prev2`, name: 'advance_phase', content: 'not allowed yet', isError: true },
        ],
      },
      { role: 'user', content: 'Then I would look at the data.' },
    ],
    tools: [
      { name: 'note_evidence', description: 'Record evidence for a rubric dimension.', parameters: NoteEvidence },
      { name: 'advance_phase', description: 'Move the interview to another phase.', parameters: AdvancePhase },
    ],
    maxOutputTokens: 800,
    temperature: 0.3,
  };
}

export const sampleObjectRequest: ObjectRequest = {
  system: [{ text: 'You are the evaluator.', cache: true }],
  messages: [{ role: 'user', content: 'Score the data strategy dimension.' }],
  schema: SampleScorecard,
  schemaName: 'scorecard',
  schemaDescription: 'One scored rubric dimension with evidence.',
  maxOutputTokens: 1000,
};

/** Every part of a stream. */
export async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const collected: StreamPart[] = [];
  for await (const part of parts) collected.push(part);
  return collected;
}

/** Collects parts until the stream throws, and returns both. */
export async function collectUntilError(parts: AsyncIterable<StreamPart>): Promise<{ parts: StreamPart[]; error: unknown }> {
  const collected: StreamPart[] = [];
  try {
    for await (const part of parts) collected.push(part);
  } catch (error) {
    return { parts: collected, error };
  }
  throw new Error(`the stream did not fail; it yielded ${JSON.stringify(collected)}`);
}

/** The text of a stream's text deltas. */
export function textOf(parts: readonly StreamPart[]): string {
  return parts.map((part) => (part.type === 'text-delta' ? part.text : '')).join('');
}
