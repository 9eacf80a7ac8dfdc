import type { PhaseId } from '../../interview/phases.ts';
import type { Transcript } from '../../transcript/transcript.ts';
import { contentTerms } from '../../text/terms.ts';
import { REMOVED_MARKER_PATTERN, sentencesOf } from '../integrity.ts';
import { answerQuality, answerSignals, isNameList, type AnswerQuality, type AnswerSignals } from './answer-signals.ts';

/** A candidate turn with the interviewer turn it answers, and what the answer shows. */
export interface Exchange {
  readonly turnId: number;
  readonly phase: PhaseId;
  readonly question: string;
  readonly answer: string;
  /** The sentences that count as evidence: everything said, less bare lists of names. */
  readonly sentences: readonly string[];
  /** Every sentence of the turn, for citing when nothing else can be. */
  readonly allSentences: readonly string[];
  readonly signals: AnswerSignals;
  readonly quality: AnswerQuality;
}

export function toExchanges(transcript: Transcript): Exchange[] {
  const exchanges: Exchange[] = [];
  transcript.turns.forEach((turn, index) => {
    if (turn.role !== 'candidate') return;
    const previous = transcript.turns.slice(0, index).findLast((candidate) => candidate.role === 'interviewer');
    // Text removed for integrity is read as if it had never been said: the marker only separates sentences.
    // A bare list of names is left out too: it shows vocabulary, not how or why.
    const allSentences = sentencesOf(turn.text.split(REMOVED_MARKER_PATTERN).join('\n'));
    const sentences = allSentences.filter((sentence) => !isNameList(sentence));
    const answer = sentences.join(' ');
    const question = previous?.text ?? '';
    const signals = answerSignals(answer, question);
    exchanges.push({ turnId: turn.id, phase: turn.phase, question, answer, sentences, allSentences, signals, quality: answer ? answerQuality(signals) : 'weak' });
  });
  return exchanges;
}

/** A sentence with the turn it came from. */
export interface CitedSentence {
  readonly turnId: number;
  readonly sentence: string;
}

/**
 * Candidate sentences with near-duplicates removed (a restated point counts once), so repeating oneself
 * adds nothing to a count.
 */
export function distinctSentences(exchanges: readonly Exchange[]): CitedSentence[] {
  const kept: { cited: CitedSentence; terms: Set<string> }[] = [];
  for (const exchange of exchanges) {
    for (const sentence of exchange.sentences) {
      const terms = new Set(contentTerms(sentence));
      if (terms.size === 0) continue;
      const duplicate = kept.some((other) => jaccard(terms, other.terms) >= 0.6);
      if (!duplicate) kept.push({ cited: { turnId: exchange.turnId, sentence }, terms });
    }
  }
  return kept.map((entry) => entry.cited);
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const term of a) if (b.has(term)) shared += 1;
  return shared / (a.size + b.size - shared);
}
