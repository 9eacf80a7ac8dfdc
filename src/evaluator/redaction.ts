import type { Transcript } from '../transcript/transcript.ts';

/** A transcript with identifying details replaced, and how many replacements were made. */
export interface BlindTranscript {
  readonly transcript: Transcript;
  readonly replacements: number;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// A run of digits and phone punctuation; isPhoneNumber decides, so that quantities stay (see there).
const PHONE_CANDIDATE = /(?<![\w.])\+?\(?\d[\d\s().-]{6,}\d\)?(?![\w.]*\d)/g;
const URL = /\bhttps?:\/\/\S+/gi;
// A name: a capital letter, then letters, apostrophes or hyphens (José, Zoë, O'Brien, Jean-Luc, McDonald).
const NAME = String.raw`\p{Lu}[\p{L}'’-]*\p{L}`;
// "My name is X" and "call me X" introduce a name wherever they stand.
const NAMED_INTRODUCTION = new RegExp(String.raw`\b(?:[Mm]y name is|[Mm]y name's|[Cc]all me)\s+(${NAME}(?:\s+${NAME})?)`, 'gu');
// "I'm X", "I am X" and "this is X" only when X stands alone ("I'm Emily, I lead ..."), not "this is Kafka based".
const SELF_INTRODUCTION = new RegExp(String.raw`(?:\bI['’]m|\bI am|\b[Tt]his is)\s+(${NAME}(?:\s+${NAME})?)(?=\s*(?:[,.!?;:)]|$)|\s+(?:and|from|here|again|speaking)\b)`, 'gu');
const GREETING = new RegExp(String.raw`\b(?:Hi|Hello|Hey|Thanks|Thank you|Welcome|Great|Good|Good (?:morning|afternoon|evening)|Nice to meet you)\s*,?\s+(${NAME})(?=[,.!?:;]|\s+and\b)`, 'gu');
const HONORIFIC = /\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+(?=\[candidate\])/g;
// Words a greeting or an introduction can be followed by that are not names.
const NOT_NAMES = new Set(['everyone', 'there', 'all', 'team', 'again', 'going', 'happy', 'glad', 'not', 'sure', 'the', 'a', 'an', 'thinking', 'assuming', 'morning', 'afternoon', 'evening', 'question', 'point', 'idea', 'job', 'stuff', 'work', 'answer', 'done', 'fine', 'ok', 'okay', 'ready', 'back', 'here', 'mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'sir', 'madam']);
const GENDERED = new Map([
  ['he', 'they'],
  ['she', 'they'],
  ['him', 'them'],
  ['hers', 'theirs'],
  ['himself', 'themself'],
  ['herself', 'themself'],
]);
// After these words (or nothing), "her" is the object ("asked her about") and "his" stands alone ("was his").
const NOT_A_NOUN = new Set(['a', 'an', 'the', 'about', 'to', 'for', 'with', 'that', 'if', 'whether', 'and', 'or', 'but', 'on', 'in', 'at', 'from', 'again', 'back', 'up', 'out', 'so', 'how', 'what', 'why', 'when', 'where', 'some', 'any', 'this', 'these', 'those', 'is', 'was', 'too', 'as', 'by', 'into', 'know', 'later', 'now', 'then', 'there', 'here', 'we', 'i', 'you', 'they', 'it']);

/**
 * Blinds a transcript before evaluation: the candidate's name (and names they introduce themselves with),
 * emails, phone numbers and links become placeholders, gendered pronouns become neutral ones, and the
 * candidate block is emptied. Two transcripts that differ only in these come out identical.
 */
export function blindTranscript(transcript: Transcript): BlindTranscript {
  let replacements = 0;
  const names = new Set<string>();
  const addName = (part: string) => {
    if (part.length > 1 && !NOT_NAMES.has(part.toLowerCase())) names.add(part);
  };
  const { name } = transcript.candidate;
  if (name) for (const part of name.split(/\s+/)) addName(part);
  for (const turn of transcript.turns) {
    if (turn.role === 'candidate') {
      for (const pattern of [NAMED_INTRODUCTION, SELF_INTRODUCTION]) for (const match of turn.text.matchAll(pattern)) for (const part of (match[1] ?? '').split(/\s+/)) addName(part);
    } else {
      for (const match of turn.text.matchAll(GREETING)) addName(match[1] ?? '');
    }
  }
  // Longest first, so "Ann-Marie" is replaced whole before "Ann" could be; boundaries that know letters beyond ASCII.
  const alternatives = [...names].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  const namePattern = names.size ? new RegExp(String.raw`(?<![\p{L}\p{N}_])(?:${alternatives})(?:\s+(?:${alternatives}))*(?![\p{L}\p{N}_])`, 'gu') : null;
  const replace = (text: string, pattern: RegExp | null, placeholder: string, accept: (match: string) => boolean = () => true) => {
    if (!pattern) return text;
    return text.replace(pattern, (match) => {
      if (!accept(match)) return match;
      replacements += 1;
      return placeholder;
    });
  };
  const turns = transcript.turns.map((turn) => {
    let text = turn.text;
    text = replace(text, EMAIL, '[email]');
    text = replace(text, URL, '[link]');
    text = replace(text, PHONE_CANDIDATE, '[phone]', isPhoneNumber);
    text = replace(text, namePattern, '[candidate]');
    text = text.replace(HONORIFIC, '');
    if (turn.role === 'interviewer') {
      text = text.replace(/\b(he|she|him|his|hers|her|himself|herself)\b(?=(\s+([A-Za-z'’]+))?)/gi, (word: string, _next: string | undefined, _space: string | undefined, following: string | undefined) => {
        replacements += 1;
        return matchCase(word, neutralPronoun(word.toLowerCase(), following?.toLowerCase()));
      });
    }
    const { at: _at, engine: _engine, ...rest } = turn;
    return { ...rest, text };
  });
  return { transcript: { id: transcript.id, problem: transcript.problem, candidate: {}, turns }, replacements };
}

/**
 * Whether a run of digits is a phone number rather than a quantity the candidate reasons with: it has the
 * digits of a phone number (8 to 15), and it is not a range ("100 - 200"), a date, a decimal, or a large
 * number grouped in thousands ("3 000 000").
 */
function isPhoneNumber(match: string): boolean {
  const digits = match.replace(/\D/g, '').length;
  if (digits < 8 || digits > 15) return false;
  if (/\d\s+[-–]\s+\d/.test(match)) return false;
  if (/^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$/.test(match.trim())) return false;
  if (/^\d{1,3}(?: \d{3})+$/.test(match.trim())) return false;
  if (/^\d+\.\d+$/.test(match.trim())) return false;
  // Without a + or any separator, a long run of digits is a count, not a number to dial.
  return /[+\s().-]/.test(match.trim());
}

function neutralPronoun(word: string, following: string | undefined): string {
  const standsAlone = following === undefined || NOT_A_NOUN.has(following);
  if (word === 'her') return standsAlone ? 'them' : 'their';
  if (word === 'his') return standsAlone ? 'theirs' : 'their';
  return GENDERED.get(word) ?? word;
}

function matchCase(original: string, replacement: string): string {
  return original[0] === original[0]?.toUpperCase() ? (replacement[0]?.toUpperCase() ?? '') + replacement.slice(1) : replacement;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
