import { z } from 'zod';
import { DimensionId } from '../evaluator/dimensions.ts';
import { CandidateInfo, Turn, type Transcript } from '../transcript/transcript.ts';
import { PhaseId } from './phases.ts';

export const UsageRecord = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cachedInputTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
});

/** What produced one interviewer turn: the engine, its prompts' versions, and what it cost. */
export const TurnMeta = z.object({
  turnId: z.number().int().positive(),
  engine: z.string(),
  model: z.string().optional(),
  promptVersions: z.record(z.string(), z.string()).default({}),
  usage: UsageRecord.optional(),
  /** Set when a provider failed and the offline engine wrote this turn instead. */
  fallbackFrom: z.string().optional(),
  latencyMs: z.number().nonnegative().optional(),
});
export type TurnMeta = z.infer<typeof TurnMeta>;

/** A private interviewer observation tied to a candidate turn. */
export const InterviewerNote = z.object({
  dimension: DimensionId,
  turnId: z.number().int().positive(),
  observation: z.string().min(1).max(1000),
});
export type InterviewerNote = z.infer<typeof InterviewerNote>;

/**
 * An integrity event the interviewer flagged during the interview (an attempt to instruct it or the grader,
 * a claimed score): the candidate turn and a verbatim quote from it, for the evaluator and the report.
 */
export const InterviewerFlag = z.object({
  turnId: z.number().int().positive(),
  quote: z.string().min(1).max(500),
  note: z.string().min(1).max(500),
});
export type InterviewerFlag = z.infer<typeof InterviewerFlag>;

/** Bookkeeping the offline engine keeps so it never repeats a probe. */
export const OfflineMemory = z.object({
  probedConcepts: z.array(z.string()).default([]),
  askedProbes: z.array(z.string()).default([]),
  deepDiveAreas: z.array(z.string()).default([]),
  constraintChanges: z.array(z.string()).default([]),
  wrapUpStep: z.number().int().nonnegative().default(0),
  unansweredQuestions: z.number().int().nonnegative().default(0),
});
export type OfflineMemory = z.infer<typeof OfflineMemory>;

export const EndReason = z.enum(['completed', 'candidate_ended', 'time_up']);

export const INTERVIEW_SCHEMA_VERSION = 1;

/**
 * The whole state of one interview as a plain value: everything needed to resume it after a restart.
 * Stored as JSON; `schemaVersion` lets older stored interviews keep loading.
 */
export const InterviewState = z.object({
  schemaVersion: z.literal(INTERVIEW_SCHEMA_VERSION),
  id: z.string().min(1),
  problemId: z.string().min(1),
  candidate: CandidateInfo.default({}),
  startedAt: z.iso.datetime({ offset: true }),
  endedAt: z.iso.datetime({ offset: true }).optional(),
  phase: PhaseId,
  phaseStartedAt: z.iso.datetime({ offset: true }),
  candidateTurnsInPhase: z.number().int().nonnegative(),
  ended: z.boolean(),
  endReason: EndReason.optional(),
  turns: z.array(Turn),
  revealedFacts: z.array(z.object({ factId: z.string(), turnId: z.number().int().positive() })).default([]),
  notes: z.array(InterviewerNote).default([]),
  /** Absent from interviews stored before the interviewer could flag integrity events. */
  integrityFlags: z.array(InterviewerFlag).default([]),
  turnMeta: z.array(TurnMeta).default([]),
  offline: OfflineMemory.default({ probedConcepts: [], askedProbes: [], deepDiveAreas: [], constraintChanges: [], wrapUpStep: 0, unansweredQuestions: 0 }),
});
export type InterviewState = z.infer<typeof InterviewState>;

/** The shared transcript view of an interview. */
export function toTranscript(state: InterviewState): Transcript {
  return { id: state.id, problem: state.problemId, candidate: state.candidate, turns: state.turns };
}
