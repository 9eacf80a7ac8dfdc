import type { InterviewerFlag, InterviewerNote } from '../interview/interview-state.ts';
import { addUsage, ZERO_USAGE } from '../llm/model.ts';
import { DEFAULT_PRICES, estimateCostUsd, type PriceTable } from '../llm/pricing.ts';
import type { ProblemCard } from '../problems/problem-card.ts';
import type { Transcript } from '../transcript/transcript.ts';
import { aggregateSamples } from './aggregate.ts';
import { checkCitation, checkCitations, normaliseForQuote } from './citations.ts';
import { DimensionId } from './dimensions.ts';
import type { EvaluationSample, EvaluatorEngine, SampleDimension } from './evaluator-engine.ts';
import { findIntegrityIssues, neutraliseIntegrityIssues, toFlags } from './integrity.ts';
import { recommend } from './recommendation.ts';
import { blindTranscript } from './redaction.ts';
import type { IntegrityFlag, Rating, Scorecard } from './scorecard.ts';

export interface EvaluateOptions {
  readonly engine: EvaluatorEngine;
  readonly problem: ProblemCard | null;
  readonly notes?: readonly InterviewerNote[];
  /** Integrity events the interviewer flagged during the interview. */
  readonly integrityFlags?: readonly InterviewerFlag[];
  readonly samples?: number;
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
  const samplesWanted = Math.max(1, options.samples ?? 1);
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

  const samples: EvaluationSample[] = [];
  // A deterministic engine gives the same answer every time: one run stands for all k.
  const runs = options.engine.heuristic ? 1 : samplesWanted;
  for (let index = 0; index < runs; index += 1) samples.push(enforceEvidence(graded, await options.engine.evaluateOnce(input)));
  while (samples.length < samplesWanted) samples.push(samples[0] as EvaluationSample);

  const dimensions = aggregateSamples(samples);
  const ratings = Object.fromEntries(DimensionId.options.map((id) => [id, dimensions[id].rating])) as Record<DimensionId, Rating>;
  const narrative = samples[0] as EvaluationSample;
  const usage = samples.slice(0, runs).reduce((total, sample) => addUsage(total, sample.usage), ZERO_USAGE);
  const scorecard: Scorecard = {
    schemaVersion: 1,
    transcriptId: transcript.id,
    problem: transcript.problem,
    dimensions,
    recommendation: recommend(ratings),
    summary: narrative.summary,
    strengths: [...narrative.strengths],
    growthAreas: [...narrative.growthAreas],
    feedback: narrative.feedback,
    integrityFlags: mergeInterviewerFlags(mergeFlags(toFlags(findings), samples.flatMap((sample) => sample.integrityFlags), blind), interviewerFlags),
    meta: {
      engine: options.engine.engine,
      model: options.engine.model,
      promptVersions: { ...options.engine.promptVersions },
      samples: samplesWanted,
      usage,
      // A heuristic engine calls no model and costs nothing; a model without a price is null, never a guess.
      costUsd: options.engine.heuristic ? 0 : estimateCostUsd(options.engine.model, usage, options.prices ?? DEFAULT_PRICES),
      latencyMs: Math.max(0, clock().getTime() - started),
      citationsDropped: samples.slice(0, runs).reduce((total, sample) => total + sample.citationsDropped, 0),
      repairRounds: samples.slice(0, runs).reduce((total, sample) => total + sample.repairRounds, 0),
      heuristic: options.engine.heuristic,
      createdAt: clock().toISOString(),
      attempts: samples.slice(0, runs).flatMap((sample, index) => (sample.attempts ?? []).map((attempt) => ({ sample: index + 1, ...attempt }))),
    },
  };
  return { scorecard, gradedTranscript: graded };
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
    if (checkCitation(blind, { turnId: flag.turnId, quote: flag.quote, polarity: 'negative', note: flag.note }) !== null) continue;
    merged.push(flag);
  }
  return merged;
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
