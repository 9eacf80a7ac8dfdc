import { describe, expect, it } from 'vitest';
import { buildInterviewerRequest } from '../../../src/agents/interviewer/interviewer-request.ts';
import { checkBudget } from '../../../src/interview/phase-machine.ts';
import { PHASE_ORDER } from '../../../src/interview/phases.ts';
import type { ModelRequest } from '../../../src/llm/model.ts';
import { START, resources, startSession } from '../../interview/interview-helpers.ts';
import { figuresIn } from '../../problems/figures.ts';

// The model sees the problem card on every turn; a hidden fact must reach it only through `reveal_fact`.
// That covers the facts' answers and also their figures restated anywhere in the card: a probe or a
// strong-answer note that says "up to ninety days" leaks the label delay as surely as the fact would.

const { prompts, guide, problems } = resources();
const NOW = new Date(START.getTime() + 5 * 60_000);
const CARD_HEADING = '# The problem for this interview:';

async function requestIn(problemId: string, phase: (typeof PHASE_ORDER)[number]): Promise<ModelRequest> {
  const card = problems.get(problemId);
  if (!card) throw new Error(`no problem ${problemId}`);
  const harness = startSession(card);
  await harness.says('Hello, I am ready.');
  const state = { ...harness.session.state, phase, turns: harness.session.state.turns.slice(0, 2), turnMeta: harness.session.state.turnMeta.slice(0, 1), revealedFacts: [] };
  return buildInterviewerRequest({ guide, prompts, problem: card, state, budget: checkBudget(state, NOW, 2), now: NOW, forcedTransition: null });
}

/** The rendered problem card, wherever in the request it is placed. */
function cardBlock(request: ModelRequest): string {
  const texts = [...request.system.map((block) => block.text), ...request.messages.map((message) => ('content' in message && typeof message.content === 'string' ? message.content : ''))];
  const text = texts.find((candidate) => candidate.includes(CARD_HEADING));
  if (!text) throw new Error('the request has no problem card');
  return text.slice(text.indexOf(CARD_HEADING));
}

describe.each([...problems.keys()].map((id) => [id]))('hidden facts of %s before any reveal', (problemId) => {
  const card = problems.get(problemId);
  if (!card) throw new Error(`no problem ${problemId}`);

  it.each(PHASE_ORDER.map((phase) => [phase]))('no fact answer is anywhere in a %s request', async (phase) => {
    const serialised = JSON.stringify(await requestIn(problemId, phase));
    for (const fact of card.facts) expect(serialised, fact.id).not.toContain(JSON.stringify(fact.answer).slice(1, -1));
  });

  it('no figure of a hidden fact is stated in the card the model sees: not in its probes, strong-answer notes, constraint changes or wrap-up', async () => {
    const request = await requestIn(problemId, 'deep_dive');
    const block = cardBlock(request);
    // The notes the model sees are the card's own: this is the text the check below covers.
    for (const dive of card.deepDives) for (const line of [...dive.probes, ...dive.strongAnswer]) expect(block).toContain(line);
    for (const change of card.constraintChanges) expect(block).toContain(change.prompt);
    const visible = `${block}\n${JSON.stringify(request.tools)}`;
    // The card template's own wording ("choose two or three of these") is the same for every problem.
    const template = figuresIn(prompts.get('interviewer/problem-card').template);
    const shown = new Set([...figuresIn(visible)].filter((figure) => !template.has(figure)));
    for (const fact of card.facts) {
      const leaked = [...figuresIn(fact.answer)].filter((figure) => shown.has(figure));
      expect(leaked, `${fact.id}: ${fact.answer}`).toEqual([]);
    }
  });
});

describe('figuresIn', () => {
  it('reads figures in digits and in words, with their units', () => {
    expect([...figuresIn('About 300 candidate ads, 25 ms p99, 1,200 incidents and 0.8% of views.')]).toEqual(['300 candidate', '25 ms', '1200 incident', '0.8 %']);
    expect([...figuresIn('three hundred candidates in twenty-five milliseconds, up to ninety days, ten percent')]).toEqual(['300 candidate', '25 ms', '90 day', '10 %']);
  });

  it('does not read names such as p99 or BM25, or "one", as figures', () => {
    expect([...figuresIn('the p99 target, BM25 search, one request')]).toEqual([]);
  });
});
