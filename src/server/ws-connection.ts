import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import { AppError } from '../errors.ts';
import type { SessionStore } from '../store/session-store.ts';
import { publicError, statusFor } from './error-codes.ts';
import { ClientFrame, type ServerFrame } from './protocol.ts';
import { CLOSE_CODES, type SessionHub } from './session-hub.ts';

export interface ConnectionOptions {
  readonly sessionId: string;
  readonly hub: SessionHub;
  readonly store: SessionStore;
  readonly logger: Logger;
  /** Frames longer than this (in bytes) are refused before parsing. */
  readonly maxFrameBytes: number;
  readonly helloTimeoutMs: number;
}

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
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };
  const sendError = (code: string, message: string, clientMsgId?: string) => send({ type: 'error', seq: authenticated ? lastSeq() : 0, code, message, ...(clientMsgId ? { clientMsgId } : {}) });
  const helloTimer = setTimeout(() => {
    if (!authenticated) socket.close(CLOSE_CODES.helloTimeout, 'no hello received');
  }, options.helloTimeoutMs);

  socket.on('close', () => {
    clearTimeout(helloTimer);
    hub.detach(sessionId, socket);
  });
  socket.on('error', (error) => logger.warn({ err: error, sessionId }, 'websocket error'));

  socket.on('message', (data: RawData, isBinary: boolean) => {
    // A throw here would escape into ws and take the whole process down (an unreadable stored session,
    // a store error): report it on this connection instead.
    try {
      onFrame(data, isBinary);
    } catch (error) {
      reportError(error);
    }
  });

  function onFrame(data: RawData, isBinary: boolean): void {
    if (isBinary) return sendError('frame_binary', 'binary frames are not supported; send JSON text frames');
    const size = Array.isArray(data) ? data.reduce((total, chunk) => total + chunk.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
    if (size > options.maxFrameBytes) return sendError('frame_too_large', `the frame is ${size} bytes; the limit is ${options.maxFrameBytes}`);
    let raw: unknown;
    try {
      raw = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'));
    } catch {
      return sendError('frame_invalid_json', 'the frame is not valid JSON');
    }
    const type = typeof raw === 'object' && raw !== null && 'type' in raw ? (raw as { type: unknown }).type : undefined;
    if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) return sendError('frame_unknown_type', `unknown frame type ${JSON.stringify(type)}; expected one of ${[...KNOWN_TYPES].join(', ')}`);
    const parsed = ClientFrame.safeParse(raw);
    if (!parsed.success) {
      const clientMsgId = typeof (raw as { clientMsgId?: unknown }).clientMsgId === 'string' ? (raw as { clientMsgId: string }).clientMsgId : undefined;
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
        // Applied once: a repeated clientMsgId (a client retrying after a reconnect) is ignored.
        if (store.findClientMessage(sessionId, clientMsgId) !== null) return;
        await session.candidateSays(text, hub.emitterFor(sessionId, clientMsgId), { clientMsgId });
      })
      .catch((error: unknown) => reportError(error, clientMsgId));
  }

  function reportError(error: unknown, clientMsgId?: string): void {
    if (!(error instanceof AppError)) logger.error({ err: error, sessionId }, 'unexpected error on a websocket turn');
    else if (statusFor(error.code) >= 500) logger.error({ err: error, sessionId }, 'a websocket turn failed');
    const { code, message } = publicError(error);
    sendError(code, message, clientMsgId);
  }
}
