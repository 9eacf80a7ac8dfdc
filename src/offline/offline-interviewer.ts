import type { EngineInput, EngineTurn, InterviewerAction, InterviewerEngine } from '../interview/engine.ts';
import type { InterviewState, OfflineMemory } from '../interview/interview-state.ts';
import { nextPhase, type PhaseId } from '../interview/phases.ts';
import type { DeepDiveArea, HiddenFact, ProblemCard } from '../problems/problem-card.ts';
import { contentTerms } from '../text/terms.ts';
import { ConceptSpotter, type Concept, type ConceptMention } from './concept-lexicon.ts';
import { FactRetriever } from './fact-retriever.ts';
import { PHASE_OPENERS, PHRASES } from './phrases.ts';
import { findQuestions } from './question-detector.ts';

/** The components a high-level design should cover, and words that show the candidate covered each. */
const DESIGN_COMPONENTS: readonly { id: string; words: RegExp; question: string }[] = [
  { id: 'data', words: /\b(label|labels|labell?ing|training data|ground truth|logs?|events?|dataset)\b/i, question: 'Where do the training data and labels come from, and how do they reach training?' },
  { id: 'features', words: /\b(features?|signals?|embeddings?|feature store)\b/i, question: 'What features would the model use, and how are they computed at serving time?' },
  { id: 'serving', words: /\b(serv(e|ing)|inference|endpoint|online|real[- ]?time|api|request path|latency)\b/i, question: 'Walk me through the path of a single request at serving time, end to end.' },
  { id: 'monitoring', words: /\b(monitor(ing)?|alert(s|ing)?|drift|dashboards?|retrain(ing)?)\b/i, question: 'Once it is live, how do you know the system is working, and how does it keep up as things change?' },
];

const PROBES_PER_AREA = 2;

// The offline engine has a fixed stock of probes per phase, not the open follow-ups a model can ask, so it
// moves on sooner than the phase budgets allow: after this many candidate turns, or at the soft limit.
const OFFLINE_TURNS_PER_PHASE: Readonly<Record<PhaseId, number>> = { problem_exploration: 5, high_level_design: 4, deep_dive: 6, tradeoffs: 3, wrap_up: 2 };

/**
 * The interviewer that runs with no LLM: same contract as the LLM engine. It answers clarifying questions
 * only with facts the candidate asked for (BM25 retrieval), asks "what would you assume?" otherwise,
 * probes concepts the candidate named without explaining, and walks the five phases.
 */
export class OfflineInterviewer implements InterviewerEngine {
  readonly name = 'offline';
  readonly #concepts: readonly Concept[];
  readonly #retrievers = new Map<string, FactRetriever>();
  readonly #spotters = new Map<string, ConceptSpotter>();

  constructor(concepts: readonly Concept[]) {
    this.#concepts = concepts;
  }

  async nextTurn(input: EngineInput, onDelta: (text: string) => void): Promise<EngineTurn> {
    const turn = this.#compose(input);
    // The offline engine has its whole reply at once; it still streams it in word chunks so every client sees one behaviour.
    for (const chunk of turn.text.match(/\S+\s*/g) ?? []) onDelta(chunk);
    return turn;
  }

  #compose(input: EngineInput): EngineTurn {
    const { state, problem } = input;
    const message = lastCandidateText(state);
    const memory: OfflineMemory = structuredClone(state.offline);
    const actions: InterviewerAction[] = [];
    const parts: string[] = [];

    // The clock ended the interview: only the closing is left, after a word on what the candidate asked.
    if (state.ended) {
      const closing = findQuestions(message).length > 0 ? `${PHRASES.answerCandidateQuestion}\n\n${PHRASES.closing}` : PHRASES.closing;
      return { text: closing, actions, engine: this.name, promptVersions: {}, offlineMemory: memory };
    }
    if (input.forcedTransition) parts.push(PHRASES.forcedMove);

    // Clarifying questions are answered in any phase but the wrap-up, and only with the facts they ask
    // for. The guide reveals no further facts in the wrap-up: questions there are about the role.
    const questions = findQuestions(message);
    const answersFacts = lastCandidatePhase(state) !== 'wrap_up';
    const revealed = new Set(state.revealedFacts.map((entry) => entry.factId));
    const answers: HiddenFact[] = [];
    let unanswered = 0;
    for (const question of answersFacts ? questions : []) {
      const facts = this.#retriever(problem).match(question);
      if (facts.length === 0) unanswered += 1;
      for (const fact of facts) {
        if (answers.includes(fact)) continue;
        answers.push(fact);
        if (!revealed.has(fact.id)) actions.push({ type: 'reveal-fact', factId: fact.id });
      }
    }
    for (const fact of answers) parts.push(revealed.has(fact.id) ? PHRASES.alreadyRevealed(fact.answer) : fact.answer);

