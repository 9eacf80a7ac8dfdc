import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';

/** Limits on open TCP connections (HTTP and websocket alike). */
export interface ConnectionLimits {
  /** Over this many open connections a new one gets a 503 and is closed at once (MAX_CONNECTIONS). */
  readonly max: number;
  /** Connections one address may hold; past it, only /healthz is answered (MAX_CONNECTIONS_PER_ADDRESS). */
  readonly perAddress: number;
}

/** An HTTP response written straight to a socket, with our error body: for refusals before Fastify sees a request. */
export function rawErrorResponse(status: number, code: string, message: string): string {
  const body = JSON.stringify({ error: { code, message } });
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}

/**
 * Counts open connections, refuses those over the global cap at once, and marks those over their
 * address's cap. A marked connection is refused at its first request unless that request is /healthz,
 * so one address that holds many connections cannot make the health check fail while the server has room.
 */
export class ConnectionGuard {
  readonly #limits: ConnectionLimits;
  readonly #byAddress = new Map<string, number>();
  readonly #overAddressCap = new WeakSet<Socket>();
  #open = 0;

  constructor(limits: ConnectionLimits) {
    this.#limits = limits;
  }

  attach(server: Server): void {
    server.on('connection', (socket: Socket) => this.#onConnection(socket));
  }

  /** Whether the connection a request came on is over its address's cap. */
  overAddressCap(socket: Socket | undefined): boolean {
    return socket !== undefined && this.#overAddressCap.has(socket);
  }

  get open(): number {
    return this.#open;
  }

  #onConnection(socket: Socket): void {
    if (this.#open >= this.#limits.max) {
      socket.on('error', () => undefined);
      socket.end(rawErrorResponse(503, 'server_busy', 'the server has too many open connections; retry shortly'));
      socket.destroySoon();
      return;
    }
    const address = socket.remoteAddress ?? 'unknown';
    const count = (this.#byAddress.get(address) ?? 0) + 1;
    this.#byAddress.set(address, count);
    this.#open += 1;
    if (count > this.#limits.perAddress) this.#overAddressCap.add(socket);
    socket.once('close', () => {
      this.#open -= 1;
      const left = (this.#byAddress.get(address) ?? 1) - 1;
      if (left <= 0) this.#byAddress.delete(address);
      else this.#byAddress.set(address, left);
    });
  }
}

/** Answers what Node's HTTP parser refuses (oversized headers, timeouts, garbage) with our error shape. */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  let response: string;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') response = rawErrorResponse(408, 'request_timeout', 'the request was not received in time');
  else if (error.code === 'HPE_HEADER_OVERFLOW') response = rawErrorResponse(431, 'headers_too_large', 'the request headers are too large');
  else response = rawErrorResponse(400, 'request_malformed', 'the request is not valid HTTP');
  if (socket.writable) socket.write(response);
  socket.destroy();
}
