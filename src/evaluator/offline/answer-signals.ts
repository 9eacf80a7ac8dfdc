import { contentTerms, splitSentences, tokenize } from '../../text/terms.ts';

/**
 * Observable qualities of one candidate answer, each a yes/no (never a count), so that saying the same
 * thing at greater length, or naming more terms, does not change them.
 */
export interface AnswerSignals {
  /** Kinds of substance present: a mechanism or reason, a quantity, a condition or failure mode, a cost or trade-off, a way to verify. */
  readonly substance: ReadonlySet<SubstanceKind>;
  /** Says it does not know, or hands the question to a tool, a library or "the paper". */
  readonly deflects: boolean;
  /** Waves away a risk or a practice without a reason ("doesn't matter", "no need for A/B tests"). */
  readonly dismisses: boolean;
  /** Makes an absolute claim ("always", "guaranteed", "no downside"). */
  readonly absolute: boolean;
  /** Falls back on "it depends" or "both have merits" and never commits to a choice. */
  readonly hedges: boolean;
  /** Shares at least one content word with the question it answers. Informational: short, precise answers often share none. */
  readonly responsive: boolean;
}

export type SubstanceKind = 'mechanism' | 'quantity' | 'condition' | 'tradeoff' | 'verification';

const NUMBER_WORD = '(a|one|two|three|four|five|ten|a few|several|hundreds? of|thousands? of|millions? of|billions? of|a (few )?hundred|a (few )?thousand|half an?)';
const UNIT = '(ms|milliseconds?|seconds?|minutes?|hours?|days?|weeks?|months?|years?|%|percent|qps|requests?|users|items|trees|gb|tb|dollars?|cents?)';
const SUBSTANCE: Readonly<Record<SubstanceKind, RegExp>> = {
  // Reasons and mechanisms, including the causal verbs concise speakers use instead of "because".
  mechanism: new RegExp(
    String.raw`\b(because|so that|which means|that way|in exchange|the reasons?|otherwise|instead of|rather than|therefore|since|thanks to|due to)\b|, so\b|\bby (using|keeping|training|computing|sampling|adding|dropping|joining|caching|sharding|replaying|weighting|comparing|holding)\b|\b(makes?|lets?|allows?|enables?|avoids?|prevents?|captures?|misses|reduces?|increases?|removes?|corrects?|protects?|isolates?|decouples?|bounds?|caps?|gives?|keeps?|saves?|catches|blocks?|limits?|lowers?|raises?|drives?|leads? to|results? in|turns? into|means)\b`,
    'i',
  ),
  quantity: new RegExp(String.raw`\d+(\.\d+)?\s*(%|x\b|k\b|m\b|b\b|\w+)|\bp\d\d\b|\$\s?\d|\b${NUMBER_WORD}\s+${UNIT}\b|\b(twice|double|tenfold|halve|order of magnitude)\b`, 'i'),
  condition: /\b(if|when|unless|until|once|fails?|failure|breaks?|stale|lags?|outage|degrad(e|es|ed|ation)|fall ?back|timeout|edge case|worst case|plateau\w*)\b/i,
  tradeoff: /\b(trade[- ]?offs?|at the cost of|costs?|cheaper|expensive|in exchange|give up|versus|vs\.?|downside|upside|drawbacks?|benefits?|the price|however|but)\b/i,
  verification: /\b(measur\w*|check\w*|validat\w*|verif\w*|a\/b|experiments?|holdouts?|backtest\w*|shadow|canary|monitor\w*|alert\w*|dashboards?|calibrat\w*|ablations?|evaluat\w*|compare against|randomi[sz]ed)\b/i,
};

