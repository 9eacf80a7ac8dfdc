/**
 * Turning free text into comparable terms: shared by the offline interviewer's retrieval and the
 * offline evaluator's signals. Deliberately small: lower-casing, stop words, and light suffix folding
 * so "transactions" matches "transaction" and "labelled" matches "label".
 */

const STOP_WORDS = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being below between both but by
  can could did do does doing don't down during each few for from further had has have having he her here hers herself him himself
  his how i i'd i'll i'm i've if in into is isn't it it's its itself just let's me more most my myself no nor not now of off on once
  only or other our ours ourselves out over own same she should so some such than that that's the their theirs them themselves then
  there there's these they they'd they're this those through to too under until up very was we we'd we'll we're we've were what
  what's when where which while who whom why will with would you you'd you're your yours yourself yourselves also like okay ok sure
  yes yeah well think know want wanted get got go going really kind sort thing things something anything right good great`
    .split(/\s+/)
    .filter(Boolean),
);

/** Lower-cased word tokens, keeping internal hyphens, slashes and digits (p99, a/b, two-tower). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+(?:[-/'][a-z0-9]+)*/g) ?? [];
}

/** Folds common English suffixes. Not a full stemmer: just enough to match plural and tense variants. */
export function foldSuffix(word: string): string {
  if (word.length <= 4 || /\d/.test(word)) return word;
  for (const [suffix, replacement] of [
    ['ies', 'y'],
    ['sses', 'ss'],
    ['ing', ''],
    ['ed', ''],
    ['es', ''],
    ['s', ''],
  ] as const) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4 && !word.endsWith('ss')) return word.slice(0, word.length - suffix.length) + replacement;
  }
  return word;
}

export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/** Content terms of a text: tokens minus stop words, suffix-folded. */
export function contentTerms(text: string): string[] {
  return tokenize(text)
    .filter((word) => !isStopWord(word) && word.length > 1)
    .map(foldSuffix);
}

/** Splits text into sentences, keeping their end punctuation. */
export function splitSentences(text: string): string[] {
  // Line breaks end a sentence (list items, pasted blocks); within a line, end punctuation does.
  return text
    .split(/\n+/)
    .flatMap((line) => line.replace(/\s+/g, ' ').split(/(?<=[.!?])\s+(?=[A-Z0-9"'(])/))
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}
