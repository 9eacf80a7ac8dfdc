import type { Logger } from 'pino';
import type { SessionStore } from '../store/session-store.ts';

export interface PurgerOptions {
  readonly store: SessionStore;
  /** Sessions not written for this many days are deleted (SESSION_TTL_DAYS). */
  readonly ttlDays: number;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly everyMs?: number;
}

const DAY_MS = 24 * 60 * 60_000;

/** The retention policy: deletes sessions older than the TTL, at start and then every hour. */
export class SessionPurger {
  readonly #options: PurgerOptions;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: PurgerOptions) {
    this.#options = options;
  }

  start(): void {
    this.runOnce();
    this.#timer = setInterval(() => this.runOnce(), this.#options.everyMs ?? 60 * 60_000);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Deletes the expired sessions now; returns how many. A failure is logged and tried again next time. */
  runOnce(): number {
    const { store, ttlDays, clock, logger } = this.#options;
    try {
      const purged = store.purgeSessions(new Date(clock().getTime() - ttlDays * DAY_MS));
      if (purged > 0) logger.info({ purged, ttlDays }, 'purged expired sessions');
      return purged;
    } catch (error) {
      logger.error({ err: error }, 'purging expired sessions failed; it is tried again at the next run');
      return 0;
    }
  }
}
