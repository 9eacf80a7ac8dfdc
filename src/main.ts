import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createEvaluator } from './agents/evaluator/create-evaluator.ts';
import { createInterviewer } from './agents/interviewer/create-interviewer.ts';
import { loadConfig, loadDotEnv } from './config.ts';
import { AppError } from './errors.ts';
import { OfflineEvaluator } from './evaluator/offline/offline-evaluator-engine.ts';
import { createLogger } from './logger.ts';
import { loadResources } from './resources.ts';
import { buildApp } from './server/build-app.ts';
import { defaultMaxConnections } from './server/descriptor-limit.ts';
import { lockDataDir } from './store/data-dir-lock.ts';
import { SqliteSessionStore } from './store/sqlite-session-store.ts';
import { TerminalLogDestination } from './terminal-log.ts';

/** Wires configuration, resources, store, engines and server, then listens. Nothing else. */
async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  // A person at a terminal reads one short line per event; anything else (a file, a collector) gets pino's JSON lines.
  const logger = createLogger(config.env.LOG_LEVEL, process.stdout.isTTY ? new TerminalLogDestination(process.stdout) : undefined);
  // The ready line and the shutdown messages are shown at any LOG_LEVEL but silent: they are what `npm start` is for.
  const announce = config.env.LOG_LEVEL === 'silent' ? logger : logger.child({}, { level: 'info' });
  const resources = loadResources();
  const dataDir = resolve(config.env.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  // Before the database is opened: a second server on the same directory would corrupt its sessions.
  const lock = lockDataDir(dataDir);
  process.on('exit', () => lock.release());
  const store = new SqliteSessionStore(join(dataDir, 'mlsd-interviewer.sqlite'));
  // With the lock held no other process runs evaluations: a `running` job was leased by a process that died.
  const recovered = store.recoverRunningEvaluations(new Date());
  const app = await buildApp({
    store,
    problems: resources.problems,
    engines: createInterviewer(config, resources),
    evaluator: createEvaluator(config, resources),
    fallbackEvaluator: new OfflineEvaluator({ guideVersion: resources.guide.version }),
    evaluatorSamples: config.env.EVALUATOR_SAMPLES,
    logger,
    clockScale: config.env.INTERVIEW_CLOCK_SCALE,
    maxMessageChars: config.env.MAX_MESSAGE_CHARS,
    prices: config.prices,
    sessionTtlDays: config.env.SESSION_TTL_DAYS,
    maxActiveSessions: config.env.MAX_ACTIVE_SESSIONS,
    practiceRateLimit: { max: config.env.PRACTICE_RATE_LIMIT, timeWindow: '1 minute' },
    connectionLimits: { max: config.env.MAX_CONNECTIONS ?? defaultMaxConnections(), perAddress: config.env.MAX_CONNECTIONS_PER_ADDRESS },
    allowedOrigins: config.env.ALLOWED_ORIGINS?.split(',').map((origin) => origin.trim()).filter(Boolean) ?? [],
  });
  if (recovered > 0) logger.info({ recovered }, 'evaluations interrupted by a previous process are due again');
  // Fastify logs one "Server listening at" line per address at info, which would bury the ready line below
  // that says the same; it has no option to leave them out, so the logger is quietened while it listens.
  const level = logger.level;
  if (logger.isLevelEnabled('info')) logger.level = 'warn';
  try {
    await app.fastify.listen({ port: config.env.PORT, host: config.env.HOST });
  } finally {
    logger.level = level;
  }
  app.worker.start();
  app.purger.start();
  const address = app.fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : config.env.PORT;
  const host = config.env.HOST === '0.0.0.0' || config.env.HOST === '::' ? 'localhost' : config.env.HOST;
  announce.info(`mlsd-interviewer is ready: open http://${host}:${port}/ (engine: ${config.provider}; ${config.providerReason}; Ctrl-C stops it)`);

  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      announce.info(`shutting down (${signal})`);
      app.shutdown().then(
        () => {
          announce.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write(`error: ${(error as Error).message}. Another program uses that port: set PORT to a free one (PORT=3001 npm start).\n`);
    process.exit(2);
  }
  if (error instanceof AppError) {
    process.stderr.write(`error (${error.code}): ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
