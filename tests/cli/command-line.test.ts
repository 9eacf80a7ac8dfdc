import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess, type ProcessRun } from '../helpers/run-process.ts';
import { PROJECT_ROOT } from '../../src/resources.ts';

/**
 * Mistakes on the command line, made as a user makes them: each gets one line saying what to type
 * instead, and exit code 2, never a stack trace. The CLIs run as real processes, some through npm
 * itself, because what npm does with options written before `--` is the point.
 */

const scratch = mkdtempSync(join(tmpdir(), 'command-line-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const TRANSCRIPT = join(PROJECT_ROOT, 'evals', 'datasets', 'labelled', 'fraud-weak.json');

function run(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<ProcessRun> {
  // No API keys and no npm settings from the developer's shell; HOME points at a scratch folder.
  return runProcess(command, args, { cwd, env: { PATH: process.env.PATH ?? '', HOME: scratch, DATA_DIR: join(scratch, 'data'), LLM_PROVIDER: 'offline', ...env } });
}

const cli = (name: 'chat' | 'evaluate', args: readonly string[], env?: Record<string, string>) => run(process.execPath, [join(PROJECT_ROOT, 'src', 'cli', `${name}.ts`), ...args], scratch, env);
const npmRun = (args: readonly string[]) => run('npm', ['run', ...args], PROJECT_ROOT);

/** The one line a mistake must produce: no stack trace, nothing on stdout, exit 2. */
function expectOneLine(result: ProcessRun, message: string): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toBe(`error (config_invalid): ${message}\n`);
}

describe.concurrent('command-line mistakes', { timeout: 30_000 }, () => {
  it.each([
    ['chat', ['--problme', 'fraud-detection'], 'unknown option --problme; did you mean --problem? (see npm run chat -- --help)'],
    ['chat', ['--provder', 'offline'], 'unknown option --provder; did you mean --provider? (see npm run chat -- --help)'],
    ['chat', ['--colour'], 'unknown option --colour (see npm run chat -- --help)'],
    ['chat', ['--problem'], '--problem needs a value (see npm run chat -- --help)'],
    ['chat', ['--problem', '--name', 'Ada'], '--problem needs a value (see npm run chat -- --help)'],
    ['chat', ['--no-evaluate=yes'], '--no-evaluate takes no value (see npm run chat -- --help)'],
    ['chat', ['fraud-detection'], 'unexpected argument "fraud-detection": did you mean npm run chat -- --problem fraud-detection?'],
    ['chat', ['--problem', 'fraud-detection', 'extra'], 'unexpected argument "extra": options start with -- (see npm run chat -- --help)'],
    ['evaluate', [TRANSCRIPT, '--formta', 'md'], 'unknown option --formta; did you mean --format? (see npm run evaluate -- --help)'],
    ['evaluate', [TRANSCRIPT, '--format'], '--format needs a value (see npm run evaluate -- --help)'],
    ['evaluate', [TRANSCRIPT, '--out'], '--out needs a value (see npm run evaluate -- --help)'],
    ['evaluate', [], 'expected a transcript file: npm run evaluate -- FILE [options] (see --help)'],
    ['evaluate', ['md', TRANSCRIPT], `expected one transcript file, got 2 arguments (md, ${TRANSCRIPT})`],
  ] as const)('%s %j: one line and exit 2', async (name, args, message) => {
    expectOneLine(await cli(name, args), message);
  });

  it('catches npm run chat --problem X without --, where npm keeps --problem and passes only X', async () => {
    // Written exactly as the mistake is made, so npm adds its banner (stdout) and its own warnings (stderr).
    const result = await npmRun(['chat', '--problem', 'fraud-detection']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('src/cli/chat.ts fraud-detection\n');
    const ours = result.stderr.split('\n').filter((line) => !line.startsWith('npm '));
    expect(ours).toEqual(['error (config_invalid): npm took --problem as its own setting, so chat never saw it; put -- before the options: did you mean npm run chat -- --problem fraud-detection?', '']);
  });

  it('catches npm run chat --problem=X without --, where npm keeps the whole option and chat would pick a random problem', async () => {
    expectOneLine(await npmRun(['-s', 'chat', '--problem=eta-prediction']), 'npm took --problem as its own setting, so chat never saw it; put -- before the options: did you mean npm run chat -- --problem eta-prediction?');
  });

  it('catches npm run evaluate FILE --format md without --, where npm passes md on as a second file', async () => {
    const result = await npmRun(['-s', 'evaluate', TRANSCRIPT, '--format', 'md']);
    expectOneLine(result, `expected one transcript file, got 2 arguments (${TRANSCRIPT}, md); npm keeps options written before -- for itself: npm run evaluate -- FILE --format md`);
  });

  it('says on stderr that npm put its banner into a redirected report, and is quiet under npm run -s', async () => {
    const loud = await npmRun(['evaluate', '--', TRANSCRIPT, '--format', 'md']);
    expect(loud.code).toBe(0);
    expect(loud.stdout).toMatch(/^\n> mlsd-interviewer@[\d.]+ evaluate\n/);
    expect(loud.stderr).toMatch(/note: npm printed its "> mlsd-interviewer@[\d.]+ evaluate" banner into the output too; for a clean file use npm run -s evaluate -- \.\.\. or --out FILE\n/);
    const silent = await npmRun(['-s', 'evaluate', '--', TRANSCRIPT, '--format', 'md']);
    expect(silent.code).toBe(0);
    expect(silent.stderr).toBe('');
    expect(silent.stdout.startsWith('# ')).toBe(true);
  });
});
