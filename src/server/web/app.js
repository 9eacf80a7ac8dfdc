// mlsd-interviewer's web page: the start screen, the live interview over a websocket, and the scorecard.
// Plain ES modules, no build step. Protocol: src/server/protocol.ts (frames) and the HTTP API under /v1.
import { apiRequest, clearStoredSession, errorMessage, loadStoredSession, newClientMessageId, storeSession } from './api.js';
import { el, scrollToBottom } from './dom.js';
import { renderMarkdown } from './markdown.js';
import { phaseBaseMinutes, renderPhaseClock, renderPhaseList } from './phase-progress.js';
import { renderScorecard } from './scorecard-view.js';
import { createTranscriptView } from './transcript-view.js';
import { SessionSocket, sessionSocketUrl } from './ws-client.js';

const SCORECARD_POLL_MS = 2_000;
const TURN_IN_PROGRESS_RETRY_MS = 4_000;
/** A queued message waits this long for the interviewer's reply before it is tried anyway. */
const REPLY_STALL_MS = 45_000;
/** After `ready`, the replay is taken as done after this long even if fewer events than announced came. */
const REPLAY_GRACE_MS = 3_000;

const byId = (id) => document.getElementById(id);
const ui = {
  startScreen: byId('start-screen'), startForm: byId('start-form'), startNotice: byId('start-notice'),
  problemSelect: byId('problem-select'), startButton: byId('start-button'),
  connection: byId('connection'), connectionStatus: byId('connection-status'), reconnectButton: byId('reconnect-button'),
  interviewScreen: byId('interview-screen'), problemName: byId('problem-name'), problemOpening: byId('problem-opening'),
  problemDetails: byId('problem-details'), phaseList: byId('phase-list'), phaseIndicator: byId('phase-indicator'),
  chatLog: byId('chat-log'), streamingArea: byId('streaming-area'), pendingArea: byId('pending-area'), typing: byId('typing-indicator'),
  composer: byId('composer'), input: byId('message-input'), inputError: byId('composer-error'),
  sendButton: byId('send-button'), endButton: byId('end-button'),
  endPanel: byId('end-panel'), evaluationStatus: byId('evaluation-status'), scorecardRoot: byId('scorecard-root'),
  newInterviewButton: byId('new-interview-button'), announcer: byId('announcer'),
};

/** Everything the page knows about the open interview. `session` is what localStorage keeps. */
const state = {
  session: null, // { sessionId, token, lastSeq, problem, pending: [{ clientMsgId, text }] }
  phase: null, phaseStartedAt: null, phaseBudgetMinutes: null, budgetScale: null,
  readySeq: null, replayRemaining: 0, snapshotLoaded: false,
  ended: false, replyInProgress: false, inFlightId: null, hiddenStreamTurnId: null,
  scorecardShown: false, evaluationFailed: false,
};
const timers = { clock: 0, poll: 0, flush: 0, replay: 0 };
let socket = null;
const transcript = createTranscriptView({ log: ui.chatLog, streamingArea: ui.streamingArea, pendingArea: ui.pendingArea });

function saveSession() {
  if (state.session) storeSession(state.session);
}

/** Calls the API, with the session's token when `auth` is set. */
const api = (path, { auth = false, ...options } = {}) => apiRequest(path, { ...options, token: auth ? state.session?.token : undefined });

// ---- Start screen ----

async function showStartScreen(notice) {
  ui.interviewScreen.hidden = true;
  ui.connection.hidden = true;
  ui.startScreen.hidden = false;
  ui.startNotice.hidden = !notice;
  ui.startNotice.textContent = notice ?? '';
  await loadProblems();
}

async function loadProblems() {
  ui.problemSelect.setAttribute('aria-busy', 'true');
  try {
    const { status, data } = await api('/v1/problems');
    if (status !== 200) throw new Error(errorMessage(data, `HTTP ${status}`));
    for (const problem of data.problems ?? []) ui.problemSelect.append(el('option', { value: problem.id }, problem.title));
  } catch (error) {
    showStartNotice(`The list of problems could not be loaded (${error.message}). You can still start with a random problem.`);
  } finally {
    ui.problemSelect.removeAttribute('aria-busy');
  }
}

function showStartNotice(text) {
  ui.startNotice.textContent = text;
  ui.startNotice.hidden = false;
}

