import { splitSentences } from '../text/terms.ts';

const QUESTION_START = /^(what|what's|how|who|when|where|which|why|is|are|was|were|do|does|did|can|could|should|would|will|may|any|have|has)\b/i;
const REQUEST_PHRASES = /\b(tell me|i'?d like to know|i want to (know|understand)|can you (share|tell)|could you (share|tell)|do we know|i'?m curious (about|whether|if)|wondering (about|whether|if)|let me ask)\b/i;

/** The sentences of a message that ask the interviewer something. */
export function findQuestions(message: string): string[] {
  return splitSentences(message).filter((sentence) => sentence.endsWith('?') || QUESTION_START.test(sentence) && sentence.length < 200 && !sentence.endsWith('.') || REQUEST_PHRASES.test(sentence));
}
