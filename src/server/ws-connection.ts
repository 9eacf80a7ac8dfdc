import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import { AppError } from '../errors.ts';
import type { SessionStore } from '../store/session-store.ts';
import { publicError, statusFor } from './error-codes.ts';
import { sanitizeCandidateText } from '../interview/sanitize-message.ts';
import { jsonDepthExceeds } from './frame-depth.ts';
import { ClientFrame, type ServerFrame } from './protocol.ts';
import type { SessionHub } from './session-hub.ts';
import { CLOSE_CODES, clip, sendFrame } from './socket-send.ts';
import { TokenBucket } from './token-bucket.ts';

export interface ConnectionOptions {
  readonly sessionId: string;
  readonly hub: SessionHub;
  readonly store: SessionStore;
  readonly logger: Logger;
  /** Frames longer than this (in bytes) are refused before parsing. */
  readonly maxFrameBytes: number;
  readonly helloTimeoutMs: number;
  /** Unread bytes a client may leave queued before it is closed with 4508. */
  readonly sendBufferLimit: number;
  /** Frames a client may send: a burst, then a steady rate; see FrameRateLimit. */
  readonly frameRate: FrameRateLimit;
  readonly maxMessageChars: number;
  /** Authenticated connections are pinged this often; one that has not answered the previous ping is closed. */
  readonly pingIntervalMs: number;
}

/** The per-connection frame budget: over it a frame gets `frame_rate_limited`; `closeAfter` refused frames in a row close the connection (4429). */
export interface FrameRateLimit {
  readonly burst: number;
  readonly perSecond: number;
  readonly closeAfter: number;
}

export const DEFAULT_FRAME_RATE: FrameRateLimit = { burst: 60, perSecond: 20, closeAfter: 200 };

/** JSON nested deeper than this is refused before parsing; no frame of the protocol nests past 3. */
const MAX_FRAME_DEPTH = 32;

const KNOWN_TYPES = new Set(['hello', 'candidate.message', 'end', 'ping']);

/**
 * One websocket connection to a session. It waits for `hello`, then takes candidate messages, `end` and
 * `ping`. Bad frames get an `error` frame and the connection stays open; only authentication failures
 * and a take-over close it.
 */
