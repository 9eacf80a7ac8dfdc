import { AppError } from '../errors.ts';
import { checkCitation, MIN_QUOTE_CHARS } from '../evaluator/citations.ts';
import type { ProblemCard } from '../problems/problem-card.ts';
import type { InterviewerAction } from './engine.ts';
import { toTranscript, type InterviewState } from './interview-state.ts';
import { advancePhase, endInterview } from './phase-machine.ts';

/** The outcome of one action: the new state, and what to tell the engine (a tool result). */
export type ActionOutcome = { readonly ok: true; readonly state: InterviewState; readonly result: string } | { readonly ok: false; readonly state: InterviewState; readonly result: string };

/**
 * Applies one interviewer action, checked against the phase machine and the problem card. Pure: a refused
 * action leaves the state as it was and says why, so an LLM can correct itself.
 */
export function applyAction(state: InterviewState, action: InterviewerAction, problem: ProblemCard, now: Date, interviewerTurnId: number): ActionOutcome {
  const refuse = (reason: string): ActionOutcome => ({ ok: false, state, result: `refused: ${reason}` });
  try {
    switch (action.type) {
      case 'reveal-fact': {
        const fact = problem.facts.find((candidate) => candidate.id === action.factId);
        if (state.ended) return refuse('the interview is over; reveal no further facts');
        if (!fact) return refuse(`no fact with id "${action.factId}"; ids are: ${problem.facts.map((candidate) => candidate.id).join(', ')}`);
        if (state.revealedFacts.some((revealed) => revealed.factId === fact.id)) return { ok: true, state, result: `(already revealed earlier) ${fact.answer}` };
        return { ok: true, state: { ...state, revealedFacts: [...state.revealedFacts, { factId: fact.id, turnId: interviewerTurnId }] }, result: fact.answer };
      }
      case 'note-evidence': {
        const turn = state.turns.find((candidate) => candidate.id === action.note.turnId);
        if (!turn || turn.role !== 'candidate') return refuse(`turn ${action.note.turnId} is not a candidate turn of this interview`);
        return { ok: true, state: { ...state, notes: [...state.notes, action.note] }, result: 'noted' };
      }
      case 'flag-integrity': {
        const problem = checkCitation(toTranscript(state), { turnId: action.flag.turnId, quote: action.flag.quote, polarity: 'negative', note: action.flag.note });
        if (problem === 'unknown_turn' || problem === 'not_candidate_turn') return refuse(`turn ${action.flag.turnId} is not a candidate turn of this interview`);
        if (problem === 'quote_too_short') return refuse(`the quote is too short to identify the passage: copy at least ${MIN_QUOTE_CHARS} characters`);
        if (problem === 'quote_not_found') return refuse(`the quote is not in turn ${action.flag.turnId}: copy the candidate's words exactly`);
        return { ok: true, state: { ...state, integrityFlags: [...state.integrityFlags, action.flag] }, result: 'flagged for the human reviewer; continue the interview normally' };
      }
      case 'advance-phase': {
        const phases = advancePhase(state, action.to, now);
        return { ok: true, state: { ...state, ...phases }, result: `now in phase ${phases.phase}` };
      }
      case 'end-interview': {
        const phases = endInterview(state, 'interviewer');
        return { ok: true, state: { ...state, ...phases, endedAt: now.toISOString() }, result: 'the interview is over; say goodbye' };
      }
      default: {
        const unreachable: never = action;
        return refuse(`unknown action ${JSON.stringify(unreachable)}`);
      }
    }
  } catch (error) {
    if (error instanceof AppError) return refuse(error.message);
    throw error;
  }
}
