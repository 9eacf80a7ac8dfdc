import { checkBudget } from '../../interview/phase-machine.ts';
import { PHASE_BUDGETS, PHASE_ORDER } from '../../interview/phases.ts';
import type { InterviewState } from '../../interview/interview-state.ts';

/** A line the terminal chat acts on itself instead of sending it to the interviewer. */
export type ChatCommand = { readonly type: 'help' } | { readonly type: 'status' } | { readonly type: 'end' } | { readonly type: 'unknown'; readonly text: string };

/** What /help prints. */
export const CHAT_HELP = `Commands (typed alone on a line; anything else is your answer):
  /status   the phase, its clock and the interview's time so far
  /end      end the interview and get the scorecard (/quit does the same)
  /help     this list
A pasted block of several lines is sent as one message. Ctrl-D or Ctrl-C also end the interview.`;

/**
 * Reads a command from a message: only a single word starting with "/" is one, so an answer that starts
 * with a path ("/predict takes 40 ms") is still sent as an answer.
 */
export function parseChatCommand(text: string): ChatCommand | null {
  const word = text.trim();
  if (!/^\/[A-Za-z-]+$/.test(word)) return null;
  switch (word.toLowerCase()) {
    case '/help':
    case '/?':
      return { type: 'help' };
    case '/status':
      return { type: 'status' };
    case '/end':
    case '/quit':
    case '/exit':
      return { type: 'end' };
    default:
      return { type: 'unknown', text: word };
  }
}

/**
 * Whether a whole message is only a word people type to leave a program ("quit", "exit", "q").
 * It is ambiguous in an interview, so the chat holds it back once and says how to end (see chat.ts).
 */
export function isLeaveWord(text: string): boolean {
  return /^(quit|exit|q)[.!]?$/i.test(text.trim());
}

/** The phase and how much of its clock is used, short enough for the prompt: "High-level design 3/24 min". */
export function phaseClock(state: InterviewState, now: Date, clockScale: number): string {
  const budget = checkBudget(state, now, clockScale);
  return `${PHASE_BUDGETS[state.phase].title} ${Math.floor(budget.elapsedMinutes)}/${Math.round(budget.budgetMinutes)} min`;
}

/** What /status prints: the phase (n of 5), its clock and turns, and the time since the interview began. */
export function statusText(state: InterviewState, now: Date, clockScale: number): string {
  const budget = checkBudget(state, now, clockScale);
  const phase = PHASE_BUDGETS[state.phase];
  const total = Math.max(0, (now.getTime() - Date.parse(state.startedAt)) / 60_000);
  const answers = `${state.candidateTurnsInPhase} of at most ${phase.hardCandidateTurns} answers`;
  return `Phase ${PHASE_ORDER.indexOf(state.phase) + 1} of ${PHASE_ORDER.length}: ${phase.title}, ${Math.floor(budget.elapsedMinutes)} of ${Math.round(budget.budgetMinutes)} min, ${answers}. Interview so far: ${Math.floor(total)} min, ${state.turns.length} turns.${state.ended ? ' The interview has ended.' : ''}`;
}
