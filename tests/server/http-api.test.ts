import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Scorecard } from '../../src/evaluator/scorecard.ts';
import { ERROR_CODES } from '../../src/server/error-codes.ts';
import { PendingScorecard, PracticeResponse, ProblemList, SessionView } from '../../src/server/http-schemas.ts';
import { Transcript } from '../../src/transcript/transcript.ts';
import { createHarness, resources, SCRIPTED_PROBLEM, waitUntil, type Harness } from '../helpers/app-harness.ts';

let harness: Harness;

beforeAll(async () => {
  harness = await createHarness();
});

afterAll(async () => {
  await harness.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Every hidden-fact answer in the problem bank: none of them may reach a client unasked. */
function hiddenAnswers(): string[] {
  return [...resources().problems.values()].flatMap((problem) => problem.facts.map((fact) => fact.answer));
}

/** An error body is `{ error: { code, message } }` and nothing else. */
function expectErrorBody(body: string, code: string): void {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  expect(Object.keys(parsed)).toEqual(['error']);
  const error = parsed.error as Record<string, unknown>;
  expect(Object.keys(error).sort()).toEqual(['code', 'message']);
  expect(error.code).toBe(code);
  expect(typeof error.message).toBe('string');
}

describe('GET /healthz', () => {
  it('answers 200 ok', async () => {
    const response = await harness.fastify.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });
});

describe('GET /v1/problems', () => {
  it('lists the 8 problems, public view only', async () => {
    const response = await harness.fastify.inject({ method: 'GET', url: '/v1/problems' });
    expect(response.statusCode).toBe(200);
    const body = ProblemList.parse(response.json());
    expect(body.problems).toHaveLength(8);
    expect(new Set(body.problems.map((problem) => problem.id))).toEqual(new Set(resources().problems.keys()));
    for (const problem of body.problems) expect(Object.keys(problem).sort()).toEqual(['id', 'opening', 'title']);
  });

  it('contains no hidden fact, probe or strong answer', async () => {
    const response = await harness.fastify.inject({ method: 'GET', url: '/v1/problems' });
    const answers = hiddenAnswers();
    expect(answers.length).toBeGreaterThanOrEqual(48);
    for (const answer of answers) expect(response.body).not.toContain(answer);
    for (const problem of resources().problems.values()) {
      for (const area of problem.deepDives) for (const text of [...area.probes, ...area.strongAnswer]) expect(response.body).not.toContain(text);
      for (const change of problem.constraintChanges) expect(response.body).not.toContain(change.prompt);
    }
    for (const key of ['facts', 'askedBy', 'deepDives', 'strongAnswer', 'constraintChanges', 'wrapUp']) expect(response.body).not.toContain(`"${key}"`);
  });
});

describe('POST /v1/practice', () => {
  it('creates a session for the chosen problem (201) with a token and the public problem', async () => {
    const response = await harness.fastify.inject({ method: 'POST', url: '/v1/practice', payload: { problemId: SCRIPTED_PROBLEM } });
    expect(response.statusCode).toBe(201);
    const body = PracticeResponse.parse(response.json());
    expect(body.problem.id).toBe(SCRIPTED_PROBLEM);
    expect(body.token.length).toBeGreaterThanOrEqual(40);
    expect(Object.keys(body.problem).sort()).toEqual(['id', 'opening', 'title']);
    for (const answer of hiddenAnswers()) expect(response.body).not.toContain(answer);
    // The token is stored only as a hash.
    expect(harness.store.getSession(body.sessionId)!.tokenHash).not.toContain(body.token);
  });

  it('picks a problem of the bank when none is given (201), with or without a body', async () => {
    const withBody = await harness.fastify.inject({ method: 'POST', url: '/v1/practice', payload: {} });
    expect(withBody.statusCode).toBe(201);
    expect(resources().problems.has(PracticeResponse.parse(withBody.json()).problem.id)).toBe(true);
    const withoutBody = await harness.fastify.inject({ method: 'POST', url: '/v1/practice' });
    expect(withoutBody.statusCode).toBe(201);
    expect(resources().problems.has(PracticeResponse.parse(withoutBody.json()).problem.id)).toBe(true);
  });

  it('gives every session its own id and token', async () => {
    const first = PracticeResponse.parse((await harness.fastify.inject({ method: 'POST', url: '/v1/practice', payload: {} })).json());
    const second = PracticeResponse.parse((await harness.fastify.inject({ method: 'POST', url: '/v1/practice', payload: {} })).json());
    expect(first.sessionId).not.toBe(second.sessionId);
    expect(first.token).not.toBe(second.token);
  });

  it('refuses an unknown problem with 400 problem_unknown', async () => {
    const response = await harness.fastify.inject({ method: 'POST', url: '/v1/practice', payload: { problemId: 'no-such-problem' } });
    expect(response.statusCode).toBe(400);
    expectErrorBody(response.body, 'problem_unknown');
  });

  it.each([
    ['a problemId that is not a string', { problemId: 42 }],
    ['an empty problemId', { problemId: '' }],
    ['an unknown field', { problemId: SCRIPTED_PROBLEM, admin: true }],
    ['an array', [1, 2]],
    ['an overlong problemId', { problemId: 'x'.repeat(101) }],
  ])('refuses %s with 400 request_invalid', async (_name, payload) => {
    const response = await harness.fastify.inject({ method: 'POST', url: '/v1/practice', payload: payload as object });
    expect(response.statusCode).toBe(400);
    expectErrorBody(response.body, 'request_invalid');
  });

  it('refuses a body over 64 KiB with 413 request_too_large', async () => {
    const response = await harness.fastify.inject({ method: 'POST', url: '/v1/practice', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ problemId: 'x'.repeat(70 * 1024) }) });
    expect(response.statusCode).toBe(413);
    expectErrorBody(response.body, 'request_too_large');
  });

  it('refuses a body that is not JSON by its content type with 415 media_type_unsupported', async () => {
    const response = await harness.fastify.inject({ method: 'POST', url: '/v1/practice', headers: { 'content-type': 'application/xml' }, payload: '<practice/>' });
    expect(response.statusCode).toBe(415);
    expectErrorBody(response.body, 'media_type_unsupported');
  });

  it('refuses a body that is not JSON with 400 request_invalid', async () => {
    const response = await harness.fastify.inject({ method: 'POST', url: '/v1/practice', headers: { 'content-type': 'application/json' }, payload: '{"problemId": ' });
    expect(response.statusCode).toBe(400);
    expectErrorBody(response.body, 'request_invalid');
  });
});

