import { describe, expect, it } from 'vitest';
import { jsonDepthExceeds } from '../../src/server/frame-depth.ts';

describe('jsonDepthExceeds', () => {
  it('counts nesting of arrays and objects, not brackets inside strings', () => {
    expect(jsonDepthExceeds('{"a":[1,{"b":2}]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[1,{"b":[2]}]}', 3)).toBe(true);
    expect(jsonDepthExceeds(JSON.stringify({ text: '[[[[[[[[{{{{{{' }), 1)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify({ text: 'a \\" [[[[' }), 1)).toBe(false);
    expect(jsonDepthExceeds('['.repeat(4388) + ']'.repeat(4388), 32)).toBe(true);
  });
});
