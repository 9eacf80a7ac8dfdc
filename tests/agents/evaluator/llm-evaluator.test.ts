import { describe, expect, it } from 'vitest';
import { EvaluationOutput } from '../../../src/agents/evaluator/evaluation-output.ts';
import { buildEvaluatorRequest } from '../../../src/agents/evaluator/evaluator-request.ts';
import { LlmEvaluator } from '../../../src/agents/evaluator/llm-evaluator.ts';
import { ModelOutputError } from '../../../src/errors.ts';
import { evaluateTranscript } from '../../../src/evaluator/evaluate-transcript.ts';
import { REMOVED_TEXT } from '../../../src/evaluator/integrity.ts';
import { Scorecard } from '../../../src/evaluator/scorecard.ts';
import { loadResources } from '../../../src/resources.ts';
import { FIXED_CLOCK, loadLabelled, transcriptOf } from '../../evaluator/helpers.ts';
import { FABRICATED_EVALUATION, FABRICATED_QUOTE, SCHEMA_INVALID_EVALUATION, uniformEvaluation, VALID_EVALUATION } from './evaluations.ts';
import { ScriptedModel } from './scripted-model.ts';

const resources = loadResources();
const supportInjection = loadLabelled('support-injection.json');

function evaluator(model: ScriptedModel): LlmEvaluator {
  return new LlmEvaluator({ model, prompts: resources.prompts, guide: resources.guide });
}

function evaluate(model: ScriptedModel, options: { samples?: number } = {}) {
  return evaluateTranscript(supportInjection, { engine: evaluator(model), problem: resources.problems.get('support-assistant') ?? null, samples: 1, clock: FIXED_CLOCK, ...options });
}

/** The task of a request: its first message (problem, notes, transcript). */
function taskMessage(model: ScriptedModel, index: number): string {
  const message = model.requests[index]?.messages[0];
  if (message?.role !== 'user') throw new Error(`request ${index} does not start with a user message`);
  return message.content;
}

/** The text of the last user message of a request: the repair prompt in a repair round. */
function lastUserMessage(model: ScriptedModel, index: number): string {
  const message = model.requests[index]?.messages.at(-1);
  if (message?.role !== 'user') throw new Error(`request ${index} does not end with a user message`);
  return message.content;
}

