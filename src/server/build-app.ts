import { join } from 'node:path';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { InterviewerEngines } from '../agents/interviewer/create-interviewer.ts';
import { AppError } from '../errors.ts';
import type { EvaluatorEngine } from '../evaluator/evaluator-engine.ts';
import type { PriceTable } from '../llm/pricing.ts';
import type { ProblemCard } from '../problems/problem-card.ts';
import type { SessionStore } from '../store/session-store.ts';
import { ConnectionGuard, clientErrorHandler, type ConnectionLimits } from './connection-guard.ts';
import { publicError, statusFor } from './error-codes.ts';
import { EvaluationWorker } from './evaluation-worker.ts';
import { apiRoutes } from './routes/api-routes.ts';
import { goAway, SessionHub } from './session-hub.ts';
import { SessionPurger } from './session-purger.ts';
import { CLOSE_CODES, clip, closeHandshakes, DEFAULT_SEND_BUFFER_LIMIT, SHUTDOWN_CLOSE_TIMEOUT_MS } from './socket-send.ts';
import { DEFAULT_FRAME_RATE, handleConnection, type FrameRateLimit } from './ws-connection.ts';

export interface AppDependencies {
  readonly store: SessionStore;
  readonly problems: ReadonlyMap<string, ProblemCard>;
  readonly engines: InterviewerEngines;
  readonly evaluator: EvaluatorEngine;
  readonly fallbackEvaluator: EvaluatorEngine;
  /** Independent evaluations per scorecard (EVALUATOR_SAMPLES). */
  readonly evaluatorSamples: number;
  readonly logger: Logger;
  readonly clock?: () => Date;
  readonly clockScale: number;
  readonly maxMessageChars: number;
  /** Origins allowed to open the websocket besides the server's own. */
  readonly allowedOrigins?: readonly string[];
  readonly practiceRateLimit?: { max: number; timeWindow: string };
  readonly workerPollMs?: number;
  readonly workerBaseBackoffMs?: number;
  readonly helloTimeoutMs?: number;
  /** How often authenticated websockets are pinged (30 s when absent); a peer that misses one is closed. */
  readonly pingIntervalMs?: number;
  /** For scorecard cost estimates (config.prices); the built-in table when absent. */
  readonly prices?: PriceTable;
  /** Unread bytes a websocket client may leave queued before it is closed with 4508. */
  readonly sendBufferLimit?: number;
  /** Frames per websocket connection (DEFAULT_FRAME_RATE when absent). */
  readonly frameRate?: FrameRateLimit;
  /** Open TCP connections (MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS); only real sockets count. */
  readonly connectionLimits?: ConnectionLimits;
  /** Days a session is kept after it was last written (SESSION_TTL_DAYS); 30 when absent. */
  readonly sessionTtlDays?: number;
  /** Interviews under way at once (MAX_ACTIVE_SESSIONS); no cap when absent. */
  readonly maxActiveSessions?: number;
  /** HTTP timeouts; HTTP_TIMEOUTS when absent. */
  readonly httpTimeouts?: HttpTimeouts;
}

/** Timeouts of the HTTP server, so slow or idle connections cannot hold descriptors for ever. */
export interface HttpTimeouts {
  /** A whole request (headers and body) must arrive within this. */
  readonly requestMs: number;
  /** A connection idle this long is closed (Fastify's connectionTimeout). */
  readonly idleMs: number;
  /** An idle keep-alive connection between requests. */
  readonly keepAliveMs: number;
}

export const HTTP_TIMEOUTS: HttpTimeouts = { requestMs: 30_000, idleMs: 120_000, keepAliveMs: 10_000 };
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { max: 10_000, perAddress: 256 };

export interface App {
  readonly fastify: FastifyInstance;
  readonly hub: SessionHub;
  readonly worker: EvaluationWorker;
  /** The retention job; main starts it with the worker. */
  readonly purger: SessionPurger;
  /** Graceful shutdown: stop accepting, tell connected clients, finish queued work, stop the worker, close the store. */
  readonly shutdown: (reason?: string) => Promise<void>;
}

