import type { WebSocket } from 'ws';
import type { ServerFrame } from './protocol.ts';

/** Close codes the protocol uses (docs/websocket-protocol.md). */
export const CLOSE_CODES = {
  takenOver: 4001,
  badRequest: 4400,
  unauthenticated: 4401,
  forbidden: 4403,
  notFound: 4404,
  helloTimeout: 4408,
  rateLimited: 4429,
  slowConsumer: 4508,
  goingAway: 1001,
  internalError: 1011,
} as const;

/** Bytes a connection may have queued but not yet read before it is closed (a client that stops reading). */
export const DEFAULT_SEND_BUFFER_LIMIT = 4 * 1024 * 1024;

/**
 * Sends a frame unless the socket is closing, or its unread backlog is over `limit`: then the client
 * has stopped reading, and the connection is closed (4508) instead of letting the backlog grow without
 * bound. Returns whether the frame was queued.
 */
export function sendFrame(socket: WebSocket, frame: ServerFrame, limit: number): 'sent' | 'closed' | 'slow' {
  if (socket.readyState !== socket.OPEN) return 'closed';
  if (socket.bufferedAmount > limit) {
    // Nothing more is queued after the close frame (the socket is CLOSING), and ws destroys the socket
    // if the close handshake does not finish within its close timeout.
    socket.close(CLOSE_CODES.slowConsumer, 'the client does not read its frames');
    return 'slow';
  }
  socket.send(JSON.stringify(frame));
  return 'sent';
}

/** At most `max` characters of client-supplied text, for error messages that quote it. */
export function clip(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** How long shutdown waits for clients to answer the close; the rest are cut off. */
export const SHUTDOWN_CLOSE_TIMEOUT_MS = 5000;

/** Resolves once every socket has closed, terminating those still open after `timeoutMs`. */
export async function closeHandshakes(sockets: readonly WebSocket[], timeoutMs: number): Promise<void> {
  const open = sockets.filter((socket) => socket.readyState !== socket.CLOSED);
  if (open.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const closed = Promise.all(open.map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()))));
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      for (const socket of open) socket.terminate();
      resolve();
    }, timeoutMs);
  });
  await Promise.race([closed, deadline]);
  clearTimeout(timer);
}
