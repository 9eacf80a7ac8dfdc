import { DimensionId } from '../../evaluator/dimensions.ts';
import { describeBudget, describeBudgetTable, describeClock } from '../../interview/budget-status.ts';
import type { InterviewState } from '../../interview/interview-state.ts';
import type { BudgetCheck } from '../../interview/phase-machine.ts';
import { PHASE_BUDGETS, PHASE_ORDER } from '../../interview/phases.ts';
import type { ModelStep } from '../../interview/turn-steps.ts';
import type { ModelMessage, ModelRequest } from '../../llm/model.ts';
import type { ProblemCard } from '../../problems/problem-card.ts';
import type { Guide } from '../../resources.ts';
import type { PromptLibrary } from '../../prompts/prompt-library.ts';
import { interviewerTools } from './interviewer-tools.ts';

export interface InterviewerRequestInput {
  readonly guide: Guide;
  readonly prompts: PromptLibrary;
  readonly problem: ProblemCard;
  /** The interview as it stood when this turn began: its conversation is replayed as it happened. */
  readonly state: InterviewState;
  readonly budget: BudgetCheck;
  readonly now: Date;
  readonly forcedTransition: string | null;
  /** The model calls of the current turn so far (its tool loop), appended after the stored conversation. */
  readonly currentSteps?: readonly ModelStep[];
  /** What the turn context describes; `state` unless the current turn's tool calls have moved it on. */
  readonly contextState?: InterviewState;
}

// The first message must come from the user on every provider; the transcript starts with the interviewer.
const START_MESSAGE = '(The candidate has joined. Open the interview.)';

/** The prompt ids every interviewer request uses, for version records: each phase's instructions are in every request. */
export function interviewerPromptIds(): string[] {
  return ['interviewer/persona', 'interviewer/problem-card', 'interviewer/turn-context', ...PHASE_ORDER.map((phase) => `interviewer/phase-${phase}`), 'interviewer/closing'];
}

/**
 * What to do in every phase, and in the closing turn, as one stable section of the cached system prompt:
 * the turn context then only names the current one, so it stays small and the prefix stays shared.
 */
function phasePlaybook(prompts: PromptLibrary, clockScale: number): string {
  const phases = PHASE_ORDER.map((phase) => `## ${PHASE_BUDGETS[phase].title} (\`${phase}\`)\n\n${prompts.render(`interviewer/phase-${phase}`)}`);
  return [
    '# What to do in each phase',
    'The turn context at the end of each request says which phase the interview is in; follow that phase\'s section.',
    ...phases,
    `## Closing (when the clock has ended the interview)\n\n${prompts.render('interviewer/closing')}`,
    `# How time is counted\n\n${describeClock(clockScale)}\n\n${describeBudgetTable(clockScale)}`,
  ].join('\n\n');
}

/**
 * Builds the interviewer's request, ordered for prompt caching. The system prompt (the guide, the persona
 * and the problem card) never changes during an interview and is marked cacheable. The conversation
 * follows as it happened, tool calls and results included, each earlier message byte-identical to the
 * one sent before; its newest message is marked cacheable too (see cacheAnchors), so the next call
 * reads the history from the cache. Everything that changes from turn to turn (phase, time, budgets, revealed facts, notes)
 * is one trailing user message after it, sent with this request only and never stored.
 */
export function buildInterviewerRequest(input: InterviewerRequestInput): ModelRequest {
  const { prompts, problem } = input;
  const problemCard = prompts.render('interviewer/problem-card', {
    title: problem.title,
    opening: problem.opening,
    facts: problem.facts.map((fact) => `- \`${fact.id}\` (${fact.category}): ${fact.topic}. [hidden]`).join('\n'),
    deepDives: problem.deepDives
      .map((dive) => `### ${dive.area}\nProbes:\n${dive.probes.map((probe) => `- ${probe}`).join('\n')}\nA strong answer contains:\n${dive.strongAnswer.map((item) => `- ${item}`).join('\n')}`)
      .join('\n\n'),
    constraintChanges: problem.constraintChanges.map((change) => `- ${change.prompt} (look for: ${change.whatToLookFor.join('; ')})`).join('\n'),
    wrapUp: problem.wrapUp.map((prompt) => `- ${prompt}`).join('\n'),
  });
  const history = conversationMessages(input.state, input.currentSteps ?? []);
  const anchors = cacheAnchors(history);
  return {
    system: [{ text: input.guide.text }, { text: `${prompts.render('interviewer/persona')}\n\n${problemCard}\n\n${phasePlaybook(prompts, input.budget.clockScale)}`, cache: true }],
    messages: [...history.map((message, index) => (anchors.includes(index) ? { ...message, cache: true } : message)), { role: 'user', content: renderTurnContext(input) }],
    tools: interviewerTools(problem),
    // Replies are short by instruction; the headroom is for reasoning models, whose thinking counts against it.
    maxOutputTokens: 4096,
  };
}