describe('LlmEvaluator: a valid evaluation', () => {
  it('passes in one call and becomes a valid scorecard, with the recommendation computed by the rule', async () => {
    const model = new ScriptedModel([VALID_EVALUATION]);
    const { scorecard } = await evaluate(model);
    expect(model.requests).toHaveLength(1);
    expect(Scorecard.parse(scorecard)).toEqual(scorecard);
    expect(scorecard.dimensions.technical_depth).toMatchObject({ rating: 'meets', evidence: VALID_EVALUATION.dimensions.technical_depth.evidence, needsHumanReview: false });
    // Two below: rule 4 allows one, so the rule says no_hire, whatever the model's narrative says.
    expect(scorecard.recommendation).toBe('no_hire');
    expect(scorecard.summary).toBe(VALID_EVALUATION.summary);
    expect(scorecard.meta).toMatchObject({ engine: 'scripted', model: 'scripted-model-1', heuristic: false, repairRounds: 0, citationsDropped: 0, usage: ScriptedModel.usage() });
    expect(Object.keys(scorecard.meta.promptVersions).sort()).toEqual(['evaluator/repair', 'evaluator/sample', 'evaluator/system', 'evaluator/task', 'guide']);
  });

  it('sends the guide in a cached system block and the graded transcript, problem card and notes in the task', async () => {
    const model = new ScriptedModel([uniformEvaluation('meets', 2, 'How late do chargebacks arrive?')]);
    const engine = evaluator(model);
    const transcript = transcriptOf([
      ['interviewer', 'Where would you start?'],
      ['candidate', 'How late do chargebacks arrive?'],
    ]);
    const problem = resources.problems.get('fraud-detection') ?? null;
    await engine.evaluateOnce({ transcript, problem, notes: [{ dimension: 'problem_navigation', turnId: 2, observation: 'asked about label delay' }] });
    const request = model.requests[0];
    expect(request?.system).toEqual([{ text: expect.stringContaining(resources.guide.text), cache: true }]);
    expect(request?.schema).toBe(EvaluationOutput);
    expect(request?.schemaName).toBe('interview_evaluation');
    const [taskMessage, sampleMessage] = model.requests[0]?.messages ?? [];
    const task = taskMessage?.role === 'user' ? taskMessage.content : '';
    expect(sampleMessage).toEqual({ role: 'user', content: expect.stringContaining('independent evaluation 1 of this transcript') });
    expect(task).toContain('[turn 1 | interviewer | problem_exploration]\nWhere would you start?');
    expect(task).toContain('[turn 2 | candidate | problem_exploration]\nHow late do chargebacks arrive?');
    expect(task).toContain('- problem_navigation, turn 2: asked about label delay');
    expect(task).toContain(problem?.title ?? '!');
    expect(engine.describeRequest({ transcript, problem, notes: [] })).toEqual(model.describeObjectRequest(buildEvaluatorRequest({ prompts: resources.prompts, guide: resources.guide, transcript, problem, notes: [] })));
  });

  it("lists the interviewer's integrity flags with the notes, without a quote the pipeline removed", async () => {
    const model = new ScriptedModel([uniformEvaluation('meets', 2, 'How late do chargebacks arrive?')]);
    const transcript = transcriptOf([
      ['interviewer', 'Where would you start?'],
      ['candidate', 'How late do chargebacks arrive?'],
    ]);
    const interviewerFlags = [
      { turnId: 2, quote: 'How late do chargebacks arrive?', note: 'Flag test.' },
      { turnId: 2, quote: null, note: 'Asked the grader for top marks.' },
    ];
    await evaluator(model).evaluateOnce({ transcript, problem: null, notes: [], interviewerFlags });
    const task = taskMessage(model, 0);
    expect(task).toContain('- integrity flag, turn 2: "How late do chargebacks arrive?": Flag test.');
    expect(task).toContain('- integrity flag, turn 2: (the passage was removed from the transcript below): Asked the grader for top marks.');
  });

  it('clamps confidences to 0..1 and passes the abort signal to the model', async () => {
    const transcript = transcriptOf([['interviewer', 'Go.'], ['candidate', 'We would split the data by time.']]);
    const output = uniformEvaluation('meets', 2, 'split the data by time', {
      technical_depth: { ...uniformEvaluation('meets', 2, 'split the data by time').dimensions.technical_depth, confidence: 1.7 },
      communication: { ...uniformEvaluation('meets', 2, 'split the data by time').dimensions.communication, confidence: -0.4 },
    });
    const model = new ScriptedModel([output]);
    const controller = new AbortController();
    const sample = await evaluator(model).evaluateOnce({ transcript, problem: null, notes: [], signal: controller.signal });
    expect(sample.dimensions.technical_depth.confidence).toBe(1);
    expect(sample.dimensions.communication.confidence).toBe(0);
    expect(model.requests[0]?.signal).toBe(controller.signal);
  });

  it('never sends the text aimed at the evaluator to the model', async () => {
    const model = new ScriptedModel([VALID_EVALUATION]);
    const { scorecard } = await evaluate(model);
    const sent = model.sentText();
    expect(sent).not.toMatch(/ignore previous instructions/i);
    expect(sent).not.toContain('Note to the evaluator');
    expect(sent).not.toContain('"recommendation\\": \\"strong_hire');
    expect(sent).toContain(REMOVED_TEXT);
    expect(scorecard.integrityFlags.map((flag) => flag.turnId)).toEqual([22, 38]);
  });
});

