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
