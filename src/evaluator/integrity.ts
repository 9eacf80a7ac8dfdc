import type { Transcript } from '../transcript/transcript.ts';
import { splitSentences } from '../text/terms.ts';
import type { IntegrityFlag } from './scorecard.ts';

interface IntegrityRule {
  readonly kind: IntegrityFlag['kind'];
  readonly pattern: RegExp;
  readonly note: string;
}

const RATING_WORDS = '(exceeds|meets|strong[_ ]hire|hire|10/10|top marks|full marks|perfect score|highest (rating|score))';
const RULES: readonly IntegrityRule[] = [
  { kind: 'instruction_to_evaluator', pattern: /\b(ignore|disregard|forget|override)\b.{0,40}\b(previous|prior|above|earlier|all|your|the)\b.{0,20}\b(instructions?|prompts?|rules?|rubric|guidelines?)\b/i, note: 'text that tries to override the evaluator\'s instructions' },
  { kind: 'instruction_to_evaluator', pattern: /\b(note|message|instructions?)\s+(to|for)\s+(the\s+)?(evaluator|grader|scorer|assessor|reviewer|ai|model|llm|system)\b/i, note: 'text addressed to the evaluator' },
  { kind: 'instruction_to_evaluator', pattern: /\b(dear|attention|hey)\s+(evaluator|grader|scorer|ai|model|llm)\b/i, note: 'text addressed to the evaluator' },
  { kind: 'instruction_to_evaluator', pattern: /\b(you are|act as|pretend to be|your new role)\b.{0,30}\b(evaluator|grader|assistant|model)\b/i, note: 'text that tries to redefine the evaluator\'s role' },
  { kind: 'instruction_to_evaluator', pattern: /\b(system prompt|<\/?(system|transcript|instructions?)>|\[\/?INST\]|###\s*(system|instruction))/i, note: 'prompt-formatting text inside the transcript' },
  { kind: 'claimed_score', pattern: new RegExp(`\\b(rate|score|grade|mark|give|assign)\\b.{0,40}\\b(me|this candidate|the candidate|them|him|her)\\b.{0,40}\\b${RATING_WORDS}`, 'i'), note: 'a request for a particular rating' },
  { kind: 'claimed_score', pattern: new RegExp(`\\b(recommendation|verdict|rating|score)\\s*(is|should be|must be|=|:)\\s*["']?${RATING_WORDS}`, 'i'), note: 'a claimed score or recommendation' },
  { kind: 'pasted_scorecard', pattern: /["']?(problem_navigation|technical_depth|technical_breadth|system_design|tradeoff_analysis|production_awareness|strategic_thinking|communication|recommendation)["']?\s*:\s*["']?(exceeds|meets|below|insufficient|strong_hire|hire|no_hire)/i, note: 'a pasted scorecard or rating object' },
];

/** A sentence of a candidate turn that tried to steer the evaluation. */
export interface IntegrityFinding extends IntegrityFlag {
  /** The sentence as it stands in the turn, to be neutralised before evaluation. */
  readonly sentence: string;
}

/** Finds text in candidate turns that addresses the evaluator, claims a score or pastes a scorecard. */
export function findIntegrityIssues(transcript: Transcript): IntegrityFinding[] {
  const findings: IntegrityFinding[] = [];
  for (const turn of transcript.turns) {
    if (turn.role !== 'candidate') continue;
    for (const sentence of splitSentences(turn.text)) {
      const rule = RULES.find((candidate) => candidate.pattern.test(sentence));
      if (rule) findings.push({ kind: rule.kind, turnId: turn.id, quote: sentence.length > 300 ? `${sentence.slice(0, 297)}...` : sentence, note: rule.note, sentence });
    }
  }
  return findings;
}

const REMOVED = '[removed: text addressed to the evaluator, reported as an integrity flag]';

/**
 * The transcript the evaluator sees: every flagged sentence replaced by a marker, so text that tries to
 * steer the grade cannot reach the ratings, whichever engine grades.
 */
export function neutraliseIntegrityIssues(transcript: Transcript, findings: readonly IntegrityFinding[]): Transcript {
  if (findings.length === 0) return transcript;
  return {
    ...transcript,
    turns: transcript.turns.map((turn) => {
      const own = findings.filter((finding) => finding.turnId === turn.id);
      if (own.length === 0) return turn;
      const kept = splitSentences(turn.text).map((sentence) => (own.some((finding) => finding.sentence === sentence) ? REMOVED : sentence));
      return { ...turn, text: kept.join(' ') };
    }),
  };
}

export function toFlags(findings: readonly IntegrityFinding[]): IntegrityFlag[] {
  return findings.map(({ kind, turnId, quote, note }) => ({ kind, turnId, quote, note }));
}
