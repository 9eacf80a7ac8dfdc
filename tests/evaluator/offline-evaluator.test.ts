import { describe, expect, it } from 'vitest';
import { checkCitation } from '../../src/evaluator/citations.ts';
import { DimensionId } from '../../src/evaluator/dimensions.ts';
import type { Evaluation } from '../../src/evaluator/evaluate-transcript.ts';
import { answerQuality, answerSignals } from '../../src/evaluator/offline/answer-signals.ts';
import { OfflineEvaluator } from '../../src/evaluator/offline/offline-evaluator-engine.ts';
import { evaluateHeuristically } from '../../src/evaluator/offline/offline-evaluator.ts';
import { Scorecard } from '../../src/evaluator/scorecard.ts';
import type { Transcript } from '../../src/transcript/transcript.ts';
import { evaluateOffline, loadLabelled, loadLabels, loadOwnTranscript, ratingRank, recommendationRank, transcriptOf } from './helpers.ts';

/*
 * Properties the offline heuristic must have, checked on the labelled dataset and on three transcripts
 * written for these tests on problems the dataset does not cover (tests/fixtures/transcripts/), where
 * length and quality point opposite ways. The second set guards against rules fitted to the first.
 */

const LABELLED = [
  'fraud-strong.json',
  'fraud-weak.json',
  'search-buzzword.json',
  'recs-long-weak.json',
  'recs-short-strong.json',
  'eta-abandoned.json',
  'eta-concise.json',
  'eta-doubled.json',
  'anomaly-strong.json',
  'moderation-meets.json',
  'ads-name-a.json',
  'ads-name-b.json',
  'support-injection.json',
] as const;
const OWN = ['churn-long-confident-wrong.json', 'dedup-short-precise.json', 'grocery-forecast-hedging.json'] as const;

const transcripts = new Map<string, Transcript>([...LABELLED.map((name) => [name, loadLabelled(name)] as const), ...OWN.map((name) => [name, loadOwnTranscript(name)] as const)]);
const evaluations = new Map<string, Evaluation>();
for (const [name, transcript] of transcripts) evaluations.set(name, await evaluateOffline(transcript));

function scorecardOf(name: string): Scorecard {
  const evaluation = evaluations.get(name);
  if (!evaluation) throw new Error(`${name} was not evaluated`);
  return evaluation.scorecard;
}
const rating = (name: string, id: DimensionId) => scorecardOf(name).dimensions[id].rating;
const recommendationRankOf = (name: string) => recommendationRank(scorecardOf(name).recommendation);
const depthRank = (name: string) => ratingRank(rating(name, 'technical_depth'));

function candidateWords(transcript: Transcript): number {
  return transcript.turns.filter((turn) => turn.role === 'candidate').reduce((total, turn) => total + turn.text.split(/\s+/).length, 0);
}

/** Whether the candidate asked anything, by the plainest test: a question mark in problem exploration. */
function askedAQuestion(transcript: Transcript): boolean {
  return transcript.turns.some((turn) => turn.role === 'candidate' && turn.phase === 'problem_exploration' && turn.text.includes('?'));
}

