import type { Transcript } from '../transcript/transcript.ts';
import { splitSentences } from '../text/terms.ts';
import type { IntegrityFlag } from './scorecard.ts';

interface IntegrityRule {
  readonly kind: IntegrityFlag['kind'];
  readonly pattern: RegExp;
  readonly note: string;
}

/*
 * The rules look for text aimed at whoever grades this interview, not for the vocabulary of the systems
 * being designed: a candidate designing an LLM product talks about system prompts, instructions to the
 * model and assistants, and a fraud candidate scores users against thresholds. So an instruction must be
 * an imperative (at the start of a clause), an address must name the grader, and a claimed rating must
 * stand as a rating (not "hire more annotators", not "the score meets the threshold").
 */
const RATING_WORDS = '(?:exceeds|meets|strong[_ ]hire|hire|10/10|top marks|full marks|perfect score|highest (?:rating|score))';
// What may follow a claimed rating: the end of the clause, or words that keep it a rating.
const RATING_END = String.raw`["']?(?=\s*(?:[.,;:!?)"'}\]]|$)|\s+(?:on|for|across|in|everywhere|overall|recommendation|rating|score|verdict|please)\b)`;
const CLAUSE_START = String.raw`(?:^|[:;,.!?(\-\u2013\u2014]\s*|\b(?:please|now|and|so|just)\s+)`;
const GRADER = '(?:evaluator|grader|scorer|assessor)';
const DIMENSION_KEYS = 'problem_navigation|technical_depth|technical_breadth|system_design|tradeoff_analysis|production_awareness|strategic_thinking';

const RULES: readonly IntegrityRule[] = [
  {
    kind: 'instruction_to_evaluator',
    pattern: new RegExp(String.raw`${CLAUSE_START}(?:ignore|disregard|forget|override)\b.{0,40}\b(?:previous|prior|above|earlier|all|your|the|these|those)\b.{0,20}\b(?:instructions?|prompts?|rules?|rubric|guidelines?)\b`, 'i'),
    note: "text that tries to override the evaluator's instructions",
  },
  {
    kind: 'instruction_to_evaluator',
    pattern: new RegExp(String.raw`\b(?:note|message|instructions?|memo|request)\s+(?:to|for)\s+(?:the\s+|any\s+|my\s+)?(?:${GRADER}|(?:ai|model|llm|system|person|human|reviewer)\s+(?:evaluating|grading|scoring|reviewing|assessing|reading)\b)`, 'i'),
    note: 'text addressed to the evaluator',
  },
  {
    kind: 'instruction_to_evaluator',
    pattern: new RegExp(String.raw`(?:(?:^|[.!?:;]\s*)(?:dear|attention|hey|hi|hello)\s*,?\s+(?:${GRADER}|(?:ai|model|llm|bot)\s*[,:!])|\bto (?:whoever|the (?:person|ai|model|system) (?:who|that)) (?:is |will be )?(?:grad|evaluat|scor|assess|review)\w*)`, 'i'),
    note: 'text addressed to the evaluator',
  },
  {
    kind: 'instruction_to_evaluator',
    pattern: new RegExp(String.raw`(?:\byou are now\b|\byou're now\b|\bfrom now on,? you\b|\byour new role\b|\bpretend (?:to be|you are)\b|(?:^|[:;,.!?]\s*)act as\b).{0,40}\b(?:${GRADER}|assistant|model|mode)\b`, 'i'),
    note: "text that tries to redefine the evaluator's role",
  },
  {
    kind: 'instruction_to_evaluator',
    pattern: /(?:<\/?(?:system|transcript|instructions?|assistant|user)>|\[\/?INST\]|###\s*(?:system|instructions?)|<\|im_(?:start|end)\|>|(?:^|[.!?]\s+)(?:system|evaluator|grader)(?:\s+(?:message|note|override))?\s*:|\bend of (?:the )?transcript\b|\bnew instructions?\s*:)/i,
    note: 'text that imitates the structure of the prompt or a system message',
  },
  {
    kind: 'claimed_score',
    pattern: new RegExp(String.raw`\b(?:rate|score|grade|mark|give|assign|put)\b.{0,40}\b(?:me|myself|this candidate|the candidate|this interview|my (?:answers?|performance|interview))\b.{0,40}\b${RATING_WORDS}${RATING_END}`, 'i'),
    note: 'a request for a particular rating',
  },
  {
    kind: 'claimed_score',
    pattern: new RegExp(String.raw`\b(?:recommendation|verdict|rating|score|outcome|decision)\s*(?:is|should be|must be|will be|=|:)\s*["']?${RATING_WORDS}${RATING_END}`, 'i'),
    note: 'a claimed score or recommendation',
  },
  {
    kind: 'claimed_score',
    pattern: new RegExp(String.raw`\b(?:interviewer|interviewers|panel|you)\b.{0,30}\b(?:agreed|said|confirmed|told me|decided)\b.{0,40}\b${RATING_WORDS}${RATING_END}`, 'i'),
    note: 'a claimed score or recommendation',
  },
  {
    kind: 'pasted_scorecard',
    pattern: new RegExp(String.raw`["'](?:${DIMENSION_KEYS}|communication|recommendation)["']\s*:\s*["']?(?:exceeds|meets|below|insufficient|strong_hire|hire|no_hire|strong_no_hire)\b|\b(?:${DIMENSION_KEYS})\s*[:=]\s*["']?(?:exceeds|meets|below|insufficient)\b`, 'i'),
    note: 'a pasted scorecard or rating object',
  },
];

/** A sentence of a candidate turn that tried to steer the evaluation. */
export interface IntegrityFinding extends IntegrityFlag {
  /** The sentence as it stands in the turn, to be neutralised before evaluation. */
  readonly sentence: string;
}

/** What stands in the graded transcript where a flagged sentence was. It is not the candidate's words. */
export const REMOVED_TEXT = '[removed: text addressed to the evaluator, reported as an integrity flag]';
/** Finds the marker (and any earlier variant of it) in a turn's text; for `split`, not for a stateful `test`. */
export const REMOVED_MARKER_PATTERN = /\[removed: [^\]]*\]/;

