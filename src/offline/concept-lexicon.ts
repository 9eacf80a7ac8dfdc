import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InvalidFileError, formatIssues } from '../errors.ts';
import type { ProblemCard } from '../problems/problem-card.ts';
import { splitSentences, tokenize } from '../text/terms.ts';

/** One concept the offline interviewer can recognise: a display name and the spellings that mean it. */
export const Concept = z.strictObject({ name: z.string().min(2), aliases: z.array(z.string().min(2)).min(1) });
export type Concept = z.infer<typeof Concept>;
export const ConceptList = z.array(Concept);

/** A concept found in a candidate's message, with the sentence it stood in. */
export interface ConceptMention {
  readonly concept: string;
  readonly sentence: string;
  /** Whether that sentence explains it (says how or why) rather than only naming it. */
  readonly explained: boolean;
}

// Words that show a sentence goes beyond naming: a mechanism, a reason, a number or a comparison.
const EXPLANATION_MARKERS = /\b(because|so that|since|which|by|using|via|per|instead of|rather than|otherwise|unless|means|would|trade[- ]?off|cost|latency|when|if)\b|\d/i;
const MIN_EXPLAINING_WORDS = 14;

export function loadConceptList(path: string): Concept[] {
  const parsed = ConceptList.safeParse(parseYaml(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new InvalidFileError(path, formatIssues(parsed.error.issues));
  return parsed.data;
}

/** Recognises concepts in text: the general lexicon plus the problem's own deep-dive areas. */
export class ConceptSpotter {
  readonly #patterns: readonly { concept: string; pattern: RegExp }[];

  constructor(concepts: readonly Concept[], problem?: ProblemCard) {
    const all = [...concepts, ...(problem?.deepDives.map((dive) => ({ name: dive.area, aliases: dive.keywords })) ?? [])];
    this.#patterns = all.flatMap((concept) =>
      concept.aliases.map((alias) => ({ concept: concept.name, pattern: new RegExp(`(^|[^a-z0-9])${escapeRegExp(alias.toLowerCase())}($|[^a-z0-9])`, 'i') })),
    );
  }

  /** Each concept mentioned in the text, once, in order of first mention. */
  mentions(text: string): ConceptMention[] {
    const found = new Map<string, ConceptMention>();
    for (const sentence of splitSentences(text)) {
      for (const { concept, pattern } of this.#patterns) {
        if (found.has(concept) || !pattern.test(sentence)) continue;
        found.set(concept, { concept, sentence, explained: explains(sentence) });
      }
    }
    return [...found.values()];
  }
}

function explains(sentence: string): boolean {
  return tokenize(sentence).length >= MIN_EXPLAINING_WORDS && EXPLANATION_MARKERS.test(sentence);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