const DEFLECTION = /\b(not sure|no idea|don'?t (really )?know|have to look (it|that|this) up|look (it|that) up|details are in|in the paper|just use (a|the) (library|framework|tool)|the (library|framework|tool) (handles|takes care)|handles? (it|that) (automatically|for us)|(we'?d|we will|we'll) figure (it|that) out|off the top of my head|something like that|can'?t remember|not my area|someone else would)\b/i;
const DISMISSAL = /\b(doesn'?t (really )?matter|not (really )?(an issue|a problem|a concern|important|needed|necessary)|no need (for|to)|no reason to|(is|are) overblown|overrated|don'?t need to worry|we can (just )?ignore|irrelevant|(is|are) a myth|(a )?legacy (design|approach|thing)|not really, no|isn'?t worth it|waste of time)\b/i;
// The guide's "falls back on 'it depends' without committing": a hedge counts only when no choice is made.
const HEDGE = /\b((it|that|this) (really |all |just |always )?depends|pros and cons|both (have|has) (their )?(merits|pros|strengths)|no (universally |single |one )?right answer|(is|it'?s) (really )?situational|keep (the|our|my) options open|(don'?t|wouldn'?t|do not|would not) want to commit)\b/i;
const COMMITMENT = /\b((I'?d|I would|we'?d|we would|I will|I'?ll|we will|we'?ll|let'?s)\s+(\w+\s+)?(choose|pick|go with|use|start with|take|prefer|recommend|ship|build)|my (choice|recommendation|pick) (is|would be)|I (chose|choose|pick|prefer|recommend))\b/i;
const ABSOLUTE = /\b(always|never fails?|guarantee[sd]?|100\s?%|perfect(ly)?|no downside|zero risk|cannot fail|can'?t fail|constant time regardless|solves (it|everything)|essentially free|completely eliminate\w*)\b/i;

export function answerSignals(answer: string, question: string): AnswerSignals {
  const substance = new Set<SubstanceKind>();
  for (const [kind, pattern] of Object.entries(SUBSTANCE) as [SubstanceKind, RegExp][]) if (pattern.test(answer)) substance.add(kind);
  const questionTerms = new Set(contentTerms(question));
  return {
    substance,
    deflects: DEFLECTION.test(answer),
    dismisses: DISMISSAL.test(answer),
    absolute: ABSOLUTE.test(answer),
    hedges: HEDGE.test(answer) && !COMMITMENT.test(answer),
    responsive: questionTerms.size === 0 || contentTerms(answer).some((term) => questionTerms.has(term)),
  };
}

/**
 * A sentence that only strings names together: four or more short items joined by commas or "and", with
 * no reason, number or condition. Naming is not explaining, so such a sentence is not evidence of anything.
 */
export function isNameList(sentence: string): boolean {
  // A question that lists options is asking, not name-dropping.
  if (sentence.trim().endsWith('?')) return false;
  if (SUBSTANCE.mechanism.test(sentence) || SUBSTANCE.quantity.test(sentence) || SUBSTANCE.condition.test(sentence)) return false;
  const items = sentence
    .replace(/[.!?:]+$/, '')
    .split(/,|;|\band\b|\bor\b|\bplus\b/i)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  if (items.length < 4) return false;
  const short = items.filter((item) => tokenize(item).length <= 4).length;
  return short / items.length >= 0.75;
}

/** How an answer to a probe held up. */
export type AnswerQuality = 'strong' | 'partial' | 'weak';

export function answerQuality(signals: AnswerSignals): AnswerQuality {
  if (signals.deflects || signals.dismisses || signals.hedges || signals.substance.size === 0) return 'weak';
  if (signals.absolute && signals.substance.size < 3) return 'weak';
  return signals.substance.size >= 2 && !signals.absolute ? 'strong' : 'partial';
}

/** The sentence of an answer that best shows a signal, for citing as evidence. */
export function sentenceShowing(answer: string, pattern: RegExp): string | null {
  return splitSentences(answer).find((sentence) => pattern.test(sentence)) ?? null;
}

export const SIGNAL_PATTERNS = { ...SUBSTANCE, deflection: DEFLECTION, dismissal: DISMISSAL, absolute: ABSOLUTE, hedge: HEDGE } as const;
