import { ModelOutputError } from '../../errors.ts';
import { applyAction } from '../../interview/apply-action.ts';
import type { EngineInput, EngineTurn, InterviewerAction, InterviewerEngine } from '../../interview/engine.ts';
import type { InterviewState } from '../../interview/interview-state.ts';
import { addUsage, ZERO_USAGE, type LanguageModel, type ModelMessage, type ToolCall, type ToolResult, type Usage } from '../../llm/model.ts';
import type { PromptLibrary } from '../../prompts/prompt-library.ts';
import type { Guide } from '../../resources.ts';
import { buildInterviewerRequest, interviewerPromptIds } from './interviewer-request.ts';
import { toolCallToAction } from './interviewer-tools.ts';

// Enough for a reveal or two, a note and a phase move before the reply; more means the model is looping.
const MAX_STEPS = 4;

/**
 * The LLM-backed interviewer. Each turn is a short tool loop: the model may reveal facts (their text
 * reaches it only through the tool result), note evidence, advance the phase or end the interview;
 * every call is checked by the phase machine and a refusal is returned to the model as the tool result.
 */
export class LlmInterviewer implements InterviewerEngine {
  readonly name: string;
  readonly #model: LanguageModel;
  readonly #prompts: PromptLibrary;
  readonly #guide: Guide;

  constructor(options: { model: LanguageModel; prompts: PromptLibrary; guide: Guide }) {
    this.#model = options.model;
    this.#prompts = options.prompts;
    this.#guide = options.guide;
    this.name = `${options.model.provider}`;
  }

  /** The exact request the next turn would start with, for --dump-request. */
  describeNextRequest(input: Omit<EngineInput, 'signal'>): unknown {
    return this.#model.describeStreamRequest(this.#request(input, input.state));
  }

  async nextTurn(input: EngineInput, onDelta: (text: string) => void): Promise<EngineTurn> {
    const interviewerTurnId = input.state.turns.length + 1;
    let working: InterviewState = input.state;
    const base = this.#request(input, working);
    const conversation: ModelMessage[] = [...base.messages];
    const actions: InterviewerAction[] = [];
    let usage: Usage = ZERO_USAGE;
    let text = '';

    for (let step = 0; step < MAX_STEPS; step += 1) {
      const calls: ToolCall[] = [];
      let stepText = '';
      // Later steps see the phase as the tool calls left it, but a fact revealed in this turn reaches the
      // model only through its tool result, never also through the turn context.
      const request = step === 0 ? base : { ...this.#request(input, { ...working, revealedFacts: input.state.revealedFacts }), messages: conversation };
      for await (const part of this.#model.stream(input.signal ? { ...request, signal: input.signal } : request)) {
        switch (part.type) {
          case 'text-delta': {
            // Text from an earlier step ("Let me check.") and this one would otherwise run together.
            if (stepText === '' && part.text !== '' && text.trim() !== '' && !/\s$/.test(text) && !/^\s/.test(part.text)) {
              text += '\n\n';
              onDelta('\n\n');
            }
            stepText += part.text;
            onDelta(part.text);
            break;
          }
          case 'tool-call':
            calls.push(part.call);
            break;
          case 'usage':
            usage = addUsage(usage, part.usage);
            break;
          case 'finish':
            break;
          default: {
            const unreachable: never = part;
            throw new ModelOutputError(`unknown stream part ${JSON.stringify(unreachable)}`);
          }
        }
      }
      text += stepText;
      if (calls.length === 0) break;
      const results: ToolResult[] = [];
      for (const call of calls) {
        const action = toolCallToAction(call.name, call.input, input.problem);
        if ('error' in action) {
          results.push({ toolCallId: call.id, name: call.name, content: action.error, isError: true });
          continue;
        }
        const outcome = applyAction(working, action, input.problem, input.now, interviewerTurnId);
        if (outcome.ok) {
          actions.push(action);
          working = outcome.state;
        }
        results.push({ toolCallId: call.id, name: call.name, content: outcome.result, ...(outcome.ok ? {} : { isError: true }) });
      }
      conversation.push({ role: 'assistant', content: stepText, toolCalls: calls }, { role: 'tool', results });
      if (text.trim() && !calls.some((call) => call.name === 'reveal_fact')) {
        // The model already spoke and only took bookkeeping actions: its turn is complete.
        break;
      }
    }
    if (!text.trim()) throw new ModelOutputError('the interviewer model returned no text for this turn');
    return {
      text: text.trim(),
      actions,
      engine: this.name,
      model: this.#model.modelId,
      usage,
      promptVersions: { guide: this.#guide.version, ...this.#prompts.versions(interviewerPromptIds(input.state.phase, input.state.ended)) },
    };
  }

  #request(input: Omit<EngineInput, 'signal'>, state: InterviewState) {
    return buildInterviewerRequest({ guide: this.#guide, prompts: this.#prompts, problem: input.problem, state, budget: input.budget, now: input.now, forcedTransition: input.forcedTransition });
  }
}
