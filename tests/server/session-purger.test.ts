import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, SCRIPTED_PROBLEM, waitUntil, type Harness } from '../helpers/app-harness.ts';

let harness: Harness | null = null;

afterEach(async () => {
  await harness?.close();
  harness = null;
});

const DAY_MS = 24 * 60 * 60_000;

describe('session retention (SESSION_TTL_DAYS)', () => {
  it('the purge job deletes sessions not written for the TTL, with their events, and keeps newer ones', async () => {
    const h = (harness = await createHarness({ sessionTtlDays: 30 }));
    const old = await h.createPractice(SCRIPTED_PROBLEM);
    const recent = await h.createPractice(SCRIPTED_PROBLEM);
    const db = new DatabaseSync(h.dbPath);
    db.prepare('UPDATE sessions SET updated_at = ? WHERE id = ?').run(new Date(Date.now() - 31 * DAY_MS).toISOString(), old.sessionId);
    db.close();

    expect(h.app.purger.runOnce()).toBe(1);
    const gone = await h.fastify.inject({ method: 'GET', url: `/v1/sessions/${old.sessionId}`, headers: { authorization: `Bearer ${old.token}` } });
    expect(gone.statusCode).toBe(404);
    expect(h.store.eventsAfter(old.sessionId, 0)).toEqual([]);
    const kept = await h.fastify.inject({ method: 'GET', url: `/v1/sessions/${recent.sessionId}`, headers: { authorization: `Bearer ${recent.token}` } });
    expect(kept.statusCode).toBe(200);
    expect(h.app.purger.runOnce()).toBe(0);
  });
});

describe('the cap on interviews under way (MAX_ACTIVE_SESSIONS)', () => {
  it('refuses a new session past the cap with 503 sessions_exhausted, and takes one again once an interview ends', async () => {
    const h = (harness = await createHarness({ maxActiveSessions: 2 }));
    const first = await h.createPractice(SCRIPTED_PROBLEM);
    await h.createPractice(SCRIPTED_PROBLEM);
    const refused = await h.fastify.inject({ method: 'POST', url: '/v1/practice', payload: {} });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ error: { code: 'sessions_exhausted' } });

    const socket = await h.open(first.sessionId, first.token);
    socket.send({ type: 'end' });
    await socket.waitFor((frame) => frame.type === 'ended', 'ended');
    await waitUntil(() => h.store.getSession(first.sessionId)?.state.ended, 'the end to be stored');
    const taken = await h.fastify.inject({ method: 'POST', url: '/v1/practice', payload: {} });
    expect(taken.statusCode).toBe(201);
  });
});
