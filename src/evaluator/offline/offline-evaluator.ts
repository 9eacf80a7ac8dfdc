import type { PhaseId } from '../../interview/phases.ts';
import type { Transcript } from '../../transcript/transcript.ts';
import { MIN_QUOTE_CHARS } from '../citations.ts';
import type { DimensionId } from '../dimensions.ts';
import type { Evidence, Rating } from '../scorecard.ts';
import { SIGNAL_PATTERNS, sentenceShowing } from './answer-signals.ts';
import { distinctSentences, toExchanges, type CitedSentence, type Exchange } from './exchanges.ts';
import { findQuestions } from '../../offline/question-detector.ts';
import {
  ALTERNATIVE,
  BREADTH_TOPICS,
  CLARIFYING_TOPICS,
  DESIGN_COMPONENTS,
  FRAMING,
  PRODUCTION_TOPICS,
  STRATEGY_TOPICS,
  STRUCTURE,
  SUMMARY,
  topicsIn,
  type TopicMap,
} from './topics.ts';

/** One dimension as the heuristic judged it. */
export interface HeuristicJudgement {
  readonly rating: Rating;
  readonly evidence: readonly Evidence[];
  readonly rationale: string;
}

export type HeuristicScores = Record<DimensionId, HeuristicJudgement>;

const MAX_EVIDENCE = 4;
const SUBSTANCE_NAMES = { mechanism: 'reason', quantity: 'number', condition: 'failure mode or condition' } as const;
const HAS_SUBSTANCE = new RegExp([SIGNAL_PATTERNS.mechanism, SIGNAL_PATTERNS.quantity, SIGNAL_PATTERNS.condition, SIGNAL_PATTERNS.tradeoff].map((pattern) => pattern.source).join('|'), 'i');
const SUBSTANCE_KINDS = ['mechanism', 'quantity', 'condition', 'tradeoff', 'verification'] as const;
const DOWNGRADE: Readonly<Record<Rating, Rating>> = { exceeds: 'meets', meets: 'below', below: 'below', insufficient: 'insufficient' };

/**
 * Rates a (blinded, neutralised) transcript from signals a reader can see in it. Every signal is a
 * yes/no per answer or a count of distinct topics, never of words: saying more, or naming more terms,
 * earns nothing by itself. It is a heuristic, and its reports say so.
 */
export function evaluateHeuristically(transcript: Transcript): HeuristicScores {
  const exchanges = toExchanges(transcript);
  const inPhase = (...phases: PhaseId[]) => exchanges.filter((exchange) => phases.includes(exchange.phase));
  const distinct = distinctSentences(exchanges);
  const depth = technicalDepth(inPhase('high_level_design', 'deep_dive'));
  return {
    problem_navigation: problemNavigation(inPhase('problem_exploration')),
    technical_depth: depth,
    technical_breadth: capBy(topicJudgement(distinct, exchanges, BREADTH_TOPICS, { exceeds: 6, meets: 4 }, 'areas of the system'), depth, 'the areas named'),
    system_design: capBy(systemDesign(inPhase('high_level_design')), depth, 'the components named'),
    tradeoff_analysis: tradeoffAnalysis(distinct, inPhase('tradeoffs'), exchanges),
    production_awareness: capBy(withDismissals(topicJudgement(distinct, exchanges, PRODUCTION_TOPICS, { exceeds: 5, meets: 3 }, 'operational concerns'), exchanges), depth, 'the operational concerns named'),
    strategic_thinking: capBy(topicJudgement(distinct, exchanges, STRATEGY_TOPICS, { exceeds: 4, meets: 2 }, 'business and organisational considerations'), depth, 'the considerations named'),
    communication: communication(exchanges),
  };
}

