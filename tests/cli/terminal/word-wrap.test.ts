import { describe, expect, it } from 'vitest';
import { WordWrapper } from '../../../src/cli/terminal/word-wrap.ts';

const REPLY = 'About 100 million card transactions a day, peaking around 5,000 per second on weekday evenings.\n\nWhat else would you want to know before you start designing?';

function wrapAll(text: string, width: number | undefined, chunks: readonly number[], startColumn = 0): string {
  const wrapper = new WordWrapper(width, startColumn);
  let out = '';
  let at = 0;
  for (const size of chunks) {
    out += wrapper.write(text.slice(at, at + size));
    at += size;
  }
  return out + wrapper.write(text.slice(at)) + wrapper.flush();
}

describe('WordWrapper', () => {
  it('breaks lines only between words, within the width, keeping every word and paragraph', () => {
    const out = wrapAll(REPLY, 30, []);
    const lines = out.split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(30);
    expect(lines).toContain('');
    expect(out.split(/\s+/)).toEqual(REPLY.split(/\s+/));
    expect(out).toContain('About 100 million card\ntransactions a day, peaking');
  });

  it('gives the same lines however the stream is cut into deltas', () => {
    const whole = wrapAll(REPLY, 24, []);
    expect(wrapAll(REPLY, 24, [1, 2, 3, 5, 8, 13, 21, 34])).toBe(whole);
    expect(wrapAll(REPLY, 24, Array.from({ length: REPLY.length }, () => 1))).toBe(whole);
  });

  it('counts the prefix already on the first line', () => {
    const out = wrapAll('How would you frame this problem?', 20, [], 'interviewer> '.length);
    expect(out).toBe('How\nwould you frame this\nproblem?');
  });

  it('breaks a word longer than a whole line, and only that word', () => {
    expect(wrapAll('see https://example.com/a/very/long/path now', 10, [])).toBe('see\nhttps://ex\nample.com/\na/very/lon\ng/path now');
  });

  it('passes text through untouched without a width (output that is not a terminal)', () => {
    expect(wrapAll(REPLY, undefined, [7, 7])).toBe(REPLY);
    expect(wrapAll(REPLY, 0, [])).toBe(REPLY);
  });
});
