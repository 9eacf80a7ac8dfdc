import { z } from 'zod';
import { PhaseId } from '../interview/phases.ts';
import { Turn } from '../transcript/transcript.ts';
import { Scorecard } from '../evaluator/scorecard.ts';

/**
 * The websocket protocol of /v1/sessions/:id/ws, documented in docs/websocket-protocol.md.
 * JSON text frames. The client's first frame is `hello`.
 */

export const HelloFrame = z.strictObject({ type: z.literal('hello'), token: z.string().min(1), lastSeq: z.number().int().nonnegative().optional() });
export const CandidateMessageFrame = z.strictObject({ type: z.literal('candidate.message'), clientMsgId: z.string().min(1).max(100), text: z.string() });
export const EndFrame = z.strictObject({ type: z.literal('end') });
export const PingFrame = z.strictObject({ type: z.literal('ping') });

export const ClientFrame = z.discriminatedUnion('type', [HelloFrame, CandidateMessageFrame, EndFrame, PingFrame]);
export type ClientFrame = z.infer<typeof ClientFrame>;

/** Session events: stored with a per-session, increasing `seq` before they are sent, and replayed on reconnect. */
export const SessionEventBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('candidate.message'), turn: Turn, clientMsgId: z.string().optional() }),
  z.object({ type: z.literal('interviewer.delta'), turnId: z.number().int(), text: z.string() }),
  z.object({ type: z.literal('interviewer.reset'), turnId: z.number().int(), reason: z.string() }),
  z.object({ type: z.literal('interviewer.message'), turn: Turn }),
  z.object({ type: z.literal('phase'), phase: PhaseId, previous: PhaseId, reason: z.string(), phaseStartedAt: z.string(), phaseBudgetMinutes: z.number() }),
  z.object({ type: z.literal('ended'), reason: z.enum(['completed', 'candidate_ended', 'time_up']) }),
  z.object({ type: z.literal('scorecard'), scorecard: Scorecard }),
  z.object({ type: z.literal('evaluation.failed'), message: z.string() }),
]);
export type SessionEventBody = z.infer<typeof SessionEventBody>;

/** Connection frames: not stored. Their `seq` is the session's latest stored seq at the time. */
export const ReadyFrame = z.object({
  type: z.literal('ready'),
  seq: z.number().int().nonnegative(),
  sessionId: z.string(),
  problem: z.object({ id: z.string(), title: z.string(), opening: z.string() }),
  phase: PhaseId,
  phaseStartedAt: z.string(),
  phaseBudgetMinutes: z.number(),
  ended: z.boolean(),
  /** How many stored events follow this frame as a replay. */
  replaying: z.number().int().nonnegative(),
});
export const ErrorFrame = z.object({ type: z.literal('error'), seq: z.number().int().nonnegative(), code: z.string(), message: z.string(), clientMsgId: z.string().optional() });
export const PongFrame = z.object({ type: z.literal('pong'), seq: z.number().int().nonnegative() });

export type ServerFrame = (SessionEventBody & { seq: number }) | z.infer<typeof ReadyFrame> | z.infer<typeof ErrorFrame> | z.infer<typeof PongFrame>;
