import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTERVIEW_SCHEMA_VERSION, InterviewState, toTranscript } from '../../src/interview/interview-state.ts';
import { PROJECT_ROOT } from '../../src/resources.ts';
import { Transcript } from '../../src/transcript/transcript.ts';

// Every schema version of a stored interview ever written keeps loading: one fixture per version, saved
// by the code of that version (interview-state-v1.json was written by the terminal chat at version 1).
const DIRECTORY = join(PROJECT_ROOT, 'tests', 'fixtures', 'state');

describe('stored interview states of every schema version', () => {
  const files = readdirSync(DIRECTORY).filter((name) => /^interview-state-v\d+\.json$/.test(name));

  it('has a fixture for every version up to the current one', () => {
    const versions = files.map((name) => Number(/v(\d+)/.exec(name)?.[1])).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: INTERVIEW_SCHEMA_VERSION }, (_, index) => index + 1));
  });

  it.each(files)('%s still loads and gives a valid transcript', (name) => {
    const state = InterviewState.parse(JSON.parse(readFileSync(join(DIRECTORY, name), 'utf8')));
    expect(state.turns.length).toBeGreaterThan(0);
    expect(Transcript.safeParse(toTranscript(state)).success).toBe(true);
  });

  it('loads a version-1 state written before integrity flags existed with none', () => {
    const raw = JSON.parse(readFileSync(join(DIRECTORY, 'interview-state-v1.json'), 'utf8')) as Record<string, unknown>;
    expect(raw).not.toHaveProperty('integrityFlags');
    expect(InterviewState.parse(raw).integrityFlags).toEqual([]);
  });
});
