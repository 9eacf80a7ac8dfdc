import MiniSearch from 'minisearch';
import type { HiddenFact, ProblemCard } from '../problems/problem-card.ts';
import { foldSuffix, isStopWord, tokenize } from '../text/terms.ts';
import { cuedCategories } from './category-cues.ts';

/** A fact that matched a question, with the BM25 score and the query terms it matched. */
export interface FactMatch {
  readonly fact: HiddenFact;
  readonly score: number;
  /** The BM25 part of the score, without the category cue. */
  readonly wordScore: number;
  readonly terms: readonly string[];
}

interface FactDocument {
  id: string;
  topic: string;
  askedBy: string;
}

// Below this BM25 score a match is noise: a single common word shared with a fact. Chosen with the
// leave-one-out retrieval check over the whole problem bank (npm run eval:retrieval; tests/offline/fact-retriever.test.ts).
const MIN_SCORE = 4;
// A second fact is revealed for the same question only when it matched terms the first did not.
const SECOND_FACT_RATIO = 0.6;
// What a question's category cue ("how fast", "what QPS") adds to every fact of that category: on its own
// it clears the noise floor, so a plain question finds its fact; next to a strong word match it barely counts.
const CUE_BONUS = 7;
// Words of the problem's own title and opening count for little: they are what every fact is about.
const SUBJECT_WORD_WEIGHT = 0.3;

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

  readonly #subjectWords: ReadonlySet<string>;

  /**
   * `subject` is the text the candidate already has (the problem's title and opening). Its words name
   * what every fact is about ("fraudulent payments"), so in a question they point at no fact in
   * particular and weigh little.
   */
  constructor(facts: readonly HiddenFact[], subject = '') {
    this.#subjectWords = new Set(tokenize(subject).map((word) => processTerm(word)).filter((term): term is string => term !== null));
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
    return new FactRetriever(problem.facts, `${problem.title} ${problem.opening}`);
  }

  /**
   * Scored matches for a question, best first, above the noise floor: BM25 over the facts' phrasings,
   * plus a bonus for facts of the categories the question cues. With several facts of a cued category
   * and no word match, the card's order decides.
   */
  search(question: string): FactMatch[] {
    const subject = this.#subjectWords;
    const boostTerm = (term: string) => (subject.has(term) ? SUBJECT_WORD_WEIGHT : 1);
    const bm25 = new Map(this.#index.search(question, { boostTerm }).map((result) => [String(result.id), result] as const));
    const cues = cuedCategories(question);
    return [...this.#facts.values()]
      .map((fact, order) => {
        const result = bm25.get(fact.id);
        const score = (result?.score ?? 0) + (cues.has(fact.category) ? CUE_BONUS : 0);
        return { fact, score, wordScore: result?.score ?? 0, terms: result?.terms ?? [], order };
      })
      .filter((match) => match.score >= MIN_SCORE)
      .sort((a, b) => b.score - a.score || a.order - b.order)
      .map(({ fact, score, wordScore, terms }) => ({ fact, score, wordScore, terms }));
  }

  /** The one or two facts a question asks for; empty when it asks for nothing the problem card holds. */
  match(question: string): HiddenFact[] {
    const [first, second] = this.search(question);
    if (!first) return [];
    const chosen = [first.fact];
    // The second fact must match words of its own: a category cue alone never reveals a second fact.
    if (second && second.wordScore >= MIN_SCORE && second.score >= first.score * SECOND_FACT_RATIO && second.terms.some((term) => !first.terms.includes(term))) chosen.push(second.fact);
    return chosen;
  }
}