async function startInterview(event) {
  event.preventDefault();
  ui.startButton.disabled = true;
  ui.startButton.textContent = 'Starting…';
  try {
    const problemId = ui.problemSelect.value;
    const { status, data, headers } = await api('/v1/practice', { method: 'POST', body: problemId ? { problemId } : {} });
    if (status === 429) {
      const wait = Number(headers.get('Retry-After'));
      throw new Error(`Too many interviews were started just now. Try again ${wait > 0 ? `in ${wait} seconds` : 'in a minute'}.`);
    }
    if (status !== 201 && status !== 200) throw new Error(errorMessage(data, `The interview could not be started (HTTP ${status}).`));
    state.session = { sessionId: data.sessionId, token: data.token, lastSeq: 0, problem: data.problem, pending: [] };
    saveSession();
    await openInterview();
  } catch (error) {
    showStartNotice(error instanceof TypeError ? 'The server could not be reached. Check your connection and try again.' : error.message);
  } finally {
    ui.startButton.disabled = false;
    ui.startButton.textContent = 'Start the interview';
  }
}

// ---- Opening an interview (new or resumed) ----

async function openInterview() {
  ui.startScreen.hidden = true;
  ui.interviewScreen.hidden = false;
  ui.connection.hidden = false;
  ui.problemDetails.open = window.matchMedia('(min-width: 60em)').matches;
  if (state.session.problem) showProblem(state.session.problem);
  renderPhaseProgress();
  renderPendingList();
  timers.clock = window.setInterval(updatePhaseClock, 1_000);
  const snapshot = await loadSnapshot();
  if (snapshot === 'gone') return;
  if (state.ended) return; // ended before this page opened: the scorecard is polled, no socket needed
  connectSocket();
  ui.input.focus();
}

/** GET /v1/sessions/:id: the turns so far (the opening turn is only there), phase and whether it ended. */
async function loadSnapshot() {
  try {
    const { status, data } = await api(`/v1/sessions/${encodeURIComponent(state.session.sessionId)}`, { auth: true });
    if (status === 401 || status === 403 || status === 404) {
      socket?.stop();
      window.clearInterval(timers.clock);
      clearStoredSession();
      state.session = null;
      await showStartScreen(`Your previous interview could not be reopened: ${errorMessage(data, `HTTP ${status}`)}`);
      return 'gone';
    }
    if (status !== 200) throw new Error(errorMessage(data, `HTTP ${status}`));
    state.snapshotLoaded = true;
    if (data.problem && typeof data.problem === 'object') showProblem(data.problem);
    const turns = data.turns ?? [];
    turns.forEach((turn) => transcript.upsertTurn(turn));
    if (state.readySeq === null && data.phase) setPhase(data.phase, data.phaseStartedAt, null);
    const last = turns[turns.length - 1];
    if (!data.ended && last?.role === 'candidate') {
      // A reply is on its way; its first chunks may be older than lastSeq, so show it only when finished.
      state.replyInProgress = true;
      state.hiddenStreamTurnId = last.id + 1;
    }
    if (data.ended) enterEndedState(data.endReason);
    updateTypingIndicator();
    return 'ok';
  } catch (error) {
    showInputError(`The transcript could not be loaded yet (${error.message}). Retrying when the connection is back.`);
    return 'failed';
  }
}

function showProblem(problem) {
  if (!problem?.title) return;
  state.session.problem = problem;
  ui.problemName.textContent = problem.title;
  ui.problemOpening.innerHTML = renderMarkdown(problem.opening ?? '');
  document.title = `${problem.title}: mlsd-interviewer`;
}

// ---- The websocket ----

function connectSocket() {
  socket?.stop();
  socket = new SessionSocket({
    url: sessionSocketUrl(state.session.sessionId),
    token: state.session.token,
    getLastSeq: () => state.session?.lastSeq ?? 0,
    isEnded: () => state.ended,
    onFrame: handleFrame,
    onStatus: showConnectionStatus,
  });
  socket.start();
}

function handleFrame(frame) {
  switch (frame?.type) {
    case 'ready': return applyReady(frame);
    case 'pong': return undefined;
    case 'error': return handleErrorFrame(frame);
    default: return handleSessionEvent(frame);
  }
}

