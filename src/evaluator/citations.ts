import type { Transcript } from '../transcript/transcript.ts';
import { REMOVED_MARKER_PATTERN } from './integrity.ts';
import type { Evidence } from './scorecard.ts';

/** Why a citation was rejected. */
export type CitationProblem = 'unknown_turn' | 'not_candidate_turn' | 'quote_not_found' | 'quote_too_short';

export interface CitationCheck {
  readonly valid: readonly Evidence[];
  readonly invalid: readonly { readonly evidence: Evidence; readonly problem: CitationProblem }[];
}

/**
 * Shorter than this, a "quote" (a word or two, "Yes.") proves nothing about the turn it cites. The evaluator's
 * prompts and output schema render this number, so what the model is told and what is checked cannot drift.
 */
export const MIN_QUOTE_CHARS = 8;

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
  return checkQuote(transcript, evidence, 'candidate');
}

/** Why an interviewer issue's citation was rejected: the same rules, applied to the interviewer's turns. */
export type InterviewerQuoteProblem = Exclude<CitationProblem, 'not_candidate_turn'> | 'not_interviewer_turn';

/** Checks the quote of an interviewer issue: verbatim, in the interviewer turn it names. */
export function checkInterviewerQuote(transcript: Transcript, issue: { readonly turnId: number; readonly quote: string }): InterviewerQuoteProblem | null {
  const problem = checkQuote(transcript, issue, 'interviewer');
  return problem === 'not_candidate_turn' ? 'not_interviewer_turn' : problem;
}

function checkQuote(transcript: Transcript, cited: { readonly turnId: number; readonly quote: string }, role: 'candidate' | 'interviewer'): CitationProblem | null {
  const turn = transcript.turns.find((candidate) => candidate.id === cited.turnId);
  if (!turn) return 'unknown_turn';
  // 'not_candidate_turn' stands for "not a turn of the role asked for"; checkInterviewerQuote renames it.
  if (turn.role !== role) return 'not_candidate_turn';
  const quote = normaliseForQuote(cited.quote).replace(/^\.\.\.\s*|\s*\.\.\.$/g, '');
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
