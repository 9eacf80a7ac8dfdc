import type { FactCategory, HiddenFact, ProblemCard } from '../../src/problems/problem-card.ts';

/**
 * Scripted candidates that fit any problem of the bank: their clarifying questions are taken from the
 * card's own `askedBy` phrasings, and everything else is generic design talk.
 */

/** A question no problem card holds a fact for. */
export const UNANSWERABLE_QUESTION = 'What colour is the carpet in the office?';

/** The first fact of a category; every card has one of each of the six core categories. */
export function factOf(problem: ProblemCard, category: FactCategory): HiddenFact {
  const fact = problem.facts.find((candidate) => candidate.category === category);
  if (!fact) throw new Error(`${problem.id} has no ${category} fact`);
  return fact;
}

/** A card phrasing turned into the question a candidate would type. */
export function asQuestion(phrasing: string): string {
  return `${phrasing.charAt(0).toUpperCase()}${phrasing.slice(1)}?`;
}

const HIGH_LEVEL_DESIGN = [
  'The system ingests events into a log, builds labels from the outcomes we observe, and trains a model offline on that dataset.',
  'Features are computed in a streaming job and stored in a feature store so that training and serving read the same values.',
  'At serving time an online endpoint fetches features, scores the request with the model and returns the decision within the latency budget.',
  'Monitoring covers input drift, prediction distributions and business metrics, with alerts and scheduled retraining.',
];

const DEEP_DIVE_BEFORE_QUESTION = [
  'I would build the training set with time-based splits so that no future information leaks into training.',
  'The first model would be a gradient boosted tree ensemble, because it is fast to train and easy to debug.',
];

const DEEP_DIVE_AFTER_QUESTION = [
  'Evaluation would compare offline metrics with an online experiment that has guardrail metrics.',
  'For serving I would cache features and keep a simpler fallback model for when a dependency times out.',
  'Retraining would run weekly, and earlier when the drift monitors fire.',
];

const TRADEOFFS = [
  'I would give up some accuracy to keep the latency and the operational cost predictable.',
  'I rejected a large deep model because its serving cost and latency did not fit the first version.',
  'Under that change I would keep the pipeline but recalibrate the thresholds and add a human review step.',
];

const WRAP_UP_SUMMARY = 'In summary, a simple model on well monitored features, rolled out gradually, with the main risks in labels and drift.';
/** A question for the interviewer in the wrap-up that a card fact could answer: the wrap-up must not reveal it. */
export function wrapUpQuestion(problem: ProblemCard): string {
  return asQuestion(factOf(problem, 'constraints').askedBy[0] as string);
}

const FILLER = 'Thank you, that was a useful discussion.';

/** The facts the generic candidate asks for, in order, and the phase each question falls in. */
export function askedFacts(problem: ProblemCard): HiddenFact[] {
  return [factOf(problem, 'scale'), factOf(problem, 'latency'), factOf(problem, 'labels'), factOf(problem, 'data')];
}

/**
 * 26 messages: four clarifying questions from the card (and one that no fact answers) in the problem
 * exploration, a framing, an end-to-end design, deep-dive answers with one more question, trade-offs,
 * a summary and a question for the interviewer, then filler.
 */
export function genericCandidate(problem: ProblemCard): string[] {
  const [scale, latency, labels, data] = askedFacts(problem).map((fact) => asQuestion(fact.askedBy[0] as string));
  const messages = [
    scale,
    latency,
    UNANSWERABLE_QUESTION,
    labels,
    'I would frame this as a supervised prediction per request, judged offline by ranking quality and online by the business metric.',
    ...HIGH_LEVEL_DESIGN,
    ...DEEP_DIVE_BEFORE_QUESTION,
    data,
    ...DEEP_DIVE_AFTER_QUESTION,
    ...TRADEOFFS,
    WRAP_UP_SUMMARY,
    wrapUpQuestion(problem),
  ].filter((message): message is string => message !== undefined);
  while (messages.length < 26) messages.push(FILLER);
  return messages;
}

/** 26 messages that state designs and never ask anything. */
export function statingCandidate(): string[] {
  const statements = [
    'I will start by stating my assumptions and then design against them.',
    'I would frame this as a supervised prediction per request, judged offline by ranking quality and online by the business metric.',
    ...HIGH_LEVEL_DESIGN,
    ...DEEP_DIVE_BEFORE_QUESTION,
    ...DEEP_DIVE_AFTER_QUESTION,
    ...TRADEOFFS,
    WRAP_UP_SUMMARY,
  ];
  const messages = [...statements];
  while (messages.length < 26) messages.push(FILLER);
  return messages;
}