function problemNavigation(exchanges: readonly Exchange[]): HeuristicJudgement {
  if (exchanges.length === 0) return insufficient('The candidate did not speak during problem exploration.');
  const questions = exchanges.flatMap((exchange) => findQuestions(exchange.answer).map((sentence) => ({ turnId: exchange.turnId, sentence })));
  const topics = new Set(questions.flatMap((question) => topicsIn(question.sentence, CLARIFYING_TOPICS)));
  // A framing offered among others without choosing one ("we could frame it as X, or Y") frames nothing.
  // A question that mentions a prediction target ("do we predict X or Y?") asks for the framing; it does not state one.
  const framing = exchanges.filter((exchange) => !exchange.signals.hedges).flatMap((exchange) => exchange.sentences.filter((sentence) => FRAMING.test(sentence) && findQuestions(sentence).length === 0).map((sentence) => ({ turnId: exchange.turnId, sentence })));
  const evidence = [...questions.slice(0, 3).map((item) => cite(item, 'positive', 'clarifying question')), ...framing.slice(0, 1).map((item) => cite(item, 'positive', 'states the framing or an assumption'))];
  if (questions.length === 0) {
    const first = exchanges[0] as Exchange;
    return { rating: 'below', evidence: [cite({ turnId: first.turnId, sentence: first.allSentences[0] ?? first.answer }, 'negative', 'starts without asking a clarifying question')], rationale: `No clarifying question was asked in problem exploration (turn ${first.turnId} goes straight to a solution).` };
  }
  const rating: Rating = topics.size >= 3 && framing.length > 0 ? 'exceeds' : topics.size >= 2 || framing.length > 0 ? 'meets' : 'below';
  return { rating, evidence, rationale: `${questions.length} clarifying question(s) covering ${topics.size} kind(s) of unknown (${[...topics].join(', ') || 'none recognised'})${framing.length ? `; framing or assumptions stated (turn ${framing[0]?.turnId})` : '; no explicit framing or assumption'}.` };
}

function technicalDepth(exchanges: readonly Exchange[]): HeuristicJudgement {
  const probed = exchanges.filter((exchange) => exchange.question.includes('?'));
  if (probed.length < 2) return insufficient('Too few probing exchanges in the design and deep-dive phases to judge depth.');
  const strong = probed.filter((exchange) => exchange.quality === 'strong');
  const weak = probed.filter((exchange) => exchange.quality === 'weak');
  const strongRatio = strong.length / probed.length;
  const weakRatio = weak.length / probed.length;
  const rating: Rating = strongRatio >= 0.6 && weakRatio <= 0.15 && strong.length >= 3 ? 'exceeds' : strongRatio >= 0.35 && weakRatio <= 0.35 ? 'meets' : 'below';
  const evidence = [...strong.slice(0, 2).map((exchange) => citeAnswer(exchange, 'positive')), ...weak.slice(0, 2).map((exchange) => citeAnswer(exchange, 'negative'))];
  // Only partial answers: they are the evidence, against the rating when it is below.
  if (evidence.length === 0) evidence.push(...probed.slice(0, 2).map((exchange) => citeAnswer(exchange, rating === 'below' ? 'negative' : 'positive')));
  return { rating, evidence, rationale: `Of ${probed.length} answers to probes, ${strong.length} held up with reasons, numbers or failure modes and ${weak.length} deflected, dismissed the concern, overclaimed or did not answer${turnList(weak, ' (turns ', ')')}.` };
}

