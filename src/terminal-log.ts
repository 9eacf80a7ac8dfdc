import { Writable } from 'node:stream';

/**
 * A pino destination for a person at a terminal: each JSON log line becomes one short readable line.
 * A request reads `GET /v1/problems 200 3 ms`; any other line reads as its message, prefixed with
 * its level from warn up, followed by its fields as `key=value`. When stdout is not a terminal the
 * server writes pino's JSON lines unchanged, for log collectors.
 */

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 40: 'warn', 50: 'error', 60: 'fatal' };
/** Fields every pino line carries; a person at a terminal does not need them. */
const OMITTED = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId']);

/** One pino JSON line as a readable line (without the newline). A line that is not JSON is passed through. */
export function formatLogLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    // Our own logger's output, not outside data: a parse failure only means the line is passed through as is.
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return line;
    record = parsed as Record<string, unknown>;
  } catch {
    return line;
  }
  if (record.msg === 'request' && typeof record.method === 'string' && typeof record.url === 'string') {
    return `${record.method} ${record.url} ${String(record.statusCode)} ${String(record.responseTime)} ms`;
  }
  const level = typeof record.level === 'number' ? LEVEL_NAMES[record.level] : undefined;
  const fields = Object.entries(record)
    .filter(([key]) => !OMITTED.has(key))
    .map(([key, value]) => `${key}=${formatValue(key, value)}`);
  const message = typeof record.msg === 'string' ? record.msg : '';
  return [level ? `${level}:` : '', message, ...fields].filter(Boolean).join(' ');
}

function formatValue(key: string, value: unknown): string {
  // pino serialises errors as { type, message, stack }: the stack is what a person debugging needs.
  if (key === 'err' && typeof value === 'object' && value !== null) {
    const error = value as { message?: unknown; stack?: unknown };
    return typeof error.stack === 'string' ? `\n${error.stack}` : String(error.message);
  }
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

/** A writable for pino that writes each line formatted for a terminal to `target`. */
export class TerminalLogDestination extends Writable {
  readonly #target: NodeJS.WritableStream;
  #pending = '';

  constructor(target: NodeJS.WritableStream) {
    super();
    this.#target = target;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    const lines = (this.#pending + chunk.toString('utf8')).split('\n');
    this.#pending = lines.pop() ?? '';
    const text = lines.filter(Boolean).map((line) => `${formatLogLine(line)}\n`).join('');
    if (text) this.#target.write(text);
    done();
  }
}