function applyReady(frame) {
  state.readySeq = frame.seq;
  state.inFlightId = null; // whatever was sent on the previous connection is re-sent after the replay
  showProblem(frame.problem);
  setPhase(frame.phase, frame.phaseStartedAt, frame.phaseBudgetMinutes);
  state.replayRemaining = frame.replaying ?? 0;
  ui.chatLog.setAttribute('aria-busy', String(state.replayRemaining > 0));
  window.clearTimeout(timers.replay);
  if (state.replayRemaining > 0) timers.replay = window.setTimeout(finishReplay, REPLAY_GRACE_MS);
  if (!state.snapshotLoaded) void loadSnapshot();
  if (frame.ended) enterEndedState();
  if (state.replayRemaining === 0) finishReplay();
}

function finishReplay() {
  window.clearTimeout(timers.replay);
  state.replayRemaining = 0;
  ui.chatLog.setAttribute('aria-busy', 'false');
  renderPendingList();
  flushPending();
}

function handleSessionEvent(event) {
  if (typeof event?.seq !== 'number' || !state.session) return;
  const replaying = state.replayRemaining > 0;
  if (replaying) state.replayRemaining -= 1;
  if (event.seq > state.session.lastSeq) {
    state.session.lastSeq = event.seq;
    saveSession();
    applySessionEvent(event);
  }
  if (replaying && state.replayRemaining === 0) finishReplay();
}

function applySessionEvent(event) {
  switch (event.type) {
    case 'candidate.message':
      transcript.upsertTurn(event.turn);
      acknowledgePending(event.clientMsgId);
      state.replyInProgress = !state.ended;
      break;
    case 'interviewer.delta':
      appendInterviewerDelta(event.turnId, event.text);
      break;
    case 'interviewer.reset':
      transcript.resetStream(event.turnId);
      break;
    case 'interviewer.message':
      finishInterviewerTurn(event.turn);
      break;
    case 'phase':
      // Phase events up to `ready` are history: `ready` already said which phase runs now and since when.
      if (state.readySeq === null || event.seq > state.readySeq) {
        setPhase(event.phase, event.phaseStartedAt ?? new Date().toISOString(), event.phaseBudgetMinutes ?? null);
      }
      break;
    case 'ended':
      enterEndedState(event.reason);
      break;
    case 'scorecard':
      showScorecard(event.scorecard);
      break;
    case 'evaluation.failed':
      showEvaluationFailed(event.message);
      break;
    default:
      break; // a newer server's event: ignore
  }
  updateTypingIndicator();
}

function handleErrorFrame(frame) {
  const pending = state.session?.pending.find((message) => message.clientMsgId === frame.clientMsgId);
  if (pending && frame.code === 'turn_in_progress') {
    // Not rejected, only early: keep it queued and try again when the interviewer has answered.
    state.inFlightId = null;
    state.replyInProgress = true;
    window.clearTimeout(timers.flush);
    timers.flush = window.setTimeout(() => { state.replyInProgress = false; flushPending(); }, TURN_IN_PROGRESS_RETRY_MS);
    updateTypingIndicator();
    return;
  }
  if (pending) {
    removePending(pending.clientMsgId);
    restoreDraft(pending.text);
  }
  showInputError(frame.message || `Error: ${frame.code}`);
  if (frame.code === 'interview_ended') enterEndedState();
  else flushPending();
}

function showConnectionStatus(status) {
  const seconds = Math.ceil((status.retryInMs ?? 0) / 1000);
  const texts = {
    connecting: 'Connecting…',
    ready: 'Connected',
    waiting: `Connection lost. Reconnecting in ${seconds} s…`,
    taken_over: 'This interview was opened in another tab.',
    unauthorized: 'This interview could not be opened: its access token was refused.',
    closed: state.ended ? 'Interview ended' : 'Disconnected',
  };
  ui.connectionStatus.textContent = texts[status.state] ?? status.state;
  ui.connectionStatus.dataset.state = status.state;
  ui.reconnectButton.hidden = !(status.state === 'waiting' || status.state === 'taken_over');
  ui.reconnectButton.textContent = status.state === 'taken_over' ? 'Continue here' : 'Retry now';
  if (status.state === 'unauthorized') {
    clearStoredSession();
    setComposerEnabled(false);
    showInputError('This interview can no longer be continued here. Start a new interview below.');
    ui.endPanel.hidden = false;
  }
  renderPendingList();
  if (status.state === 'ready') clearInputErrorIf(/transcript could not be loaded/);
}