function systemDesign(exchanges: readonly Exchange[]): HeuristicJudgement {
  if (exchanges.length === 0) return insufficient('The candidate did not reach the high-level design.');
  // Naming the parts of a system and how data flows between them is the design itself, so components
  // count wherever they are named, except in answers that deflect or dismiss.
  const usable = exchanges.filter((exchange) => !exchange.signals.deflects && !exchange.signals.dismisses);
  const sentences = distinctSentences(usable);
  const components = new Set(sentences.flatMap((item) => topicsIn(item.sentence, DESIGN_COMPONENTS)));
  const weak = exchanges.filter((exchange) => exchange.signals.deflects || exchange.signals.dismisses || exchange.signals.hedges || (exchange.signals.absolute && exchange.quality === 'weak'));
  const handlesFailure = exchanges.some((exchange) => exchange.signals.substance.has('condition') && exchange.quality !== 'weak');
  let rating: Rating = components.size >= 5 && handlesFailure ? 'exceeds' : components.size >= 4 ? 'meets' : 'below';
  if (weak.length * 2 > exchanges.length) rating = DOWNGRADE[rating];
  const evidence = [...exchanges.filter((exchange) => exchange.quality !== 'weak').slice(0, 2).map((exchange) => citeAnswer(exchange, 'positive')), ...weak.slice(0, 2).map((exchange) => citeAnswer(exchange, 'negative'))];
  // Every design answer was thin without being evasive: the first one is the evidence.
  if (evidence.length === 0) evidence.push(citeAnswer(exchanges[0] as Exchange, rating === 'below' ? 'negative' : 'positive'));
  return { rating, evidence, rationale: `The design covered ${components.size} of ${Object.keys(DESIGN_COMPONENTS).length} core components (${[...components].join(', ')})${handlesFailure ? ', with failure handling' : ', without saying what happens when parts fail'}; ${weak.length} of ${exchanges.length} design answers were weak${turnList(weak, ' (turns ', ')')}.` };
}

function tradeoffAnalysis(distinct: readonly CitedSentence[], phaseExchanges: readonly Exchange[], all: readonly Exchange[]): HeuristicJudgement {
  const comparisons = distinct.filter((item) => ALTERNATIVE.test(item.sentence) && HAS_SUBSTANCE.test(item.sentence));
  if (phaseExchanges.length === 0 && comparisons.length === 0) return insufficient('The interview did not reach the trade-off discussion and no alternatives were compared.');
  const weak = phaseExchanges.filter((exchange) => exchange.quality === 'weak');
  const dismissive = all.filter((exchange) => exchange.signals.dismisses);
  let rating: Rating = comparisons.length >= 3 && weak.length === 0 ? 'exceeds' : comparisons.length >= 1 && weak.length * 2 <= phaseExchanges.length ? 'meets' : 'below';
  if (dismissive.length >= 2) rating = DOWNGRADE[rating];
  const evidence = [...comparisons.slice(0, 3).map((item) => cite(item, 'positive', 'compares alternatives with a reason')), ...weak.slice(0, 1).map((exchange) => citeAnswer(exchange, 'negative'))];
  return { rating, evidence, rationale: `${comparisons.length} distinct reasoned comparison(s) of alternatives; ${weak.length} weak answer(s) in the trade-off phase${dismissive.length ? `; concerns dismissed without reasons in turns ${dismissive.map((exchange) => exchange.turnId).join(', ')}` : ''}.` };
}

function communication(exchanges: readonly Exchange[]): HeuristicJudgement {
  if (exchanges.length < 4) return insufficient('Too few candidate turns to judge communication.');
  // Asking the interviewer a question (to clarify, to check priorities, when invited to) is engaging with
  // the conversation, not failing to answer: such a turn carries no reasons or numbers, and needs none.
  const engages = (exchange: Exchange) => !exchange.signals.deflects && !exchange.signals.dismisses && (exchange.signals.substance.size > 0 || findQuestions(exchange.answer).length > 0);
  const responsive = exchanges.filter(engages).length / exchanges.length;
  const summary = exchanges.filter((exchange) => exchange.phase === 'wrap_up').flatMap((exchange) => exchange.sentences.filter((sentence) => SUMMARY.test(sentence)).map((sentence) => ({ turnId: exchange.turnId, sentence })));
  const structured = exchanges.filter((exchange) => STRUCTURE.test(exchange.answer));
  const words = exchanges.map((exchange) => exchange.allSentences.join(' ').split(/\s+/).length).sort((a, b) => a - b);
  const medianWords = words[Math.floor(words.length / 2)] ?? 0;
  const verbose = medianWords > 150;
  let rating: Rating = summary.length > 0 && responsive >= 0.9 && structured.length >= 2 && !verbose ? 'exceeds' : responsive >= 0.7 && (summary.length > 0 || structured.length > 0) ? 'meets' : 'below';
  if (verbose) rating = DOWNGRADE[rating];
  const unresponsive = exchanges.filter((exchange) => !engages(exchange));
  const evidence = [...summary.slice(0, 1).map((item) => cite(item, 'positive', 'summarises the design')), ...structured.slice(0, 1).map((exchange) => cite({ turnId: exchange.turnId, sentence: sentenceShowing(exchange.answer, STRUCTURE) ?? firstCitable(exchange) }, 'positive', 'signposts the structure of the answer')), ...unresponsive.slice(0, 2).map((exchange) => citeAnswer(exchange, 'negative'))];
  return { rating, evidence, rationale: `${Math.round(responsive * 100)}% of answers engaged with substance, without deflecting; ${summary.length ? `a summary was given in turn ${summary[0]?.turnId}` : 'no summary was given at the wrap-up'}; ${structured.length} answer(s) signposted their structure${verbose ? `; answers ran long (median ${medianWords} words)` : ''}.` };
}

