import { DIMENSION_NAMES, DimensionId } from '../evaluator/dimensions.ts';
import { describeCost, describeInterviewCost, HEURISTIC_NOTE } from '../evaluator/render/render-markdown.ts';
import type { Scorecard } from '../evaluator/scorecard.ts';
import type { InterviewCost } from '../interview/interview-cost.ts';
import { describeUsage } from '../llm/pricing.ts';

const RECOMMENDATION_LABELS: Readonly<Record<Scorecard['recommendation'], string>> = {
  strong_hire: 'Strong hire',
  hire: 'Hire',
  no_hire: 'No hire',
  strong_no_hire: 'Strong no hire',
  insufficient: 'Insufficient evidence',
};

/** A short plain-text scorecard for the terminal: the recommendation, the ratings, and the feedback. */
export function scorecardSummary(scorecard: Scorecard): string {
  const width = Math.max(...DimensionId.options.map((id) => DIMENSION_NAMES[id].length));
  const rows = DimensionId.options.map((id) => {
    const dimension = scorecard.dimensions[id];
    return `  ${DIMENSION_NAMES[id].padEnd(width)}  ${dimension.rating}${dimension.needsHumanReview ? ' (needs human review)' : ''}`;
  });
  return [
    ...(scorecard.meta.heuristic ? [HEURISTIC_NOTE] : []),
    `Recommendation: ${RECOMMENDATION_LABELS[scorecard.recommendation]} (advice: a person decides)`,
    '',
    ...rows,
    '',
    'Feedback:',
    scorecard.feedback,
    ...(scorecard.integrityFlags.length ? ['', `Integrity flags: ${scorecard.integrityFlags.length} passage(s) addressed to the evaluator were ignored.`] : []),
    ...(scorecard.meta.heuristic ? [] : ['', `Evaluation: ${describeUsage(scorecard.meta.usage)} tokens; cost: ${describeCost(scorecard.meta.costUsd, scorecard.meta.model)}.`]),
  ].join('\n');
}

/** One line on what the interviewer's model calls used and cost. */
export function interviewCostLine(cost: InterviewCost): string {
  return `Interviewer: ${describeUsage(cost.usage)} tokens; cost: ${describeInterviewCost(cost)}.`;
}
