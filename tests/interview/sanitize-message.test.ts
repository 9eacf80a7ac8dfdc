import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.ts';
import { sanitizeCandidateText } from '../../src/interview/sanitize-message.ts';

const LIMIT = 8000;

function rejection(text: unknown, limit = LIMIT): InvalidInputError {
  try {
    sanitizeCandidateText(text, limit);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error('the message was accepted');
}

describe('sanitizeCandidateText', () => {
  it('keeps ordinary text, trimmed', () => {
    expect(sanitizeCandidateText('  How many transactions per second at peak?\n', LIMIT)).toBe('How many transactions per second at peak?');
  });

  it.each(['', '   ', '\n\n\t  \r\n', '\u200B\u200B', '\u0000\u0007'])('rejects an empty or whitespace-only message %j with message_empty', (text) => {
    const error = rejection(text);
    expect(error.code).toBe('message_empty');
    expect(error.message).toBe('the message is empty');
  });

  it('strips C0 and C1 control characters, keeping tabs and newlines', () => {
    expect(sanitizeCandidateText('fea\u0000tures\u0007 and\u001B[31m labels\u0085\tthen\nserving\u007F', LIMIT)).toBe('features and[31m labels\tthen\nserving');
  });

  it('strips zero-width characters and bidi overrides that could hide text', () => {
    expect(sanitizeCandidateText('use\u200B a\u202E feature\u2066 store\uFEFF', LIMIT)).toBe('use a feature store');
  });

  it('normalises line endings and collapses long runs of blank lines', () => {
    expect(sanitizeCandidateText('one\r\ntwo\rthree\n\n\n\n\n\nfour', LIMIT)).toBe('one\ntwo\nthree\n\n\nfour');
  });

  it('normalises to NFC so equal text compares equal', () => {
    expect(sanitizeCandidateText('cafe\u0301', LIMIT)).toBe('caf\u00E9');
  });

  it('rejects a 100 KB message with message_too_long and says the limit', () => {
    const error = rejection('a'.repeat(100 * 1024));
    expect(error.code).toBe('message_too_long');
    expect(error.message).toContain(`the limit is ${LIMIT}`);
    expect(error.message).toContain(String(100 * 1024));
  });

  it('measures the limit after cleaning, so the exact limit passes and one more character fails', () => {
    expect(sanitizeCandidateText(`${'b'.repeat(LIMIT)}\u0000\u0000   `, LIMIT)).toHaveLength(LIMIT);
    expect(rejection('b'.repeat(LIMIT + 1)).code).toBe('message_too_long');
  });

  it.each([undefined, null, 42, { text: 'hi' }, ['hi']])('rejects a non-string message %j with message_invalid', (value) => {
    const error = rejection(value);
    expect(error.code).toBe('message_invalid');
  });
});
