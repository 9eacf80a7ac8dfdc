import { z } from 'zod';
import { MIN_QUOTE_CHARS } from '../../evaluator/citations.ts';
import { DimensionId } from '../../evaluator/dimensions.ts';
import { IntegrityFlag, InterviewerIssue, Rating, TurnId } from '../../evaluator/scorecard.ts';

/**
 * What the evaluator model must return. Strict-mode compatible on both providers: every field required,
 * no optional properties. The recommendation is deliberately absent: the guide's rule computes it.
 * The descriptions state the rules the pipeline checks (citations.ts), with the same numbers.
 */
const EvidenceOutput = z.strictObject({
  turnId: TurnId.describe('The id of the candidate turn the quote comes from.'),
  quote: z.string().describe(`Words copied verbatim from that turn: one sentence or a clause, at least ${MIN_QUOTE_CHARS} characters (a bare "Yes." is rejected).`),
  polarity: z.enum(['positive', 'negative']),
  note: z.string().describe('What this quote shows about the dimension.'),
});

const DimensionOutput = z.strictObject({
  rating: Rating,
  confidence: z.number().describe('0 to 1: how sure you are of this rating given the evidence.'),
  evidence: z.array(EvidenceOutput),
  rationale: z.string().describe('Why this rating, referring to the evidence by turn id.'),
});

const IntegrityFlagOutput = IntegrityFlag.extend({
  turnId: TurnId.describe('The id of the candidate turn that contains the text.'),
  quote: z.string().describe(`The offending text, copied verbatim from that candidate turn, at least ${MIN_QUOTE_CHARS} characters.`),
});

const InterviewerIssueOutput = InterviewerIssue.extend({
  turnId: TurnId.describe('The id of the interviewer turn where it happened.'),
  quote: z.string().describe(`Words copied verbatim from that interviewer turn, at least ${MIN_QUOTE_CHARS} characters.`),
  note: z.string().describe('What the interviewer did and why the guide forbids it. It does not affect any rating.'),
});

export const EvaluationOutput = z.strictObject({
  dimensions: z.strictObject(Object.fromEntries(DimensionId.options.map((id) => [id, DimensionOutput])) as Record<DimensionId, typeof DimensionOutput>),
  summary: z.string().describe('Two to four sentences on the candidate overall, for the hiring team.'),
  strengths: z.array(z.string()),
  growthAreas: z.array(z.string()),
  feedback: z.string().describe('To the candidate: specific, constructive, naming turns ("in turn 14 you ...").'),
  integrityFlags: z.array(IntegrityFlagOutput),
  interviewerIssues: z.array(InterviewerIssueOutput).describe("The interviewer's lapses you noticed (an empty list when there were none); kept apart from the candidate's ratings."),
});
export type EvaluationOutput = z.infer<typeof EvaluationOutput>;