const WEB_ROOT = join(import.meta.dirname, 'web');
const PAGE_CSP = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Builds the server without listening, so tests can use inject and injectWS without a port. */
export async function buildApp(deps: AppDependencies): Promise<App> {
  const clock = deps.clock ?? (() => new Date());
  // The router would answer 404 to a path parameter over its default 100 characters; the handlers' own
  // validation answers such an id with a clear 400 instead.
  const timeouts = deps.httpTimeouts ?? HTTP_TIMEOUTS;
  const fastify = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Fastify's own request logging writes two lines per request (received, completed); the onResponse
    // hook below writes one.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    routerOptions: { maxParamLength: 1000 },
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    clientErrorHandler,
    // A malformed percent-encoding in the URL: our error shape, not Fastify's.
    frameworkErrors: (error, _request, reply) => {
      const code = error.code === 'FST_ERR_BAD_URL' ? 'url_invalid' : 'request_invalid';
      void (reply as unknown as FastifyReply).code(400).send({ error: { code, message: code === 'url_invalid' ? 'the URL is not validly percent-encoded' : clip(error.message, 300) } });
    },
  });
  const guard = new ConnectionGuard(deps.connectionLimits ?? DEFAULT_CONNECTION_LIMITS);
  guard.attach(fastify.server);
  const sendBufferLimit = deps.sendBufferLimit ?? DEFAULT_SEND_BUFFER_LIMIT;
  let worker: EvaluationWorker | null = null;
  const hub = new SessionHub({
    store: deps.store,
    problems: deps.problems,
    engines: deps.engines,
    clock,
    clockScale: deps.clockScale,
    maxMessageChars: deps.maxMessageChars,
    logger: deps.logger,
    sendBufferLimit,
    ...(deps.maxActiveSessions !== undefined ? { maxActiveSessions: deps.maxActiveSessions } : {}),
    onEnded: (sessionId) => {
      deps.store.enqueueEvaluation(sessionId, clock());
      worker?.wake();
    },
  });
  worker = new EvaluationWorker({
    store: deps.store,
    hub,
    evaluator: deps.evaluator,
    fallbackEvaluator: deps.fallbackEvaluator,
    samples: deps.evaluatorSamples,
    problems: deps.problems,
    clock,
    logger: deps.logger,
    ...(deps.prices ? { prices: deps.prices } : {}),
    ...(deps.workerPollMs !== undefined ? { pollMs: deps.workerPollMs } : {}),
    ...(deps.workerBaseBackoffMs !== undefined ? { baseBackoffMs: deps.workerBaseBackoffMs } : {}),
  });

  const purger = new SessionPurger({ store: deps.store, ttlDays: deps.sessionTtlDays ?? 30, clock, logger: deps.logger });

  // Handlers validate with zod; the route schemas only document the API.
  fastify.setValidatorCompiler(() => (data) => ({ value: data }));
  fastify.setSerializerCompiler(() => (data) => JSON.stringify(data));
  fastify.setErrorHandler((error, request, reply) => {
    const statusCode = (error as { statusCode?: number }).statusCode;
    if (error instanceof AppError) {
      // 503s (busy, shutting down) are load, not faults: a client asking for them must not fill the error log.
      if (statusFor(error.code) >= 500 && statusFor(error.code) !== 503) request.log.error({ err: error }, 'request failed');
      return reply.code(statusFor(error.code)).send({ error: publicError(error) });
    }
    if (statusCode === 429) return reply.code(429).send({ error: { code: 'rate_limited', message: 'too many sessions created; retry later' } });
    if (statusCode === 413) return reply.code(413).send({ error: { code: 'request_too_large', message: 'the request body is over 64 KiB' } });
    if (statusCode === 415) return reply.code(415).send({ error: { code: 'media_type_unsupported', message: 'send the body as application/json' } });
    // Every other client error is a 400 with our code: the documented status, whatever Fastify chose.
    if (statusCode && statusCode >= 400 && statusCode < 500) return reply.code(400).send({ error: { code: 'request_invalid', message: clip((error as Error).message, 300) } });
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send({ error: publicError(error) });
  });
  fastify.addHook('onRequest', async (request, reply) => {
    if (guard.overAddressCap(request.raw.socket) && request.url !== '/healthz') {
      return reply.code(429).header('connection', 'close').send({ error: { code: 'too_many_connections', message: 'too many open connections from this address; close some and retry' } });
    }
    // A websocket upgrade on a route that is not a websocket: 404 before the upgrade, not 101 and a close.
    if (request.headers.upgrade?.toLowerCase() === 'websocket' && !(request.routeOptions.config as { websocket?: boolean }).websocket) {
      return reply.code(404).send({ error: { code: 'not_found', message: `no websocket at ${request.url.split('?')[0]}` } });
    }
    return undefined;
  });
  // One line per request. The query string is left out: it is the one part of a URL a client might put a secret in.
  fastify.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, url: request.url.split('?')[0], statusCode: reply.statusCode, responseTime: Math.round(reply.elapsedTime) }, 'request');
  });
  fastify.setNotFoundHandler((request, reply) => reply.code(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } }));

  await fastify.register(fastifySwagger, {
    openapi: {
      info: { title: 'mlsd-interviewer API', version: '1', description: 'Practice interviews, sessions and scorecards. The websocket protocol is in docs/websocket-protocol.md.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await fastify.register(fastifySwaggerUi, { routePrefix: '/docs' });
  fastify.get('/openapi.json', { schema: { hide: true } }, async () => fastify.swagger());
  await fastify.register(fastifyRateLimit, { global: false });
  await fastify.register(fastifyWebsocket, {
    options: { maxPayload: 1024 * 1024 },
    // Invalid UTF-8 or an oversized frame is the client's doing: a warning, not an error-level line
    // (the plugin's default logs at error level). ws closes such a connection itself (1007, 1009).
    errorHandler: (error, socket, request) => {
      request.log.warn({ err: error }, 'websocket error');
      if (socket.readyState === socket.OPEN) socket.close(CLOSE_CODES.internalError, 'unexpected error');
    },
  });
  await fastify.register(fastifyStatic, {
    root: WEB_ROOT,
    prefix: '/',
    index: ['index.html'],
    cacheControl: false,
    // The page has no inline script or style: a strict policy costs nothing and contains any injected markup.
    setHeaders: (reply) => {
      reply.header('content-security-policy', PAGE_CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
    },
  });

  // Browsers ask for it on every page load; without it each load logs a 404 in the console.
  fastify.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) => reply.code(204).header('cache-control', 'public, max-age=86400').send());

  fastify.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      deps.store.lastSeq('healthcheck');
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  await fastify.register(apiRoutes, { hub, store: deps.store, problems: deps.problems, practiceRateLimit: deps.practiceRateLimit ?? { max: 20, timeWindow: '1 minute' } });

  const maxFrameBytes = deps.maxMessageChars * 4 + 1024;
  let shuttingDown = false;
  fastify.get('/v1/sessions/:id/ws', { websocket: true, config: { websocket: true }, schema: { hide: true } }, (socket, request) => {
    const origin = request.headers.origin;
    if (origin && !originAllowed(origin, request.headers.host, deps.allowedOrigins ?? [])) {
      socket.send(JSON.stringify({ type: 'error', seq: 0, code: 'origin_forbidden', message: `origin ${origin} is not allowed` }));
      socket.close(CLOSE_CODES.forbidden, 'origin not allowed');
      return;
    }
    if (shuttingDown) return goAway(socket, 0, 'the server is shutting down');
    const sessionId = String((request.params as { id?: string }).id ?? '');
    handleConnection(socket, { sessionId, hub, store: deps.store, logger: deps.logger, maxFrameBytes, helloTimeoutMs: deps.helloTimeoutMs ?? 15_000, sendBufferLimit, frameRate: deps.frameRate ?? DEFAULT_FRAME_RATE, maxMessageChars: deps.maxMessageChars, pingIntervalMs: deps.pingIntervalMs ?? 30_000 });
  });

  const shutdown = async (reason = 'the server is restarting') => {
    shuttingDown = true;
    // Every connection, attached to a session or still before its hello, gets the frame and 1001; then the
    // close handshakes are awaited. Exiting before they finish resets connections whose frames the server
    // has not read, and a reset discards what the client had not yet read: the frame and the close.
    const closing = hub.closeAll(reason);
    for (const client of fastify.websocketServer.clients) if (!closing.has(client)) goAway(client, 0, reason);
    await closeHandshakes([...fastify.websocketServer.clients], SHUTDOWN_CLOSE_TIMEOUT_MS);
    await fastify.close();
    await hub.drain();
    purger.stop();
    await worker?.stop();
    deps.store.close();
  };
  return { fastify, hub, worker, purger, shutdown };
}

/** Same-origin pages may connect, and those listed in ALLOWED_ORIGINS; clients that send no Origin are not browsers. */
export function originAllowed(origin: string, host: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