export function handleConnection(socket: WebSocket, options: ConnectionOptions): void {
  const { sessionId, hub, store, logger } = options;
  let authenticated = false;
  const lastSeq = () => store.lastSeq(sessionId);
  const send = (frame: ServerFrame) => {
    if (sendFrame(socket, frame, options.sendBufferLimit) === 'slow') logger.warn({ sessionId }, 'closed a websocket client that does not read its frames');
  };
  // Messages may quote what the client sent: clipped, so an error frame is never larger than a few hundred bytes.
  const sendError = (code: string, message: string, clientMsgId?: string) => send({ type: 'error', seq: authenticated ? lastSeq() : 0, code, message: clip(message, 300), ...(clientMsgId ? { clientMsgId } : {}) });
  const bucket = new TokenBucket(options.frameRate);
  let refusedInARow = 0;
  const helloTimer = setTimeout(() => {
    if (!authenticated) socket.close(CLOSE_CODES.helloTimeout, 'no hello received');
  }, options.helloTimeoutMs);

  // A peer that vanished without a close (a dropped network, a sleeping laptop) is found by the ping it
  // does not answer; without it the session would stay attached to a dead connection.
  let pingTimer: NodeJS.Timeout | null = null;
  let answeredPing = true;
  const startPinging = () => {
    pingTimer = setInterval(() => {
      if (!answeredPing) {
        logger.info({ sessionId }, 'closed a websocket peer that did not answer a ping');
        socket.terminate();
        return;
      }
      answeredPing = false;
      socket.ping();
    }, options.pingIntervalMs);
  };
  socket.on('pong', () => {
    answeredPing = true;
  });

  socket.on('close', () => {
    clearTimeout(helloTimer);
    if (pingTimer) clearInterval(pingTimer);
    hub.detach(sessionId, socket);
  });
  socket.on('error', (error) => logger.warn({ err: error, sessionId }, 'websocket error'));

  socket.on('message', (data: RawData, isBinary: boolean) => {
    if (!bucket.take()) return onOverRate();
    refusedInARow = 0;
    // A throw here would escape into ws and take the whole process down (an unreadable stored session,
    // a store error): report it on this connection instead.
    try {
      onFrame(data, isBinary);
    } catch (error) {
      reportError(error);
    }
  });

  function onOverRate(): void {
    refusedInARow += 1;
    // One error per run of refused frames: answering each would let the flood grow the send buffer.
    if (refusedInARow === 1) sendError('frame_rate_limited', `more than ${options.frameRate.perSecond} frames a second; slow down`);
    if (refusedInARow >= options.frameRate.closeAfter) {
      logger.warn({ sessionId }, 'closed a websocket client that keeps sending over its frame rate');
      socket.close(CLOSE_CODES.rateLimited, 'too many frames');
    }
  }

  function onFrame(data: RawData, isBinary: boolean): void {
    if (isBinary) return sendError('frame_binary', 'binary frames are not supported; send JSON text frames');
    const size = Array.isArray(data) ? data.reduce((total, chunk) => total + chunk.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
    if (size > options.maxFrameBytes) return sendError('frame_too_large', `the frame is ${size} bytes; the limit is ${options.maxFrameBytes}`);
    const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
    if (jsonDepthExceeds(text, MAX_FRAME_DEPTH)) return sendError('frame_too_deep', `the frame nests deeper than ${MAX_FRAME_DEPTH} levels`);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return sendError('frame_invalid_json', 'the frame is not valid JSON');
    }
    const type = typeof raw === 'object' && raw !== null && 'type' in raw ? (raw as { type: unknown }).type : undefined;
    if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) return sendError('frame_unknown_type', `unknown frame type ${typeof type === 'string' ? JSON.stringify(clip(type, 40)) : typeof type}; expected one of ${[...KNOWN_TYPES].join(', ')}`);
    const parsed = ClientFrame.safeParse(raw);
    if (!parsed.success) {
      const given = (raw as { clientMsgId?: unknown }).clientMsgId;
      const clientMsgId = typeof given === 'string' && given.length <= 100 ? given : undefined;
      return sendError('frame_invalid', parsed.error.issues.map((issue) => `${issue.path.join('.') || type}: ${issue.message}`).join('; '), clientMsgId);
    }
    const frame = parsed.data;
    if (!authenticated && frame.type !== 'hello') return sendError('hello_required', 'send { "type": "hello", "token": ... } first');

    switch (frame.type) {
      case 'hello':
        return onHello(frame.token, frame.lastSeq ?? 0);
      case 'ping':
        return send({ type: 'pong', seq: lastSeq() });
      case 'candidate.message':
        return onCandidateMessage(frame.clientMsgId, frame.text);
      case 'end':
        return void hub.enqueue(sessionId, (session) => session.endByCandidate(hub.emitterFor(sessionId))).catch((error: unknown) => reportError(error));
      default: {
        const unreachable: never = frame;
        return sendError('frame_unknown_type', `unknown frame ${JSON.stringify(unreachable)}`);
      }
    }
  }

  function onHello(token: string, fromSeq: number): void {
    if (authenticated) return sendError('frame_invalid', 'hello was already received on this connection');
    try {
      openSession(token, fromSeq);
    } catch (error) {
      // The session cannot be opened (e.g. its stored state is unreadable): say so and close, so the
      // client neither waits for a `ready` that never comes nor sends into a half-open session.
      if (authenticated) {
        authenticated = false;
        hub.detach(sessionId, socket);
      }
      reportError(error);
      socket.close(CLOSE_CODES.internalError, 'the session could not be opened');
    }
  }

  function openSession(token: string, fromSeq: number): void {
    const result = hub.authenticate(sessionId, token);
    if ('error' in result) {
      sendError(result.error, result.error === 'session_not_found' ? 'no such session' : 'the token does not open this session');
      socket.close(result.error === 'session_not_found' ? CLOSE_CODES.notFound : CLOSE_CODES.forbidden, result.error);
      return;
    }
    authenticated = true;
    clearTimeout(helloTimer);
    startPinging();
    const session = hub.attach(result, socket);
    const state = session.state;
    const missed = store.eventsAfter(sessionId, fromSeq);
    const problem = hub.problemOf(result);
    send({
      type: 'ready',
      seq: lastSeq(),
      sessionId,
      problem: { id: problem.id, title: problem.title, opening: problem.opening },
      phase: state.phase,
      phaseStartedAt: state.phaseStartedAt,
      phaseBudgetMinutes: hub.phaseBudgetMinutes(state.phase),
      ended: state.ended,
      replaying: missed.length,
    });
    for (const event of missed) send({ ...(event.body as object), seq: event.seq } as ServerFrame);
    // A crash between storing the candidate's message and answering it: answer it now.
    if (session.awaitingReply) void hub.enqueue(sessionId, (live) => live.replyToPending(hub.emitterFor(sessionId))).catch((error: unknown) => reportError(error));
  }

  function onCandidateMessage(clientMsgId: string, text: string): void {
    void hub
      .enqueue(sessionId, async (session) => {
        // Applied once: a repeated clientMsgId (a client retrying after a reconnect) is ignored, unless its
        // text differs: then the client reused an id by mistake, and silence would lose the new message.
        const appliedTurn = store.findClientMessage(sessionId, clientMsgId);
        if (appliedTurn !== null) {
          const applied = session.state.turns.find((turn) => turn.id === appliedTurn);
          if (applied && applied.text !== sanitizedOrRaw(text)) sendError('client_msg_id_conflict', `clientMsgId ${clientMsgId} was already used for a different message; use a new id for a new message`, clientMsgId);
          return;
        }
        await session.candidateSays(text, hub.emitterFor(sessionId, clientMsgId), { clientMsgId });
      })
      .catch((error: unknown) => reportError(error, clientMsgId));
  }

  function sanitizedOrRaw(text: string): string {
    try {
      return sanitizeCandidateText(text, options.maxMessageChars);
    } catch {
      return text;
    }
  }

  function reportError(error: unknown, clientMsgId?: string): void {
    if (!(error instanceof AppError)) logger.error({ err: error, sessionId }, 'unexpected error on a websocket turn');
    else if (statusFor(error.code) >= 500) logger.error({ err: error, sessionId }, 'a websocket turn failed');
    const { code, message } = publicError(error);
    sendError(code, message, clientMsgId);
  }
}
