import { ModelOutputError, formatIssues } from '../../errors.ts';
import { checkCitations, describeCitationProblem } from '../../evaluator/citations.ts';
import { DimensionId } from '../../evaluator/dimensions.ts';
import type { EvaluationInput, EvaluationSample, EvaluatorEngine } from '../../evaluator/evaluator-engine.ts';
import { addUsage, type CallAttempt, type LanguageModel, type ObjectRequest, type Usage } from '../../llm/model.ts';
import type { PromptLibrary } from '../../prompts/prompt-library.ts';
import type { Guide } from '../../resources.ts';
import { EvaluationOutput } from './evaluation-output.ts';
import { buildEvaluatorRequest, buildRepairRequest, EVALUATOR_PROMPT_IDS } from './evaluator-request.ts';

/**
 * The LLM evaluator. Its output is parsed against the schema (one repair round with the errors, then a
 * clear failure) and its citations are checked verbatim (one repair round, then invalid ones are dropped
 * by the pipeline). It never returns a half-filled evaluation.
 */
export class LlmEvaluator implements EvaluatorEngine {
  readonly engine: string;
  readonly model: string;
  readonly heuristic = false;
  readonly promptVersions: Readonly<Record<string, string>>;
  readonly #model: LanguageModel;
  readonly #prompts: PromptLibrary;
  readonly #guide: Guide;

  constructor(options: { model: LanguageModel; prompts: PromptLibrary; guide: Guide }) {
    this.#model = options.model;
    this.#prompts = options.prompts;
    this.#guide = options.guide;
    this.engine = options.model.provider;
    this.model = options.model.modelId;
    this.promptVersions = { guide: options.guide.version, ...options.prompts.versions([...EVALUATOR_PROMPT_IDS]) };
  }

  /** The exact provider request of the first round, for --dump-request. */
  describeRequest(input: EvaluationInput): unknown {
    return this.#model.describeObjectRequest(this.#request(input));
  }

  async evaluateOnce(input: EvaluationInput): Promise<EvaluationSample> {
    let request = this.#request(input);
    let usage: Usage | null = null;
    let repairRounds = 0;
    const attempts: (CallAttempt & { round: 'first' | 'repair' })[] = [];
    const call = async (objectRequest: ObjectRequest) => {
      const response = await this.#model.generateObject(input.signal ? { ...objectRequest, signal: input.signal } : objectRequest);
      usage = usage ? addUsage(usage, response.usage) : response.usage;
      const round = repairRounds === 0 ? 'first' : 'repair';
      for (const attempt of response.attempts ?? [{ attempt: 1, outcome: 'ok' as const, durationMs: 0, firstTokenMs: response.firstTokenMs ?? null }]) attempts.push({ ...attempt, round });
      return response;
    };

    let response = await call(request);
    let parsed = EvaluationOutput.safeParse(response.object);
    if (!parsed.success) {
      repairRounds += 1;
      request = buildRepairRequest(request, response.raw, [`the output does not match the schema: ${formatIssues(parsed.error.issues, 10)}`], this.#prompts);
      response = await call(request);
      parsed = EvaluationOutput.safeParse(response.object);
      if (!parsed.success) throw new ModelOutputError(`the evaluator's output did not match the schema after a repair round: ${formatIssues(parsed.error.issues)}`);
    }
    let output = parsed.data;

    const problems = citationProblems(input, output);
    if (problems.length > 0) {
      repairRounds += 1;
      const repaired = EvaluationOutput.safeParse((await call(buildRepairRequest(request, response.raw, problems, this.#prompts))).object);
      // A repair that breaks the schema is ignored: the first answer stands and its bad citations are dropped.
      if (repaired.success) output = repaired.data;
    }
    const dimensions = Object.fromEntries(
      DimensionId.options.map((id) => {
        const dimension = output.dimensions[id];
        return [id, { ...dimension, confidence: Math.min(1, Math.max(0, dimension.confidence)) }];
      }),
    ) as unknown as EvaluationSample['dimensions'];
    return {
      dimensions,
      summary: output.summary,
      strengths: output.strengths,
      growthAreas: output.growthAreas,
      feedback: output.feedback,
      integrityFlags: output.integrityFlags,
      // Verified by the pipeline against the interviewer's turns; a bad quote there is dropped, not worth a repair round.
      interviewerIssues: output.interviewerIssues,
      usage: usage ?? { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 },
      citationsDropped: 0,
      repairRounds,
      attempts,
    };
  }

  #request(input: EvaluationInput): ObjectRequest {
    return buildEvaluatorRequest({
      prompts: this.#prompts,
      guide: this.#guide,
      transcript: input.transcript,
      problem: input.problem,
      notes: input.notes,
      ...(input.interviewerFlags ? { interviewerFlags: input.interviewerFlags } : {}),
      ...(input.sample ? { sample: input.sample } : {}),
    });
  }
}

function citationProblems(input: EvaluationInput, output: EvaluationOutput): string[] {
  const problems: string[] = [];
  for (const id of DimensionId.options) {
    const { invalid } = checkCitations(input.transcript, output.dimensions[id].evidence);
    for (const { evidence, problem } of invalid) problems.push(`${id}: turn ${evidence.turnId}, quote "${evidence.quote.slice(0, 120)}": ${describeCitationProblem(problem)}`);
  }
  return problems;
}
