import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidFileError } from '../../src/errors.ts';
import { loadInterviewForResume, readJsonFile, saveInterview, stateFileFor, transcriptFileFor, writeJsonAtomically } from '../../src/interview/interview-file.ts';
import { InterviewState, toTranscript } from '../../src/interview/interview-state.ts';
import { Transcript } from '../../src/transcript/transcript.ts';
import { START, problem, startSession } from './interview-helpers.ts';

const card = problem('fraud-detection');
const directories: string[] = [];

function temporaryDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'mlsd-interview-file-'));
  directories.push(directory);
  return directory;
}

afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

async function playedState(): Promise<InterviewState> {
  const harness = startSession(card);
  await harness.says('How many transactions per second do we see at peak?');
  await harness.says('I would frame it as a binary classification per payment, measured by fraud dollars caught at a fixed decline rate.');
  return harness.session.state;
}

describe('file names', () => {
  it('keeps the state beside the transcript', () => {
    expect(stateFileFor('/data/t/abc.json')).toBe('/data/t/abc.state.json');
    expect(stateFileFor('/data/t/abc')).toBe('/data/t/abc.state.json');
  });

  it('finds the transcript of a state file, and leaves a transcript path as it is', () => {
    expect(transcriptFileFor('/data/t/abc.state.json')).toBe('/data/t/abc.json');
    expect(transcriptFileFor('/data/t/abc.json')).toBe('/data/t/abc.json');
    expect(transcriptFileFor(stateFileFor('/data/t/abc.json'))).toBe('/data/t/abc.json');
  });
});

describe('saveInterview and loadInterviewForResume', () => {
  it('writes the shared transcript and, beside it, the full state, leaving no temporary file', async () => {
    const directory = temporaryDir();
    const path = join(directory, 'nested', 'interview.json');
    const state = await playedState();
    saveInterview(path, state);
    expect(Transcript.parse(JSON.parse(readFileSync(path, 'utf8')))).toEqual(toTranscript(state));
    expect(InterviewState.parse(JSON.parse(readFileSync(stateFileFor(path), 'utf8')))).toEqual(state);
    expect(readdirSync(join(directory, 'nested')).sort()).toEqual(['interview.json', 'interview.state.json']);
  });

  it('resumes the full state from the transcript path when the state file is beside it', async () => {
    const path = join(temporaryDir(), 'interview.json');
    const state = await playedState();
    saveInterview(path, state);
    expect(loadInterviewForResume(path, START)).toEqual(state);
    expect(loadInterviewForResume(stateFileFor(path), START)).toEqual(state);
  });

  it('rebuilds a state from a bare transcript: phase from the last turn, facts and memory empty', async () => {
    const path = join(temporaryDir(), 'bare.json');
    const state = await playedState();
    writeFileSync(path, JSON.stringify(toTranscript(state)));
    const now = new Date('2025-03-02T10:00:00.000Z');
    const resumed = loadInterviewForResume(path, now);
    expect(resumed).toMatchObject({
      id: state.id,
      problemId: 'fraud-detection',
      phase: 'high_level_design',
      phaseStartedAt: now.toISOString(),
      candidateTurnsInPhase: 0,
      ended: false,
      revealedFacts: [],
      startedAt: state.startedAt,
    });
    expect(resumed.turns).toEqual(state.turns);
    expect(InterviewState.safeParse(resumed).success).toBe(true);
  });

  it('counts the candidate turns already given in the resumed phase', async () => {
    const path = join(temporaryDir(), 'bare.json');
    const state = await playedState();
    writeFileSync(path, JSON.stringify({ ...toTranscript(state), turns: state.turns.slice(0, 4) }));
    expect(loadInterviewForResume(path, START)).toMatchObject({ phase: 'problem_exploration', candidateTurnsInPhase: 2 });
  });

  it('names the file when a state file does not match the schema', async () => {
    const path = join(temporaryDir(), 'broken.state.json');
    writeFileSync(path, JSON.stringify({ ...(await playedState()), schemaVersion: 99 }));
    expect(() => loadInterviewForResume(path, START)).toThrow(InvalidFileError);
    expect(() => loadInterviewForResume(path, START)).toThrow(new RegExp(`^${path}: schemaVersion: `));
  });

  it('names the file when it is not a transcript', () => {
    const path = join(temporaryDir(), 'notes.json');
    writeFileSync(path, JSON.stringify({ hello: 'world' }));
    expect(() => loadInterviewForResume(path, START)).toThrow(`${path}: not a transcript: `);
  });
});

describe('JSON files', () => {
  it('reads JSON and names the file when it is missing or malformed', () => {
    const directory = temporaryDir();
    const good = join(directory, 'good.json');
    writeJsonAtomically(good, { a: 1 });
    expect(readJsonFile(good)).toEqual({ a: 1 });
    expect(readFileSync(good, 'utf8')).toBe('{\n  "a": 1\n}\n');
    const bad = join(directory, 'bad.json');
    writeFileSync(bad, '{ "a": ');
    expect(() => readJsonFile(bad)).toThrow(`${bad}: is not valid JSON: `);
    expect(() => readJsonFile(join(directory, 'missing.json'))).toThrow(/missing\.json: cannot be read: /);
    expect(existsSync(`${good}.${process.pid}.tmp`)).toBe(false);
  });
});
