import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError, ConfigError } from '../errors.ts';

/** Runs a CLI's main function: an AppError prints its message and exits 2; anything else is a crash (exit 1). */
export function runCli(main: () => Promise<void>): void {
  main().then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      if (error instanceof AppError) {
        process.stderr.write(`error (${error.code}): ${error.message}\n`);
        process.exit(2);
      }
      process.stderr.write(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}

/** The --samples option of the evaluate command and the eval suite: 1 to 9, as EVALUATOR_SAMPLES; absent, the configured number. */
export function parseSamplesOption(value: string | undefined, configured: number): number {
  if (value === undefined) return configured;
  const samples = Number(value);
  if (!Number.isInteger(samples) || samples < 1 || samples > 9) throw new ConfigError('--samples: a whole number from 1 to 9');
  return samples;
}

/** What a command line is parsed against: the command's npm script name (for the hints) and node:util's parseArgs options. */
export interface CommandLine<T extends ParseArgsConfig['options']> {
  readonly command: 'chat' | 'evaluate';
  readonly options: T;
  readonly args?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Parses a command line strictly, and turns every mistake into a one-line ConfigError (exit 2) that says
 * what to type instead: an unknown option names the closest known one, an option without its value says
 * so, and an option npm kept for itself (`npm run chat --problem X`, without `--`) is caught from the
 * `npm_config_*` variable npm sets for it, because the command would otherwise never see it.
 */
export function parseCommandLine<const T extends NonNullable<ParseArgsConfig['options']>>(commandLine: CommandLine<T>): { values: ReturnType<typeof parseArgs<{ options: T; allowPositionals: true; strict: true }>>['values']; positionals: string[] } {
  const { command, options } = commandLine;
  const env = commandLine.env ?? process.env;
  const args = [...(commandLine.args ?? process.argv.slice(2))];
  const help = `see npm run ${command} -- --help`;
  if (env.npm_lifecycle_event === command) {
    for (const [name, option] of Object.entries(options)) {
      const value = env[`npm_config_${name.replaceAll('-', '_')}`];
      if (value === undefined) continue;
      // npm reads `--problem X` as a flag and passes X on; `--problem=X` it keeps whole.
      const shown = option.type === 'boolean' ? '' : value === 'true' ? (args[0] ? ` ${args[0]}` : '') : ` ${value}`;
      throw new ConfigError(`npm took --${name} as its own setting, so ${command} never saw it; put -- before the options: did you mean npm run ${command} -- --${name}${shown}?`);
    }
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConfigError(`${describeParseError(error, Object.keys(options))} (${help})`, { cause: error });
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

/** node:util's parse errors are several sentences long and written for programmers; this says the same in one clause. */
function describeParseError(error: unknown, known: readonly string[]): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-{1,2}[^' =<]+)/.exec(message)?.[1] ?? 'an option';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const closest = closestName(option.replace(/^-+/, ''), known);
      return `unknown option ${option}${closest ? `; did you mean --${closest}?` : ''}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (message.includes('does not take an argument')) return `${option} takes no value`;
      return `${option} needs a value`;
    default:
      if (error instanceof Error) return message.split('\n')[0] ?? message;
      throw error;
  }
}

/** The known option nearest to a mistyped one, if it is a typo away (at most two edits, a swap counting as one). */
function closestName(typed: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(typed, name);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = distance;
    }
  }
  return at(a.length, b.length);
}

/**
 * A hint for when npm printed its banner ("> mlsd-interviewer@0.1.0 evaluate ...") into the same
 * redirected output as the report: npm writes it before this process starts, so it cannot be taken
 * back, only pointed out. Null when the output is a terminal, npm ran silently, or npm did not run it.
 */
export function npmBannerHint(command: 'chat' | 'evaluate', stdoutIsTty: boolean, env: NodeJS.ProcessEnv = process.env): string | null {
  if (stdoutIsTty || env.npm_lifecycle_event !== command || env.npm_config_loglevel === 'silent') return null;
  const remedy = command === 'evaluate' ? `npm run -s evaluate -- ... or --out FILE` : `npm run -s chat -- ...`;
  return `note: npm printed its "> ${env.npm_package_name ?? 'mlsd-interviewer'}@${env.npm_package_version ?? ''} ${command}" banner into the output too; for a clean file use ${remedy}\n`;
}
