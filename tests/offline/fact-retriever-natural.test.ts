import { describe, expect, it } from 'vitest';
import { FactRetriever } from '../../src/offline/fact-retriever.ts';
import { cuedCategories } from '../../src/offline/category-cues.ts';
import { loadResources } from '../../src/resources.ts';

// Questions written the way candidates ask them, none copied from a card's askedBy phrasings: retrieval
// must generalise beyond the phrasings it indexes.
const QUESTIONS: readonly [problem: string, question: string, fact: string][] = [
  ['fraud-detection', 'How do we find out that a payment was fraudulent, and how long does that take?', 'chargeback-labels'],
  ['fraud-detection', 'What QPS are we at?', 'transaction-volume'],
  ['fraud-detection', 'How fast do we need to respond?', 'authorization-latency'],
  ['fraud-detection', 'What data do we have about each transaction?', 'available-data'],
  ['fraud-detection', 'What does a false decline cost us compared with a missed fraud?', 'error-costs'],
  ['feed-recommendations', 'How many daily active users do we have?', 'users-and-requests'],
  ['feed-recommendations', 'What are we optimising for?', 'business-goal'],
  ['search-ranking', 'Do we have click logs?', 'click-and-purchase-logs'],
  ['support-assistant', 'How many tickets a day do we get?', 'conversation-volume'],
  ['support-assistant', 'Can the assistant take actions like refunds?', 'actions-and-handoff'],
  ['content-moderation', 'How many human moderators do we have?', 'moderator-labels'],
  ['metric-anomaly-detection', 'How many metrics are we monitoring?', 'series-count'],
  ['ads-ctr-prediction', 'What latency does the auction allow?', 'auction-latency'],
];

describe('FactRetriever on questions phrased unlike the cards', () => {
  const { problems } = loadResources();

  it.each(QUESTIONS)('%s: "%s" reveals exactly %s', (problemId, question, factId) => {
    const problem = problems.get(problemId);
    if (!problem) throw new Error(`no problem ${problemId}`);
    expect(FactRetriever.forProblem(problem).match(question).map((fact) => fact.id)).toEqual([factId]);
  });

  it('does not reveal a second fact on the strength of words from the problem statement alone', () => {
    const problem = problems.get('fraud-detection');
    if (!problem) throw new Error('no fraud-detection');
    // "payment" and "fraudulent" are in the opening; they used to pull in the error-cost fact as well.
    expect(FactRetriever.forProblem(problem).match('How do we find out that a payment was fraudulent?').map((fact) => fact.id)).toEqual(['chargeback-labels']);
  });
});

describe('cuedCategories', () => {
  it('reads the kind of fact a plain question is after', () => {
    expect([...cuedCategories('What QPS are we at?')]).toEqual(['scale']);
    expect([...cuedCategories('How fast do we need to respond?')]).toEqual(['latency']);
    expect([...cuedCategories('How do we find out an order was bad?')]).toEqual(['labels']);
  });

  it('cues nothing in a remark about the interview itself', () => {
    expect(cuedCategories('Can I start designing now?').size).toBe(0);
    expect(cuedCategories('Does that make sense?').size).toBe(0);
  });
});
