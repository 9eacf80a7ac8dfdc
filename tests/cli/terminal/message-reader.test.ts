import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readMessages } from '../../../src/cli/terminal/message-reader.ts';

/** A real readline interface in terminal mode over streams that say they are a TTY. */
function terminal(): { input: PassThrough; messages: AsyncIterableIterator<string>; close: () => void } {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
  output.resume();
  const lines = createInterface({ input, output, terminal: true });
  return { input, messages: readMessages(lines, input), close: () => lines.close() };
}

async function take(messages: AsyncIterableIterator<string>, count: number): Promise<string[]> {
  const taken: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const next = await messages.next();
    if (next.done) break;
    taken.push(next.value);
  }
  return taken;
}

describe('readMessages', () => {
  it('sends a bracketed paste of several lines as one message, with what is typed after it before Enter', async () => {
    const { input, messages, close } = terminal();
    input.write('A short question?\r');
    input.write('\x1b[200~First, the framing.\rSecond, the data.\r\rThird, after a blank line.\x1b[201~ And one typed word.\r');
    input.write('Next message.\r');
    expect(await take(messages, 3)).toEqual(['A short question?', 'First, the framing.\nSecond, the data.\n\nThird, after a blank line. And one typed word.', 'Next message.']);
    close();
  });

  it('holds a paste that ends with a line break until Enter, and keeps each typed line its own message', async () => {
    const { input, messages, close } = terminal();
    input.write('\x1b[200~line one\rline two\r\x1b[201~');
    input.write('\r');
    input.write('typed one\rtyped two\r');
    expect(await take(messages, 3)).toEqual(['line one\nline two\n', 'typed one', 'typed two']);
    close();
  });

  it('keeps a paste cut short by the end of input, and then ends', async () => {
    const { input, messages, close } = terminal();
    input.write('\x1b[200~only line\r');
    close();
    expect(await take(messages, 2)).toEqual(['only line']);
    expect((await messages.next()).done).toBe(true);
  });

  it('reads each line of piped input as one message, as documented', async () => {
    const input = new PassThrough();
    const lines = createInterface({ input, terminal: false });
    const messages = readMessages(lines, input);
    input.end('one\ntwo\nthree\n');
    expect(await take(messages, 4)).toEqual(['one', 'two', 'three']);
  });
});
