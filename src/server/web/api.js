// The HTTP side: the JSON API under /v1, and the session kept in localStorage so that a reload or a
// lost connection resumes the same interview.

const STORAGE_KEY = 'mlsd-interviewer.session';

/** The stored session { sessionId, token, lastSeq, problem, pending }, or null when there is none. */
export function loadStoredSession() {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (stored && typeof stored.sessionId === 'string' && typeof stored.token === 'string') {
      return { lastSeq: 0, problem: null, ...stored, pending: Array.isArray(stored.pending) ? stored.pending : [] };
    }
  } catch { /* unreadable: start afresh */ }
  return null;
}

export function storeSession(session) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  } catch { /* storage full or blocked: the page still works, it just cannot resume after a reload */ }
}

export function clearStoredSession() {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch { /* nothing to clear */ }
}

/** Calls the JSON API; resolves to { status, data, headers } and throws only when the server cannot be reached. */
export async function apiRequest(path, { method = 'GET', body, token } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await response.json().catch(() => null);
  return { status: response.status, data, headers: response.headers };
}

/** The message of an API error body `{ error: { code, message } }`, or the fallback. */
export const errorMessage = (data, fallback) => data?.error?.message ?? fallback;

/** A fresh id for a candidate message (crypto.randomUUID exists only on https and localhost). */
export function newClientMessageId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