    const phase = state.phase;
    const mentions = this.#spotter(problem).mentions(message);
    let question: string;
    if (state.phase === 'wrap_up' && !input.forcedTransition) {
      question = this.#wrapUp(state, memory, actions, questions.length > 0);
    } else if (input.forcedTransition || state.candidateTurnsInPhase === 0) {
      question = this.#enterPhase(phase, problem, state, memory);
    } else if (unanswered > 0 && answers.length === 0) {
      memory.unansweredQuestions += 1;
      question = PHRASES.whatWouldYouAssume;
    } else if (questions.length > 0 && phase === 'problem_exploration') {
      question = state.candidateTurnsInPhase >= 4 ? askToFrame(memory) : PHRASES.anythingElse;
    } else {
      question = this.#continuePhase(input, memory, actions, mentions, questions.length > 0);
    }
    parts.push(question);
    const text = parts.join('\n\n');
    return { text, actions, engine: this.name, promptVersions: {}, offlineMemory: memory };
  }

  /** The next question within the current phase, or the move to the next phase when its work is done. */
  #continuePhase(input: EngineInput, memory: OfflineMemory, actions: InterviewerAction[], mentions: ConceptMention[], askedSomething: boolean): string {
    const { state, problem, budget } = input;
    const turns = state.candidateTurnsInPhase;
    const paced = turns >= OFFLINE_TURNS_PER_PHASE[state.phase] ? `the offline interviewer's ${OFFLINE_TURNS_PER_PHASE[state.phase]} turns for this phase are used` : null;
    const spent = budget.status !== 'ok' ? budget.reason : paced;
    const moveOn = (reason: string): string => {
      const to = nextPhase(state.phase);
      if (!to) return PHRASES.closing;
      actions.push({ type: 'advance-phase', to, reason });
      return this.#enterPhase(to, problem, { ...state, phase: to }, memory);
    };
    switch (state.phase) {
      case 'problem_exploration': {
        if (spent) return moveOn(spent);
        // Leave once the candidate has said how they frame the problem (or was asked to, once) and has
        // had a turn to ask what they need; a candidate who frames at once is first invited to ask.
        const framed = FRAMING.test(candidateTextInPhase(state, 'problem_exploration'));
        if (turns >= 2 && (framed || memory.askedProbes.includes(FRAME_PROBE))) return moveOn('the candidate has framed the problem');
        return framed ? PHRASES.anythingElse : askToFrame(memory);
      }
      case 'high_level_design': {
        if (spent) return moveOn(budget.status !== 'ok' ? budget.reason : 'the end-to-end design is on the table');
        // Probed only when actually asked: a concept marked as probed is never asked about again.
        const probe = this.#conceptProbe(mentions, memory);
        if (probe) return probe;
        const designText = candidateTextInPhase(state, 'high_level_design');
        const missing = DESIGN_COMPONENTS.find((component) => !component.words.test(designText) && !memory.askedProbes.includes(`design:${component.id}`));
        if (missing) {
          memory.askedProbes.push(`design:${missing.id}`);
          return missing.question;
        }
        return moveOn('every main component has been discussed');
      }
      case 'deep_dive': {
        if (spent) return moveOn(spent);
        // Every other turn probes a concept the candidate named without explaining; the rest follow the card.
        const probe = turns % 2 === 1 ? this.#conceptProbe(mentions.filter((mention) => !mention.explained), memory) : null;
        if (probe) return probe;
        const next = this.#nextDeepDiveProbe(state, problem, memory);
        return next ?? moveOn('the deep-dive areas are covered');
      }
      case 'tradeoffs': {
        if (spent) return moveOn(spent);
        if (!memory.askedProbes.includes('tradeoffs:alternative')) {
          memory.askedProbes.push('tradeoffs:alternative');
          return PHRASES.rejectedAlternative;
        }
        const change = problem.constraintChanges.find((candidate) => !memory.constraintChanges.includes(candidate.id));
        if (change && memory.constraintChanges.length < 2) {
          memory.constraintChanges.push(change.id);
          return PHRASES.anotherChange(change.prompt);
        }
        return moveOn('the constraint changes have been worked through');
      }
      case 'wrap_up':
        return PHRASES.closing;
      default: {
        const unreachable: never = state.phase;
        throw new Error(`unknown phase ${String(unreachable)}`);
      }
    }
  }

  /** The first question of a phase. */
  #enterPhase(phase: PhaseId, problem: ProblemCard, state: InterviewState, memory: OfflineMemory): string {
    switch (phase) {
      case 'problem_exploration':
        return PHRASES.frameIt;
      case 'high_level_design':
        return PHASE_OPENERS.high_level_design;
      case 'deep_dive':
        return this.#nextDeepDiveProbe(state, problem, memory) ?? PHASE_OPENERS.deep_dive;
      case 'tradeoffs': {
        const change = problem.constraintChanges.find((candidate) => !memory.constraintChanges.includes(candidate.id));
        if (!change) return PHASE_OPENERS.tradeoffs;
        memory.constraintChanges.push(change.id);
        return PHRASES.constraintChange(change.prompt);
      }
      case 'wrap_up':
        memory.wrapUpStep = 1;
        return PHRASES.summary(problem.wrapUp[0] ?? PHASE_OPENERS.wrap_up);
      default: {
        const unreachable: never = phase;
        throw new Error(`unknown phase ${String(unreachable)}`);
      }
    }
  }

  /** Wrap-up: a summary, then the candidate's questions, then goodbye. */
  #wrapUp(state: InterviewState, memory: OfflineMemory, actions: InterviewerAction[], askedSomething: boolean): string {
    if (memory.wrapUpStep <= 1) {
      memory.wrapUpStep = 2;
      return PHRASES.yourQuestions;
    }
    actions.push({ type: 'end-interview', reason: 'the wrap-up is complete' });
    memory.wrapUpStep = 3;
    return askedSomething ? `${PHRASES.answerCandidateQuestion}\n\n${PHRASES.closing}` : PHRASES.closing;
  }

  /** A probe on a concept the candidate named, once per concept. */
  #conceptProbe(mentions: readonly ConceptMention[], memory: OfflineMemory): string | null {
    const mention = mentions.find((candidate) => !candidate.explained && !memory.probedConcepts.includes(candidate.concept));
    if (!mention) return null;
    memory.probedConcepts.push(mention.concept);
    return PHRASES.probeConcept(mention.concept, mention.sentence);
  }

  /** The next unasked probe of the deep-dive area that fits the candidate's own design best. */
  #nextDeepDiveProbe(state: InterviewState, problem: ProblemCard, memory: OfflineMemory): string | null {
    const current = memory.deepDiveAreas.at(-1);
    const currentArea = problem.deepDives.find((area) => area.id === current);
    const askedInCurrent = currentArea ? currentArea.probes.filter((probe) => memory.askedProbes.includes(probe)).length : PROBES_PER_AREA;
    let area: DeepDiveArea | undefined = currentArea && askedInCurrent < PROBES_PER_AREA ? currentArea : undefined;
    let announce = false;
    if (!area) {
      area = rankAreas(problem, candidateText(state)).find((candidate) => !memory.deepDiveAreas.includes(candidate.id));
      if (!area) return null;
      memory.deepDiveAreas.push(area.id);
      announce = true;
    }
    const probe = area.probes.find((candidate) => !memory.askedProbes.includes(candidate));
    if (!probe) return null;
    memory.askedProbes.push(probe);
    return announce ? PHRASES.deepDiveArea(area.area, probe) : probe;
  }

  #retriever(problem: ProblemCard): FactRetriever {
    let retriever = this.#retrievers.get(problem.id);
    if (!retriever) this.#retrievers.set(problem.id, (retriever = FactRetriever.forProblem(problem)));
    return retriever;
  }

  #spotter(problem: ProblemCard): ConceptSpotter {
    let spotter = this.#spotters.get(problem.id);
    if (!spotter) this.#spotters.set(problem.id, (spotter = new ConceptSpotter(this.#concepts, problem)));
    return spotter;
  }
}

