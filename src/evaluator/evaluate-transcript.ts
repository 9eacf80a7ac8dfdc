import type { InterviewerFlag, InterviewerNote } from '../interview/interview-state.ts';
import { addUsage, ZERO_USAGE } from '../llm/model.ts';
import { DEFAULT_PRICES, estimateCostUsd, type PriceTable } from '../llm/pricing.ts';
import type { ProblemCard } from '../problems/problem-card.ts';
import type { Transcript } from '../transcript/transcript.ts';
import { aggregateSamples } from './aggregate.ts';
import { checkCitation, checkCitations, checkInterviewerQuote, normaliseForQuote } from './citations.ts';
import { DimensionId } from './dimensions.ts';
import type { EvaluationSample, EvaluatorEngine, SampleDimension } from './evaluator-engine.ts';
import { findIntegrityIssues, neutraliseIntegrityIssues, toFlags } from './integrity.ts';
import { recommend } from './recommendation.ts';
import { blindTranscript } from './redaction.ts';
import type { IntegrityFlag, InterviewerIssue, Rating, Scorecard } from './scorecard.ts';

export interface EvaluateOptions {
  readonly engine: EvaluatorEngine;
  readonly problem: ProblemCard | null;
  readonly notes?: readonly InterviewerNote[];
  /** Integrity events the interviewer flagged during the interview. */
  readonly integrityFlags?: readonly InterviewerFlag[];
  /** How many independent samples to aggregate. No default here: callers pass EVALUATOR_SAMPLES (3) or an explicit choice. */
  readonly samples: number;
  /**
   * Numbers this run's samples from `sampleOffset + 1`, so a second, independent run of the same transcript
   * (the eval suite's test-retest) sends requests distinct from the first and a recording keeps both.
   */
  readonly sampleOffset?: number;
  readonly clock?: () => Date;
  readonly signal?: AbortSignal;
  /** For the cost estimate; the built-in table when absent. */
  readonly prices?: PriceTable;
}

/** What the evaluator saw: the transcript as graded, after blinding and neutralising. */
export interface Evaluation {
  readonly scorecard: Scorecard;
  readonly gradedTranscript: Transcript;
}

/**
 * The evaluation pipeline: blind the transcript, neutralise text aimed at the grader, run k independent
 * samples, keep only evidence found verbatim, aggregate, and derive the recommendation by the guide's rule.
 */
export async function evaluateTranscript(transcript: Transcript, options: EvaluateOptions): Promise<Evaluation> {
  const clock = options.clock ?? (() => new Date());
  const started = clock().getTime();
  const samplesWanted = Math.max(1, Math.floor(options.samples));
  const blind = blindTranscript(transcript).transcript;
  const findings = findIntegrityIssues(blind);
  const graded = neutraliseIntegrityIssues(blind, findings);
  const interviewerFlags = verifyInterviewerFlags(options.integrityFlags ?? [], blind);
  const input = {
    transcript: graded,
    problem: options.problem,
    notes: options.notes ?? [],
    // What the neutralising removed stays away from the grader, even when the interviewer quoted it.
    interviewerFlags: interviewerFlags.map((flag) => ({ turnId: flag.turnId, note: flag.note, quote: checkCitation(graded, asEvidence(flag)) === null ? flag.quote : null })),
    ...(options.signal ? { signal: options.signal } : {}),
  };

  // A deterministic engine gives the same answer every time: one run stands for all k.
  const runs = options.engine.heuristic ? 1 : samplesWanted;
  const { samples: run, failed } = await runSamples(runs, (index) => options.engine.evaluateOnce({ ...input, sample: (options.sampleOffset ?? 0) + index + 1 }));
  // Samples cut short by a cancellation are not failures to work around: the evaluation stops.
  options.signal?.throwIfAborted();
  const samples = run.map((sample) => enforceEvidence(graded, sample));
  const aggregated = [...samples];
  while (aggregated.length < samplesWanted && options.engine.heuristic) aggregated.push(samples[0] as EvaluationSample);

  const dimensions = aggregateSamples(aggregated);
  const ratings = Object.fromEntries(DimensionId.options.map((id) => [id, dimensions[id].rating])) as Record<DimensionId, Rating>;
  const narrative = representativeSample(samples, ratings);
  const ruled = recommend(ratings);
  const usage = samples.reduce((total, sample) => addUsage(total, sample.usage), ZERO_USAGE);
  const scorecard: Scorecard = {
    schemaVersion: 1,
    transcriptId: transcript.id,
    problem: transcript.problem,
    dimensions,
    recommendation: options.engine.capRecommendation?.(ruled, graded) ?? ruled,
    summary: narrative.summary,
    strengths: [...narrative.strengths],
    growthAreas: [...narrative.growthAreas],
    feedback: narrative.feedback,
    integrityFlags: mergeInterviewerFlags(mergeFlags(toFlags(findings), samples.flatMap((sample) => sample.integrityFlags), blind), interviewerFlags),
    interviewerIssues: mergeInterviewerIssues(samples.flatMap((sample) => sample.interviewerIssues), graded),
    meta: {
      engine: options.engine.engine,
      model: options.engine.model,
      promptVersions: { ...options.engine.promptVersions },
      samples: aggregated.length,
      sampleUsage: samples.map((sample) => ({ ...sample.usage })),
      samplesFailed: failed,
      usage,
      // A heuristic engine calls no model and costs nothing; a model without a price is null, never a guess.
      costUsd: options.engine.heuristic ? 0 : estimateCostUsd(options.engine.model, usage, options.prices ?? DEFAULT_PRICES),
      latencyMs: Math.max(0, clock().getTime() - started),
      citationsDropped: samples.reduce((total, sample) => total + sample.citationsDropped, 0),
      repairRounds: samples.reduce((total, sample) => total + sample.repairRounds, 0),
      heuristic: options.engine.heuristic,
      createdAt: clock().toISOString(),
      attempts: samples.flatMap((sample, index) => (sample.attempts ?? []).map((attempt) => ({ sample: index + 1, ...attempt }))),
    },
  };
  return { scorecard, gradedTranscript: graded };
}