/**
 * The turn context: where the interview is now, with an index of the facts revealed and the evidence
 * noted so far, rendered from `contextState` (the state as this turn's tool calls left it). Facts are
 * listed by id only: a fact's answer reaches the model only through its tool result, never here. One
 * function, so that what the context shows is decided in one place.
 */
export function renderTurnContext(input: InterviewerRequestInput): string {
  const { prompts, problem } = input;
  const context = input.contextState ?? input.state;
  // Computed from the state as this turn's tool calls left it, not from `input.budget`: after a phase move
  // within this turn the figures must describe the new phase.
  const status = describeBudget({ state: context, now: input.now, clockScale: input.budget.clockScale, forcedTransition: input.forcedTransition });
  // Both lists are short indexes: the answers and the observations themselves are in the replayed tool
  // calls and results above, and repeating them here would cost uncached tokens on every request.
  // Ids only, so a fact revealed earlier in this turn is listed at once: its answer is only in its tool result.
  const revealed = context.revealedFacts.flatMap((entry) => {
    const fact = problem.facts.find((candidate) => candidate.id === entry.factId);
    return fact ? [`\`${fact.id}\` (${entry.turnId})`] : [];
  });
  const notes = DimensionId.options.map((dimension) => {
    const turns = context.notes.filter((note) => note.dimension === dimension).map((note) => note.turnId);
    return `${dimension} ${turns.length ? turns.join(', ') : 'none'}`;
  });
  return prompts.render('interviewer/turn-context', {
    phase: context.phase,
    phaseTitle: PHASE_BUDGETS[context.phase].title,
    phaseTime: status.phaseTimeText,
    phaseTurns: status.phaseTurnsText,
    totalTime: status.totalTimeText,
    budgetStatus: status.statusText,
    phaseInstructions: context.ended
      ? 'The interview is over: follow "Closing" under "What to do in each phase" in the system prompt.'
      : `Follow "${PHASE_BUDGETS[context.phase].title}" under "What to do in each phase" in the system prompt.`,
    revealedFacts: revealed.length ? revealed.join(', ') : 'none yet',
    notes: notes.join('; '),
  });
}

/**
 * Where the cached prefix may end: the newest message of the history, so the next request reads all of it
 * from the cache. One moving breakpoint, not two: a marker left on an older message would be removed in
 * the next request and break the byte-identical prefix there. Anthropic looks back about 20 blocks from a
 * breakpoint for an earlier cache entry; one turn's tool loop adds far fewer (MAX_STEPS in llm-interviewer.ts).
 */
function cacheAnchors(history: readonly ModelMessage[]): number[] {
  return history.length > 0 ? [history.length - 1] : [];
}

/**
 * The conversation as it happened: candidate turns labelled with their ids, the LLM interviewer's turns
 * as the model calls that wrote them (text, tool calls, tool results), other interviewer turns (the
 * opening template, the offline engine) as their text. Consecutive plain messages of one role are merged
 * so roles alternate.
 */
function conversationMessages(state: InterviewState, currentSteps: readonly ModelStep[]): ModelMessage[] {
  const messages: ModelMessage[] = [{ role: 'user', content: START_MESSAGE }];
  const stepsByTurn = new Map(state.turnSteps.map((entry) => [entry.turnId, entry.steps]));
  for (const turn of state.turns) {
    const steps = stepsByTurn.get(turn.id);
    if (turn.role === 'candidate') appendText(messages, 'user', `[turn ${turn.id}] ${turn.text}`);
    else if (steps) messages.push(...stepMessages(steps));
    else appendText(messages, 'assistant', turn.text);
  }
  messages.push(...stepMessages(currentSteps));
  return messages;
}

function appendText(messages: ModelMessage[], role: 'user' | 'assistant', content: string): void {
  const last = messages.at(-1);
  if (last && last.role === role && !(last.role === 'assistant' && last.toolCalls?.length)) {
    messages[messages.length - 1] = { role, content: `${last.content}\n\n${content}` };
  } else {
    messages.push({ role, content });
  }
}

/** One turn's model calls as messages, exactly as the tool loop sent them to the model. */
export function stepMessages(steps: readonly ModelStep[]): ModelMessage[] {
  return steps.flatMap((step): ModelMessage[] => {
    if (step.toolCalls.length === 0) return step.text.trim() === '' ? [] : [{ role: 'assistant', content: step.text }];
    return [
      { role: 'assistant', content: step.text, toolCalls: step.toolCalls.map((call) => ({ id: call.id, name: call.name, input: call.input })) },
      { role: 'tool', results: step.results.map((result) => ({ toolCallId: result.toolCallId, name: result.name, content: result.content, ...(result.isError ? { isError: true } : {}) })) },
    ];
  });
}
