import type { Logger } from 'pino';
import { evaluateTranscript } from '../evaluator/evaluate-transcript.ts';
import type { EvaluatorEngine } from '../evaluator/evaluator-engine.ts';
import { toTranscript } from '../interview/interview-state.ts';
import type { PriceTable } from '../llm/pricing.ts';
import type { ProblemCard } from '../problems/problem-card.ts';
import type { SessionStore } from '../store/session-store.ts';
import type { SessionHub } from './session-hub.ts';

export interface WorkerOptions {
  readonly store: SessionStore;
  readonly hub: SessionHub;
  readonly evaluator: EvaluatorEngine;
  /** Used for the last attempt when the main evaluator keeps failing, so a candidate still gets feedback. */
  readonly fallbackEvaluator: EvaluatorEngine;
  readonly problems: ReadonlyMap<string, ProblemCard>;
  /** Independent evaluations aggregated per scorecard (EVALUATOR_SAMPLES); the offline fallback runs once, being deterministic. */
  readonly samples: number;
  readonly clock: () => Date;
  readonly logger: Logger;
  /** For scorecard cost estimates; the built-in table when absent. */
  readonly prices?: PriceTable;
  readonly pollMs?: number;
  readonly maxAttempts?: number;
  readonly baseBackoffMs?: number;
}

const LEASE_MS = 10 * 60_000;

/**
 * Runs evaluation jobs from the store: one job per session, leased so a crash mid-job is retried after a
 * restart, with exponential backoff between failed attempts.
 */
export class EvaluationWorker {
  readonly #options: WorkerOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = true;

  constructor(options: WorkerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Looks for work now instead of at the next poll. */
  wake(): void {
    if (!this.#stopped && !this.#running) this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(delay: number): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      // Nothing may escape: an unhandled rejection here would take the whole server down.
      this.#running = this.#drain().catch((error: unknown) => this.#options.logger.error({ err: error }, 'the evaluation worker failed; it tries again at the next poll')).finally(() => {
        this.#running = null;
        if (!this.#stopped) this.#schedule(this.#options.pollMs ?? 1000);
      });
    }, delay);
  }

  async #drain(): Promise<void> {
    const { store, clock } = this.#options;
    while (!this.#stopped) {
      const now = clock();
      const job = store.claimEvaluation(now, new Date(now.getTime() + LEASE_MS));
      if (!job) return;
      await this.#run(job.sessionId, job.attempts);
    }
  }

  async #run(sessionId: string, attempt: number): Promise<void> {
    const { store, hub, logger, clock } = this.#options;
    const maxAttempts = this.#options.maxAttempts ?? 4;
    let stored: ReturnType<SessionStore['getSession']>;
    try {
      stored = store.getSession(sessionId);
    } catch (error) {
      // An unreadable stored session will not become readable by retrying: give up on it at once.
      store.failEvaluation(sessionId, error instanceof Error ? error.message : String(error), null);
      hub.publish(sessionId, { type: 'evaluation.failed', message: 'the interview could not be read for evaluation' });
      logger.error({ err: error, sessionId }, 'evaluation failed: the session cannot be read');
      return;
    }
    if (!stored) {
      store.failEvaluation(sessionId, 'session not found', null);
      return;
    }
    const lastChance = attempt >= maxAttempts;
    const evaluator = lastChance ? this.#options.fallbackEvaluator : this.#options.evaluator;
    try {
      const { scorecard, gradedTranscript } = await evaluateTranscript(toTranscript(stored.state), {
        engine: evaluator,
        problem: this.#options.problems.get(stored.state.problemId) ?? null,
        notes: stored.state.notes,
        integrityFlags: stored.state.integrityFlags,
        samples: this.#options.samples,
        clock,
        ...(this.#options.prices ? { prices: this.#options.prices } : {}),
      });
      store.completeEvaluation(sessionId, { scorecard, gradedTranscript });
      hub.publish(sessionId, { type: 'scorecard', scorecard });
      logger.info({ sessionId, engine: scorecard.meta.engine, recommendation: scorecard.recommendation, attempt }, 'evaluation complete');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (lastChance) {
        store.failEvaluation(sessionId, message, null);
        hub.publish(sessionId, { type: 'evaluation.failed', message: 'the evaluation failed after several attempts' });
        logger.error({ err: error, sessionId, attempt }, 'evaluation failed for good');
        return;
      }
      const delay = (this.#options.baseBackoffMs ?? 2000) * 2 ** (attempt - 1);
      store.failEvaluation(sessionId, message, new Date(clock().getTime() + delay));
      logger.warn({ err: error, sessionId, attempt, retryInMs: delay }, 'evaluation failed; will retry');
    }
  }
}