// ---- Turns and streaming ----

function appendInterviewerDelta(turnId, text) {
  if (turnId !== state.hiddenStreamTurnId) transcript.appendDelta(turnId, text);
}

/** The finished reply is authoritative: it replaces whatever was streamed. The log announces it. */
function finishInterviewerTurn(turn) {
  if (turn.id === state.hiddenStreamTurnId) state.hiddenStreamTurnId = null;
  transcript.upsertTurn(turn);
  state.replyInProgress = false;
  flushPending();
}

function updateTypingIndicator() {
  ui.typing.hidden = !(state.replyInProgress && !state.ended && !transcript.isStreaming());
}

// ---- Sending: the pending queue ----

/** Moves the textarea's text into the pending queue; the textarea is cleared only once it is queued. */
function queueMessage(event) {
  event?.preventDefault();
  if (state.ended || !state.session) return;
  const text = ui.input.value;
  if (text.trim() === '') {
    showInputError('Type an answer first.');
    return;
  }
  state.session.pending.push({ clientMsgId: newClientMessageId(), text });
  saveSession();
  ui.input.value = '';
  clearInputError();
  renderPendingList();
  scrollToBottom();
  flushPending();
}

/** Sends the oldest queued message when the server can take it: one at a time, after the replay, not mid-reply. */
function flushPending() {
  window.clearTimeout(timers.flush);
  if (!state.session || state.ended || state.inFlightId || state.replayRemaining > 0 || !socket?.isReady) return;
  const next = state.session.pending[0];
  if (!next) return;
  if (state.replyInProgress) {
    timers.flush = window.setTimeout(() => { state.replyInProgress = false; flushPending(); }, REPLY_STALL_MS);
    return;
  }
  if (socket.send({ type: 'candidate.message', clientMsgId: next.clientMsgId, text: next.text })) state.inFlightId = next.clientMsgId;
}

function acknowledgePending(clientMsgId) {
  if (!clientMsgId) return;
  if (state.inFlightId === clientMsgId) state.inFlightId = null;
  removePending(clientMsgId);
}

function removePending(clientMsgId) {
  const before = state.session.pending.length;
  state.session.pending = state.session.pending.filter((message) => message.clientMsgId !== clientMsgId);
  if (state.inFlightId === clientMsgId) state.inFlightId = null;
  if (state.session.pending.length !== before) {
    saveSession();
    renderPendingList();
  }
}

function renderPendingList() {
  const connected = socket?.isReady ?? false;
  const label = state.ended ? 'not sent: the interview had ended' : connected ? 'sending…' : 'sending… (waiting for the connection)';
  transcript.renderPending(state.session?.pending ?? [], label, state.ended);
}

/** Puts a rejected message back in the textarea, before anything typed since. */
function restoreDraft(text) {
  const current = ui.input.value;
  ui.input.value = current.trim() === '' ? text : `${text}\n\n${current}`;
  ui.input.focus();
}

function handleInputKeydown(event) {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey && !event.metaKey) {
    event.preventDefault();
    queueMessage();
  }
}

function requestEnd() {
  if (state.ended) return;
  const unsent = state.session?.pending.length ? ' Your unsent message will not be sent.' : '';
  if (!window.confirm(`End the interview now? You cannot add answers afterwards, and your scorecard will be prepared.${unsent}`)) return;
  if (!socket?.send({ type: 'end' })) showInputError('Not connected: the interview could not be ended. Try again once reconnected.');
}

const showInputError = (text) => { ui.inputError.textContent = text; };
const clearInputError = () => showInputError('');

function clearInputErrorIf(pattern) {
  if (pattern.test(ui.inputError.textContent)) clearInputError();
}

function setComposerEnabled(enabled) {
  for (const control of [ui.input, ui.sendButton, ui.endButton]) control.disabled = !enabled;
}

// ---- Phases and the clock ----

/** Sets the running phase. Without a budget (a live `phase` event), scales the guide's budget as `ready` did. */
function setPhase(phase, startedAt, budgetMinutes) {
  const base = phaseBaseMinutes(phase);
  if (budgetMinutes && base) state.budgetScale = budgetMinutes / base;
  state.phase = phase;
  state.phaseStartedAt = startedAt ? Date.parse(startedAt) : Date.now();
  state.phaseBudgetMinutes = budgetMinutes ?? (base ? Math.round(base * (state.budgetScale ?? 1)) : null);
  renderPhaseProgress();
}

