import { Writable } from 'node:stream';

/** Collects every line a pino logger writes, to check levels and content. */
export class LogCapture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }

  /** The parsed log lines. */
  lines(): { level: number; msg?: string }[] {
    return this.text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { level: number; msg?: string });
  }

  /** Lines at error level (50) or above. */
  errors(): { level: number; msg?: string }[] {
    return this.lines().filter((line) => line.level >= 50);
  }
}
