import { describe, expect, it } from 'vitest';
import { FactRetriever } from '../../src/offline/fact-retriever.ts';
import type { HiddenFact } from '../../src/problems/problem-card.ts';
import { problem, resources } from '../interview/interview-helpers.ts';
import { UNANSWERABLE_QUESTION } from './scripted-candidates.ts';

const bank = [...resources().problems.values()];

describe('FactRetriever leave-one-out over the problem bank', () => {
  it('retrieves the right fact for at least 95% of the askedBy phrasings when each is left out of the index', () => {
    let total = 0;
    const misses: string[] = [];
    for (const card of bank) {
      for (const fact of card.facts) {
        fact.askedBy.forEach((phrasing, index) => {
          // The phrasing under test is removed, so the retriever must generalise from the others and the topic.
          const facts: HiddenFact[] = card.facts.map((candidate) => (candidate.id === fact.id ? { ...candidate, askedBy: candidate.askedBy.filter((_, other) => other !== index) } : candidate));
          const [first] = new FactRetriever(facts).match(phrasing);
          total += 1;
          if (first?.id !== fact.id) misses.push(`${card.id}/${fact.id}: "${phrasing}" -> ${first?.id ?? 'nothing'}`);
        });
      }
    }
    const accuracy = (total - misses.length) / total;
    expect(total).toBeGreaterThan(400);
    expect(accuracy, misses.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('retrieves exactly the asked fact for every phrasing in the index', () => {
    for (const card of bank) {
      const retriever = FactRetriever.forProblem(card);
      for (const fact of card.facts) {
        for (const phrasing of fact.askedBy) expect(retriever.match(`${phrasing}?`).map((found) => found.id), `${card.id}: ${phrasing}`).toEqual([fact.id]);
      }
    }
  });
});

describe('FactRetriever on questions that ask for nothing', () => {
  const generic = ['Let me think about that.', 'Can I start designing now?', 'Does that make sense?', 'OK.', UNANSWERABLE_QUESTION];

  it.each(bank.map((card) => [card.id, card] as const))('reveals nothing for generic remarks on %s', (_id, card) => {
    const retriever = FactRetriever.forProblem(card);
    for (const remark of generic) {
      expect(retriever.match(remark), remark).toEqual([]);
      expect(retriever.search(remark), remark).toEqual([]);
    }
  });
});

describe('FactRetriever matching', () => {
  const card = problem('fraud-detection');
  const retriever = FactRetriever.forProblem(card);

  it('finds a fact from a paraphrase that is not one of its phrasings', () => {
    expect(retriever.match('How many transactions per second?').map((fact) => fact.id)).toEqual(['transaction-volume']);
    expect(retriever.match('Do we have device fingerprints?').map((fact) => fact.id)).toEqual(['available-data']);
  });

  it('returns two facts when one question asks two things about as strongly', () => {
    const ids = retriever.match('Do we have device fingerprints, and is there step-up authentication?').map((fact) => fact.id);
    expect(ids.toSorted()).toEqual(['available-data', 'step-up-actions']);
  });

  it('returns only the best fact when the second matched much more weakly', () => {
    // The fraud rate matches far below the latency budget here; the offline engine asks per sentence instead.
    expect(retriever.match("What's the fraud rate, and what's the p99 latency budget?").map((fact) => fact.id)).toEqual(['authorization-latency']);
  });

  it('scores matches best first, above the noise floor, with the terms they matched', () => {
    const matches = retriever.search('What is the chargeback delay before labels arrive?');
    expect(matches[0]?.fact.id).toBe('chargeback-labels');
    expect(matches[0]?.terms).toEqual(expect.arrayContaining(['chargeback']));
    const scores = matches.map((match) => match.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const score of scores) expect(score).toBeGreaterThanOrEqual(4);
  });

  it('never returns more than two facts', () => {
    expect(retriever.match('What about scale, latency, labels, fraud rate, costs, rules, step-up, compliance, data and team?').length).toBeLessThanOrEqual(2);
  });
});
