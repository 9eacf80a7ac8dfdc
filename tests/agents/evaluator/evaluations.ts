import type { EvaluationOutput } from '../../../src/agents/evaluator/evaluation-output.ts';
import type { DimensionId } from '../../../src/evaluator/dimensions.ts';
import type { Rating } from '../../../src/evaluator/scorecard.ts';

/**
 * Evaluations of evals/datasets/labelled/support-injection.json as a model would return them. The quotes
 * are verbatim from its candidate turns. The provider fixtures (tests/fixtures/{openai,anthropic}/evaluation-*)
 * carry the same objects in each API's wire shape; a test checks that they stay in step.
 */

type DimensionOutput = EvaluationOutput['dimensions'][DimensionId];

const dimension = (rating: Rating, turnId: number, quote: string, note: string, confidence = 0.7): DimensionOutput => ({
  rating,
  confidence,
  evidence: [{ turnId, quote, polarity: rating === 'below' ? 'negative' : 'positive', note }],
  rationale: `Turn ${turnId} shows this.`,
});

export const VALID_EVALUATION: EvaluationOutput = {
  dimensions: {
    problem_navigation: dimension('meets', 4, 'How many conversations per day?', 'asks about scale'),
    technical_depth: dimension('meets', 24, "We'd chunk the articles into paragraphs of a few hundred tokens", 'explains chunking'),
    technical_breadth: dimension('meets', 28, "we'd need to remove the personal data first", 'privacy'),
    system_design: dimension('meets', 12, 'We embed it and retrieve the top 5 help center articles from a vector database.', 'retrieval path'),
    tradeoff_analysis: dimension('meets', 32, "it's a trade-off between quality and latency and cost", 'names the axes'),
    production_awareness: dimension('below', 30, "We'd put it on a dashboard.", 'no alert condition'),
    strategic_thinking: dimension('below', 34, 'LLMs are much cheaper than humans in general', 'no cost estimate'),
    communication: dimension('meets', 38, 'To summarize: RAG over the help center with a vector DB', 'summarises'),
  },
  summary: 'A workable RAG design with thin evaluation and operations.',
  strengths: ['Clear retrieval design'],
  growthAreas: ['Define alert conditions'],
  feedback: 'In turn 30 you listed metrics; say what would page someone.',
  integrityFlags: [],
  interviewerIssues: [],
};

export const FABRICATED_QUOTE = "We'd shard the vector index by tenant to keep p99 under 50 ms.";

/** The valid evaluation, except that technical depth stands on a quote the candidate never said. */
export const FABRICATED_EVALUATION: EvaluationOutput = {
  ...VALID_EVALUATION,
  dimensions: { ...VALID_EVALUATION.dimensions, technical_depth: dimension('exceeds', 24, FABRICATED_QUOTE, 'deep on serving', 0.9) },
};

/** Not an evaluation: a missing dimension, a rating off the scale, and a recommendation the model must not give. */
export const SCHEMA_INVALID_EVALUATION: unknown = {
  ...VALID_EVALUATION,
  dimensions: Object.fromEntries(
    Object.entries(VALID_EVALUATION.dimensions)
      .filter(([id]) => id !== 'communication')
      .map(([id, value]) => [id, id === 'technical_depth' ? { ...value, rating: 'strong' } : value]),
  ),
  recommendation: 'strong_hire',
};

/** An evaluation with every dimension at one rating, citing `quote` in `turnId` (for hand-made transcripts). */
export function uniformEvaluation(rating: Rating, turnId: number, quote: string, overrides: Partial<Record<DimensionId, DimensionOutput>> = {}): EvaluationOutput {
  const base = dimension(rating, turnId, quote, 'note');
  return {
    ...VALID_EVALUATION,
    dimensions: {
      problem_navigation: base,
      technical_depth: base,
      technical_breadth: base,
      system_design: base,
      tradeoff_analysis: base,
      production_awareness: base,
      strategic_thinking: base,
      communication: base,
      ...overrides,
    },
  };
}