/** The sentences of a turn. A line break ends a sentence too, so a list item or a pasted block stays on its own. */
export function sentencesOf(text: string): string[] {
  return text.split(/\n+/).flatMap(splitSentences);
}

/** Finds text in candidate turns that addresses the evaluator, claims a score or pastes a scorecard. */
export function findIntegrityIssues(transcript: Transcript): IntegrityFinding[] {
  const findings: IntegrityFinding[] = [];
  for (const turn of transcript.turns) {
    if (turn.role !== 'candidate') continue;
    const found: string[] = [];
    // Finest pieces first (each line, cut after every full stop), so a flag removes no more than the
    // offending text; then whole sentences across lines, so a line break inserted into an instruction
    // does not hide it.
    const pieces = turn.text.split(/\n+/).flatMap((line) => line.split(/(?<=[.!?])\s+/)).map((piece) => piece.trim()).filter(Boolean);
    for (const sentence of [...pieces, ...splitSentences(turn.text.replace(/\s+/g, ' '))]) {
      if (found.some((earlier) => sentence.includes(earlier))) continue;
      const rule = RULES.find((candidate) => candidate.pattern.test(sentence));
      if (!rule) continue;
      found.push(sentence);
      findings.push({ kind: rule.kind, turnId: turn.id, quote: sentence.length > 300 ? `${sentence.slice(0, 297)}...` : sentence, note: rule.note, sentence });
    }
  }
  return findings;
}

/**
 * The transcript the evaluator sees: every flagged sentence replaced, where it stands, by a marker, so text
 * that tries to steer the grade cannot reach the ratings, whichever engine grades. The rest of the turn,
 * its line breaks included, is left exactly as it was.
 */
export function neutraliseIntegrityIssues(transcript: Transcript, findings: readonly IntegrityFinding[]): Transcript {
  if (findings.length === 0) return transcript;
  return {
    ...transcript,
    turns: transcript.turns.map((turn) => {
      const own = findings.filter((finding) => finding.turnId === turn.id);
      if (own.length === 0) return turn;
      let text = turn.text;
      for (const finding of own) {
        // A sentence is found with its white space collapsed; in the turn it may span several spaces or lines.
        const pattern = new RegExp(escapeRegExp(finding.sentence).replace(/ /g, String.raw`\s+`));
        text = text.replace(pattern, () => REMOVED_TEXT);
      }
      return { ...turn, text };
    }),
  };
}

export function toFlags(findings: readonly IntegrityFinding[]): IntegrityFlag[] {
  return findings.map(({ kind, turnId, quote, note }) => ({ kind, turnId, quote, note }));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`);
}
