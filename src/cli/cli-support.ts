import { AppError } from '../errors.ts';

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
