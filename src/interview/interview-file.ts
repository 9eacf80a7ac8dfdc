import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidFileError, formatIssues } from '../errors.ts';
import { Transcript } from '../transcript/transcript.ts';
import { INTERVIEW_SCHEMA_VERSION, InterviewState, toTranscript } from './interview-state.ts';
import { startPhases } from './phase-machine.ts';

/** Where the full state of a transcript file is kept, beside it. */
export function stateFileFor(transcriptPath: string): string {
  return transcriptPath.replace(/(\.json)?$/, '.state.json');
}

/** The transcript a file belongs to: itself, or the transcript beside it when it is a state file. */
export function transcriptFileFor(path: string): string {
  return path.endsWith('.state.json') ? path.replace(/\.state\.json$/, '.json') : path;
}

/** Writes through a temporary file and a rename, so a crash never leaves a half-written file. */
export function writeJsonAtomically(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temporary, path);
}

/** Saves the shared transcript and, beside it, the full state needed to resume. */
export function saveInterview(transcriptPath: string, state: InterviewState): void {
  writeJsonAtomically(stateFileFor(transcriptPath), state);
  writeJsonAtomically(transcriptPath, toTranscript(state));
}

export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidFileError(path, `cannot be read: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidFileError(path, `is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Loads an interview to resume: its full state when the file is a state file or has one beside it,
 * otherwise a state rebuilt from the shared transcript (phase from the last turn; facts revealed and
 * the offline engine's memory start empty).
 */
export function loadInterviewForResume(path: string, now: Date): InterviewState {
  const sidecar = stateFileFor(path);
  const raw = readJsonFile(existsSync(sidecar) && !path.endsWith('.state.json') ? sidecar : path);
  if (typeof raw === 'object' && raw !== null && 'schemaVersion' in raw) {
    const parsed = InterviewState.safeParse(raw);
    if (!parsed.success) throw new InvalidFileError(path, formatIssues(parsed.error.issues));
    return parsed.data;
  }
  const transcript = Transcript.safeParse(raw);
  if (!transcript.success) throw new InvalidFileError(path, `not a transcript: ${formatIssues(transcript.error.issues)}`);
  const turns = transcript.data.turns;
  const last = turns.at(-1);
  const phase = last?.phase ?? 'problem_exploration';
  return {
    schemaVersion: INTERVIEW_SCHEMA_VERSION,
    id: transcript.data.id,
    problemId: transcript.data.problem,
    candidate: transcript.data.candidate,
    startedAt: turns[0]?.at ?? now.toISOString(),
    ...startPhases(now),
    phase,
    candidateTurnsInPhase: turns.filter((turn) => turn.role === 'candidate' && turn.phase === phase).length,
    turns,
    revealedFacts: [],
    notes: [],
    integrityFlags: [],
    turnMeta: [],
    offline: { probedConcepts: [], askedProbes: [], deepDiveAreas: [], constraintChanges: [], wrapUpStep: 0, unansweredQuestions: 0 },
  };
}
