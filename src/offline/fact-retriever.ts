import MiniSearch from 'minisearch';
import type { HiddenFact, ProblemCard } from '../problems/problem-card.ts';
import { foldSuffix, isStopWord } from '../text/terms.ts';

/** A fact that matched a question, with the BM25 score and the query terms it matched. */
export interface FactMatch {
  readonly fact: HiddenFact;
  readonly score: number;
  readonly terms: readonly string[];
}

interface FactDocument {
  id: string;
  topic: string;
  askedBy: string;
}

// Below this BM25 score a match is noise: a single common word shared with a fact. Chosen with the
// leave-one-out retrieval check over the whole problem bank (tests/offline/fact-retriever.test.ts).
const MIN_SCORE = 4;
// A second fact is revealed for the same question only when it matched terms the first did not.
const SECOND_FACT_RATIO = 0.6;

// Words about the interview itself rather than the problem ("Can I start designing now?"). Alone they
// matched facts that merely contain them ("cold start") and revealed a fact nobody asked for. Compared
// after suffix folding, so "starting" and "designing" are caught too.
const INTERVIEW_WORDS: ReadonlySet<string> = new Set(['start', 'begin', 'design', 'sense']);

const processTerm = (term: string): string | null => {
  const word = term.toLowerCase();
  if (word.length < 2 || isStopWord(word)) return null;
  const folded = foldSuffix(word);
  return INTERVIEW_WORDS.has(folded) ? null : folded;
};

/**
 * Finds the hidden facts a candidate's question asks for, with BM25 (MiniSearch) over each fact's
 * topic and the phrasings that unlock it.
 */
export class FactRetriever {
  readonly #index: MiniSearch<FactDocument>;
  readonly #facts: ReadonlyMap<string, HiddenFact>;

  constructor(facts: readonly HiddenFact[]) {
    this.#facts = new Map(facts.map((fact) => [fact.id, fact]));
    this.#index = new MiniSearch<FactDocument>({
      fields: ['topic', 'askedBy'],
      storeFields: [],
      processTerm,
      searchOptions: { boost: { topic: 1.5 }, prefix: (term) => term.length >= 5, fuzzy: (term) => (term.length >= 7 ? 0.15 : false), combineWith: 'OR' },
    });
    this.#index.addAll(facts.map((fact) => ({ id: fact.id, topic: fact.topic, askedBy: fact.askedBy.join(' \n ') })));
  }

  static forProblem(problem: ProblemCard): FactRetriever {
    return new FactRetriever(problem.facts);
  }

  /** Scored matches for a question, best first, above the noise floor. */
  search(question: string): FactMatch[] {
    return this.#index
      .search(question)
      .filter((result) => result.score >= MIN_SCORE)
      .map((result) => ({ fact: this.#facts.get(String(result.id)) as HiddenFact, score: result.score, terms: result.terms }));
  }

  /** The one or two facts a question asks for; empty when it asks for nothing the problem card holds. */
  match(question: string): HiddenFact[] {
    const [first, second] = this.search(question);
    if (!first) return [];
    const chosen = [first.fact];
    if (second && second.score >= first.score * SECOND_FACT_RATIO && second.terms.some((term) => !first.terms.includes(term))) chosen.push(second.fact);
    return chosen;
  }
}