describe('the offline evaluator on the labelled transcripts', () => {
  it('rates fraud-strong above fraud-weak', () => {
    expect(recommendationRankOf('fraud-strong.json')).toBeGreaterThan(recommendationRankOf('fraud-weak.json'));
  });

  it('rates search-buzzword technical depth at most meets, and below every candidate who can explain', () => {
    expect(depthRank('search-buzzword.json')).toBeLessThanOrEqual(ratingRank('meets'));
    for (const explainer of ['fraud-strong.json', 'anomaly-strong.json', 'recs-short-strong.json']) {
      expect(depthRank('search-buzzword.json'), explainer).toBeLessThan(depthRank(explainer));
    }
  });

  it('rates the short, correct recs-short-strong above the long, wrong recs-long-weak on depth and recommendation', () => {
    expect(candidateWords(transcripts.get('recs-long-weak.json') as Transcript)).toBeGreaterThan(2 * candidateWords(transcripts.get('recs-short-strong.json') as Transcript));
    expect(depthRank('recs-short-strong.json')).toBeGreaterThan(depthRank('recs-long-weak.json'));
    expect(recommendationRankOf('recs-short-strong.json')).toBeGreaterThan(recommendationRankOf('recs-long-weak.json'));
  });

  it('gives eta-concise and eta-doubled (the same answers at greater length) the same technical ratings', () => {
    for (const id of ['technical_depth', 'technical_breadth', 'system_design', 'tradeoff_analysis', 'production_awareness'] as const) {
      expect(rating('eta-doubled.json', id), id).toBe(rating('eta-concise.json', id));
    }
  });

  it('recommends insufficient for the abandoned interview', () => {
    expect(scorecardOf('eta-abandoned.json').recommendation).toBe('insufficient');
  });

  it('never strays more than one step from the labelled recommendation, and agrees with most labelled ratings', () => {
    const labels = loadLabels();
    expect(labels.map((label) => label.transcript).sort()).toEqual([...LABELLED].sort());
    let agreed = 0;
    for (const label of labels) {
      const card = scorecardOf(label.transcript);
      if (label.recommendation === 'insufficient' || card.recommendation === 'insufficient') {
        expect(card.recommendation, label.transcript).toBe(label.recommendation);
      } else {
        expect(Math.abs(recommendationRank(card.recommendation) - recommendationRank(label.recommendation)), label.transcript).toBeLessThanOrEqual(1);
      }
      agreed += DimensionId.options.filter((id) => card.dimensions[id].rating === label.ratings[id]).length;
    }
    // 62 of 104 when this was written (58 before the fixes of this change): a floor against regressions, not a target.
    expect(agreed / (labels.length * DimensionId.options.length)).toBeGreaterThanOrEqual(0.55);
  });
});

describe('the offline evaluator on transcripts it was not written against', () => {
  it('has fixtures where length and quality point opposite ways', () => {
    const long = candidateWords(transcripts.get('churn-long-confident-wrong.json') as Transcript);
    const hedging = candidateWords(transcripts.get('grocery-forecast-hedging.json') as Transcript);
    const short = candidateWords(transcripts.get('dedup-short-precise.json') as Transcript);
    expect(long).toBeGreaterThan(2 * short);
    expect(hedging).toBeGreaterThan(1.5 * short);
  });

  it('rates the short, precise candidate above the long, confident, wrong one and above the long hedger', () => {
    expect(recommendationRankOf('dedup-short-precise.json')).toBeGreaterThan(recommendationRankOf('churn-long-confident-wrong.json'));
    expect(recommendationRankOf('dedup-short-precise.json')).toBeGreaterThan(recommendationRankOf('grocery-forecast-hedging.json'));
  });

  it('rates the technical depth of the long, wrong answers at most meets and below the short, precise ones', () => {
    for (const weak of ['churn-long-confident-wrong.json', 'grocery-forecast-hedging.json']) {
      expect(depthRank(weak), weak).toBeLessThanOrEqual(ratingRank('meets'));
      expect(depthRank(weak), weak).toBeLessThan(depthRank('dedup-short-precise.json'));
    }
  });
});

