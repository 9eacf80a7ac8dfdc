import type { InterviewerNote } from '../interview/interview-state.ts';
import type { CallAttempt, Usage } from '../llm/model.ts';
import type { ProblemCard } from '../problems/problem-card.ts';
import type { Transcript } from '../transcript/transcript.ts';
import type { DimensionId } from './dimensions.ts';
import type { Evidence, IntegrityFlag, InterviewerIssue, Rating, Recommendation } from './scorecard.ts';

/** What an evaluator engine is given: a transcript already blinded and with integrity issues neutralised. */
export interface EvaluationInput {
  readonly transcript: Transcript;
  readonly problem: ProblemCard | null;
  readonly notes: readonly InterviewerNote[];
  /**
   * Which independent sample of this transcript this is, from 1. An LLM engine names it in its request after
   * the transcript, so the k requests share their whole cacheable prefix yet are distinct: a recording keeps
   * every sample's answer, and a replay reproduces k different samples, not one answer k times.
   */
  readonly sample?: number;
  /**
   * Integrity events the interviewer flagged, already verified against the blinded transcript. `quote` is
   * null when the passage was neutralised out of the transcript, so it does not reach the grader either.
   */
  readonly interviewerFlags?: readonly { readonly turnId: number; readonly quote: string | null; readonly note: string }[];
  readonly signal?: AbortSignal;
}

/** One dimension of one sample: evidence already verified against the transcript. */
export interface SampleDimension {
  readonly rating: Rating;
  readonly confidence: number;
  readonly evidence: readonly Evidence[];
  readonly rationale: string;
}

/** One independent evaluation of a transcript. */
export interface EvaluationSample {
  readonly dimensions: Readonly<Record<DimensionId, SampleDimension>>;
  readonly summary: string;
  readonly strengths: readonly string[];
  readonly growthAreas: readonly string[];
  readonly feedback: string;
  readonly integrityFlags: readonly IntegrityFlag[];
  /** Not yet verified: the pipeline keeps only those whose quote is verbatim in the interviewer turn named. */
  readonly interviewerIssues: readonly InterviewerIssue[];
  readonly usage: Usage;
  readonly citationsDropped: number;
  readonly repairRounds: number;
  /** The provider calls of this sample, in order, by round; absent for engines that call no provider. */
  readonly attempts?: readonly (CallAttempt & { readonly round: 'first' | 'repair' })[];
}

/** An evaluator: the heuristic offline one or an LLM-backed one. */
export interface EvaluatorEngine {
  readonly engine: string;
  readonly model: string;
  readonly heuristic: boolean;
  readonly promptVersions: Readonly<Record<string, string>>;
  evaluateOnce(input: EvaluationInput): Promise<EvaluationSample>;
  /**
   * A ceiling on the guide's recommendation, for an engine whose signals cannot support every level (the
   * heuristic gives no strong hire for an interview that was not completed). The guide's rule is applied
   * first and unchanged; absent for engines that need no ceiling.
   */
  capRecommendation?(recommendation: Recommendation, transcript: Transcript): Recommendation;
}