/** A rating from the distinct topics the candidate discussed with substance. */
function topicJudgement(distinct: readonly CitedSentence[], exchanges: readonly Exchange[], topics: TopicMap, thresholds: { exceeds: number; meets: number }, label: string): HeuristicJudgement {
  // Breadth, operations and strategy come out in the deep dive and after it; an interview that stopped
  // before the deep dive has not given the candidate the chance to show them.
  const reachedDeepDive = exchanges.some((exchange) => exchange.phase === 'deep_dive' || exchange.phase === 'tradeoffs' || exchange.phase === 'wrap_up');
  if (exchanges.length < 5 || !reachedDeepDive) return insufficient(`The interview ended before the deep dive: too little took place to judge ${label}.`);
  const firstByTopic = new Map<string, CitedSentence>();
  for (const item of distinct) {
    if (!HAS_SUBSTANCE.test(item.sentence)) continue;
    for (const topic of topicsIn(item.sentence, topics)) if (!firstByTopic.has(topic)) firstByTopic.set(topic, item);
  }
  const count = firstByTopic.size;
  const rating: Rating = count >= thresholds.exceeds ? 'exceeds' : count >= thresholds.meets ? 'meets' : 'below';
  const evidence = [...firstByTopic.entries()].slice(0, MAX_EVIDENCE).map(([topic, item]) => cite(item, 'positive', topic.replace(/_/g, ' ')));
  const rationale = `Discussed ${count} of ${Object.keys(topics).length} ${label} with reasons or specifics (${[...firstByTopic.keys()].map((topic) => topic.replace(/_/g, ' ')).join(', ') || 'none'}).`;
  if (rating === 'below') {
    // When the interviewer raised one of these topics and the answer gave nothing specific on it, that
    // answer is the evidence for Below; when the topic never came up, there is nothing to judge.
    const raised = exchanges.filter((exchange) => topicsIn(exchange.question, topics).some((topic) => !firstByTopic.has(topic)));
    evidence.push(...raised.slice(0, 2).map((exchange) => ({ ...citeAnswer(exchange, 'negative'), note: `asked about ${topicsIn(exchange.question, topics).map((topic) => topic.replace(/_/g, ' ')).join(', ')}, the answer gave no specifics` })));
    if (evidence.length === 0) return insufficient(`${rationale} The interview did not turn to ${label}.`);
  }
  return { rating, evidence, rationale };
}

/** Dismissing operational concerns without a reason counts against production awareness. */
function withDismissals(judgement: HeuristicJudgement, exchanges: readonly Exchange[]): HeuristicJudgement {
  if (judgement.rating === 'insufficient') return judgement;
  const dismissive = exchanges.filter((exchange) => exchange.signals.dismisses || (exchange.signals.absolute && exchange.quality === 'weak'));
  if (dismissive.length === 0) return judgement;
  const rating = dismissive.length >= 2 ? DOWNGRADE[DOWNGRADE[judgement.rating]] : DOWNGRADE[judgement.rating];
  return {
    rating,
    evidence: [...judgement.evidence.slice(0, 2), ...dismissive.slice(0, 2).map((exchange) => citeAnswer(exchange, 'negative'))],
    rationale: `${judgement.rationale} Risks were dismissed without evidence in turn(s) ${dismissive.map((exchange) => exchange.turnId).join(', ')}.`,
  };
}