/**
 * Runs k samples: the first alone, so that it writes the provider's prompt cache, then the rest side by side,
 * each reading the cached prefix (guide, problem, transcript). Waiting for all k in turn would multiply the
 * wait by k; sending all k at once would pay for k cache writes. When the first sample fails the evaluation
 * fails (the job retries it); when a later one fails, the samples that succeeded are kept, not thrown away.
 */
async function runSamples(count: number, evaluate: (index: number) => Promise<EvaluationSample>): Promise<{ samples: EvaluationSample[]; failed: number }> {
  const first = await evaluate(0);
  const rest = await Promise.allSettled(Array.from({ length: count - 1 }, (_, index) => evaluate(index + 1)));
  const samples = [first];
  let failed = 0;
  for (const result of rest) {
    if (result.status === 'fulfilled') samples.push(result.value);
    else failed += 1;
  }
  return { samples, failed };
}

/** The sample whose ratings agree most with the aggregate (the first on a tie), so that its narrative is the least likely to contradict the ratings beside it. */
function representativeSample(samples: readonly EvaluationSample[], ratings: Readonly<Record<DimensionId, Rating>>): EvaluationSample {
  let best = samples[0] as EvaluationSample;
  let bestAgreement = -1;
  for (const sample of samples) {
    const agreement = DimensionId.options.filter((id) => sample.dimensions[id].rating === ratings[id]).length;
    if (agreement > bestAgreement) {
      best = sample;
      bestAgreement = agreement;
    }
  }
  return best;
}

/**
 * The last line of defence, whatever the engine: evidence that is not verbatim in its candidate turn is
 * dropped, and a dimension left with no evidence is `insufficient`, never a guess.
 */
function enforceEvidence(transcript: Transcript, sample: EvaluationSample): EvaluationSample {
  let dropped = 0;
  const dimensions = {} as Record<DimensionId, SampleDimension>;
  for (const id of DimensionId.options) {
    const dimension = sample.dimensions[id];
    const { valid, invalid } = checkCitations(transcript, dimension.evidence);
    dropped += invalid.length;
    dimensions[id] =
      valid.length === 0 && dimension.rating !== 'insufficient'
        ? { rating: 'insufficient', confidence: 0, evidence: [], rationale: `No verifiable evidence was cited, so this dimension is not rated. (${dimension.rationale})` }
        : { ...dimension, evidence: valid };
  }
  return { ...sample, dimensions, citationsDropped: sample.citationsDropped + dropped };
}

/**
 * The flags found by the rules, plus those an engine reported. A reported flag accuses the candidate, so it
 * stands only on the candidate's own words: its quote must be verbatim in the candidate turn it names (in the
 * blinded transcript, before neutralising, since the engine never saw the removed text).
 */
function mergeFlags(detected: readonly IntegrityFlag[], reported: readonly IntegrityFlag[], blind: Transcript): IntegrityFlag[] {
  const merged = [...detected];
  for (const flag of reported) {
    if (merged.some((existing) => existing.turnId === flag.turnId && existing.kind === flag.kind)) continue;
    if (checkCitation(blind, asEvidence(flag)) !== null) continue;
    merged.push(flag);
  }
  return merged;
}

/**
 * The interviewer issues of all samples, each kept once and only on the interviewer's own words: its quote
 * must be verbatim in the interviewer turn it names (the graded transcript is what the engine saw). They are
 * reported beside the ratings and feed nothing: neither the ratings nor the recommendation read them.
 */
function mergeInterviewerIssues(reported: readonly InterviewerIssue[], graded: Transcript): InterviewerIssue[] {
  const merged: InterviewerIssue[] = [];
  for (const issue of reported) {
    if (merged.some((existing) => existing.turnId === issue.turnId && existing.kind === issue.kind)) continue;
    if (checkInterviewerQuote(graded, issue) !== null) continue;
    merged.push(issue);
  }
  return merged.sort((a, b) => a.turnId - b.turnId);
}

/**
 * The interviewer's flags that stand on the candidate's words: the quote must be verbatim in the candidate
 * turn it names, in the blinded transcript (a quote that named the candidate is dropped with the name).
 */
function verifyInterviewerFlags(flags: readonly InterviewerFlag[], blind: Transcript): InterviewerFlag[] {
  return flags.filter((flag) => checkCitation(blind, asEvidence(flag)) === null);
}

/** The interviewer's verified flags join the report, unless a flag of the same turn already covers the passage. */
function mergeInterviewerFlags(merged: readonly IntegrityFlag[], flags: readonly InterviewerFlag[]): IntegrityFlag[] {
  const result = [...merged];
  for (const flag of flags) {
    const quote = normaliseForQuote(flag.quote);
    const covered = result.some((existing) => existing.turnId === flag.turnId && (normaliseForQuote(existing.quote).includes(quote) || quote.includes(normaliseForQuote(existing.quote))));
    if (!covered) result.push({ kind: 'other', turnId: flag.turnId, quote: flag.quote, note: `Flagged by the interviewer during the interview: ${flag.note}` });
  }
  return result;
}

function asEvidence(flag: { readonly turnId: number; readonly quote: string; readonly note: string }) {
  return { turnId: flag.turnId, quote: flag.quote, polarity: 'negative' as const, note: flag.note };
}
