import { z } from 'zod';
import { DimensionId } from './dimensions.ts';

export const Rating = z.enum(['exceeds', 'meets', 'below', 'insufficient']);
export type Rating = z.infer<typeof Rating>;

export const Recommendation = z.enum(['strong_hire', 'hire', 'no_hire', 'strong_no_hire', 'insufficient']);
export type Recommendation = z.infer<typeof Recommendation>;

/** The id of a transcript turn: turns are numbered from 1. One schema for evidence, flags and interviewer issues. */
export const TurnId = z.number().int().min(1);

/** A quote from a candidate turn that supports (positive) or counts against (negative) a rating. Verified verbatim. */
export const Evidence = z.strictObject({
  turnId: TurnId,
  quote: z.string().min(1),
  polarity: z.enum(['positive', 'negative']),
  note: z.string(),
});
export type Evidence = z.infer<typeof Evidence>;

export const DimensionScore = z.strictObject({
  rating: Rating,
  confidence: z.number().min(0).max(1),
  evidence: z.array(Evidence),
  rationale: z.string(),
  /** Set when repeated evaluations disagreed: a person should look at this dimension. */
  needsHumanReview: z.boolean(),
});
export type DimensionScore = z.infer<typeof DimensionScore>;

export const IntegrityFlag = z.strictObject({
  kind: z.enum(['instruction_to_evaluator', 'pasted_scorecard', 'claimed_score', 'other']),
  turnId: TurnId,
  quote: z.string(),
  note: z.string(),
});
export type IntegrityFlag = z.infer<typeof IntegrityFlag>;

/**
 * Something the interviewer did that the guide forbids, noticed by the evaluator: a hidden fact volunteered
 * unasked, a leading question, the answer given away, evaluative feedback. It cites the interviewer's turn
 * verbatim and is kept apart from the candidate's ratings: it never changes a rating or the recommendation.
 */
export const InterviewerIssue = z.strictObject({
  turnId: TurnId,
  quote: z.string(),
  kind: z.enum(['volunteered_fact', 'leading_question', 'gave_answer', 'evaluative_feedback', 'other']),
  note: z.string(),
});
export type InterviewerIssue = z.infer<typeof InterviewerIssue>;

/** One provider call behind a scorecard: which sample and round it served, how long it waited, how it ended. */
export const CallAttemptRecord = z.strictObject({
  sample: z.number().int().positive(),
  round: z.enum(['first', 'repair']),
  attempt: z.number().int().positive(),
  outcome: z.enum(['ok', 'failed']),
  durationMs: z.number().nonnegative(),
  firstTokenMs: z.number().nonnegative().nullable(),
  error: z.string().optional(),
  receivedOutput: z.boolean().optional(),
  retryInMs: z.number().nonnegative().optional(),
});
export type CallAttemptRecord = z.infer<typeof CallAttemptRecord>;

export const ScorecardMeta = z.strictObject({
  engine: z.string(),
  model: z.string(),
  /** Prompt id -> content-hash version, plus the guide's version: what produced this scorecard. */
  promptVersions: z.record(z.string(), z.string()),
  samples: z.number().int().positive(),
  /** The usage of each sample actually run, in order: what each extra sample cost, and how much of it was read from the cache. */
  sampleUsage: z.array(z.strictObject({ inputTokens: z.number(), outputTokens: z.number(), cachedInputTokens: z.number(), cacheWriteTokens: z.number() })).default([]),
  /** Samples that failed after others had succeeded: the scorecard aggregates the rest rather than discard what was paid for. */
  samplesFailed: z.number().int().nonnegative().default(0),
  usage: z.strictObject({ inputTokens: z.number(), outputTokens: z.number(), cachedInputTokens: z.number(), cacheWriteTokens: z.number() }),
  /** The estimated cost of `usage` in USD (src/llm/pricing.ts); null when the model has no known price. */
  costUsd: z.number().nonnegative().nullable().default(null),
  latencyMs: z.number().nonnegative(),
  citationsDropped: z.number().int().nonnegative(),
  repairRounds: z.number().int().nonnegative(),
  heuristic: z.boolean(),
  createdAt: z.string(),
  /** Every provider call the scorecard took, failed and retried ones included; empty for the offline heuristic. */
  attempts: z.array(CallAttemptRecord).default([]),
});
export type ScorecardMeta = z.infer<typeof ScorecardMeta>;

/** The evaluator's output: ratings on the 8 dimensions, each on verified evidence, and a rule-derived recommendation. */
export const Scorecard = z.strictObject({
  schemaVersion: z.literal(1),
  transcriptId: z.string(),
  problem: z.string(),
  dimensions: z.strictObject(Object.fromEntries(DimensionId.options.map((id) => [id, DimensionScore])) as Record<DimensionId, typeof DimensionScore>),
  recommendation: Recommendation,
  /** The model's (or the heuristic's) narrative: beside the recommendation, never instead of it. */
  summary: z.string(),
  strengths: z.array(z.string()),
  growthAreas: z.array(z.string()),
  feedback: z.string(),
  integrityFlags: z.array(IntegrityFlag),
  /** The interviewer's lapses the evaluator noticed, for whoever reviews the interview. Absent from scorecards made before they were recorded. */
  interviewerIssues: z.array(InterviewerIssue).default([]),
  meta: ScorecardMeta,
});
export type Scorecard = z.infer<typeof Scorecard>;

export function scorecardJsonSchema(): unknown {
  return z.toJSONSchema(Scorecard);
}
