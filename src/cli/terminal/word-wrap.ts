/**
 * Wraps text to a width at word boundaries as it streams in, so a reply written delta by delta never
 * breaks mid-word at the terminal's edge. A word is held back until the space or line end after it
 * arrives (it may still grow); only a word longer than a whole line is broken. Without a width (output
 * that is not a terminal) text passes through untouched.
 */
export class WordWrapper {
  readonly #width: number | undefined;
  #column: number;
  #word = '';
  #spaces = '';

  /** `startColumn` is where the cursor already is, after a prefix such as "interviewer> ". */
  constructor(width: number | undefined, startColumn = 0) {
    this.#width = width !== undefined && width > 0 ? width : undefined;
    this.#column = startColumn;
  }

  /** Takes the next piece of text and returns what can be printed now. */
  write(text: string): string {
    if (this.#width === undefined) return text;
    let out = '';
    for (const character of text) {
      if (character === '\n') {
        out += this.#placeWord();
        this.#spaces = '';
        this.#column = 0;
        out += '\n';
      } else if (character === ' ') {
        out += this.#placeWord();
        this.#spaces += ' ';
      } else {
        this.#word += character;
      }
    }
    return out;
  }

  /** Returns the word still held back, at the end of a message. */
  flush(): string {
    if (this.#width === undefined) return '';
    const out = this.#placeWord();
    this.#spaces = '';
    return out;
  }

  #placeWord(): string {
    const width = this.#width;
    if (this.#word === '' || width === undefined) return '';
    let word = this.#word;
    this.#word = '';
    let out = '';
    if (this.#column + this.#spaces.length + word.length <= width) {
      out = this.#spaces + word;
      this.#column += this.#spaces.length + word.length;
    } else {
      if (this.#column > 0) out = '\n';
      this.#column = 0;
      // A word longer than the line (a URL, a long identifier) can only be broken.
      while (word.length > width) {
        out += `${word.slice(0, width)}\n`;
        word = word.slice(width);
      }
      out += word;
      this.#column = word.length;
    }
    this.#spaces = '';
    return out;
  }
}
