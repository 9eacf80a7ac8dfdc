import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { saveInterview } from '../../src/interview/interview-file.ts';
import { InterviewSession } from '../../src/interview/interview-session.ts';
import { InterviewState } from '../../src/interview/interview-state.ts';
import { createLogger } from '../../src/logger.ts';
import { OfflineInterviewer } from '../../src/offline/offline-interviewer.ts';
import { PHRASES } from '../../src/offline/phrases.ts';
import { PROJECT_ROOT, loadResources } from '../../src/resources.ts';
import { Transcript } from '../../src/transcript/transcript.ts';

/**
 * The terminal chat end to end: a real `node src/cli/chat.ts` process with stdin piped, in a temporary
 * working directory (so no .env is read) and an environment with no API keys. Every run is preloaded
 * with a module that kills the process on any network access.
 */

const CHAT = join(PROJECT_ROOT, 'src', 'cli', 'chat.ts');
const FRAUD_26 = readFileSync(join(PROJECT_ROOT, 'tests', 'fixtures', 'candidates', 'fraud-26.txt'), 'utf8');
const ROOT = mkdtempSync(join(tmpdir(), 'mlsd-chat-'));
const NO_NETWORK = join(ROOT, 'no-network.mjs');
writeFileSync(
  NO_NETWORK,
  `import net from 'node:net';
const refuse = (what) => { process.stderr.write('network access attempted: ' + what + '\\n'); process.exit(3); };
globalThis.fetch = () => refuse('fetch');
net.Socket.prototype.connect = function () { refuse('socket'); };
`,
);
const { guide, problems } = loadResources();

afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

