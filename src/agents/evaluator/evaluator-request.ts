import { MIN_QUOTE_CHARS } from '../../evaluator/citations.ts';
import type { EvaluationInput } from '../../evaluator/evaluator-engine.ts';
import type { InterviewerNote } from '../../interview/interview-state.ts';
import type { ObjectRequest } from '../../llm/model.ts';
import type { ProblemCard } from '../../problems/problem-card.ts';
import type { PromptLibrary } from '../../prompts/prompt-library.ts';
import type { Guide } from '../../resources.ts';
import type { Transcript } from '../../transcript/transcript.ts';
import { EvaluationOutput } from './evaluation-output.ts';

export const EVALUATOR_PROMPT_IDS = ['evaluator/system', 'evaluator/task', 'evaluator/sample', 'evaluator/repair'] as const;

/**
 * The evaluator's first request. The system prompt (guide included) is stable across evaluations and cached.
 * The k samples of one transcript send the same system prompt and the same task message (problem, notes,
 * transcript), byte for byte, and differ only in a short last message that numbers the sample: a provider's
 * prefix cache serves samples 2..k everything before it, and a recording keeps each sample apart. The
 * number is a message of its own so that a cache breakpoint can close the task message.
 */
export function buildEvaluatorRequest(input: { prompts: PromptLibrary; guide: Guide; transcript: Transcript; problem: ProblemCard | null; notes: readonly InterviewerNote[]; interviewerFlags?: EvaluationInput['interviewerFlags']; sample?: number }): ObjectRequest {
  const { prompts, problem } = input;
  const problemText = problem
    ? [
        `${problem.title}: ${problem.opening}`,
        'Facts the interviewer could reveal when asked:',
        ...problem.facts.map((fact) => `- ${fact.topic}: ${fact.answer}`),
        'What strong answers contain in the deep-dive areas:',
        ...problem.deepDives.map((dive) => `- ${dive.area}: ${dive.strongAnswer.join(' ')}`),
      ].join('\n')
    : '(The problem card is not available; judge from the transcript.)';
  const noteLines = [
    ...input.notes.map((note) => `- ${note.dimension}, turn ${note.turnId}: ${note.observation}`),
    ...(input.interviewerFlags ?? []).map((flag) => `- integrity flag, turn ${flag.turnId}: ${flag.quote === null ? '(the passage was removed from the transcript below)' : `"${flag.quote}"`}: ${flag.note}`),
  ];
  const notes = noteLines.length ? noteLines.join('\n') : '(none)';
  const transcript = input.transcript.turns.map((turn) => `[turn ${turn.id} | ${turn.role} | ${turn.phase}]\n${turn.text}`).join('\n\n');
  return {
    system: [{ text: prompts.render('evaluator/system', { guide: input.guide.text, minQuoteChars: String(MIN_QUOTE_CHARS) }), cache: true }],
    messages: [
      // The task with the transcript is the same for every sample: marked so the later samples (and a repair
      // round) read it from the cache on Anthropic too; OpenAI caches the shared prefix by itself.
      { role: 'user', content: prompts.render('evaluator/task', { problem: problemText, notes, transcript, minQuoteChars: String(MIN_QUOTE_CHARS) }), cache: true },
      { role: 'user', content: prompts.render('evaluator/sample', { sample: String(input.sample ?? 1) }) },
    ],
    schema: EvaluationOutput,
    schemaName: 'interview_evaluation',
    schemaDescription: 'Ratings of the 8 rubric dimensions with verbatim evidence, narrative feedback and integrity flags.',
    maxOutputTokens: 16000,
  };
}

/** The same request with the previous answer and a request to fix the listed problems. */
export function buildRepairRequest(previous: ObjectRequest, raw: string, errors: readonly string[], prompts: PromptLibrary): ObjectRequest {
  return {
    ...previous,
    messages: [...previous.messages, { role: 'assistant', content: raw }, { role: 'user', content: prompts.render('evaluator/repair', { errors: errors.map((error) => `- ${error}`).join('\n'), minQuoteChars: String(MIN_QUOTE_CHARS) }) }],
  };
}
