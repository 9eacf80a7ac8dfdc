import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, waitUntil, type Harness } from '../helpers/app-harness.ts';

describe('sessions in memory', () => {
  let harness: Harness | null = null;
  afterEach(async () => {
    await harness?.close();
    harness = null;
  });

  it('are loaded on connection and leave memory when their connection closes, losing nothing', async () => {
    harness = await createHarness();
    const { sessionId, token } = await harness.createPractice('fraud-detection');
    expect(harness.app.hub.liveSessions).toBe(0);

    const socket = await harness.open(sessionId, token);
    expect(harness.app.hub.liveSessions).toBe(1);
    socket.send({ type: 'candidate.message', clientMsgId: 'm-1', text: 'What is the peak transaction rate?' });
    await socket.waitFor((frame) => frame.type === 'interviewer.message' && (frame.turn as { id: number }).id === 3, 'the reply');
    socket.terminate();
    await waitUntil(() => harness?.app.hub.liveSessions === 0, 'the session to leave memory');

    // Loaded again from the store on the next connection, with everything it had.
    const again = await harness.open(sessionId, token);
    expect(harness.app.hub.liveSessions).toBe(1);
    again.send({ type: 'candidate.message', clientMsgId: 'm-2', text: 'And what latency budget do we have?' });
    await again.waitFor((frame) => frame.type === 'interviewer.message' && (frame.turn as { id: number }).id === 5, 'the second reply');
    const response = await harness.fastify.inject({ method: 'GET', url: `/v1/sessions/${sessionId}`, headers: { authorization: `Bearer ${token}` } });
    expect((response.json() as { turns: unknown[] }).turns).toHaveLength(5);
  });
});
