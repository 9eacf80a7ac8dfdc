import type { EventEmitter } from 'node:events';
import type { Interface } from 'node:readline';

/**
 * The candidate's messages from a readline interface, one per line, except that a block pasted into a
 * terminal with bracketed paste on is one message: the lines readline reports between the terminal's
 * paste-start and paste-end marks are held and sent with the line the candidate finishes with Enter.
 * (Piped input has no marks, so there each line stays one message, as documented.) Lines that arrive
 * while the caller is still busy wait in a queue, so none is lost.
 */
export function readMessages(lines: Interface, input: EventEmitter): AsyncIterableIterator<string> {
  const ready: string[] = [];
  const waiting: ((result: IteratorResult<string>) => void)[] = [];
  let pasted: string[] = [];
  let pasting = false;
  let closed = false;
  const push = (message: string) => {
    const take = waiting.shift();
    if (take) take({ value: message, done: false });
    else ready.push(message);
  };
  // readline listens to the same keypress events first; it ignores the paste marks, so the flag is set
  // before the first pasted line is reported and cleared after the last.
  input.on('keypress', (_text: string | undefined, key: { name?: string } | undefined) => {
    if (key?.name === 'paste-start') pasting = true;
    else if (key?.name === 'paste-end') pasting = false;
  });
  lines.on('line', (line: string) => {
    if (pasting) {
      pasted.push(line);
      return;
    }
    const message = pasted.length > 0 ? [...pasted, line].join('\n') : line;
    pasted = [];
    push(message);
  });
  lines.on('close', () => {
    closed = true;
    if (pasted.length > 0) push(pasted.join('\n'));
    pasted = [];
    for (const take of waiting.splice(0)) take({ value: undefined, done: true });
  });
  const iterator: AsyncIterableIterator<string> = {
    next: () => {
      const message = ready.shift();
      if (message !== undefined) return Promise.resolve({ value: message, done: false });
      if (closed) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => waiting.push(resolve));
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** Turns the terminal's bracketed paste mode on; the returned function turns it off again. */
export function enableBracketedPaste(output: NodeJS.WriteStream): () => void {
  output.write('\x1b[?2004h');
  let on = true;
  const off = () => {
    if (!on) return;
    on = false;
    output.write('\x1b[?2004l');
  };
  process.once('exit', off);
  return off;
}
