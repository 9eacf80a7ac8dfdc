import type { SessionEvent } from '../../interview/interview-session.ts';
import { PHASE_BUDGETS } from '../../interview/phases.ts';
import { WordWrapper } from './word-wrap.ts';

const INTERVIEWER_PREFIX = 'interviewer> ';

/**
 * Puts the interview on screen: the interviewer's replies as they stream, wrapped at words to the
 * terminal's width (read again for each reply: the window may have been resized), phase changes, the
 * end, and the chat's own notes. `width` is undefined when the output is not a terminal: the text is
 * then written as it is. With `echoCandidate` (piped input, which the terminal did not echo) the
 * candidate's messages are written too, so the output reads as a conversation.
 */
export class ChatPrinter {
  readonly #out: { write(text: string): unknown };
  readonly #width: () => number | undefined;
  readonly #echoCandidate: boolean;
  #wrap: WordWrapper;
  // The text streamed so far for the reply being written, so the screen can be put right when it breaks off.
  #streamed = '';

  constructor(out: { write(text: string): unknown }, options: { width: () => number | undefined; echoCandidate: boolean }) {
    this.#out = out;
    this.#width = options.width;
    this.#echoCandidate = options.echoCandidate;
    this.#wrap = new WordWrapper(this.#width());
  }

  /** A whole interviewer turn already stored (the opening, or the last turn of a resumed interview). */
  interviewerTurn(text: string): void {
    this.startReply();
    this.#out.write(`${this.#wrap.write(text)}${this.#wrap.flush()}\n\n`);
  }

  /** Writes the "interviewer> " prefix of a reply about to stream. */
  startReply(): void {
    this.#out.write(INTERVIEWER_PREFIX);
    this.#wrap = new WordWrapper(this.#width(), INTERVIEWER_PREFIX.length);
  }

  /** Writes a note of the chat's own (a command's answer, a message not sent), wrapped like the replies. */
  note(text: string): void {
    const wrapper = new WordWrapper(this.#width());
    this.#out.write(`${wrapper.write(text)}${wrapper.flush()}\n\n`);
  }

  /** The session's event handler. */
  readonly print = (event: SessionEvent): void => {
    switch (event.type) {
      case 'interviewer.delta':
        this.#streamed += event.text;
        this.#out.write(this.#wrap.write(event.text));
        break;
      case 'interviewer.reset':
        // The model's reply broke off and the offline engine writes the turn from the start: say so on
        // screen rather than run its text on from the broken words.
        this.#out.write(`${this.#wrap.flush()}\n[${event.reason}]\n`);
        this.#wrap = new WordWrapper(this.#width());
        this.#streamed = '';
        break;
      case 'interviewer.message': {
        // The stream is a preview; the message is what was stored. A reply that came without a stream (the
        // closing when time runs out) would otherwise never reach the screen.
        this.#out.write(this.#wrap.flush());
        const streamed = this.#streamed.trim();
        if (streamed !== event.turn.text.trim()) {
          if (streamed) {
            this.#out.write('\n[the reply as stored:]\n');
            this.#wrap = new WordWrapper(this.#width());
          }
          this.#out.write(`${this.#wrap.write(event.turn.text)}${this.#wrap.flush()}`);
        }
        this.#streamed = '';
        this.#out.write('\n\n');
        break;
      }
      // Both can come while a reply is on screen: the word the wrapper holds back is written first.
      case 'phase':
        this.#out.write(`${this.#wrap.flush()}\n[phase: ${PHASE_BUDGETS[event.phase].title}]\n`);
        this.#wrap = new WordWrapper(this.#width());
        break;
      case 'ended':
        this.#out.write(`${this.#wrap.flush()}[interview ended: ${event.reason}]\n`);
        this.#wrap = new WordWrapper(this.#width());
        break;
      case 'candidate.message':
        if (this.#echoCandidate) this.#out.write(`candidate> ${event.turn.text}\n\n`);
        this.startReply();
        break;
      default: {
        const unreachable: never = event;
        throw new Error(`unknown event ${JSON.stringify(unreachable)}`);
      }
    }
  };
}
