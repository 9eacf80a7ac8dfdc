/**
 * The figures a text states, as "value unit" strings, whether written in digits or in words: "300
 * candidates" and "three hundred candidates" are both "300 candidate", "25 ms" and "twenty-five
 * milliseconds" both "25 ms". Used to check that what the interviewer model can see of a problem card
 * states none of the figures its hidden facts hold. The unit keeps small counts that any text uses ("a
 * two-minute summary") from matching a fact about something else ("2 weeks"); 0 and 1 ("one") never are.
 */
const ONES: Readonly<Record<string, number>> = {
  two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, thirteen: 13,
  fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Readonly<Record<string, number>> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const WORDS = String.raw`(?:(?:${Object.keys(TENS).join('|')})(?:-(?:${Object.keys(ONES).slice(0, 8).join('|')}))?|${Object.keys(ONES).join('|')})(?:\s+hundred)?`;
// A number in digits (not part of a name such as p99 or BM25) or in words, then its unit.
const FIGURE = new RegExp(String.raw`(?:(?<![\w.,])(\d+(?:,\d{3})*(?:\.\d+)?)|\b(${WORDS})\b)\s*(%|[-\s]?[a-z]+)?`, 'gi');

const UNITS: readonly [RegExp, string][] = [
  [/^(ms|milliseconds?)$/, 'ms'],
  [/^(s|secs?|seconds?)$/, 's'],
  [/^(mins?|minutes?)$/, 'min'],
  [/^(h|hrs?|hours?)$/, 'h'],
  [/^(%|percent|per)$/, '%'],
  [/^(k|thousands?)$/, 'thousand'],
  [/^(m|millions?)$/, 'million'],
  [/^(b|bn|billions?)$/, 'billion'],
  [/^(x|times|fold)$/, 'times'],
];

function unitOf(raw: string | undefined): string {
  const word = (raw ?? '').replace(/^[-\s]/, '').toLowerCase();
  for (const [pattern, unit] of UNITS) if (pattern.test(word)) return unit;
  return word.replace(/(?<=[a-z]{3})s$/, '');
}

function valueOfWords(words: string): number {
  const [word = '', hundred] = words.toLowerCase().split(/\s+/);
  const [tens = '', ones] = word.split('-');
  const value = (TENS[tens] ?? ONES[tens] ?? 0) + (ones ? (ONES[ones] ?? 0) : 0);
  return hundred ? value * 100 : value;
}

export function figuresIn(text: string): Set<string> {
  const figures = new Set<string>();
  for (const match of text.matchAll(FIGURE)) {
    const value = match[1] !== undefined ? Number(match[1].replace(/,/g, '')) : valueOfWords(match[2] ?? '');
    if (value === 0 || value === 1) continue;
    figures.add(`${value} ${unitOf(match[3])}`);
  }
  return figures;
}