describe('the offline evaluator on every transcript', () => {
  const all = [...LABELLED, ...OWN];

  it('never rates problem navigation exceeds when the candidate asked no clarifying question', () => {
    const silent = all.filter((name) => !askedAQuestion(transcripts.get(name) as Transcript));
    expect(silent).toEqual(expect.arrayContaining(['fraud-weak.json', 'churn-long-confident-wrong.json']));
    for (const name of silent) expect(rating(name, 'problem_navigation'), name).not.toBe('exceeds');
  });

  it('does not rate exceeds on problem navigation for a candidate who only states a framing, however well', () => {
    const transcript = transcriptOf([
      ['interviewer', 'Design a fraud detection system. Where would you start?'],
      ['candidate', 'I will assume 2,000 transactions per second, a 100 ms budget, chargeback labels that arrive within 60 days, and I will optimise expected cost rather than accuracy, because false declines lose revenue.'],
      ['interviewer', 'Go on.'],
      ['candidate', 'I will frame the target as fraud within 60 days, success as lower fraud losses at a fixed decline rate, and scope the first version to card payments.'],
    ]);
    return evaluateOffline(transcript).then(({ scorecard }) => expect(scorecard.dimensions.problem_navigation.rating).not.toBe('exceeds'));
  });

  it.each(all)('%s: a valid scorecard whose every evidence quote verifies against the graded transcript', (name) => {
    const evaluation = evaluations.get(name) as Evaluation;
    expect(Scorecard.parse(evaluation.scorecard)).toEqual(evaluation.scorecard);
    for (const id of DimensionId.options) {
      const dimension = evaluation.scorecard.dimensions[id];
      if (dimension.rating !== 'insufficient') expect(dimension.evidence.length, `${name} ${id}`).toBeGreaterThan(0);
      for (const item of dimension.evidence) expect(checkCitation(evaluation.gradedTranscript, item), `${name} ${id} turn ${item.turnId}: ${item.quote}`).toBeNull();
    }
    expect(evaluation.scorecard.meta.citationsDropped).toBe(0);
  });

  it.each(all)('%s: says it is heuristic, in the meta and in the feedback', (name) => {
    const card = scorecardOf(name);
    expect(card.meta).toMatchObject({ heuristic: true, engine: 'offline', model: 'offline-heuristic', repairRounds: 0 });
    expect(card.feedback).toMatch(/offline heuristic evaluator/);
    expect(card.feedback).toMatch(/does not judge technical correctness/);
    expect(card.summary).toMatch(/^Heuristic assessment:/);
    for (const id of DimensionId.options) expect(card.dimensions[id].confidence).toBeLessThanOrEqual(0.7);
  });

  it('is deterministic: the same transcript gives the same scorecard', async () => {
    const again = await evaluateOffline(transcripts.get('moderation-meets.json') as Transcript);
    expect(again.scorecard).toEqual(scorecardOf('moderation-meets.json'));
  });

  it('names the rules that produced it', () => {
    const engine = new OfflineEvaluator({ guideVersion: 'g-7' });
    expect(engine.promptVersions).toEqual({ guide: 'g-7', 'offline-evaluator': expect.stringMatching(/^heuristic-\d+$/) });
    expect(engine.heuristic).toBe(true);
  });
});

describe('offline signals', () => {
  it('reads "it depends" without a choice as a weak answer, and with a choice as a real one', () => {
    const question = 'One model for all products, or one per product?';
    const hedge = answerSignals('It really depends on the data, because both have merits, so I would prototype a couple of options.', question);
    expect(hedge.hedges).toBe(true);
    expect(answerQuality(hedge)).toBe('weak');
    const committed = answerSignals('It depends on volume: with 30,000 products I would choose one global model, because sparse items borrow strength from their category.', question);
    expect(committed.hedges).toBe(false);
    expect(answerQuality(committed)).toBe('strong');
  });

  it('does not count clarifying questions against communication, nor cite a two-word sentence as evidence', () => {
    const transcript = loadLabelled('moderation-meets.json');
    const asking = transcript.turns.filter((turn) => turn.role === 'candidate' && turn.phase === 'problem_exploration' && turn.text.includes('?')).map((turn) => turn.id);
    expect(asking.length).toBeGreaterThanOrEqual(4);
    const scores = evaluateHeuristically(transcript);
    const negative = scores.communication.evidence.filter((item) => item.polarity === 'negative').map((item) => item.turnId);
    expect(negative.filter((turnId) => asking.includes(turnId))).toEqual([]);
    expect(scores.communication.evidence.every((item) => item.quote.length >= 8)).toBe(true);
  });

  it('cites, for a below on a topic dimension, the answer given when the interviewer raised the topic', () => {
    const scores = evaluateHeuristically(loadLabelled('search-buzzword.json'));
    expect(scores.production_awareness.rating).toBe('below');
    expect(scores.production_awareness.evidence.some((item) => item.polarity === 'negative' && /asked about/.test(item.note))).toBe(true);
  });
});
