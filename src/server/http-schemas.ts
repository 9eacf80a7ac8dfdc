import { z } from 'zod';
import { PhaseId } from '../interview/phases.ts';
import { Turn } from '../transcript/transcript.ts';

/** Bodies and replies of the HTTP API; route schemas for the OpenAPI document come from these. */
export const PracticeRequest = z.strictObject({ problemId: z.string().min(1).max(100).optional() });
export const PublicProblem = z.object({ id: z.string(), title: z.string(), opening: z.string() });
export const PracticeResponse = z.object({ sessionId: z.string(), token: z.string(), problem: PublicProblem });
export const ProblemList = z.object({ problems: z.array(PublicProblem) });
export const SessionView = z.object({
  id: z.string(),
  problem: PublicProblem,
  phase: PhaseId,
  phaseStartedAt: z.string(),
  ended: z.boolean(),
  endReason: z.enum(['completed', 'candidate_ended', 'time_up']).nullable(),
  turns: z.array(Turn),
  /** The interviewer's model calls so far, summed: tokens and the estimated cost (null: no known price). */
  usage: z.object({
    inputTokens: z.number().int().nonnegative(),
    cachedInputTokens: z.number().int().nonnegative(),
    cacheWriteTokens: z.number().int().nonnegative(),
    uncachedInputTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
    costUsd: z.number().nonnegative().nullable(),
    unpricedTurns: z.number().int().nonnegative(),
  }),
});
export const PendingScorecard = z.object({ status: z.enum(['interview_in_progress', 'pending', 'running']) });
export const ErrorResponse = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export const SessionParams = z.object({ id: z.string().min(1).max(100) });
export const ReportQuery = z.object({ format: z.enum(['html', 'md']).default('html') });

/** JSON Schema for documentation (OpenAPI); validation itself is done by zod in the handlers. */
export function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}
