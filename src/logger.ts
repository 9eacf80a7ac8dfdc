import { pino, type Logger, type LevelWithSilent } from 'pino';

/** Paths pino blanks out wherever they appear: secrets and candidate text never reach the log at info level. */
export const REDACTED_PATHS = [
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'req.headers.authorization',
  'headers.authorization',
  'text',
  '*.text',
  'candidateText',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  '*.OPENAI_API_KEY',
  '*.ANTHROPIC_API_KEY',
];

export function createLogger(level: LevelWithSilent, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination as unknown as pino.DestinationStream) : pino(options);
}

export type { Logger };
