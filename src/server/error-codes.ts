import { AppError } from '../errors.ts';

/** Every error code the server sends, with its HTTP status and what it means. docs/errors.md lists the same table. */
export const ERROR_CODES = {
  request_invalid: { status: 400, meaning: 'The request body or parameters do not match the schema.' },
  request_malformed: { status: 400, meaning: 'The request is not valid HTTP.' },
  url_invalid: { status: 400, meaning: 'The URL is not validly percent-encoded.' },
  request_timeout: { status: 408, meaning: 'The request was not received within the request timeout.' },
  request_too_large: { status: 413, meaning: 'The request body is over 64 KiB.' },
  media_type_unsupported: { status: 415, meaning: 'The request body is not application/json.' },
  headers_too_large: { status: 431, meaning: 'The request headers are over the size Node accepts.' },
  too_many_connections: { status: 429, meaning: 'This address has MAX_CONNECTIONS_PER_ADDRESS connections open; only /healthz is answered on more.' },
  server_busy: { status: 503, meaning: 'The server has MAX_CONNECTIONS connections open; the new connection is closed.' },
  problem_unknown: { status: 400, meaning: 'No problem with that id.' },
  message_empty: { status: 400, meaning: 'The candidate message is empty after removing control characters.' },
  message_invalid: { status: 400, meaning: 'The candidate message is not text.' },
  message_too_long: { status: 413, meaning: 'The candidate message is longer than MAX_MESSAGE_CHARS.' },
  token_missing: { status: 401, meaning: 'No bearer token was given.' },
  token_invalid: { status: 403, meaning: 'The token does not belong to this session.' },
  session_not_found: { status: 404, meaning: 'No session with that id.' },
  interview_ended: { status: 409, meaning: 'The interview has ended; no more messages are accepted.' },
  turn_in_progress: { status: 409, meaning: 'The interviewer is still answering.' },
  phase_transition_refused: { status: 409, meaning: 'The phase machine refused a transition.' },
  rate_limited: { status: 429, meaning: 'Too many sessions created from this address; retry later.' },
  sessions_exhausted: { status: 503, meaning: 'MAX_ACTIVE_SESSIONS interviews are under way; no new session is created until some end or go quiet.' },
  evaluation_failed: { status: 502, meaning: 'The evaluation failed after its retries.' },
  provider_failed: { status: 502, meaning: 'The LLM provider failed.' },
  model_output_invalid: { status: 502, meaning: 'The model returned output that does not fit the schema.' },
  config_invalid: { status: 500, meaning: 'The server is misconfigured.' },
  data_dir_in_use: { status: 500, meaning: 'Start-up: another server holds DATA_DIR (its lock file names the pid); the server exits with status 2.' },
  file_invalid: { status: 500, meaning: 'A stored file or row does not match its schema.' },
  internal_error: { status: 500, meaning: 'An unexpected error; the log has details.' },
  frame_binary: { status: 400, meaning: 'Websocket: binary frames are not supported; send JSON text frames.' },
  frame_too_large: { status: 413, meaning: 'Websocket: the frame is larger than the limit.' },
  frame_invalid_json: { status: 400, meaning: 'Websocket: the frame is not valid JSON.' },
  frame_unknown_type: { status: 400, meaning: 'Websocket: the frame type is not one the protocol defines.' },
  frame_invalid: { status: 400, meaning: 'Websocket: the frame does not match the schema of its type.' },
  frame_too_deep: { status: 400, meaning: 'Websocket: the frame nests arrays or objects deeper than 32 levels.' },
  frame_rate_limited: { status: 429, meaning: 'Websocket: more frames than the per-connection rate; the frame was dropped. Persistent excess closes the connection (4429).' },
  client_msg_id_conflict: { status: 409, meaning: 'Websocket: the clientMsgId was already used for a different message text; the new message was not applied.' },
  hello_required: { status: 400, meaning: 'Websocket: the first frame must be hello.' },
  origin_forbidden: { status: 403, meaning: 'Websocket: the page origin is not allowed.' },
  server_shutting_down: { status: 503, meaning: 'The server is shutting down; reconnect shortly.' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function statusFor(code: string): number {
  return (ERROR_CODES as Record<string, { status: number }>)[code]?.status ?? 500;
}

const SERVER_SIDE_CODES: ReadonlySet<string> = new Set(['file_invalid', 'config_invalid', 'internal_error']);

/** The code and message safe to show a client; unexpected errors hide their details. */
export function publicError(error: unknown): { code: string; message: string } {
  // These messages name server files and configuration: the client gets the code, the log the details.
  if (error instanceof AppError && SERVER_SIDE_CODES.has(error.code)) return { code: error.code, message: 'the server could not read its own data or configuration; the log has details' };
  if (error instanceof AppError) return { code: error.code, message: error.message };
  return { code: 'internal_error', message: 'an unexpected error occurred' };
}
