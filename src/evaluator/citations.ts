import type { Transcript } from '../transcript/transcript.ts';
import { REMOVED_MARKER_PATTERN } from './integrity.ts';
import type { Evidence } from './scorecard.ts';

/** Why a citation was rejected. */
export type CitationProblem = 'unknown_turn' | 'not_candidate_turn' | 'quote_not_found' | 'quote_too_short';

export interface CitationCheck {
  readonly valid: readonly Evidence[];
  readonly invalid: readonly { readonly evidence: Evidence; readonly problem: CitationProblem }[];
}

// Shorter than this, a "quote" (a word or two) proves nothing about the turn it cites.
const MIN_QUOTE_CHARS = 8;

/** Normalises what may differ between a faithful quote and its source: white space, quote marks, dashes, ellipses. */
export function normaliseForQuote(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201A\u201B\u2032`]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Checks one piece of evidence: its quote must appear verbatim (after normalising) in the candidate turn it
 * cites. Text the pipeline removed (see integrity.ts) left a marker that is not the candidate's words: a
 * quote can neither be the marker nor bridge it, so it must fit in one of the pieces around it.
 */
export function checkCitation(transcript: Transcript, evidence: Evidence): CitationProblem | null {
  const turn = transcript.turns.find((candidate) => candidate.id === evidence.turnId);
  if (!turn) return 'unknown_turn';
  if (turn.role !== 'candidate') return 'not_candidate_turn';
  const quote = normaliseForQuote(evidence.quote).replace(/^\.\.\.\s*|\s*\.\.\.$/g, '');
  if (quote.length < MIN_QUOTE_CHARS) return 'quote_too_short';
  const pieces = turn.text.split(REMOVED_MARKER_PATTERN).map(normaliseForQuote);
  return pieces.some((piece) => piece.includes(quote)) ? null : 'quote_not_found';
}

export function checkCitations(transcript: Transcript, evidence: readonly Evidence[]): CitationCheck {
  const valid: Evidence[] = [];
  const invalid: { evidence: Evidence; problem: CitationProblem }[] = [];
  for (const item of evidence) {
    const problem = checkCitation(transcript, item);
    if (problem) invalid.push({ evidence: item, problem });
    else valid.push(item);
  }
  return { valid, invalid };
}

export function describeCitationProblem(problem: CitationProblem): string {
  switch (problem) {
    case 'unknown_turn':
      return 'the turn id does not exist';
    case 'not_candidate_turn':
      return 'the turn is the interviewer\'s; cite only candidate turns';
    case 'quote_not_found':
      return 'the quote is not in that turn verbatim';
    case 'quote_too_short':
      return `the quote is shorter than ${MIN_QUOTE_CHARS} characters`;
    default: {
      const unreachable: never = problem;
      return String(unreachable);
    }
  }
}
