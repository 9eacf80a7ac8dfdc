import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InterviewState } from '../../src/interview/interview-state.ts';
import { PROJECT_ROOT } from '../../src/resources.ts';

/**
 * The terminal chat in a real terminal: util-linux `script` gives `node src/cli/chat.ts` a
 * pseudo-terminal 60 columns wide, and the test types into it as a person (or their terminal's
 * bracketed paste) would, waiting for each prompt before typing on.
 */

const CHAT = join(PROJECT_ROOT, 'src', 'cli', 'chat.ts');
const scratch = mkdtempSync(join(tmpdir(), 'chat-terminal-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
const COLUMNS = 60;

class Terminal {
  readonly #child: ChildProcessWithoutNullStreams;
  #screen = '';
  readonly exited: Promise<number | null>;

  constructor(args: readonly string[]) {
    const command = `stty cols ${COLUMNS} rows 40; exec ${[process.execPath, CHAT, ...args].map(quote).join(' ')}`;
    this.#child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: scratch,
      env: { PATH: process.env.PATH ?? '', HOME: scratch, DATA_DIR: join(scratch, 'data'), LLM_PROVIDER: 'offline', LOG_LEVEL: 'warn', TERM: 'xterm' },
    });
    this.#child.stdout.on('data', (chunk: Buffer) => (this.#screen += chunk.toString()));
    this.exited = new Promise((resolve) => this.#child.on('close', resolve));
  }

  /** Everything written to the terminal, control sequences included. */
  get raw(): string {
    return this.#screen;
  }

  /** What the terminal showed, with the cursor-control sequences taken out and line ends as \n. */
  get text(): string {
    // eslint-disable-next-line no-control-regex
    return this.#screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r+\n/g, '\n');
  }

  /** Waits until the nth prompt is on screen. */
  async prompt(count: number): Promise<void> {
    const deadline = Date.now() + 15_000;
    while ((this.text.match(/you \[[^\]]+\]> /g) ?? []).length < count) {
      if (Date.now() > deadline) throw new Error(`prompt ${count} never came; screen:\n${this.text}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  type(keys: string): void {
    this.#child.stdin.write(keys);
  }

  close(): void {
    this.#child.stdin.end();
  }
}

describe('chat CLI in a terminal', { timeout: 40_000 }, () => {
  it('sends a paste as one message, wraps replies to the width, shows the phase clock in the prompt, and turns bracketed paste off at the end', async () => {
    const transcript = join(scratch, 'tty.json');
    const terminal = new Terminal(['--problem', 'fraud-detection', '--transcript', transcript, '--no-evaluate']);
    await terminal.prompt(1);
    // A terminal with bracketed paste on marks the pasted text; its line breaks arrive as Enter keys.
    terminal.type('\x1b[200~How many transactions per second at peak?\rAnd how many of them are fraud?\x1b[201~\r');
    await terminal.prompt(2);
    terminal.type('/status\r');
    await terminal.prompt(3);
    terminal.type('/quit\r');
    // Waits for the chat to finish before closing its input, so the end comes from /quit.
    const deadline = Date.now() + 15_000;
    while (!terminal.text.includes('Score it with:') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    terminal.close();
    await terminal.exited;

    const state = InterviewState.parse(JSON.parse(readFileSync(join(scratch, 'tty.state.json'), 'utf8')));
    expect(state.turns.filter((turn) => turn.role === 'candidate').map((turn) => turn.text)).toEqual(['How many transactions per second at peak?\nAnd how many of them are fraud?']);
    expect(state).toMatchObject({ ended: true, endReason: 'candidate_ended' });

    const screen = terminal.text;
    const flowing = screen.replace(/\s+/g, ' ');
    expect(screen).toContain('you [Problem exploration 0/20 min]> ');
    expect(flowing).toContain('Phase 1 of 5: Problem exploration, 0 of 20 min, 1 of at most 10 answers.');
    // Lines break only between words: each reply reads whole once the line breaks are spaces again.
    const replies = state.turns.filter((turn) => turn.role === 'interviewer');
    expect(replies).toHaveLength(2);
    for (const reply of replies) expect(flowing).toContain(reply.text.replace(/\s+/g, ' '));
    // ...and within the width, apart from the header and footer lines that name file paths, and the candidate's own
    // typing, which readline echoes and the terminal itself wraps.
    const tooWide = screen.split('\n').filter((line) => line.length > COLUMNS && !/^(mlsd-interviewer|Transcript|Score it with|you \[)/.test(line));
    expect(tooWide).toEqual([]);
    expect(screen.split('\n').some((line) => line.length > COLUMNS - 15)).toBe(true);
    expect(terminal.raw).toContain('\x1b[?2004h');
    expect(terminal.raw.lastIndexOf('\x1b[?2004l')).toBeGreaterThan(terminal.raw.lastIndexOf('\x1b[?2004h'));
  });

  it('ends the interview at Ctrl-C without sending the half-typed line, on a line of its own, and wraps the scorecard', async () => {
    const transcript = join(scratch, 'ctrl-c.json');
    const terminal = new Terminal(['--problem', 'eta-prediction', '--transcript', transcript]);
    await terminal.prompt(1);
    terminal.type('How many orders');
    terminal.type('\x03');
    const deadline = Date.now() + 15_000;
    while (!terminal.text.includes('Full report with evidence') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    terminal.close();
    await terminal.exited;
    const state = InterviewState.parse(JSON.parse(readFileSync(join(scratch, 'ctrl-c.state.json'), 'utf8')));
    const summary = terminal.text.slice(terminal.text.indexOf('Recommendation:'), terminal.text.indexOf('Full report with evidence'));
    expect(summary).toContain('Feedback:');
    expect(summary.split('\n').filter((line) => line.length > COLUMNS)).toEqual([]);
    expect(summary).toMatch(/\n {2}Technical Depth +\w+/);
    expect(state.turns.map((turn) => turn.role)).toEqual(['interviewer']);
    expect(state).toMatchObject({ ended: true, endReason: 'candidate_ended' });
    expect(terminal.text).toMatch(/> How many orders\n\[interview ended: candidate_ended\]\n/);
  });
});
