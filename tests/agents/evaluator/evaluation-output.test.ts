import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EvaluationOutput } from '../../../src/agents/evaluator/evaluation-output.ts';
import { DimensionId } from '../../../src/evaluator/dimensions.ts';
import { FABRICATED_EVALUATION, SCHEMA_INVALID_EVALUATION, VALID_EVALUATION } from './evaluations.ts';

type JsonObject = { type?: string; properties?: Record<string, JsonObject>; required?: string[]; additionalProperties?: unknown; items?: JsonObject; anyOf?: unknown };

/** Every object schema inside `schema`, with its path. */
function objectsIn(schema: JsonObject, path = '(root)'): [string, JsonObject][] {
  const found: [string, JsonObject][] = schema.type === 'object' ? [[path, schema]] : [];
  for (const [key, child] of Object.entries(schema.properties ?? {})) found.push(...objectsIn(child, `${path}.${key}`));
  if (schema.items) found.push(...objectsIn(schema.items, `${path}[]`));
  return found;
}

describe('EvaluationOutput', () => {
  it('accepts a complete evaluation, a fabricated quote included (citations are checked elsewhere)', () => {
    expect(EvaluationOutput.parse(VALID_EVALUATION)).toEqual(VALID_EVALUATION);
    expect(EvaluationOutput.safeParse(FABRICATED_EVALUATION).success).toBe(true);
  });

  it('has no recommendation: a model that gives one is asked to repair', () => {
    expect(EvaluationOutput.shape).not.toHaveProperty('recommendation');
    const result = EvaluationOutput.safeParse({ ...VALID_EVALUATION, recommendation: 'strong_hire' });
    expect(result.success).toBe(false);
  });

  it('reports each problem of an invalid evaluation with its path', () => {
    const result = EvaluationOutput.safeParse(SCHEMA_INVALID_EVALUATION);
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.')) ?? [];
    expect(paths).toEqual(expect.arrayContaining(['dimensions.communication', 'dimensions.technical_depth.rating']));
  });

  it('needs every dimension with rating, confidence, evidence and rationale', () => {
    const dimensions = EvaluationOutput.shape.dimensions.shape;
    expect(Object.keys(dimensions)).toEqual(DimensionId.options);
    const withDepth = (technical_depth: unknown) => ({ ...VALID_EVALUATION, dimensions: { ...VALID_EVALUATION.dimensions, technical_depth } });
    const depth = VALID_EVALUATION.dimensions.technical_depth;
    const { rationale: _rationale, ...withoutRationale } = depth;
    expect(EvaluationOutput.safeParse(withDepth(withoutRationale)).success).toBe(false);
    // The review flag is the pipeline's to set, from disagreement between samples; the model may not.
    expect(EvaluationOutput.safeParse(withDepth({ ...depth, needsHumanReview: true })).success).toBe(false);
    expect(EvaluationOutput.safeParse(withDepth({ ...depth, evidence: [{ turnId: 4, quote: 'How many conversations per day?', polarity: 'neutral', note: '' }] })).success).toBe(false);
  });

  it('bounds every turn id the same way, whether it cites evidence, an integrity flag or an interviewer issue', () => {
    const schema = JSON.stringify(z.toJSONSchema(EvaluationOutput));
    const turnIds = [...schema.matchAll(/"turnId":(\{[^}]*\})/g)].map((match) => JSON.parse(match[1] ?? '{}') as Record<string, unknown>);
    expect(turnIds).toHaveLength(DimensionId.options.length + 2);
    for (const { description: _description, ...bounds } of turnIds) expect(bounds).toEqual({ type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
    const evidence = { turnId: 0, quote: 'How many conversations per day?', polarity: 'positive', note: '' };
    const withDepthEvidence = { ...VALID_EVALUATION, dimensions: { ...VALID_EVALUATION.dimensions, technical_depth: { ...VALID_EVALUATION.dimensions.technical_depth, evidence: [evidence] } } };
    expect(EvaluationOutput.safeParse(withDepthEvidence).success).toBe(false);
    expect(EvaluationOutput.safeParse({ ...VALID_EVALUATION, integrityFlags: [{ kind: 'other', turnId: 0, quote: 'some words here', note: '' }] }).success).toBe(false);
    expect(EvaluationOutput.safeParse({ ...VALID_EVALUATION, interviewerIssues: [{ kind: 'leading_question', turnId: 0, quote: 'some words here', note: '' }] }).success).toBe(false);
  });

  it('asks for interviewer issues as a list of their own, each with a turn, a quote, a kind and a note', () => {
    const issue = { turnId: 3, quote: 'Would you use a time-based split?', kind: 'leading_question', note: 'contains the answer' };
    expect(EvaluationOutput.parse({ ...VALID_EVALUATION, interviewerIssues: [issue] }).interviewerIssues).toEqual([issue]);
    expect(EvaluationOutput.safeParse({ ...VALID_EVALUATION, interviewerIssues: [{ ...issue, kind: 'rude' }] }).success).toBe(false);
    const { interviewerIssues: _issues, ...withoutIssues } = VALID_EVALUATION;
    expect(EvaluationOutput.safeParse(withoutIssues).success).toBe(false);
  });

  it('is strict-mode compatible: every object closed and every property required, with no optional fields', () => {
    const schema = z.toJSONSchema(EvaluationOutput) as JsonObject;
    const objects = objectsIn(schema);
    expect(objects.length).toBeGreaterThan(DimensionId.options.length * 2);
    for (const [path, object] of objects) {
      expect(object.additionalProperties, path).toBe(false);
      expect(new Set(object.required ?? []), path).toEqual(new Set(Object.keys(object.properties ?? {})));
    }
  });
});