describe('GET /v1/sessions/:id', () => {
  let sessionId: string;
  let token: string;
  let opening: string;

  beforeAll(async () => {
    ({ sessionId, token } = await harness.createPractice(SCRIPTED_PROBLEM));
    opening = resources().problems.get(SCRIPTED_PROBLEM)!.opening;
  });

  it('with its token: 200, the state and the turns in the transcript format', async () => {
    const response = await harness.fastify.inject({ method: 'GET', url: `/v1/sessions/${sessionId}`, headers: bearer(token) });
    expect(response.statusCode).toBe(200);
    const body = SessionView.parse(response.json());
    expect(body.id).toBe(sessionId);
    expect(body.problem.id).toBe(SCRIPTED_PROBLEM);
    expect(body.phase).toBe('problem_exploration');
    expect(body.ended).toBe(false);
    expect(body.endReason).toBeNull();
    // Only the opening template so far: no model was called.
    expect(body.usage).toEqual({ inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, uncachedInputTokens: 0, outputTokens: 0, costUsd: null, unpricedTurns: 0 });
    // The same turns a transcript file has: ids 1, 2, 3, ... with role, phase and text.
    const transcript = Transcript.parse({ id: body.id, problem: body.problem.id, turns: body.turns });
    expect(transcript.turns).toHaveLength(1);
    expect(transcript.turns[0]).toMatchObject({ id: 1, role: 'interviewer', phase: 'problem_exploration' });
    expect(transcript.turns[0]!.text).toContain(opening);
    for (const answer of hiddenAnswers()) expect(response.body).not.toContain(answer);
    expect(response.body).not.toContain(token);
  });

  it('after candidate messages, lists their turns and the replies', async () => {
    const socket = await harness.open(sessionId, token);
    socket.send({ type: 'candidate.message', clientMsgId: 'c-1', text: 'How many transactions do we process per second at peak?' });
    await socket.waitFor((frame) => frame.type === 'interviewer.message' && (frame.turn as { id: number }).id === 3, 'the reply');
    const response = await harness.fastify.inject({ method: 'GET', url: `/v1/sessions/${sessionId}`, headers: bearer(token) });
    const body = SessionView.parse(response.json());
    expect(body.turns.map((turn) => turn.role)).toEqual(['interviewer', 'candidate', 'interviewer']);
    expect(body.turns[1]!.text).toBe('How many transactions do we process per second at peak?');
    Transcript.parse({ id: body.id, problem: body.problem.id, turns: body.turns });
    socket.terminate();
  });

  it('without a token: 401 token_missing, and nothing of the session', async () => {
    for (const headers of [{}, { authorization: token }, { authorization: 'Basic abc' }, { authorization: 'Bearer ' }]) {
      const response = await harness.fastify.inject({ method: 'GET', url: `/v1/sessions/${sessionId}`, headers });
      expect(response.statusCode).toBe(401);
      expectErrorBody(response.body, 'token_missing');
      expectNoSessionData(response.body);
    }
  });

  it('takes the Bearer scheme in any case (RFC 7235)', async () => {
    for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
      const response = await harness.fastify.inject({ method: 'GET', url: `/v1/sessions/${sessionId}`, headers: { authorization: `${scheme} ${token}` } });
      expect(response.statusCode).toBe(200);
    }
  });

  it('with another token: 403 token_invalid, and nothing of the session', async () => {
    const other = await harness.createPractice(SCRIPTED_PROBLEM);
    for (const wrong of [other.token, 'x', token.slice(0, -1), `${token}x`]) {
      const response = await harness.fastify.inject({ method: 'GET', url: `/v1/sessions/${sessionId}`, headers: bearer(wrong) });
      expect(response.statusCode).toBe(403);
      expectErrorBody(response.body, 'token_invalid');
      expectNoSessionData(response.body);
    }
  });

  it('an unknown id: 404 session_not_found, and nothing of the session', async () => {
    const response = await harness.fastify.inject({ method: 'GET', url: '/v1/sessions/00000000-0000-0000-0000-000000000000', headers: bearer(token) });
    expect(response.statusCode).toBe(404);
    expectErrorBody(response.body, 'session_not_found');
    expectNoSessionData(response.body);
  });

  it('an id that is too long is refused with 400 and an error body', async () => {
    const response = await harness.fastify.inject({ method: 'GET', url: `/v1/sessions/${'a'.repeat(101)}`, headers: bearer(token) });
    expect(response.statusCode).toBe(400);
    expectErrorBody(response.body, 'request_invalid');
  });

  it('the scorecard route has the same protection', async () => {
    const none = await harness.fastify.inject({ method: 'GET', url: `/v1/sessions/${sessionId}/scorecard` });
    expect(none.statusCode).toBe(401);
    expectErrorBody(none.body, 'token_missing');
    const wrong = await harness.fastify.inject({ method: 'GET', url: `/v1/sessions/${sessionId}/scorecard`, headers: bearer('nope') });
    expect(wrong.statusCode).toBe(403);
    expectErrorBody(wrong.body, 'token_invalid');
    const unknown = await harness.fastify.inject({ method: 'GET', url: '/v1/sessions/unknown/scorecard', headers: bearer(token) });
    expect(unknown.statusCode).toBe(404);
    expectErrorBody(unknown.body, 'session_not_found');
  });

  function expectNoSessionData(body: string): void {
    const stored = harness.store.getSession(sessionId)!;
    expect(body).not.toContain(token);
    expect(body).not.toContain(sessionId);
    expect(body).not.toContain(stored.tokenHash);
    expect(body).not.toContain(SCRIPTED_PROBLEM);
    expect(body).not.toContain(opening.slice(0, 40));
    for (const turn of stored.state.turns) expect(body).not.toContain(turn.text.slice(0, 40));
  }
});