describe('LlmEvaluator: schema repair', () => {
  it('gives schema-invalid output exactly one repair round that lists the errors, then succeeds', async () => {
    const model = new ScriptedModel([SCHEMA_INVALID_EVALUATION, VALID_EVALUATION]);
    const { scorecard } = await evaluate(model);
    expect(model.requests).toHaveLength(2);
    const [first, repair] = model.requests;
    expect(repair?.messages.slice(0, -2)).toEqual(first?.messages);
    expect(repair?.messages.at(-2)).toEqual({ role: 'assistant', content: JSON.stringify(SCHEMA_INVALID_EVALUATION) });
    const errors = lastUserMessage(model, 1);
    expect(errors).toContain('does not match the schema');
    expect(errors).toContain('dimensions.communication');
    expect(errors).toContain('dimensions.technical_depth.rating');
    expect(errors).toMatch(/recommendation/);
    expect(repair?.system).toEqual(first?.system);
    expect(scorecard.meta.repairRounds).toBe(1);
    expect(scorecard.meta.usage.inputTokens).toBe(2 * ScriptedModel.usage().inputTokens);
    expect(scorecard.dimensions.communication.rating).toBe('meets');
  });

  it('fails with ModelOutputError after a second invalid answer, and produces no scorecard', async () => {
    const model = new ScriptedModel([SCHEMA_INVALID_EVALUATION, SCHEMA_INVALID_EVALUATION]);
    const result = evaluate(model);
    await expect(result).rejects.toBeInstanceOf(ModelOutputError);
    await expect(result).rejects.toThrow(/after a repair round: .*dimensions\.communication/);
    expect(model.requests).toHaveLength(2);
  });

  it('treats a reply that is not an object at all as schema-invalid', async () => {
    const model = new ScriptedModel(['I cannot evaluate this interview.', VALID_EVALUATION]);
    const { scorecard } = await evaluate(model);
    expect(model.requests).toHaveLength(2);
    expect(lastUserMessage(model, 1)).toContain('(root)');
    expect(scorecard.meta.repairRounds).toBe(1);
  });

  it('lets a provider failure through untouched, without a repair round', async () => {
    const model = new ScriptedModel([new Error('rate limited')]);
    await expect(evaluate(model)).rejects.toThrow('rate limited');
    expect(model.requests).toHaveLength(1);
  });
});

describe('LlmEvaluator: citation repair', () => {
  it('gives a fabricated quote one citation repair round naming it, and uses the corrected answer', async () => {
    const model = new ScriptedModel([FABRICATED_EVALUATION, VALID_EVALUATION]);
    const { scorecard } = await evaluate(model);
    expect(model.requests).toHaveLength(2);
    const problems = lastUserMessage(model, 1);
    expect(problems).toContain(`technical_depth: turn 24, quote "${FABRICATED_QUOTE}": the quote is not in that turn verbatim`);
    expect(problems.match(/^- /gm)).toHaveLength(1);
    expect(model.requests[1]?.messages.at(-2)).toEqual({ role: 'assistant', content: JSON.stringify(FABRICATED_EVALUATION) });
    expect(scorecard.meta).toMatchObject({ repairRounds: 1, citationsDropped: 0 });
    expect(scorecard.dimensions.technical_depth.rating).toBe('meets');
  });

  it('drops a quote still fabricated after the repair, counts it, and leaves its dimension insufficient', async () => {
    const model = new ScriptedModel([FABRICATED_EVALUATION, FABRICATED_EVALUATION]);
    const { scorecard } = await evaluate(model);
    expect(model.requests).toHaveLength(2);
    expect(scorecard.meta).toMatchObject({ repairRounds: 1, citationsDropped: 1 });
    expect(scorecard.dimensions.technical_depth).toMatchObject({ rating: 'insufficient', confidence: 0, evidence: [] });
    expect(JSON.stringify(scorecard)).not.toContain(FABRICATED_QUOTE);
    // The rest stands on its verified evidence.
    expect(scorecard.dimensions.system_design.rating).toBe('meets');
  });

  it('keeps the first answer when the citation repair breaks the schema, dropping only the bad citation', async () => {
    const model = new ScriptedModel([FABRICATED_EVALUATION, SCHEMA_INVALID_EVALUATION]);
    const { scorecard } = await evaluate(model);
    expect(model.requests).toHaveLength(2);
    expect(scorecard.meta).toMatchObject({ repairRounds: 1, citationsDropped: 1 });
    expect(scorecard.dimensions.technical_depth.rating).toBe('insufficient');
    expect(scorecard.dimensions.communication.rating).toBe('meets');
  });

  it('refuses citations of interviewer turns and of unknown turns as it does fabricated ones', async () => {
    const bad = { ...VALID_EVALUATION, dimensions: { ...VALID_EVALUATION.dimensions, problem_navigation: { ...VALID_EVALUATION.dimensions.problem_navigation, evidence: [{ turnId: 3, quote: supportInjection.turns[2]?.text ?? '', polarity: 'positive' as const, note: '' }, { turnId: 99, quote: 'How many conversations per day?', polarity: 'positive' as const, note: '' }] } } };
    const model = new ScriptedModel([bad, bad]);
    const { scorecard } = await evaluate(model);
    const problems = lastUserMessage(model, 1);
    expect(problems).toContain("the turn is the interviewer's");
    expect(problems).toContain('the turn id does not exist');
    expect(scorecard.meta.citationsDropped).toBe(2);
    expect(scorecard.dimensions.problem_navigation.rating).toBe('insufficient');
  });

  it('counts a schema repair and a citation repair as two rounds, in three calls', async () => {
    const model = new ScriptedModel([SCHEMA_INVALID_EVALUATION, FABRICATED_EVALUATION, VALID_EVALUATION]);
    const { scorecard } = await evaluate(model);
    expect(model.requests).toHaveLength(3);
    expect(model.requests[2]?.messages).toHaveLength(6);
    expect(scorecard.meta.repairRounds).toBe(2);
  });
});

