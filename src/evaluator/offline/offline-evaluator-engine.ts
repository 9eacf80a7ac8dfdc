import type { PhaseId } from '../../interview/phases.ts';
import { ZERO_USAGE } from '../../llm/model.ts';
import type { Transcript } from '../../transcript/transcript.ts';
import { DIMENSION_NAMES, DimensionId } from '../dimensions.ts';
import type { EvaluationInput, EvaluationSample, EvaluatorEngine, SampleDimension } from '../evaluator-engine.ts';
import { recommend } from '../recommendation.ts';
import type { Recommendation } from '../scorecard.ts';
import { toExchanges } from './exchanges.ts';
import { describeGrowthArea, describeNextStep, findGrowthAreas, type GrowthArea } from './growth-areas.ts';
import { evaluateHeuristically, type HeuristicJudgement, type HeuristicScores } from './offline-evaluator.ts';
import { capHeuristicScores, capRecommendation as capHeuristicRecommendation, phasesReached } from './phase-caps.ts';

// A heuristic reads surface signals, so it never claims high confidence.
const MAX_CONFIDENCE = 0.7;

/** The evaluator that needs no LLM: the heuristic ratings of offline-evaluator.ts plus feedback built from them. */
export class OfflineEvaluator implements EvaluatorEngine {
  readonly engine = 'offline';
  readonly model = 'offline-heuristic';
  readonly heuristic = true;
  readonly promptVersions: Readonly<Record<string, string>>;

  constructor(options: { guideVersion: string }) {
    this.promptVersions = { guide: options.guideVersion, 'offline-evaluator': HEURISTIC_VERSION };
  }

  async evaluateOnce(input: EvaluationInput): Promise<EvaluationSample> {
    // The caps of phase-caps.ts sit between the signals and the scorecard: what the signals counted, limited to what the phases reached can support.
    const reached = phasesReached(input.transcript);
    const scores = capHeuristicScores(evaluateHeuristically(input.transcript), reached);
    const dimensions = Object.fromEntries(DimensionId.options.map((id) => [id, toSampleDimension(scores[id])])) as Record<DimensionId, SampleDimension>;
    const areas = findGrowthAreas(scores, toExchanges(input.transcript), reached, input.transcript.turns.at(-1)?.id ?? null);
    return { dimensions, ...narrative(scores, reached, areas), integrityFlags: [], interviewerIssues: [], usage: ZERO_USAGE, citationsDropped: 0, repairRounds: 0 };
  }

  capRecommendation(recommendation: Recommendation, transcript: Transcript): Recommendation {
    return capHeuristicRecommendation(recommendation, phasesReached(transcript)).recommendation;
  }
}

/** Bumped whenever the heuristic's rules change, so scorecards say which rules produced them. */
export const HEURISTIC_VERSION = 'heuristic-6';

function toSampleDimension(judgement: HeuristicJudgement): SampleDimension {
  const confidence = judgement.rating === 'insufficient' ? 0 : Math.min(MAX_CONFIDENCE, 0.35 + 0.1 * judgement.evidence.length);
  return { rating: judgement.rating, confidence, evidence: judgement.evidence, rationale: judgement.rationale };
}

function narrative(scores: HeuristicScores, reached: ReadonlySet<PhaseId>, areas: readonly GrowthArea[]): Pick<EvaluationSample, 'summary' | 'strengths' | 'growthAreas' | 'feedback'> {
  const ids = DimensionId.options;
  const strengths = ids
    .filter((id) => scores[id].rating === 'exceeds' || scores[id].rating === 'meets')
    .sort((a, b) => rank(scores[b].rating) - rank(scores[a].rating))
    .slice(0, 3)
    .map((id) => {
      const example = scores[id].evidence.find((item) => item.polarity === 'positive');
      return `${DIMENSION_NAMES[id]}: ${scores[id].rationale}${example ? ` For example, turn ${example.turnId}: "${example.quote}"` : ''}`;
    });
  const growthAreas = areas.map(describeGrowthArea);
  const praise = ids
    .map((id) => ({ id, example: scores[id].evidence.find((item) => item.polarity === 'positive') }))
    .filter((entry) => entry.example && scores[entry.id].rating === 'exceeds')
    .slice(0, 2)
    .map((entry) => `In turn ${entry.example?.turnId}, "${entry.example?.quote}" is the kind of specific move that shows ${DIMENSION_NAMES[entry.id].toLowerCase()}.`);
  const insufficient = ids.filter((id) => scores[id].rating === 'insufficient');
  const feedback = [
    ...praise,
    `Next steps:\n${areas.map((area, index) => `${index + 1}. ${describeNextStep(area)}`).join('\n')}`,
    ...(insufficient.length ? [`There was not enough in the interview to judge ${insufficient.map((id) => DIMENSION_NAMES[id]).join(', ')}.`] : []),
    'This feedback comes from the offline heuristic evaluator, which reads observable signals (questions asked, how answers held up under probes, alternatives compared with reasons); it does not judge technical correctness. Use an LLM evaluator or a human reviewer for a fuller judgement.',
  ].join('\n\n');
  const ratings = Object.fromEntries(ids.map((id) => [id, scores[id].rating])) as Record<DimensionId, HeuristicJudgement['rating']>;
  const ruled = recommend(ratings);
  const capped = capHeuristicRecommendation(ruled, reached);
  const summary = `Heuristic assessment: ${ids.map((id) => `${DIMENSION_NAMES[id]} ${scores[id].rating}`).join('; ')}. By the guide's rule this gives "${ruled}".${capped.reason ? ` ${capped.reason}` : ''}`;
  return { summary, strengths, growthAreas, feedback };
}

function rank(rating: string): number {
  return rating === 'exceeds' ? 2 : rating === 'meets' ? 1 : 0;
}
