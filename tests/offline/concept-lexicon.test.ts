import { describe, expect, it } from 'vitest';
import { ConceptSpotter } from '../../src/offline/concept-lexicon.ts';
import { problem, resources } from '../interview/interview-helpers.ts';

describe('ConceptSpotter', () => {
  const spotter = new ConceptSpotter(resources().concepts, problem('fraud-detection'));

  it('finds each concept once, in order of first mention, with its sentence', () => {
    const mentions = spotter.mentions('We add a feature store. Then a shadow deployment. The feature store again.');
    expect(mentions.map((mention) => [mention.concept, mention.sentence])).toEqual([
      ['feature store', 'We add a feature store.'],
      ['shadow deployment', 'Then a shadow deployment.'],
    ]);
  });

  it('tells an explained mention from a bare one', () => {
    const [bare] = spotter.mentions('We add a feature store.');
    const [explained] = spotter.mentions('We add a feature store so that the online service and training read the same point-in-time values, because skew would hurt.');
    expect(bare?.explained).toBe(false);
    expect(explained?.explained).toBe(true);
  });

  it('matches whole words only', () => {
    expect(spotter.mentions('The featurestores are elsewhere.').map((mention) => mention.concept)).not.toContain('feature store');
  });

  it('recognises the problem’s own deep-dive keywords', () => {
    expect(spotter.mentions('Chargebacks arrive late.').map((mention) => mention.concept)).toContain('Labels, label maturity and selection bias');
  });
});
