import { describe, expect, it } from 'vitest';
import { evaluateHeuristically } from '../../../src/evaluator/offline/offline-evaluator.ts';
import { transcriptOf } from '../helpers.ts';

/*
 * A candidate who names every part of a system with a reason attached, then cannot hold any of it up under
 * probing: the heuristic's only check that names are understood is the probes, so nothing exceeds on names.
 */
const transcript = transcriptOf([
  ['interviewer', 'Design a system that recommends items in a feed. Where would you start?', 'problem_exploration'],
  ['candidate', 'How many users are there, and what latency do we need?', 'problem_exploration'],
  ['interviewer', 'Could you sketch the system?', 'high_level_design'],
  ['candidate', 'Click events are ingested through Kafka because we need them fresh, and a feature store keeps user embeddings so that serving is fast.', 'high_level_design'],
  ['interviewer', 'What happens next?', 'high_level_design'],
  ['candidate', 'Candidate retrieval uses nearest-neighbour lookup over an index, then a ranker model scores them online within 50 ms, and a policy re-ranks for diversity because feeds otherwise collapse.', 'high_level_design'],
  ['interviewer', 'How does it learn?', 'high_level_design'],
  ['candidate', 'We train daily on the labels from clicks, and if the training job fails we fall back to yesterday\'s model; monitoring on the feedback loop alerts on drift.', 'high_level_design'],
  ['interviewer', 'How would you build the training set from those clicks?', 'deep_dive'],
  ['candidate', 'Not sure, the framework handles that for us.', 'deep_dive'],
  ['interviewer', 'How do you keep the embeddings fresh?', 'deep_dive'],
  ['candidate', "We'd figure that out later.", 'deep_dive'],
  ['interviewer', 'What breaks if the retrieval index is stale?', 'deep_dive'],
  ['candidate', "I don't know, the details are in the paper.", 'deep_dive'],
]);

describe('names without depth', () => {
  it('rates depth below, and caps the design at meets, saying why', () => {
    const scores = evaluateHeuristically(transcript);
    expect(scores.technical_depth.rating).toBe('below');
    expect(scores.system_design.rating).toBe('meets');
    expect(scores.system_design.rationale).toMatch(/Capped at meets: the components named did not hold up under probing/);
  });
});