let runs = 0;
function workDir(): string {
  runs += 1;
  const directory = join(ROOT, `run-${runs}`);
  return mkdtempSync(`${directory}-`);
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function chat(args: readonly string[], options: { cwd: string; stdin?: string; env?: Record<string, string>; allowNetwork?: boolean }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const preload = options.allowNetwork ? [] : ['--import', pathToFileURL(NO_NETWORK).href];
    const child = spawn(process.execPath, [...preload, CHAT, ...args], {
      cwd: options.cwd,
      // Only what the chat needs: no API keys, no NODE_OPTIONS, no LLM_PROVIDER from the developer's shell.
      env: { PATH: process.env.PATH ?? '', HOME: options.cwd, DATA_DIR: join(options.cwd, 'data'), LOG_LEVEL: 'warn', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

function transcriptsIn(directory: string): string[] {
  const folder = join(directory, 'data', 'transcripts');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json') && !name.endsWith('.state.json'))
    .map((name) => join(folder, name));
}

function readTranscript(path: string): Transcript {
  return Transcript.parse(JSON.parse(readFileSync(path, 'utf8')));
}

function readState(path: string): InterviewState {
  return InterviewState.parse(JSON.parse(readFileSync(path, 'utf8')));
}

// Each run starts a Node process; under a loaded machine that can take seconds, hence the generous timeout.
describe.concurrent('chat CLI', { timeout: 20_000 }, () => {
  it('runs the 26-message fraud candidate offline to the wrap-up and writes a valid transcript', async () => {
    const cwd = workDir();
    const run = await chat(['--problem', 'fraud-detection'], { cwd, stdin: FRAUD_26, env: { LLM_PROVIDER: 'offline' } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [path, ...others] = transcriptsIn(cwd);
    if (!path) throw new Error(`no transcript written; stdout:\n${run.stdout}`);
    expect(others).toEqual([]);
    const transcript = readTranscript(path);
    expect(transcript.problem).toBe('fraud-detection');
    // The file is named by the transcript's id, which says when the interview began.
    expect(basename(path)).toBe(`${transcript.id}.json`);
    expect(transcript.id).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-[0-9a-f]{6}$/);
    expect(transcript.turns.at(-1)?.phase).toBe('wrap_up');
    expect(new Set(transcript.turns.map((turn) => turn.phase))).toEqual(new Set(['problem_exploration', 'high_level_design', 'deep_dive', 'tradeoffs', 'wrap_up']));
    const lines = FRAUD_26.trim().split('\n');
    const candidateTurns = transcript.turns.filter((turn) => turn.role === 'candidate');
    expect(candidateTurns.map((turn) => turn.text)).toEqual(lines.slice(0, candidateTurns.length));

    const state = readState(path.replace(/\.json$/, '.state.json'));
    expect(state).toMatchObject({ ended: true, endReason: 'completed', phase: 'wrap_up' });
    expect(state.turns).toEqual(transcript.turns);
    expect(run.stdout).toContain('[interview ended: completed]');
    expect(run.stdout).toContain(`Transcript written to ${path} (${transcript.turns.length} turns, last phase wrap_up)`);

    // The candidate gets the scorecard at the end: a summary on screen and the full report beside the transcript.
    expect(run.stdout).toMatch(/Recommendation: (Strong hire|Hire|No hire|Strong no hire|Insufficient evidence) \(advice: a person decides\)/);
    expect(run.stdout).toContain('Technical Depth');
    const reportPath = path.replace(/\.json$/, '.report.html');
    expect(run.stdout).toContain(`Full report with evidence linked to the transcript: ${reportPath}`);
    const report = readFileSync(reportPath, 'utf8');
    const links = [...report.matchAll(/href="#turn-(\d+)"/g)].map((match) => match[1]);
    expect(links.length).toBeGreaterThan(0);
    for (const id of links) expect(report).toContain(`id="turn-${id}"`);
    expect(report).toContain(transcript.id);
  });

  it('acts on /help, /status and an unknown command itself, holds a bare "quit" once, and ends at /quit', async () => {
    const cwd = workDir();
    const transcript = join(cwd, 'commands.json');
    const stdin = ['How many transactions per second at peak?', '/help', '/status', '/stauts', 'quit', 'quit', '/predict takes 40 ms, and the rest is queueing.', '/quit', 'This line comes after the end.'].join('\n');
    const run = await chat(['--problem', 'fraud-detection', '--transcript', transcript, '--no-evaluate'], { cwd, stdin: `${stdin}\n`, env: { LLM_PROVIDER: 'offline' } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const state = readState(join(cwd, 'commands.state.json'));
    // Only answers reach the interviewer: the commands do not, and "quit" only when sent a second time.
    expect(state.turns.filter((turn) => turn.role === 'candidate').map((turn) => turn.text)).toEqual(['How many transactions per second at peak?', 'quit', '/predict takes 40 ms, and the rest is queueing.']);
    expect(state).toMatchObject({ ended: true, endReason: 'candidate_ended' });
    expect(run.stdout).toContain('candidate> /help\nCommands (typed alone on a line; anything else is your answer):\n  /status');
    expect(run.stdout).toMatch(/candidate> \/status\nPhase 1 of 5: Problem exploration, 0 of 20 min, 1 of at most 10 answers\. Interview so far: 0 min, 3 turns\.\n/);
    expect(run.stdout).toContain('candidate> /stauts\n[/stauts is not a command and was not sent; /help lists the commands]');
    expect(run.stdout).toContain('candidate> quit\n[not sent: to end the interview type /quit (or /end); to give "quit" as your answer, send it again]');
    expect(run.stdout).toContain('candidate> /quit\n[interview ended: candidate_ended]');
    expect(run.stdout).not.toContain('This line comes after the end.');
  });

  it('ends at /end and scores the interview, as documented', async () => {
    const cwd = workDir();
    const run = await chat(['--problem', 'eta-prediction'], { cwd, stdin: 'How many orders a day?\n/end\nNot sent.\n', env: { LLM_PROVIDER: 'offline' } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [path] = transcriptsIn(cwd);
    if (!path) throw new Error(`no transcript written; stdout:\n${run.stdout}`);
    expect(readTranscript(path).turns.map((turn) => turn.role)).toEqual(['interviewer', 'candidate', 'interviewer']);
    expect(readState(path.replace(/\.json$/, '.state.json'))).toMatchObject({ ended: true, endReason: 'candidate_ended' });
    expect(run.stdout).toContain('candidate> /end\n[interview ended: candidate_ended]');
    expect(run.stdout).toMatch(/Recommendation: (Strong hire|Hire|No hire|Strong no hire|Insufficient evidence) \(advice: a person decides\)/);
  });

  it('continues a transcript cut in the middle with --resume, keeping every earlier turn', async () => {
    const cwd = workDir();
    const full = Transcript.parse(JSON.parse(readFileSync(join(PROJECT_ROOT, 'evals', 'datasets', 'labelled', 'fraud-strong.json'), 'utf8')));
    const cut = { ...full, turns: full.turns.slice(0, 9) };
    expect(cut.turns.at(-1)?.role).toBe('interviewer');
    const path = join(cwd, 'cut.json');
    writeFileSync(path, JSON.stringify(cut));

    const run = await chat(['--resume', path], { cwd, stdin: 'What fraud rate should I assume?\nI would start with a gradient boosted tree model.\n', env: { LLM_PROVIDER: 'offline' } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const resumed = readTranscript(path);
    expect(resumed.id).toBe(full.id);
    expect(resumed.turns.slice(0, 9)).toEqual(cut.turns);
    expect(resumed.turns.slice(9).map((turn) => [turn.role, turn.text])).toEqual([
      ['candidate', 'What fraud rate should I assume?'],
      ['interviewer', expect.stringContaining('0.1% of transactions')],
      ['candidate', 'I would start with a gradient boosted tree model.'],
      ['interviewer', expect.any(String)],
    ]);
    expect(readState(join(cwd, 'cut.state.json'))).toMatchObject({ ended: true, endReason: 'candidate_ended' });
    expect(transcriptsIn(cwd)).toEqual([]);
  });

  it('resumes from a state file whose last candidate turn was never answered: answers it, then reads on, keeping the state file', async () => {
    const cwd = workDir();
    const card = problems.get('eta-prediction');
    if (!card) throw new Error('no eta card');
    // The state a crash between storing the candidate's message and the reply leaves behind.
    const clock = { now: Date.parse('2025-03-01T09:00:00.000Z') };
    const session = InterviewSession.start(
      { problem: card, engine: new OfflineInterviewer([]), fallback: new OfflineInterviewer([]), clock: () => new Date((clock.now += 30_000)), clockScale: 2, maxMessageChars: 8000, logger: createLogger('silent') },
      { id: 'crashed-interview' },
    );
    await session.candidateSays('How many orders per day do we handle?', () => {});
    const crashed: InterviewState = { ...session.state, turns: [...session.state.turns, { id: 4, role: 'candidate', phase: session.state.phase, text: "What's the latency budget for an ETA?" }] };
    const statePath = join(cwd, 'eta.state.json');
    saveInterview(join(cwd, 'eta.json'), crashed);

    const run = await chat(['--resume', statePath], { cwd, stdin: 'Thanks, that helps.\n', env: { LLM_PROVIDER: 'offline' } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const state = readState(statePath);
    expect(state.turns.map((turn) => turn.role)).toEqual(['interviewer', 'candidate', 'interviewer', 'candidate', 'interviewer', 'candidate', 'interviewer']);
    expect(state.turns[5]?.text).toBe('Thanks, that helps.');
    expect(state.revealedFacts.map((entry) => entry.factId)).toEqual(['order-volume', 'eta-latency']);
    expect(state.revealedFacts[1]?.turnId).toBe(5);
    expect(state).toMatchObject({ id: 'crashed-interview', ended: true, endReason: 'candidate_ended' });
    expect(readTranscript(join(cwd, 'eta.json')).turns).toEqual(state.turns);
  });

  it.each([
    ['openai', {}],
    ['anthropic', {}],
    ['openai-compatible', { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', INTERVIEWER_MODEL: 'llama3.1:8b' }],
  ] as const)('prints the %s request with --dump-request, without a key and without any network', async (providerName, env) => {
    const cwd = workDir();
    const run = await chat(['--dump-request', '--provider', providerName, '--problem', 'fraud-detection'], { cwd, env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const dump = JSON.parse(run.stdout) as { provider: string; request: Record<string, unknown> };
    expect(dump.provider).toBe(providerName);
    const request = dump.request;
    const card = problems.get('fraud-detection');
    if (!card) throw new Error('no fraud card');
    if (providerName === 'anthropic') {
      const system = request.system as { text: string; cache_control?: unknown }[];
      expect(system[0]?.text).toBe(guide.text);
      expect(system[1]?.cache_control).toEqual({ type: 'ephemeral' });
      expect((request.tools as { name: string }[]).map((tool) => tool.name)).toEqual(['reveal_fact', 'note_evidence', 'flag_integrity', 'advance_phase', 'end_interview']);
      expect(request.model).toBe('claude-sonnet-4-6');
    } else {
      const messages = request.messages as { role: string; content: string }[];
      expect(messages[0]?.role).toBe('system');
      expect(messages[0]?.content.startsWith(guide.text)).toBe(true);
      expect((request.tools as { function: { name: string } }[]).map((tool) => tool.function.name)).toEqual(['reveal_fact', 'note_evidence', 'flag_integrity', 'advance_phase', 'end_interview']);
      expect(request.model).toBe(providerName === 'openai' ? 'gpt-5.1' : 'llama3.1:8b');
      expect(request[providerName === 'openai' ? 'max_completion_tokens' : 'max_tokens']).toBe(4096);
    }
    expect(request.stream).toBe(true);
    for (const fact of card.facts) expect(run.stdout).not.toContain(JSON.stringify(fact.answer).slice(1, -1));
    expect(transcriptsIn(cwd)).toEqual([]);
  });

  it('shows the stored reply when the provider fails mid-stream and the offline engine answers instead', async () => {
    const cwd = workDir();
    // A local stand-in for an OpenAI-compatible server whose stream breaks after a few words.
    const requests: string[] = [];
    const server = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(readFileSync(join(PROJECT_ROOT, 'tests', 'fixtures', 'openai', 'stream-error.chunks.txt')));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const transcript = join(cwd, 'fallback.json');
      // --no-evaluate: this test is about the interview turn; scoring at the end is tested on its own.
      const run = await chat(['--problem', 'fraud-detection', '--transcript', transcript, '--no-evaluate'], {
        cwd,
        stdin: 'How many transactions per second at peak?\n',
        env: { LLM_PROVIDER: 'openai-compatible', OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, INTERVIEWER_MODEL: 'local-model' },
        allowNetwork: true,
      });
      expect(run.code).toBe(0);
      expect(requests).toEqual(['POST /v1/chat/completions']);
      const state = readState(join(cwd, 'fallback.state.json'));
      const reply = state.turns[2];
      expect(state.turnMeta.find((meta) => meta.turnId === 3)).toMatchObject({ engine: 'offline', fallbackFrom: 'openai-compatible' });
      expect(reply?.text).toContain(problems.get('fraud-detection')?.facts.find((fact) => fact.id === 'transaction-volume')?.answer);
      expect(run.stdout).toContain(`interviewer> How would you\n[the model's reply broke off; the offline interviewer answers instead]\n${reply?.text}\n\n[interview ended`);
      expect(run.stderr).toContain('interviewer engine failed; the offline engine answers this turn');
      expect(run.stderr).not.toContain('How many transactions per second at peak?');
    } finally {
      server.close();
    }
  });

  it('prints the closing turn when the clock ends the interview', async () => {
    const cwd = workDir();
    const card = problems.get('fraud-detection');
    if (!card) throw new Error('no fraud card');
    const session = InterviewSession.start(
      { problem: card, engine: new OfflineInterviewer([]), fallback: new OfflineInterviewer([]), clock: () => new Date('2020-01-01T09:00:00.000Z'), clockScale: 2, maxMessageChars: 8000, logger: createLogger('silent') },
      { id: 'late-interview' },
    );
    // The wrap-up started long ago: the next message is past its time budget.
    saveInterview(join(cwd, 'late.json'), { ...session.state, phase: 'wrap_up', candidateTurnsInPhase: 1 });
    const run = await chat(['--resume', join(cwd, 'late.state.json')], { cwd, stdin: 'Sorry, I was away.\n', env: { LLM_PROVIDER: 'offline' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`interviewer> ${PHRASES.closing}\n\n[interview ended: time_up]`);
    expect(readState(join(cwd, 'late.state.json'))).toMatchObject({ ended: true, endReason: 'time_up' });
  });

  it('fails with exit code 2 and a clear message on an unknown problem', async () => {
    const cwd = workDir();
    const run = await chat(['--problem', 'no-such-problem'], { cwd, stdin: 'Hello.\n', env: { LLM_PROVIDER: 'offline' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`error (config_invalid): unknown problem "no-such-problem"; known problems: ${[...problems.keys()].join(', ')}\n`);
    expect(transcriptsIn(cwd)).toEqual([]);
  });
});
