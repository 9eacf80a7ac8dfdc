import type { PhaseId } from '../../interview/phases.ts';
import { DIMENSION_NAMES, DimensionId } from '../dimensions.ts';
import type { Evidence } from '../scorecard.ts';
import { SIGNAL_PATTERNS, sentenceShowing } from './answer-signals.ts';
import type { Exchange } from './exchanges.ts';
import type { HeuristicScores } from './offline-evaluator.ts';
import { dimensionsNotShown, lastPhase, PHASE_TITLES, phasesMissed } from './phase-caps.ts';

/** What to do differently, per dimension: the next step for a dimension that fell short, or that only just met the bar. */
export const ADVICE: Readonly<Record<DimensionId, string>> = {
  problem_navigation: 'Before designing, ask about scale, latency, labels, the business goal and the cost of each kind of error, and say which assumptions you will design for.',
  technical_depth: 'When probed, explain how the thing you named works here, with a number, a failure mode or a reason; "a library handles it" is not an answer.',
  technical_breadth: 'Cover the whole system: data and labels, features, model, serving, evaluation, experimentation and monitoring, each with a concrete choice.',
  system_design: 'Lay out the components end to end (data in, features, training, serving, decision, feedback) and say what happens when one of them fails.',
  tradeoff_analysis: 'Name the alternative you rejected and why, and say what your choice costs: "X rather than Y because Z, at the cost of W".',
  production_awareness: 'Say how you would launch safely (shadow, canary, A/B), what you would monitor and alert on, and how you would roll back.',
  strategic_thinking: 'Tie the design to the business metric and the cost of errors, and say what you would build first and what later.',
  communication: 'Lead with the answer, signpost your structure, and close with a short summary of the design and its risks.',
};

const DEFLECTION_ADVICE = 'At the edge of what you know, say so and reason aloud towards an answer ("I am not sure, but I would reason like this"), rather than handing the question to a tool or to later.';
const PACE_ADVICE = 'Keep to the phase budgets so that the design, the deep dive, the trade-offs and a closing summary all get their time: a phase never reached leaves its dimensions without evidence.';
const MAX_GROWTH_AREAS = 4;

/** One thing to work on: what the transcript shows, the turn that shows it, and the next step. */
export interface GrowthArea {
  readonly title: string;
  /** The turn the finding rests on; null only for a transcript with no turn at all. */
  readonly turnId: number | null;
  readonly finding: string;
  readonly nextStep: string;
}

/**
 * Growth areas from the signals the heuristic already computed, each naming a turn, never empty: the
 * dimensions rated below (with the answer that counts against them), a deflected probe, the phases the
 * interview never reached, then the dimensions that only met the bar on the thinnest evidence. A strong
 * interview still gets one: the dimension its rating rests on least.
 */
export function findGrowthAreas(scores: HeuristicScores, exchanges: readonly Exchange[], reached: ReadonlySet<PhaseId>, lastTurnId: number | null): GrowthArea[] {
  // Turns already named: a dimension prefers evidence from another turn, so one answer does not fill the list.
  const used = new Set<number>();
  const take = (area: GrowthArea | null): GrowthArea[] => {
    if (!area) return [];
    if (area.turnId !== null) used.add(area.turnId);
    return [area];
  };
  const byThinness = (rating: 'below' | 'meets' | 'exceeds') => DimensionId.options.filter((id) => scores[id].rating === rating).sort((a, b) => thinness(scores, b) - thinness(scores, a));
  const below = byThinness('below');
  const areas: GrowthArea[] = below.slice(0, 2).flatMap((id) => take(fromDimension(id, scores, used)));
  const deflection = exchanges.find((exchange) => exchange.signals.deflects && !used.has(exchange.turnId));
  if (deflection) areas.push(...take({ title: 'Answers at the edge of your knowledge', turnId: deflection.turnId, finding: `"${sentenceShowing(deflection.answer, SIGNAL_PATTERNS.deflection) ?? deflection.answer}" deflects the question instead of reasoning towards an answer.`, nextStep: DEFLECTION_ADVICE }));
  const missed = phasesMissed(reached);
  const lastCandidateTurn = exchanges.at(-1)?.turnId ?? lastTurnId;
  if (missed.length > 0) {
    const finding = `The interview ended in ${PHASE_TITLES[lastPhase(reached)]}, before ${listed(missed.map((phase) => PHASE_TITLES[phase]))}, so ${listed(dimensionsNotShown(reached).map((id) => DIMENSION_NAMES[id]))} could not be shown in full.`;
    areas.push(...take({ title: 'Reaching every phase', turnId: lastCandidateTurn, finding, nextStep: PACE_ADVICE }));
  }
  for (const id of [...below.slice(2), ...byThinness('meets')]) if (areas.length < MAX_GROWTH_AREAS) areas.push(...take(fromDimension(id, scores, used)));
  if (areas.length > 0) return areas.slice(0, MAX_GROWTH_AREAS);
  const thinnest = byThinness('exceeds')[0];
  const strongest = thinnest ? fromDimension(thinnest, scores, used) : null;
  if (strongest) return [strongest];
  // Nothing was rated and every phase was reached: the interview is too thin to judge, and says where it stops.
  return [{ title: 'Enough to judge', turnId: lastCandidateTurn, finding: 'Too little was said for any dimension to be rated.', nextStep: 'Answer each question with a concrete choice and the reason for it, so that there is something to rate.' }];
}

/** A growth area as one line of the scorecard's list. */
export function describeGrowthArea(area: GrowthArea): string {
  return `${area.title}, ${area.turnId === null ? 'no turn' : `turn ${area.turnId}`}: ${area.finding}`;
}

/** The next step of a growth area, as one line of the feedback's list. */
export function describeNextStep(area: GrowthArea): string {
  return `${area.turnId === null ? '' : `Turn ${area.turnId}: `}${area.nextStep}`;
}

/** The growth area of one rated dimension, on the turn its evidence cites (one not named yet, when it can); none when it cites nothing. */
function fromDimension(id: DimensionId, scores: HeuristicScores, used: ReadonlySet<number>): GrowthArea | null {
  const judgement = scores[id];
  const pick = (polarity: Evidence['polarity']) => {
    const own = judgement.evidence.filter((item) => item.polarity === polarity);
    return own.find((item) => !used.has(item.turnId)) ?? own[0];
  };
  const against = pick('negative');
  const support = pick('positive');
  const title = DIMENSION_NAMES[id];
  if (against) return { title, turnId: against.turnId, finding: `rated ${judgement.rating}: "${against.quote}"${noteOf(against)}.`, nextStep: ADVICE[id] };
  if (!support) return null;
  // The guide: Exceeds means clearly above the bar, "shown in several places in the transcript".
  const finding = judgement.rating === 'below' ? `rated below; the only evidence for it is "${support.quote}"${noteOf(support)}.` : `rated ${judgement.rating} on "${support.quote}"${noteOf(support)}; ${judgement.rating === 'meets' ? 'exceeds needs' : 'keep'} evidence like it in several places.`;
  return { title, turnId: support.turnId, finding, nextStep: ADVICE[id] };
}

/** "a", "a and b", "a, b and c". */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function noteOf(evidence: Evidence): string {
  return evidence.note.trim() ? ` (${evidence.note.trim()})` : '';
}

/** How little a rating stands on: negative evidence first, then fewer positive citations. */
function thinness(scores: HeuristicScores, id: DimensionId): number {
  const evidence = scores[id].evidence;
  return (evidence.some((item) => item.polarity === 'negative') ? 10 : 0) - evidence.filter((item) => item.polarity === 'positive').length;
}