/**
 * Naming without holding up is vocabulary. The heuristic rates breadth, design, operations and strategy from
 * what was named with a reason or a number; its only check that the candidate understands what they name is
 * how their answers held up under probes. When those fell short (technical depth below), none of these can
 * exceed on names alone.
 */
function capBy(judgement: HeuristicJudgement, depth: HeuristicJudgement, named: string): HeuristicJudgement {
  if (depth.rating !== 'below' || judgement.rating !== 'exceeds') return judgement;
  return { ...judgement, rating: 'meets', rationale: `${judgement.rationale} Capped at meets: ${named} did not hold up under probing (technical depth is below).` };
}

function insufficient(rationale: string): HeuristicJudgement {
  return { rating: 'insufficient', evidence: [], rationale };
}

function cite(item: CitedSentence, polarity: Evidence['polarity'], note: string): Evidence {
  return { turnId: item.turnId, quote: item.sentence, polarity, note };
}

/** Cites the sentence of an answer that shows why it was judged as it was. */
function citeAnswer(exchange: Exchange, polarity: Evidence['polarity']): Evidence {
  const { signals } = exchange;
  let sentence: string | null = null;
  let note: string;
  if (polarity === 'negative') {
    if (signals.deflects) [sentence, note] = [sentenceShowing(exchange.answer, SIGNAL_PATTERNS.deflection), 'deflects instead of answering'];
    else if (signals.dismisses) [sentence, note] = [sentenceShowing(exchange.answer, SIGNAL_PATTERNS.dismissal), 'dismisses a concern without a reason'];
    else if (signals.absolute) [sentence, note] = [sentenceShowing(exchange.answer, SIGNAL_PATTERNS.absolute), 'makes an absolute claim without support'];
    else if (signals.hedges) [sentence, note] = [sentenceShowing(exchange.answer, SIGNAL_PATTERNS.hedge), 'says "it depends" without committing to a choice'];
    else if (signals.substance.size > 0) [sentence, note] = [sentenceShowing(exchange.answer, HAS_SUBSTANCE), `holds up only partly: ${[...signals.substance].join(', ')}, but no ${(['mechanism', 'quantity', 'condition'] as const).filter((kind) => !signals.substance.has(kind)).map((kind) => SUBSTANCE_NAMES[kind]).join(' or ') || 'further specifics'}`];
    // Said of the whole answer, which is all the heuristic can tell: whether it proposes anything is not observable.
    else note = signals.responsive ? 'gives no reason, number or failure mode' : 'does not answer the question asked';
  } else {
    sentence = sentenceShowing(exchange.answer, HAS_SUBSTANCE);
    // The label names what the quoted sentence carries, not the answer around it; a sentence that carries none gets no label.
    const kinds = sentence ? SUBSTANCE_KINDS.filter((kind) => SIGNAL_PATTERNS[kind].test(sentence as string)) : [];
    note = kinds.length > 0 ? `answer holds up: ${kinds.join(', ')}` : '';
  }
  return { turnId: exchange.turnId, quote: sentence ?? firstCitable(exchange), polarity, note };
}

/** The first sentence long enough to be checked as a quote ("Thanks." proves nothing), else the whole answer. */
function firstCitable(exchange: Exchange): string {
  return exchange.sentences.find((sentence) => sentence.length >= MIN_QUOTE_CHARS) ?? exchange.allSentences.find((sentence) => sentence.length >= MIN_QUOTE_CHARS) ?? exchange.allSentences[0] ?? exchange.answer;
}

function turnList(exchanges: readonly Exchange[], before: string, after: string): string {
  return exchanges.length ? `${before}${exchanges.map((exchange) => exchange.turnId).join(', ')}${after}` : '';
}