describe('GET /v1/sessions/:id/scorecard', () => {
  it('is 202 while the interview runs and 200 with the scorecard once it ended and the worker ran', async () => {
    const { sessionId, token } = await harness.createPractice(SCRIPTED_PROBLEM);
    const url = `/v1/sessions/${sessionId}/scorecard`;
    const pending = await harness.fastify.inject({ method: 'GET', url, headers: bearer(token) });
    expect(pending.statusCode).toBe(202);
    expect(PendingScorecard.parse(pending.json())).toEqual({ status: 'interview_in_progress' });

    const socket = await harness.open(sessionId, token);
    for (const [index, text] of ['What is the business goal?', 'I would frame it as binary classification with a cost-based threshold.'].entries()) {
      const from = socket.frames.length;
      socket.send({ type: 'candidate.message', clientMsgId: `s-${index}`, text });
      await socket.waitFor((frame) => frame.type === 'interviewer.message', 'a reply', { from });
    }
    const stillPending = await harness.fastify.inject({ method: 'GET', url, headers: bearer(token) });
    expect(stillPending.statusCode).toBe(202);
    socket.send({ type: 'end' });
    await socket.waitFor((frame) => frame.type === 'ended', 'ended');

    const done = await waitUntil(async () => {
      const response = await harness.fastify.inject({ method: 'GET', url, headers: bearer(token) });
      if (response.statusCode === 202) expect(['pending', 'running']).toContain(PendingScorecard.parse(response.json()).status);
      else expect(response.statusCode).toBe(200);
      return response.statusCode === 200 ? response : undefined;
    }, 'the scorecard');
    const scorecard = Scorecard.parse(done.json());
    expect(scorecard.transcriptId).toBe(sessionId);
    expect(scorecard.problem).toBe(SCRIPTED_PROBLEM);
    expect(Object.keys(scorecard.dimensions)).toHaveLength(8);
    expect(scorecard.meta.engine).toBe('offline');
    await socket.waitFor((frame) => frame.type === 'scorecard', 'the scorecard event');
    const session = SessionView.parse((await harness.fastify.inject({ method: 'GET', url: `/v1/sessions/${sessionId}`, headers: bearer(token) })).json());
    expect(session.ended).toBe(true);
    expect(session.endReason).toBe('candidate_ended');

    // The same evaluation as a report a recruiter can keep: HTML by default, Markdown on request.
    const html = await harness.fastify.inject({ method: 'GET', url: `/v1/sessions/${sessionId}/report`, headers: bearer(token) });
    expect(html.statusCode).toBe(200);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    const links = [...html.body.matchAll(/href="#turn-(\d+)"/g)].map((match) => match[1]);
    for (const id of links) expect(html.body).toContain(`id="turn-${id}"`);
    const markdown = await harness.fastify.inject({ method: 'GET', url: `/v1/sessions/${sessionId}/report?format=md`, headers: bearer(token) });
    expect(markdown.statusCode).toBe(200);
    expect(markdown.body).toContain('## Recommendation');
    const badFormat = await harness.fastify.inject({ method: 'GET', url: `/v1/sessions/${sessionId}/report?format=pdf`, headers: bearer(token) });
    expect(badFormat.statusCode).toBe(400);
    const noToken = await harness.fastify.inject({ method: 'GET', url: `/v1/sessions/${sessionId}/report` });
    expect(noToken.statusCode).toBe(401);
    socket.terminate();
  });

  const failing = {
    engine: 'broken',
    model: 'broken',
    heuristic: false,
    promptVersions: {},
    evaluateOnce: async (): Promise<never> => {
      throw new Error('the evaluator is broken');
    },
  };

  it('when the evaluator keeps failing, the last attempt uses the offline fallback: 200', async () => {
    const broken = await createHarness({ evaluator: failing });
    try {
      const { sessionId, token } = await broken.createPractice(SCRIPTED_PROBLEM);
      const socket = await broken.open(sessionId, token);
      socket.send({ type: 'end' });
      const event = await socket.waitFor((frame) => frame.type === 'scorecard' || frame.type === 'evaluation.failed', 'the evaluation result');
      expect(event.type).toBe('scorecard');
      const response = await broken.fastify.inject({ method: 'GET', url: `/v1/sessions/${sessionId}/scorecard`, headers: bearer(token) });
      expect(response.statusCode).toBe(200);
      expect(Scorecard.parse(response.json()).meta.engine).toBe('offline');
      expect(broken.store.evaluationStatus(sessionId)).toBe('done');
      socket.terminate();
    } finally {
      await broken.close();
    }
  });

  it('is 502 evaluation_failed when every attempt failed, the fallback included', async () => {
    const broken = await createHarness({ evaluator: failing, fallbackEvaluator: failing });
    try {
      const { sessionId, token } = await broken.createPractice(SCRIPTED_PROBLEM);
      const socket = await broken.open(sessionId, token);
      socket.send({ type: 'end' });
      const event = await socket.waitFor((frame) => frame.type === 'scorecard' || frame.type === 'evaluation.failed', 'the evaluation result');
      expect(event.type).toBe('evaluation.failed');
      expect(String(event.message)).not.toContain('broken');
      const response = await broken.fastify.inject({ method: 'GET', url: `/v1/sessions/${sessionId}/scorecard`, headers: bearer(token) });
      expect(response.statusCode).toBe(502);
      expectErrorBody(response.body, 'evaluation_failed');
      expect(response.body).not.toContain('the evaluator is broken');
      expect(broken.store.evaluationStatus(sessionId)).toBe('failed');
      socket.terminate();
    } finally {
      await broken.close();
    }
  });
});

