import { PHASE_ORDER, type PhaseId } from '../../interview/phases.ts';
import type { Transcript } from '../../transcript/transcript.ts';
import { DIMENSION_NAMES, DimensionId } from '../dimensions.ts';
import type { Rating, Recommendation } from '../scorecard.ts';
import type { HeuristicJudgement, HeuristicScores } from './offline-evaluator.ts';

/**
 * The phase of references/interviewer-guide.md ("The five phases") in which each dimension is tested: the
 * heuristic cannot rate a dimension Exceeds when the candidate never spoke in that phase, whatever it
 * counted elsewhere. The guide: "an interview that never reaches the deep dive or the trade-offs leaves
 * dimensions without evidence".
 * - Problem exploration turns an ambiguous prompt into a well-posed problem: problem navigation.
 * - High-level design decomposes the problem end to end: system design.
 * - The deep dive tests whether understanding holds several levels below the diagram, in areas that
 *   include data, the model, serving and monitoring: technical depth, and breadth and production awareness,
 *   which a heuristic otherwise reads from terms named in passing.
 * - Trade-offs and alternatives, with a constraint change: trade-off analysis.
 * - The wrap-up asks for the summary "as you would for a senior leader: the problem, the approach, the
 *   main risks and what you would do first", which the guide assesses for synthesis and communication:
 *   communication and strategic thinking.
 */
export const PHASE_SHOWING: Readonly<Record<DimensionId, PhaseId>> = {
  problem_navigation: 'problem_exploration',
  system_design: 'high_level_design',
  technical_depth: 'deep_dive',
  technical_breadth: 'deep_dive',
  production_awareness: 'deep_dive',
  tradeoff_analysis: 'tradeoffs',
  strategic_thinking: 'wrap_up',
  communication: 'wrap_up',
};

/** A rating after the caps, with the reason when a cap lowered it. */
export interface CappedRating {
  readonly rating: Rating;
  readonly reason: string | null;
}

/**
 * The phases in which the candidate spoke. A phase the interviewer announced but the candidate never
 * answered in gave the candidate no occasion to show anything, so it does not count as reached.
 */
export function phasesReached(transcript: Transcript): ReadonlySet<PhaseId> {
  return new Set(transcript.turns.filter((turn) => turn.role === 'candidate').map((turn) => turn.phase));
}

/**
 * Whether the interview was completed, as far as the transcript can tell: the candidate spoke in the
 * wrap-up. The transcript carries no end reason (a session's `endReason` stays with the session), but every
 * turn carries its phase, and a completed interview is one that reached its last phase.
 */
export function interviewCompleted(reached: ReadonlySet<PhaseId>): boolean {
  return reached.has('wrap_up');
}

/** The heuristic's rating of one dimension, capped at Meets when the phase that shows it was not reached. */
export function capToPhasesReached(id: DimensionId, rating: Rating, reached: ReadonlySet<PhaseId>): CappedRating {
  const phase = PHASE_SHOWING[id];
  if (rating !== 'exceeds' || reached.has(phase)) return { rating, reason: null };
  return { rating: 'meets', reason: `Capped at meets: the interview did not reach ${PHASE_TITLES[phase]}, the phase that shows ${DIMENSION_NAMES[id].toLowerCase()}.` };
}

/**
 * The guide's recommendation, with the one level the heuristic cannot support without a completed interview
 * removed: Strong hire becomes Hire. The guide's rule itself (recommendation.ts) is unchanged; Hire is what
 * it gives for the same ratings once Strong hire is ruled out, since its conditions imply Hire's.
 */
export function capRecommendation(recommendation: Recommendation, reached: ReadonlySet<PhaseId>): CappedRecommendation {
  if (recommendation !== 'strong_hire' || interviewCompleted(reached)) return { recommendation, reason: null };
  return { recommendation: 'hire', reason: `Capped at hire: the heuristic gives no strong hire for an interview that did not reach ${PHASE_TITLES.wrap_up} (it ended in ${PHASE_TITLES[lastPhase(reached)]}).` };
}

/** A recommendation after the cap, with the reason when the cap lowered it. */
export interface CappedRecommendation {
  readonly recommendation: Recommendation;
  readonly reason: string | null;
}

/** The phases in the guide's order that the interview never reached (none when the candidate reached the wrap-up). */
export function phasesMissed(reached: ReadonlySet<PhaseId>): PhaseId[] {
  const last = PHASE_ORDER.indexOf(lastPhase(reached));
  return PHASE_ORDER.filter((phase, index) => index > last && !reached.has(phase));
}

/** The latest phase the candidate spoke in; problem exploration when they never spoke. */
export function lastPhase(reached: ReadonlySet<PhaseId>): PhaseId {
  return PHASE_ORDER.findLast((phase) => reached.has(phase)) ?? 'problem_exploration';
}

/** Phase names as a sentence reads them. */
export const PHASE_TITLES: Readonly<Record<PhaseId, string>> = {
  problem_exploration: 'the problem exploration',
  high_level_design: 'the high-level design',
  deep_dive: 'the deep dive',
  tradeoffs: 'the trade-offs',
  wrap_up: 'the wrap-up',
};

/** The dimensions whose phase was never reached. */
export function dimensionsNotShown(reached: ReadonlySet<PhaseId>): DimensionId[] {
  return DimensionId.options.filter((id) => !reached.has(PHASE_SHOWING[id]));
}

/** Every dimension of the heuristic's judgement, capped by the phases reached; a lowered rating says why in its rationale. */
export function capHeuristicScores(scores: HeuristicScores, reached: ReadonlySet<PhaseId>): HeuristicScores {
  const capped = {} as Record<DimensionId, HeuristicJudgement>;
  for (const id of DimensionId.options) {
    const judgement = scores[id];
    const { rating, reason } = capToPhasesReached(id, judgement.rating, reached);
    capped[id] = reason ? { ...judgement, rating, rationale: `${judgement.rationale} ${reason}` } : judgement;
  }
  return capped;
}