function renderPhaseProgress() {
  renderPhaseList(ui.phaseList, state.phase, state.ended);
  updatePhaseClock();
}

function updatePhaseClock() {
  renderPhaseClock(ui.phaseIndicator, { phase: state.phase, startedAt: state.phaseStartedAt, budgetMinutes: state.phaseBudgetMinutes, ended: state.ended });
}

// ---- The end and the scorecard ----

function enterEndedState(reason) {
  if (state.ended) return;
  state.ended = true;
  state.replyInProgress = false;
  setComposerEnabled(false);
  ui.composer.hidden = true;
  ui.endPanel.hidden = false;
  renderPendingList(); // anything still queued is shown as not sent
  renderPhaseProgress();
  if (!socket) showConnectionStatus({ state: 'closed' });
  updateTypingIndicator();
  const why = { time_up: 'The time is up.', candidate_ended: 'You ended the interview.', completed: 'The interview is complete.' }[reason] ?? 'The interview has ended.';
  if (!state.scorecardShown && !state.evaluationFailed) {
    ui.evaluationStatus.textContent = `${why} Evaluating… your scorecard will appear here.`;
    ui.evaluationStatus.classList.add('end-panel__status--busy');
    pollScorecard();
  }
  announce(why);
}

async function pollScorecard() {
  window.clearTimeout(timers.poll);
  if (state.scorecardShown || state.evaluationFailed || !state.session) return;
  try {
    const { status, data } = await api(`/v1/sessions/${encodeURIComponent(state.session.sessionId)}/scorecard`, { auth: true });
    if (status === 200) return showScorecard(data);
    if (status === 202 && data?.status === 'failed') return showEvaluationFailed(data.message ?? 'unknown error');
    if (status === 401 || status === 403 || status === 404) return showEvaluationFailed(errorMessage(data, `HTTP ${status}`));
  } catch { /* offline for now: keep polling */ }
  if (!state.scorecardShown && !state.evaluationFailed) timers.poll = window.setTimeout(pollScorecard, SCORECARD_POLL_MS);
}

function showScorecard(scorecard) {
  if (state.scorecardShown || !scorecard?.dimensions) return;
  state.scorecardShown = true;
  window.clearTimeout(timers.poll);
  socket?.stop();
  enterEndedState();
  showConnectionStatus({ state: 'closed' });
  ui.evaluationStatus.textContent = '';
  ui.evaluationStatus.classList.remove('end-panel__status--busy');
  ui.scorecardRoot.replaceChildren(renderScorecard(scorecard));
  ui.scorecardRoot.querySelector('h2')?.focus();
  announce('Your scorecard is ready.');
}

function showEvaluationFailed(message) {
  if (state.scorecardShown) return;
  state.evaluationFailed = true;
  window.clearTimeout(timers.poll);
  ui.evaluationStatus.classList.remove('end-panel__status--busy');
  ui.evaluationStatus.textContent = `The evaluation failed: ${message}. Your transcript is kept above.`;
}

/** Follows a scorecard's evidence link: scrolls to the cited turn in the transcript and highlights it. */
function jumpToTurn(event) {
  const link = event.target.closest?.('a[href^="#turn-"]');
  if (link && transcript.highlightTurn(Number(link.getAttribute('href').slice('#turn-'.length)))) event.preventDefault();
}

function announce(text) {
  ui.announcer.textContent = '';
  window.setTimeout(() => { ui.announcer.textContent = text; }, 50);
}

function startNewInterview() {
  socket?.stop();
  clearStoredSession();
  window.location.reload();
}

// ---- Start-up ----

function init() {
  ui.startForm.addEventListener('submit', startInterview);
  ui.composer.addEventListener('submit', queueMessage);
  ui.input.addEventListener('keydown', handleInputKeydown);
  ui.input.addEventListener('input', () => clearInputErrorIf(/^Type an answer first/));
  ui.endButton.addEventListener('click', requestEnd);
  ui.reconnectButton.addEventListener('click', () => socket?.reconnectNow());
  ui.newInterviewButton.addEventListener('click', startNewInterview);
  document.addEventListener('click', jumpToTurn);
  state.session = loadStoredSession();
  if (state.session) void openInterview();
  else void showStartScreen();
}

init();