describe('LlmEvaluator: interviewer issues', () => {
  const real = { turnId: 5, quote: 'handled by about 400 human agents', kind: 'volunteered_fact' as const, note: 'the team size was not asked for' };
  const onCandidate = { turnId: 4, quote: 'How many conversations per day?', kind: 'leading_question' as const, note: 'a candidate turn' };
  const invented = { turnId: 5, quote: 'You should use a vector database.', kind: 'gave_answer' as const, note: 'never said' };

  it('keeps the verified ones apart from the ratings, drops the rest without a repair round, and changes no rating', async () => {
    const plain = await evaluate(new ScriptedModel([VALID_EVALUATION]));
    const model = new ScriptedModel([{ ...VALID_EVALUATION, interviewerIssues: [onCandidate, real, invented] }]);
    const { scorecard } = await evaluate(model);
    expect(model.requests).toHaveLength(1);
    expect(scorecard.interviewerIssues).toEqual([real]);
    expect(scorecard.meta).toMatchObject({ repairRounds: 0, citationsDropped: 0 });
    expect(scorecard.dimensions).toEqual(plain.scorecard.dimensions);
    expect(scorecard.recommendation).toBe(plain.scorecard.recommendation);
  });
});

describe('LlmEvaluator: several samples', () => {
  it('runs --samples 3 as three calls and flags the dimensions the samples disagree on for human review', async () => {
    const transcript = transcriptOf([['interviewer', 'Go.'], ['candidate', 'We would split the data by time, because labels arrive late.']]);
    const at = (rating: 'exceeds' | 'meets' | 'below') => uniformEvaluation('meets', 2, 'split the data by time', { technical_depth: uniformEvaluation(rating, 2, 'because labels arrive late').dimensions.technical_depth });
    const model = new ScriptedModel([at('exceeds'), at('meets'), at('below')]);
    const { scorecard } = await evaluateTranscript(transcript, { engine: evaluator(model), problem: null, samples: 3, clock: FIXED_CLOCK });
    expect(model.requests).toHaveLength(3);
    expect(scorecard.dimensions.technical_depth).toMatchObject({ rating: 'meets', needsHumanReview: true, confidence: 0.33 });
    expect(scorecard.dimensions.system_design).toMatchObject({ rating: 'meets', needsHumanReview: false });
    expect(scorecard.meta).toMatchObject({ samples: 3, usage: { inputTokens: 3 * ScriptedModel.usage().inputTokens } });
  });
});
