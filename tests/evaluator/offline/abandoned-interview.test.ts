import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateTranscript } from '../../../src/evaluator/evaluate-transcript.ts';
import { OfflineEvaluator } from '../../../src/evaluator/offline/offline-evaluator-engine.ts';
import { PROJECT_ROOT } from '../../../src/resources.ts';
import { Transcript } from '../../../src/transcript/transcript.ts';

const engine = new OfflineEvaluator({ guideVersion: 'test' });

function labelled(name: string): Transcript {
  return Transcript.parse(JSON.parse(readFileSync(join(PROJECT_ROOT, 'evals', 'datasets', 'labelled', name), 'utf8')));
}

/** The transcript cut just before the first turn of `phase`. */
function cutBefore(transcript: Transcript, phase: Transcript['turns'][number]['phase']): Transcript {
  const index = transcript.turns.findIndex((turn) => turn.phase === phase);
  return { ...transcript, turns: transcript.turns.slice(0, index) };
}

describe('an interview abandoned before the deep dive', () => {
  for (const name of ['fraud-strong.json', 'anomaly-strong.json', 'fraud-weak.json']) {
    it(`is insufficient, however well it started (${name})`, async () => {
      const cut = cutBefore(labelled(name), 'deep_dive');
      expect(cut.turns.filter((turn) => turn.role === 'candidate').length).toBeGreaterThanOrEqual(4);
      const { scorecard } = await evaluateTranscript(cut, { engine, problem: null, samples: 1 });
      expect(scorecard.recommendation).toBe('insufficient');
      for (const id of ['technical_breadth', 'production_awareness', 'strategic_thinking'] as const) expect(scorecard.dimensions[id].rating).toBe('insufficient');
    });
  }

  it('is rated once the deep dive has started', async () => {
    const cut = cutBefore(labelled('fraud-strong.json'), 'tradeoffs');
    const { scorecard } = await evaluateTranscript(cut, { engine, problem: null, samples: 1 });
    expect(scorecard.dimensions.technical_breadth.rating).not.toBe('insufficient');
  });
});
