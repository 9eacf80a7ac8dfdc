/**
 * The base of every error this application raises on purpose. `code` is stable and documented in
 * docs/errors.md; the server maps it to an HTTP status and a websocket error frame.
 */
export class AppError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The user's configuration (environment, flags, files) is wrong. */
export class ConfigError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('config_invalid', message, options);
  }
}

/** A file on disk (problem card, transcript, stored session) does not match its schema. */
export class InvalidFileError extends AppError {
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('file_invalid', `${path}: ${message}`, options);
    this.path = path;
  }
}

/** The input a person gave (a message, a request body) is not acceptable. */
export class InvalidInputError extends AppError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/** An agent tried something the phase machine does not allow. */
export class PhaseTransitionError extends AppError {
  constructor(message: string) {
    super('phase_transition_refused', message);
  }
}

/** The interview is over and cannot take more turns. */
export class InterviewEndedError extends AppError {
  constructor() {
    super('interview_ended', 'the interview has ended; no more messages are accepted');
  }
}

/**
 * A call to an LLM provider failed. `retryable` follows HTTP semantics (408, 409, 429, 5xx, network,
 * timeouts). `receivedOutput` says whether part of the reply had arrived, which a retry would pay for
 * again; `retryAfterMs` is the provider's own `retry-after`; `timeout` names the limit that ran out.
 */
export class ProviderError extends AppError {
  readonly provider: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly receivedOutput: boolean;
  readonly retryAfterMs: number | undefined;
  readonly timeout: 'first_token' | 'idle' | 'total' | undefined;
  constructor(
    provider: string,
    message: string,
    options: { status?: number | undefined; retryable: boolean; cause?: unknown; receivedOutput?: boolean; retryAfterMs?: number | undefined; timeout?: 'first_token' | 'idle' | 'total' },
  ) {
    super('provider_failed', `${provider}: ${message}`, { cause: options.cause });
    this.provider = provider;
    this.status = options.status;
    this.retryable = options.retryable;
    this.receivedOutput = options.receivedOutput ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.timeout = options.timeout;
  }

  /** The same failure, known now to have happened after part of the reply arrived. */
  withReceivedOutput(receivedOutput: boolean): ProviderError {
    if (receivedOutput === this.receivedOutput) return this;
    const copy = new ProviderError(this.provider, this.message.slice(this.provider.length + 2), {
      status: this.status,
      retryable: this.retryable,
      cause: this.cause,
      receivedOutput,
      retryAfterMs: this.retryAfterMs,
      ...(this.timeout ? { timeout: this.timeout } : {}),
    });
    return copy;
  }
}

/** The model replied with output that does not fit the schema, even after a repair round. */
export class ModelOutputError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('model_output_invalid', message, options);
  }
}

/** Lists the first issues of a zod error as `path: message`. */
export function formatIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], limit = 5): string {
  const shown = issues.slice(0, limit).map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : '(root)'}: ${issue.message}`);
  const more = issues.length > limit ? `; and ${issues.length - limit} more` : '';
  return shown.join('; ') + more;
}
