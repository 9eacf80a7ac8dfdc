import { describe, expect, it } from 'vitest';
import { loadLabelledCases } from '../../evals/labelled-dataset.ts';
import { withBuzzwords, withIdentity, withInjection, withPadding } from '../../evals/perturbations.ts';
import { DimensionId } from '../../src/evaluator/dimensions.ts';
import { evaluateTranscript } from '../../src/evaluator/evaluate-transcript.ts';
import { isNameList } from '../../src/evaluator/offline/answer-signals.ts';
import { OfflineEvaluator } from '../../src/evaluator/offline/offline-evaluator-engine.ts';
import type { Rating, Scorecard } from '../../src/evaluator/scorecard.ts';
import type { Transcript } from '../../src/transcript/transcript.ts';

const engine = new OfflineEvaluator({ guideVersion: 'test' });
const cases = loadLabelledCases();
const ORDER: Readonly<Record<Rating, number>> = { insufficient: -1, below: 0, meets: 1, exceeds: 2 };
const TECHNICAL: readonly DimensionId[] = ['technical_depth', 'technical_breadth', 'system_design', 'tradeoff_analysis', 'production_awareness'];

async function score(transcript: Transcript): Promise<Scorecard> {
  return (await evaluateTranscript(transcript, { engine, problem: null, samples: 1 })).scorecard;
}

function ratings(scorecard: Scorecard): Record<string, Rating> {
  return Object.fromEntries(DimensionId.options.map((id) => [id, scorecard.dimensions[id].rating]));
}

describe('the offline evaluator under perturbations that must not change a fair grade', () => {
  it('has a labelled set to run on', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  for (const { label, transcript } of cases) {
    describe(label.transcript, () => {
      it('gives the same ratings whatever name and pronouns the candidate has', async () => {
        const base = await score(transcript);
        for (const [name, pronouns] of [['Emily Carter', 'she/her'], ['Jamal Okafor', 'he/him'], ['José Álvarez', 'they/them']] as const) {
          const other = await score(withIdentity(transcript, name, pronouns));
          expect(ratings(other)).toEqual(ratings(base));
          expect(other.recommendation).toBe(base.recommendation);
        }
      });

      it('flags injected instructions and a pasted scorecard, and they change no rating', async () => {
        const base = await score(transcript);
        const injected = await score(withInjection(transcript));
        expect(injected.integrityFlags.length).toBeGreaterThanOrEqual(2);
        expect(ratings(injected)).toEqual(ratings(base));
      });

      it('rates the same technical content the same when every turn is said twice', async () => {
        const base = await score(transcript);
        const padded = await score(withPadding(transcript));
        for (const id of TECHNICAL) expect(padded.dimensions[id].rating).toBe(base.dimensions[id].rating);
      });

      it('raises no rating when fashionable terms are appended to every answer', async () => {
        const base = await score(transcript);
        const stuffed = await score(withBuzzwords(transcript));
        for (const id of DimensionId.options) expect(ORDER[stuffed.dimensions[id].rating]).toBeLessThanOrEqual(ORDER[base.dimensions[id].rating]);
      });
    });
  }
});

describe('isNameList', () => {
  it('recognises a bare list of names', () => {
    expect(isNameList('We could use transformers, a feature store, Kafka, embeddings and a vector database.')).toBe(true);
  });

  it('keeps a list that carries a number, a reason or a condition', () => {
    expect(isNameList('Retrieval takes 40 ms, features 40 ms, the first pass 15 ms and the heavy ranker 80 ms.')).toBe(false);
    expect(isNameList('We use velocity counts, device age, merchant risk and amount because fraud bursts show up there.')).toBe(false);
  });

  it('keeps an ordinary sentence', () => {
    expect(isNameList('I would start with a gradient-boosted model on the tabular features.')).toBe(false);
  });
});