// Words that show the candidate has stated how they frame the ML problem or what success means.
const FRAMING = /\b(fram(e|ing)|formulat\w*|predict\w*|classif\w*|rank(ing)?|regression|objective|metrics?|optimi[sz]\w*|success)\b/i;
const FRAME_PROBE = 'exploration:frame';

/** Asks how the candidate frames the problem, and remembers that it was asked. */
function askToFrame(memory: OfflineMemory): string {
  if (!memory.askedProbes.includes(FRAME_PROBE)) memory.askedProbes.push(FRAME_PROBE);
  return PHRASES.frameIt;
}

/** Deep-dive areas ordered by how much the candidate's own words touch them (then as the card lists them). */
function rankAreas(problem: ProblemCard, text: string): DeepDiveArea[] {
  const terms = new Set(contentTerms(text));
  const score = (area: DeepDiveArea) => area.keywords.flatMap((keyword) => contentTerms(keyword)).filter((term) => terms.has(term)).length;
  return problem.deepDives.map((area, index) => ({ area, index, score: score(area) })).sort((a, b) => b.score - a.score || a.index - b.index).map((entry) => entry.area);
}

function lastCandidateText(state: InterviewState): string {
  return state.turns.findLast((turn) => turn.role === 'candidate')?.text ?? '';
}

function lastCandidatePhase(state: InterviewState): PhaseId | undefined {
  return state.turns.findLast((turn) => turn.role === 'candidate')?.phase;
}

function candidateText(state: InterviewState): string {
  return state.turns.filter((turn) => turn.role === 'candidate').map((turn) => turn.text).join('\n');
}

function candidateTextInPhase(state: InterviewState, phase: PhaseId): string {
  return state.turns.filter((turn) => turn.role === 'candidate' && turn.phase === phase).map((turn) => turn.text).join('\n');
}
