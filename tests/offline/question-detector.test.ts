import { describe, expect, it } from 'vitest';
import { findQuestions } from '../../src/offline/question-detector.ts';

describe('findQuestions', () => {
  it('finds sentences ending in a question mark, each on its own', () => {
    expect(findQuestions('Thanks. How many transactions per second? And what is the p99 budget?')).toEqual(['How many transactions per second?', 'And what is the p99 budget?']);
  });

  it('finds questions typed without a question mark', () => {
    expect(findQuestions('what is the fraud rate')).toEqual(['what is the fraud rate']);
    expect(findQuestions('how fast must the decision come back')).toEqual(['how fast must the decision come back']);
  });

  it('finds requests phrased as statements', () => {
    expect(findQuestions("I'd like to know the label delay.")).toEqual(["I'd like to know the label delay."]);
    expect(findQuestions('Tell me about the existing rules engine.')).toEqual(['Tell me about the existing rules engine.']);
    expect(findQuestions("I'm curious whether we have device fingerprints.")).toEqual(["I'm curious whether we have device fingerprints."]);
  });

  it('finds nothing in statements, even ones that start with a question word', () => {
    expect(findQuestions('I would use gradient boosted trees. The features come from a stream.')).toEqual([]);
    expect(findQuestions('What I would do first is build a rules baseline.')).toEqual([]);
    expect(findQuestions('')).toEqual([]);
  });
});
