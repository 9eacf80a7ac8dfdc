import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PhaseId } from '../../src/interview/phases.ts';
import { PROJECT_ROOT } from '../../src/resources.ts';
import { Transcript, transcriptJsonSchema } from '../../src/transcript/transcript.ts';

const DATASET_DIR = join(PROJECT_ROOT, 'evals', 'datasets', 'labelled');
const EXAMPLES = readdirSync(DATASET_DIR)
  .filter((name) => name.endsWith('.json') && !name.startsWith('labels-'))
  .sort();

function read(name: string): unknown {
  return JSON.parse(readFileSync(join(DATASET_DIR, name), 'utf8'));
}

const valid = {
  id: 'example',
  problem: 'fraud-detection',
  turns: [
    { id: 1, role: 'interviewer', phase: 'problem_exploration', text: 'Where would you like to start?' },
    { id: 2, role: 'candidate', phase: 'problem_exploration', text: 'With the business goal.', at: '2025-03-01T09:00:30.000Z' },
  ],
};

describe('Transcript: the labelled examples', () => {
  it('has examples to check', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(10);
  });

  it.each(EXAMPLES)('%s is a valid transcript', (name) => {
    const result = Transcript.safeParse(read(name));
    expect(result.error?.issues ?? []).toEqual([]);
    expect(result.data?.turns.length).toBeGreaterThan(0);
    expect(result.data?.turns.some((turn) => turn.role === 'candidate')).toBe(true);
  });
});

describe('Transcript: validation', () => {
  it('accepts a minimal transcript and defaults the candidate to {}', () => {
    const result = Transcript.parse(valid);
    expect(result.candidate).toEqual({});
    expect(result.turns[1]?.at).toBe('2025-03-01T09:00:30.000Z');
  });

  it('rejects turns out of order, pointing at the first wrong id', () => {
    const result = Transcript.safeParse({ ...valid, turns: [valid.turns[1], valid.turns[0]] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([
      ['turns', 0, 'id'],
      ['turns', 1, 'id'],
    ]);
    expect(result.error?.issues[0]?.message).toBe('turn ids must be 1, 2, 3, ... in order; expected 1, got 2');
  });

  it('rejects a gap or a repeat in the turn ids', () => {
    const gap = Transcript.safeParse({ ...valid, turns: [valid.turns[0], { ...valid.turns[1], id: 3 }] });
    expect(gap.error?.issues[0]).toMatchObject({ path: ['turns', 1, 'id'], message: 'turn ids must be 1, 2, 3, ... in order; expected 2, got 3' });
    const repeat = Transcript.safeParse({ ...valid, turns: [valid.turns[0], { ...valid.turns[1], id: 1 }] });
    expect(repeat.success).toBe(false);
  });

  it('rejects an unknown phase', () => {
    const result = Transcript.safeParse({ ...valid, turns: [valid.turns[0], { ...valid.turns[1], phase: 'requirements' }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['turns', 1, 'phase']);
  });

  it('rejects an unknown role, a missing text and a malformed time', () => {
    expect(Transcript.safeParse({ ...valid, turns: [{ ...valid.turns[0], role: 'observer' }] }).error?.issues[0]?.path).toEqual(['turns', 0, 'role']);
    expect(Transcript.safeParse({ ...valid, turns: [{ id: 1, role: 'candidate', phase: 'wrap_up' }] }).error?.issues[0]?.path).toEqual(['turns', 0, 'text']);
    expect(Transcript.safeParse({ ...valid, turns: [{ ...valid.turns[0], at: 'yesterday' }] }).error?.issues[0]?.path).toEqual(['turns', 0, 'at']);
  });

  it('requires an id and a problem', () => {
    const result = Transcript.safeParse({ turns: [] });
    expect(result.error?.issues.map((issue) => issue.path[0])).toEqual(['id', 'problem']);
    expect(Transcript.safeParse({ ...valid, id: '' }).success).toBe(false);
  });
});

describe('transcriptJsonSchema', () => {
  const schema = transcriptJsonSchema() as {
    type: string;
    required: string[];
    properties: Record<string, { type?: string; items?: { required: string[]; properties: Record<string, { enum?: string[] }> } }>;
  };

  it('describes the transcript as an object with id, problem and turns required', () => {
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['id', 'problem', 'turns']);
    expect(Object.keys(schema.properties)).toEqual(['id', 'problem', 'candidate', 'turns']);
  });

  it('describes each turn with the five phases and the two roles', () => {
    const turn = schema.properties.turns?.items;
    expect(turn?.required).toEqual(['id', 'role', 'phase', 'text']);
    expect(turn?.properties.phase?.enum).toEqual(PhaseId.options);
    expect(turn?.properties.role?.enum).toEqual(['interviewer', 'candidate']);
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
