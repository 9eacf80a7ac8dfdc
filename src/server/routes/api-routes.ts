import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, formatIssues } from '../../errors.ts';
import type { ProblemCard } from '../../problems/problem-card.ts';
import { publicView } from '../../problems/problem-card.ts';
import type { SessionStore, StoredScorecard, StoredSession } from '../../store/session-store.ts';
import { interviewCost } from '../../interview/interview-cost.ts';
import { renderScorecard } from '../../evaluator/render/render-scorecard.ts';
import { ErrorResponse, PendingScorecard, PracticeRequest, ReportQuery, PracticeResponse, ProblemList, SessionParams, SessionView, jsonSchema } from '../http-schemas.ts';
import type { SessionHub } from '../session-hub.ts';
import { Scorecard } from '../../evaluator/scorecard.ts';

export interface ApiRouteOptions {
  readonly hub: SessionHub;
  readonly store: SessionStore;
  readonly problems: ReadonlyMap<string, ProblemCard>;
  readonly practiceRateLimit: { max: number; timeWindow: string };
}

const errors = { 400: jsonSchema(ErrorResponse), 401: jsonSchema(ErrorResponse), 403: jsonSchema(ErrorResponse), 404: jsonSchema(ErrorResponse) };

/** The HTTP API: problems, practice sessions, session state and scorecards. */
export async function apiRoutes(app: FastifyInstance, options: ApiRouteOptions): Promise<void> {
  const { hub, store, problems } = options;

  app.get('/v1/problems', { schema: { summary: 'The problem bank (public view: no hidden facts)', response: { 200: jsonSchema(ProblemList) } } }, async () => ({
    problems: [...problems.values()].map(publicView),
  }));

  app.post(
    '/v1/practice',
    {
      // Counted after validation (preHandler), so a client's invalid requests do not use up its budget.
      config: { rateLimit: { ...options.practiceRateLimit, hook: 'preHandler' } },
      schema: { summary: 'Start a practice interview', body: jsonSchema(PracticeRequest), response: { 201: jsonSchema(PracticeResponse), 429: jsonSchema(ErrorResponse), ...errors } },
      preValidation: async (request) => {
        const body = PracticeRequest.safeParse(request.body ?? {});
        if (!body.success) throw new AppError('request_invalid', formatIssues(body.error.issues));
        request.body = body.data;
      },
    },
    async (request, reply) => {
      const body = PracticeRequest.parse(request.body ?? {});
      const created = hub.create(body.problemId);
      reply.code(201);
      return { sessionId: created.sessionId, token: created.token, problem: publicView(created.problem) };
    },
  );

  app.get('/v1/sessions/:id', { schema: { summary: 'A session: state and transcript', params: jsonSchema(SessionParams), security: [{ bearer: [] }], response: { 200: jsonSchema(SessionView), ...errors } } }, async (request) => {
    const stored = authorise(request);
    const { state } = stored;
    const cost = interviewCost(state);
    return {
      id: state.id,
      problem: publicView(hub.problemOf(stored)),
      phase: state.phase,
      phaseStartedAt: state.phaseStartedAt,
      ended: state.ended,
      endReason: state.endReason ?? null,
      turns: state.turns,
      usage: { ...cost.usage, uncachedInputTokens: cost.uncachedInputTokens, costUsd: cost.costUsd, unpricedTurns: cost.unpricedTurns },
    };
  });

  app.get(
    '/v1/sessions/:id/scorecard',
    { schema: { summary: 'The scorecard: 200 once evaluated, 202 while pending', params: jsonSchema(SessionParams), security: [{ bearer: [] }], response: { 200: jsonSchema(Scorecard), 202: jsonSchema(PendingScorecard), ...errors } } },
    async (request, reply: FastifyReply) => {
      const result = evaluationOf(authorise(request));
      if ('pending' in result) return reply.code(202).send(result.pending);
      return result.scorecard;
    },
  );

  app.get(
    '/v1/sessions/:id/report',
    {
      schema: {
        summary: 'The scorecard as a report: a self-contained HTML page (default) or Markdown, with evidence linked to the transcript the evaluator saw; 202 while pending',
        params: jsonSchema(SessionParams),
        querystring: jsonSchema(ReportQuery),
        security: [{ bearer: [] }],
        response: { 202: jsonSchema(PendingScorecard), ...errors },
      },
    },
    async (request, reply: FastifyReply) => {
      const query = ReportQuery.safeParse(request.query ?? {});
      if (!query.success) throw new AppError('request_invalid', formatIssues(query.error.issues));
      const stored = authorise(request);
      const result = evaluationOf(stored);
      if ('pending' in result) return reply.code(202).send(result.pending);
      const format = query.data.format;
      reply.header('content-type', format === 'md' ? 'text/markdown; charset=utf-8' : 'text/html; charset=utf-8');
      return reply.send(renderScorecard(format, result.scorecard, result.gradedTranscript, { interviewCost: interviewCost(stored.state) }));
    },
  );

  /** The stored evaluation of a session, or what to answer while there is none yet. */
  function evaluationOf(stored: StoredSession): StoredScorecard | { pending: { status: 'interview_in_progress' | 'pending' | 'running' } } {
    const result = store.getScorecard(stored.id);
    if (result) return result;
    let status = store.evaluationStatus(stored.id);
    if (status === 'none' && stored.state.ended) {
      // Ended, but a crash kept its evaluation from being queued: loading the session queues it.
      hub.resume(stored);
      status = store.evaluationStatus(stored.id);
    }
    if (status === 'failed') throw new AppError('evaluation_failed', 'the evaluation failed after several attempts');
    // 'done' without a stored scorecard cannot be seen by a reader of one transaction; treat it as pending.
    return { pending: { status: status === 'none' ? 'interview_in_progress' : status === 'done' ? 'pending' : status } };
  }

  function authorise(request: FastifyRequest): StoredSession {
    const params = SessionParams.safeParse(request.params);
    if (!params.success) throw new AppError('request_invalid', formatIssues(params.error.issues));
    const header = request.headers.authorization;
    // The scheme is case-insensitive (RFC 7235): "bearer" and "BEARER" are "Bearer".
    const match = header ? /^bearer\s+(\S+)\s*$/i.exec(header) : null;
    const token = match?.[1];
    const result = hub.authenticate(params.data.id, token);
    if ('error' in result) throw new AppError(result.error, result.error === 'session_not_found' ? 'no such session' : result.error === 'token_missing' ? 'send Authorization: Bearer <token>' : 'the token does not open this session');
    return result;
  }
}
