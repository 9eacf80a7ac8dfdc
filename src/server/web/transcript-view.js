// The chat transcript: finished turns in the live log (role="log"), the interviewer's reply while it
// streams, and the candidate's messages not yet acknowledged by the server.
//
// Only finished turns enter the log, so screen readers announce each message once, whole, rather
// than every streamed chunk. A streaming reply lives just below the log (aria-busy) and is moved
// into it when the authoritative `interviewer.message` arrives. Every turn is `id="turn-N"`.
import { el, isNearBottom, prefersReducedMotion, scrollToBottom } from './dom.js';
import { renderMarkdown } from './markdown.js';
import { PHASES, phaseTitle } from './phase-progress.js';

export function createTranscriptView({ log, streamingArea, pendingArea }) {
  const streams = new Map(); // turnId -> the reply's text streamed so far

  function createTurnElement(id, role) {
    return el('div', { className: `turn turn--${role}`, id: `turn-${id}`, 'data-turn-id': id, tabindex: -1 },
      el('p', { className: 'turn__meta' },
        el('span', { className: 'turn__speaker' }, role === 'candidate' ? 'You' : 'Interviewer'),
        el('span', { className: 'turn__number' }, `turn ${id}`)),
      el('div', { className: role === 'candidate' ? 'turn__body' : 'turn__body markdown' }));
  }

  /** Candidate text is shown as plain text; interviewer text through the safe Markdown renderer. */
  function fillTurnBody(element, role, text) {
    const body = element.querySelector('.turn__body');
    if (role === 'candidate') body.textContent = text;
    else body.innerHTML = renderMarkdown(text);
  }

  /** Puts the turn into the log in turn order, with a phase divider where the phase changes. */
  function insertIntoLog(element, turn) {
    const after = [...log.children].find((child) => Number(child.dataset.turnId) > turn.id) ?? null;
    log.insertBefore(element, after);
    const previous = element.previousElementSibling;
    const phaseChanged = previous ? previous.dataset.phase !== turn.phase : turn.phase !== PHASES[0].id;
    element.querySelector('.phase-divider')?.remove();
    if (phaseChanged) element.prepend(el('p', { className: 'phase-divider' }, `Phase: ${phaseTitle(turn.phase)}`));
  }

  return {
    isFinished(turnId) {
      return document.getElementById(`turn-${turnId}`)?.dataset.final === 'true';
    },

    /** Shows a finished turn in the log, once; a turn that streamed is replaced by this text. */
    upsertTurn(turn) {
      if (!turn || typeof turn.id !== 'number' || this.isFinished(turn.id)) return;
      const stickToBottom = isNearBottom();
      streams.delete(turn.id);
      const element = document.getElementById(`turn-${turn.id}`) ?? createTurnElement(turn.id, turn.role);
      fillTurnBody(element, turn.role, turn.text);
      element.dataset.final = 'true';
      element.dataset.phase = turn.phase;
      element.removeAttribute('aria-busy');
      element.classList.remove('turn--streaming');
      insertIntoLog(element, turn);
      if (stickToBottom) scrollToBottom();
    },

    /** Adds a chunk to the interviewer's streaming reply, creating its bubble on the first chunk. */
    appendDelta(turnId, text) {
      if (this.isFinished(turnId)) return;
      const stickToBottom = isNearBottom();
      let element = document.getElementById(`turn-${turnId}`);
      if (!element) {
        element = createTurnElement(turnId, 'interviewer');
        element.classList.add('turn--streaming');
        element.setAttribute('aria-busy', 'true');
        streamingArea.append(element);
      }
      const soFar = (streams.get(turnId) ?? '') + text;
      streams.set(turnId, soFar);
      fillTurnBody(element, 'interviewer', soFar);
      if (stickToBottom) scrollToBottom();
    },

    /** Drops what was streamed for a turn: the reply starts again from the beginning. */
    resetStream(turnId) {
      if (this.isFinished(turnId)) return;
      streams.delete(turnId);
      document.getElementById(`turn-${turnId}`)?.remove();
    },

    isStreaming() {
      return streamingArea.childElementCount > 0;
    },

    /** Shows the queued candidate messages, greyed, with their delivery state. */
    renderPending(pending, label, failed) {
      pendingArea.replaceChildren(...pending.map((message) =>
        el('div', { className: `turn turn--candidate turn--pending${failed ? ' turn--failed' : ''}`, 'data-client-msg-id': message.clientMsgId },
          el('p', { className: 'turn__meta' }, el('span', { className: 'turn__speaker' }, 'You'), el('span', { className: 'turn__number' }, label)),
          el('div', { className: 'turn__body' }, message.text))));
    },

    /** Scrolls to a turn, highlights it and focuses it; returns false when there is no such turn. */
    highlightTurn(turnId) {
      const turn = document.getElementById(`turn-${turnId}`);
      if (!turn) return false;
      document.querySelectorAll('.turn--highlight').forEach((element) => element.classList.remove('turn--highlight'));
      turn.classList.add('turn--highlight');
      turn.scrollIntoView({ behavior: prefersReducedMotion() ? 'auto' : 'smooth', block: 'center' });
      turn.focus({ preventScroll: true });
      return true;
    },
  };
}
