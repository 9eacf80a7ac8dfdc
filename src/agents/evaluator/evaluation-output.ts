import { z } from 'zod';
import { DimensionId } from '../../evaluator/dimensions.ts';
import { IntegrityFlag, Rating } from '../../evaluator/scorecard.ts';

/**
 * What the evaluator model must return. Strict-mode compatible on both providers: every field required,
 * no optional properties. The recommendation is deliberately absent: the guide's rule computes it.
 */
const EvidenceOutput = z.strictObject({
  turnId: z.number().int().describe('The id of the candidate turn the quote comes from.'),
  quote: z.string().describe('Words copied verbatim from that turn: one sentence or a clause.'),
  polarity: z.enum(['positive', 'negative']),
  note: z.string().describe('What this quote shows about the dimension.'),
});

const DimensionOutput = z.strictObject({
  rating: Rating,
  confidence: z.number().describe('0 to 1: how sure you are of this rating given the evidence.'),
  evidence: z.array(EvidenceOutput),
  rationale: z.string().describe('Why this rating, referring to the evidence by turn id.'),
});

export const EvaluationOutput = z.strictObject({
  dimensions: z.strictObject(Object.fromEntries(DimensionId.options.map((id) => [id, DimensionOutput])) as Record<DimensionId, typeof DimensionOutput>),
  summary: z.string().describe('Two to four sentences on the candidate overall, for the hiring team.'),
  strengths: z.array(z.string()),
  growthAreas: z.array(z.string()),
  feedback: z.string().describe('To the candidate: specific, constructive, naming turns ("in turn 14 you ...").'),
  integrityFlags: z.array(IntegrityFlag),
});
export type EvaluationOutput = z.infer<typeof EvaluationOutput>;
