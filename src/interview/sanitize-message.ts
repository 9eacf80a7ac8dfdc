import { InvalidInputError } from '../errors.ts';

// C0 and C1 control characters except tab and newline, plus zero-width and bidi overrides that can hide text.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/**
 * Cleans a candidate's message: strips control characters, normalises line endings and Unicode form,
 * trims. Rejects an empty message or one over the limit with a clear error, leaving nothing half-stored.
 */
export function sanitizeCandidateText(text: unknown, maxChars: number): string {
  if (typeof text !== 'string') throw new InvalidInputError('message_invalid', 'the message must be text');
  const cleaned = text.normalize('NFC').replace(/\r\n?/g, '\n').replace(CONTROL, '').replace(/\n{4,}/g, '\n\n\n').trim();
  if (cleaned.length === 0) throw new InvalidInputError('message_empty', 'the message is empty');
  if (cleaned.length > maxChars) throw new InvalidInputError('message_too_long', `the message is ${cleaned.length} characters; the limit is ${maxChars}. Split it into shorter messages.`);
  return cleaned;
}