describe('rate limiting', () => {
  let limited: Harness;
  afterEach(async () => {
    await limited?.close();
  });

  it('POST /v1/practice answers 429 rate_limited after the configured maximum', async () => {
    limited = await createHarness({ practiceRateLimit: { max: 3, timeWindow: '1 minute' } });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await limited.fastify.inject({ method: 'POST', url: '/v1/practice', payload: {} });
      expect(response.statusCode).toBe(201);
    }
    const refused = await limited.fastify.inject({ method: 'POST', url: '/v1/practice', payload: {} });
    expect(refused.statusCode).toBe(429);
    expectErrorBody(refused.body, 'rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Other routes are not limited.
    expect((await limited.fastify.inject({ method: 'GET', url: '/v1/problems' })).statusCode).toBe(200);
    expect((await limited.fastify.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    // Another address has its own budget.
    const elsewhere = await limited.fastify.inject({ method: 'POST', url: '/v1/practice', payload: {}, remoteAddress: '10.0.0.7' });
    expect(elsewhere.statusCode).toBe(201);
  });

  it('invalid requests do not use up the budget', async () => {
    limited = await createHarness({ practiceRateLimit: { max: 2, timeWindow: '1 minute' } });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const invalid = await limited.fastify.inject({ method: 'POST', url: '/v1/practice', payload: { problemId: 7 } });
      expect(invalid.statusCode).toBe(400);
    }
    for (let attempt = 0; attempt < 2; attempt += 1) expect((await limited.fastify.inject({ method: 'POST', url: '/v1/practice', payload: {} })).statusCode).toBe(201);
    expect((await limited.fastify.inject({ method: 'POST', url: '/v1/practice', payload: {} })).statusCode).toBe(429);
  });
});

describe('OpenAPI and docs', () => {
  it('GET /openapi.json is an OpenAPI 3 document listing the API routes', async () => {
    const response = await harness.fastify.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    const document = response.json() as { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, { responses: Record<string, unknown> }>>; components: { securitySchemes: Record<string, unknown> } };
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.title).toBeTruthy();
    expect(document.info.version).toBeTruthy();
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/problems', '/v1/practice', '/v1/sessions/{id}', '/v1/sessions/{id}/scorecard']));
    expect(document.paths['/v1/problems']!.get!.responses).toHaveProperty('200');
    expect(document.paths['/v1/practice']!.post!.responses).toHaveProperty('201');
    expect(document.paths['/v1/practice']!.post!.responses).toHaveProperty('429');
    expect(document.paths['/v1/sessions/{id}']!.get!.responses).toEqual(expect.objectContaining({ 200: expect.anything(), 401: expect.anything(), 403: expect.anything(), 404: expect.anything() }));
    expect(document.paths['/v1/sessions/{id}/scorecard']!.get!.responses).toEqual(expect.objectContaining({ 200: expect.anything(), 202: expect.anything() }));
    expect(document.components.securitySchemes).toHaveProperty('bearer');
    // Internal routes stay out of the document.
    expect(Object.keys(document.paths)).not.toContain('/healthz');
    expect(Object.keys(document.paths)).not.toContain('/openapi.json');
    // Every documented error status is one the error table uses.
    const statuses = new Set(Object.values(ERROR_CODES).map((entry) => String(entry.status)));
    for (const path of Object.values(document.paths)) for (const operation of Object.values(path)) for (const status of Object.keys(operation.responses)) if (Number(status) >= 400) expect(statuses).toContain(status);
  });

  it('GET /docs serves the API explorer', async () => {
    const response = await harness.fastify.inject({ method: 'GET', url: '/docs' });
    expect(response.statusCode).toBeLessThan(400);
    const page = response.statusCode >= 300 ? await harness.fastify.inject({ method: 'GET', url: new URL(String(response.headers.location), 'http://localhost/docs').pathname }) : response;
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toMatch(/swagger/i);
  });
});

describe('the page and unknown routes', () => {
  it('serves the page at /', async () => {
    const response = await harness.fastify.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.body).toContain('data-testid="message-input"');
    // No inline script on the page, so the policy forbids it outright.
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers a websocket upgrade on a route that is not a websocket with 404, not 101', async () => {
    for (const url of ['/healthz', '/v1/problems', '/v1/nothing-here']) {
      await expect(harness.fastify.injectWS(url)).rejects.toThrow('Unexpected server response: 404');
    }
  });

  it('answers a malformed percent-encoding with 400 url_invalid in our error shape', async () => {
    const response = await harness.fastify.inject({ method: 'GET', url: '/v1/sessions/%E0%A4%A' });
    expect(response.statusCode).toBe(400);
    expectErrorBody(response.body, 'url_invalid');
  });

  it('answers 404 with an error body for an unknown route', async () => {
    const response = await harness.fastify.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expectErrorBody(response.body, 'not_found');
  });
});
