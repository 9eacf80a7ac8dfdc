import type { Transcript } from '../transcript/transcript.ts';

/** A transcript with identifying details replaced, and how many replacements were made. */
export interface BlindTranscript {
  readonly transcript: Transcript;
  readonly replacements: number;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const PHONE = /(?<!\w)(?:\+?\d[\d\s().-]{7,}\d)(?!\w)/g;
const URL = /\bhttps?:\/\/\S+/gi;
const SELF_INTRODUCTION = /\b(?:I'm|I am|my name is|this is|call me)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)/g;
const GREETING = /\b(Hi|Hello|Hey|Thanks|Thank you|Welcome|Great|Good)\s*,?\s+([A-Z][a-z]+)\b(?=[,.!?:;]|\s+and\b)/g;
const GENDERED = new Map([
  ['he', 'they'],
  ['she', 'they'],
  ['him', 'them'],
  ['his', 'their'],
  ['hers', 'theirs'],
  ['himself', 'themself'],
  ['herself', 'themself'],
]);
// Words a greeting or an introduction can be followed by that are not names.
const NOT_NAMES = new Set(['everyone', 'there', 'all', 'team', 'again', 'going', 'happy', 'glad', 'not', 'sure', 'the', 'a', 'an', 'thinking', 'assuming']);

/**
 * Blinds a transcript before evaluation: the candidate's name (and names they introduce themselves with),
 * emails, phone numbers and links become placeholders, gendered pronouns become neutral ones, and the
 * candidate block is emptied. Two transcripts that differ only in these come out identical.
 */
export function blindTranscript(transcript: Transcript): BlindTranscript {
  let replacements = 0;
  const names = new Set<string>();
  const { name } = transcript.candidate;
  if (name) for (const part of name.split(/\s+/)) if (part.length > 1) names.add(part);
  for (const turn of transcript.turns) {
    for (const match of turn.text.matchAll(SELF_INTRODUCTION)) {
      if (turn.role !== 'candidate') continue;
      for (const part of (match[1] ?? '').split(/\s+/)) if (!NOT_NAMES.has(part.toLowerCase())) names.add(part);
    }
    if (turn.role === 'interviewer') {
      for (const match of turn.text.matchAll(GREETING)) {
        const part = match[2] ?? '';
        if (!NOT_NAMES.has(part.toLowerCase())) names.add(part);
      }
    }
  }
  const namePattern = names.size ? new RegExp(`\\b(${[...names].map(escapeRegExp).join('|')})\\b(?:\\s+(${[...names].map(escapeRegExp).join('|')})\\b)*`, 'g') : null;
  const replace = (text: string, pattern: RegExp | null, placeholder: string) => {
    if (!pattern) return text;
    return text.replace(pattern, () => {
      replacements += 1;
      return placeholder;
    });
  };
  const turns = transcript.turns.map((turn) => {
    let text = turn.text;
    text = replace(text, EMAIL, '[email]');
    text = replace(text, URL, '[link]');
    text = replace(text, PHONE, '[phone]');
    text = replace(text, namePattern, '[candidate]');
    if (turn.role === 'interviewer') {
      text = text.replace(/\b(he|she|him|his|hers|himself|herself)\b/gi, (word) => {
        replacements += 1;
        const neutral = GENDERED.get(word.toLowerCase()) ?? word;
        return word[0] === word[0]?.toUpperCase() ? neutral[0]?.toUpperCase() + neutral.slice(1) : neutral;
      });
    }
    const { at: _at, engine: _engine, ...rest } = turn;
    return { ...rest, text };
  });
  return { transcript: { id: transcript.id, problem: transcript.problem, candidate: {}, turns }, replacements };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
