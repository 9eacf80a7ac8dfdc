import type { InterviewState } from '../../interview/interview-state.ts';
import { describeBudget } from '../../interview/budget-status.ts';
import type { BudgetCheck } from '../../interview/phase-machine.ts';
import { PHASE_BUDGETS } from '../../interview/phases.ts';
import type { ModelMessage, ModelRequest } from '../../llm/model.ts';
import type { ProblemCard } from '../../problems/problem-card.ts';
import type { Guide } from '../../resources.ts';
import type { PromptLibrary } from '../../prompts/prompt-library.ts';
import { interviewerTools } from './interviewer-tools.ts';

export interface InterviewerRequestInput {
  readonly guide: Guide;
  readonly prompts: PromptLibrary;
  readonly problem: ProblemCard;
  readonly state: InterviewState;
  readonly budget: BudgetCheck;
  readonly now: Date;
  readonly forcedTransition: string | null;
}

// The first message must come from the user on every provider; the transcript starts with the interviewer.
const START_MESSAGE = '(The candidate has joined. Open the interview.)';

/** The prompt ids an interviewer turn uses in the given phase, for version records. */
export function interviewerPromptIds(phase: string, ended = false): string[] {
  return ['interviewer/persona', 'interviewer/problem-card', 'interviewer/turn-context', ended ? 'interviewer/closing' : `interviewer/phase-${phase}`];
}

/**
 * Builds the interviewer's request. The system prompt is ordered for prompt caching: the guide and the
 * problem card never change during an interview and come first (marked cacheable); the turn context,
 * which changes every turn, comes last.
 */
export function buildInterviewerRequest(input: InterviewerRequestInput): ModelRequest {
  const { prompts, problem, state, budget } = input;
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
  const phaseBudget = PHASE_BUDGETS[state.phase];
  // Computed from the state given, not from `input.budget`: after a phase move within this turn the
  // figures must describe the new phase.
  const status = describeBudget({ state, now: input.now, clockScale: budget.clockScale, forcedTransition: input.forcedTransition });
  const revealed = state.revealedFacts
    .map((entry) => problem.facts.find((fact) => fact.id === entry.factId))
    .filter((fact) => fact !== undefined)
    .map((fact) => `- \`${fact.id}\`: ${fact.answer}`);
  const turnContext = prompts.render('interviewer/turn-context', {
    phase: state.phase,
    phaseTitle: phaseBudget.title,
    clock: status.clockText,
    phaseTime: status.phaseTimeText,
    phaseTurns: status.phaseTurnsText,
    totalTime: status.totalTimeText,
    budgetStatus: status.statusText,
    phaseInstructions: prompts.render(state.ended ? 'interviewer/closing' : `interviewer/phase-${state.phase}`),
    revealedFacts: revealed.length ? revealed.join('\n') : '(none yet)',
  });
  return {
    system: [{ text: input.guide.text }, { text: `${prompts.render('interviewer/persona')}\n\n${problemCard}`, cache: true }, { text: turnContext }],
    messages: transcriptMessages(state),
    tools: interviewerTools(problem),
    // Replies are short by instruction; the headroom is for reasoning models, whose thinking counts against it.
    maxOutputTokens: 4096,
  };
}

/** The transcript as alternating user/assistant messages, each candidate turn labelled with its turn id. */
function transcriptMessages(state: InterviewState): ModelMessage[] {
  const messages: { role: 'user' | 'assistant'; content: string }[] = [{ role: 'user', content: START_MESSAGE }];
  for (const turn of state.turns) {
    const role = turn.role === 'candidate' ? 'user' : 'assistant';
    const content = turn.role === 'candidate' ? `[turn ${turn.id}] ${turn.text}` : turn.text;
    const last = messages.at(-1);
    if (last && last.role === role) last.content += `\n\n${content}`;
    else messages.push({ role, content });
  }
  return messages;
}
