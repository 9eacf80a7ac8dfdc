// The five interview phases and the progress display: a list of the phases with the current one
// marked, and one line with the current phase's title and its elapsed time against its budget.
import { el } from './dom.js';

/** Phase ids, titles and hard minute budgets, as in src/interview/phases.ts. */
export const PHASES = [
  { id: 'problem_exploration', title: 'Problem exploration', minutes: 10 },
  { id: 'high_level_design', title: 'High-level design', minutes: 12 },
  { id: 'deep_dive', title: 'Deep dive', minutes: 20 },
  { id: 'tradeoffs', title: 'Trade-offs and alternatives', minutes: 10 },
  { id: 'wrap_up', title: 'Wrap-up', minutes: 6 },
];

export const phaseTitle = (id) => PHASES.find((phase) => phase.id === id)?.title ?? id;
export const phaseBaseMinutes = (id) => PHASES.find((phase) => phase.id === id)?.minutes;

/** Fills the <ol> with the five phases: done, current (aria-current="step") or upcoming. */
export function renderPhaseList(list, currentPhase, ended) {
  const current = PHASES.findIndex((phase) => phase.id === currentPhase);
  list.replaceChildren(...PHASES.map((phase, index) => {
    const status = ended || index < current ? 'done' : index === current ? 'current' : 'upcoming';
    return el('li', { className: `phases__step phases__step--${status}`, 'aria-current': status === 'current' ? 'step' : null },
      el('span', { className: 'phases__number', 'aria-hidden': 'true' }, String(index + 1)),
      el('span', { className: 'phases__title' }, phase.title),
      el('span', { className: 'visually-hidden' }, status === 'current' ? ' (current)' : status === 'done' ? ' (done)' : ''));
  }));
}

/** Writes "Phase 2 of 5: High-level design · 3:07 of 24 min" (or the ended line) into `indicator`. */
export function renderPhaseClock(indicator, { phase, startedAt, budgetMinutes, ended, now = Date.now() }) {
  const index = PHASES.findIndex((entry) => entry.id === phase);
  if (index < 0) return;
  const title = PHASES[index].title;
  if (ended) {
    indicator.textContent = `Interview ended during ${title}`;
    indicator.classList.remove('phases__current--over');
    return;
  }
  const elapsed = Math.max(0, now - (startedAt ?? now)); // clamped: the server's clock may run ahead of this one
  const over = Boolean(budgetMinutes) && elapsed > budgetMinutes * 60_000;
  const budget = budgetMinutes ? ` of ${budgetMinutes} min` : '';
  indicator.textContent = `Phase ${index + 1} of ${PHASES.length}: ${title} · ${formatDuration(elapsed)}${budget}${over ? ' (over time)' : ''}`;
  indicator.classList.toggle('phases__current--over', over);
}

export function formatDuration(milliseconds) {
  const seconds = Math.floor(milliseconds / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
