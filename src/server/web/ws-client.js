// The interview's websocket, reconnecting by itself.
//
// Opens ws(s)://<this host>/v1/sessions/<id>/ws, sends `hello` with the token and the highest seq the
// page has seen, and hands every parsed server frame to `onFrame`. When the connection drops it
// reconnects with exponential backoff (0.5 s, 1 s, 2 s, ... at most 10 s, with a little jitter),
// except after a close that means "stop": taken over by another tab (4001), a refused token
// (4401, 4403), or a normal close once the interview has ended.

const MAX_BACKOFF_MS = 10_000;
const FIRST_BACKOFF_MS = 500;
const PING_EVERY_MS = 25_000;
/** No frame at all for this long (pings get pongs) means the connection is dead though not closed. */
const SILENCE_LIMIT_MS = 60_000;

export const CLOSE_TAKEN_OVER = 4001;
export const CLOSE_BAD_TOKEN = [4401, 4403];
const CLOSE_NORMAL = 1000;

/** The websocket address of a session on the server that served this page. */
export function sessionSocketUrl(sessionId, location = window.location) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/v1/sessions/${encodeURIComponent(sessionId)}/ws`;
}

export class SessionSocket {
  #url;
  #token;
  #getLastSeq;
  #isEnded;
  #onFrame;
  #onStatus;
  #socket = null;
  #attempt = 0;
  #retryTimer = 0;
  #pingTimer = 0;
  #lastFrameAt = 0;
  #stopped = true;
  #ready = false;

  /**
   * @param {object} options
   * @param {string} options.url websocket address (see sessionSocketUrl)
   * @param {string} options.token the session's bearer token
   * @param {() => number} options.getLastSeq the highest event seq the page has applied
   * @param {() => boolean} options.isEnded whether the interview has ended (a normal close then is final)
   * @param {(frame: any) => void} options.onFrame every server frame, parsed
   * @param {(status: {state: string, code?: number, retryInMs?: number}) => void} options.onStatus
   *   state: 'connecting' | 'ready' | 'waiting' (retryInMs) | 'taken_over' | 'unauthorized' | 'closed' (code)
   */
  constructor({ url, token, getLastSeq, isEnded, onFrame, onStatus }) {
    this.#url = url;
    this.#token = token;
    this.#getLastSeq = getLastSeq;
    this.#isEnded = isEnded;
    this.#onFrame = onFrame;
    this.#onStatus = onStatus;
    this.reconnectNow = this.reconnectNow.bind(this);
  }

  /** True once the server answered `hello` with `ready` on the current connection. */
  get isReady() {
    return this.#ready && this.#socket?.readyState === WebSocket.OPEN;
  }

  start() {
    if (!this.#stopped) return;
    this.#stopped = false;
    window.addEventListener('online', this.reconnectNow);
    this.#open();
  }

  /** Closes for good: no reconnect. */
  stop() {
    this.#stopped = true;
    window.removeEventListener('online', this.reconnectNow);
    this.#clearTimers();
    const socket = this.#socket;
    this.#socket = null;
    this.#ready = false;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(CLOSE_NORMAL, 'client stopped');
  }

  /** Skips the backoff wait (the browser came back online, or the person asked to retry). */
  reconnectNow() {
    if (this.#stopped) {
      this.start();
      return;
    }
    if (this.#socket) return;
    window.clearTimeout(this.#retryTimer);
    this.#open();
  }

  /** Sends a client frame if the connection is ready; returns whether it was sent. */
  send(frame) {
    if (!this.isReady) return false;
    this.#socket.send(JSON.stringify(frame));
    return true;
  }

  #open() {
    this.#clearTimers();
    this.#ready = false;
    this.#onStatus({ state: 'connecting' });
    let socket;
    try {
      socket = new WebSocket(this.#url);
    } catch {
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    socket.addEventListener('open', () => {
      const lastSeq = this.#getLastSeq();
      socket.send(JSON.stringify({ type: 'hello', token: this.#token, ...(lastSeq > 0 ? { lastSeq } : {}) }));
      this.#lastFrameAt = Date.now();
    });
    socket.addEventListener('message', (event) => this.#receive(socket, event));
    socket.addEventListener('close', (event) => this.#closed(socket, event.code));
  }

  #receive(socket, event) {
    if (socket !== this.#socket) return;
    this.#lastFrameAt = Date.now();
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return; // not ours to understand: ignore rather than break the page
    }
    if (frame?.type === 'ready') {
      this.#ready = true;
      this.#attempt = 0;
      this.#startPinging(socket);
      this.#onStatus({ state: 'ready' });
    }
    this.#onFrame(frame);
  }

  #closed(socket, code) {
    if (socket !== this.#socket) return;
    this.#socket = null;
    this.#ready = false;
    this.#clearTimers();
    if (this.#stopped) return;
    if (code === CLOSE_TAKEN_OVER) return this.#halt({ state: 'taken_over', code });
    if (CLOSE_BAD_TOKEN.includes(code)) return this.#halt({ state: 'unauthorized', code });
    if (code === CLOSE_NORMAL && this.#isEnded()) return this.#halt({ state: 'closed', code });
    this.#scheduleReconnect();
  }

  #halt(status) {
    this.#stopped = true;
    window.removeEventListener('online', this.reconnectNow);
    this.#onStatus(status);
  }

  #scheduleReconnect() {
    const backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** this.#attempt);
    const delay = Math.round(backoff * (0.8 + Math.random() * 0.2));
    this.#attempt += 1;
    this.#onStatus({ state: 'waiting', retryInMs: delay });
    this.#retryTimer = window.setTimeout(() => this.#open(), delay);
  }

  #startPinging(socket) {
    window.clearInterval(this.#pingTimer);
    this.#pingTimer = window.setInterval(() => {
      if (Date.now() - this.#lastFrameAt > SILENCE_LIMIT_MS) {
        socket.close(4000, 'no answer to pings');
        this.#closed(socket, 4000);
        return;
      }
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'ping' }));
    }, PING_EVERY_MS);
  }

  #clearTimers() {
    window.clearTimeout(this.#retryTimer);
    window.clearInterval(this.#pingTimer);
  }
}
