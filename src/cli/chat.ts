import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createInterviewer } from '../agents/interviewer/create-interviewer.ts';
import { createEvaluator } from '../agents/evaluator/create-evaluator.ts';
import { loadConfig, loadDotEnv, ProviderSetting, type AppConfig } from '../config.ts';
import { evaluateTranscript } from '../evaluator/evaluate-transcript.ts';
import { OfflineEvaluator } from '../evaluator/offline/offline-evaluator-engine.ts';
import { renderScorecard } from '../evaluator/render/render-scorecard.ts';
import { toTranscript, type InterviewState } from '../interview/interview-state.ts';
import type { ProblemCard } from '../problems/problem-card.ts';
import type { Resources } from '../resources.ts';
import { interviewCostLine, scorecardSummary } from './scorecard-summary.ts';
import { interviewCost } from '../interview/interview-cost.ts';
import { AppError, ConfigError } from '../errors.ts';
import { loadInterviewForResume, saveInterview, transcriptFileFor } from '../interview/interview-file.ts';
import { InterviewSession } from '../interview/interview-session.ts';
import { checkBudget } from '../interview/phase-machine.ts';
import { createLogger } from '../logger.ts';
import { findProblem, loadResources } from '../resources.ts';
import { npmBannerHint, parseCommandLine, runCli } from './cli-support.ts';
import { CHAT_HELP, isLeaveWord, parseChatCommand, phaseClock, statusText } from './terminal/chat-commands.ts';
import { enableBracketedPaste, readMessages } from './terminal/message-reader.ts';
import { ChatPrinter } from './terminal/chat-printer.ts';
import { WordWrapper } from './terminal/word-wrap.ts';

const USAGE = `Usage: npm run chat -- [options]

Runs a Principal-level ML system design interview in the terminal.

Options:
  --problem ID        problem to use (default: random). See references/problems/.
  --provider P        auto | openai | anthropic | openai-compatible | offline (default: LLM_PROVIDER or auto)
  --transcript FILE   where to write the transcript (default: DATA_DIR/transcripts/<id>.json)
  --resume FILE       continue an interview from a saved transcript
  --name NAME         the candidate's name, used only to greet them
  --dump-request      print the provider request for the interviewer's next turn, without sending it
  --no-evaluate       do not score the interview when it ends
  --help              show this help

Type one message per line; a pasted block of lines is one message. /end (or /quit) ends the interview,
/status shows the phase and its clock, /help lists the commands. When stdin is not a terminal, each
line is one candidate message and end of input ends the interview.`;

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine({
    command: 'chat',
    options: {
      problem: { type: 'string' },
      provider: { type: 'string' },
      transcript: { type: 'string' },
      resume: { type: 'string' },
      name: { type: 'string' },
      'dump-request': { type: 'boolean', default: false },
      'no-evaluate': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positionals.length > 0) {
    const hint = values.problem === undefined ? `did you mean npm run chat -- --problem ${positionals[0]}?` : 'options start with -- (see npm run chat -- --help)';
    throw new ConfigError(`unexpected argument "${positionals.join(' ')}": ${hint}`);
  }
  if (values.provider && !ProviderSetting.safeParse(values.provider).success) throw new ConfigError(`--provider: must be one of ${ProviderSetting.options.join(', ')}`);
  loadDotEnv();
  const dumpOnly = values['dump-request'];
  // --dump-request must work for any provider without a key: nothing is sent.
  const config = loadConfig(dumpOnly && values.provider ? { ...process.env, LLM_PROVIDER: 'offline' } : process.env, dumpOnly ? {} : { provider: values.provider });
  const resources = loadResources();
  const logger = createLogger(config.env.LOG_LEVEL === 'info' ? 'warn' : config.env.LOG_LEVEL, process.stderr);
  const provider = dumpOnly && values.provider ? (ProviderSetting.parse(values.provider) as Exclude<ProviderSetting, 'auto'>) : config.provider;
  if (provider === ('auto' as string)) throw new ConfigError('--provider auto cannot be used with --dump-request: name the provider');
  const engines = createInterviewer(config, resources, { provider, dumpOnly });

  const now = () => new Date();
  // A new interview's id says when it began (so a folder of transcripts lists in order) and names its
  // transcript file, as the README and the report do; the random tail keeps two started in one second apart.
  const newId = `${now().toISOString().slice(0, 19).replace(/:/g, '-')}-${randomBytes(3).toString('hex')}`;
  const resumed = values.resume ? loadInterviewForResume(resolve(values.resume), now()) : null;
  const problemIds = [...resources.problems.keys()];
  const problemId = resumed?.problemId ?? values.problem ?? problemIds[Math.floor(Math.random() * problemIds.length)];
  const problem = findProblem(resources, problemId as string);
  if (values.problem && resumed && values.problem !== resumed.problemId) throw new ConfigError(`--problem ${values.problem} does not match the resumed interview's problem ${resumed.problemId}`);

  // Resuming from a state file keeps writing to its transcript: writing the transcript over the state file would lose the state.
  const transcriptPath = resolve(values.transcript ?? (values.resume ? transcriptFileFor(values.resume) : undefined) ?? join(config.env.DATA_DIR, 'transcripts', `${resumed?.id ?? newId}.json`));
  const out = process.stdout;
  const deps = {
    problem,
    engine: engines.engine,
    fallback: engines.fallback,
    clock: now,
    clockScale: config.env.INTERVIEW_CLOCK_SCALE,
    maxMessageChars: config.env.MAX_MESSAGE_CHARS,
    logger,
    persist: (state: Parameters<typeof saveInterview>[1]) => saveInterview(transcriptPath, state),
  };
  const session = resumed ? new InterviewSession(resumed, deps) : InterviewSession.start(deps, { id: newId, ...(values.name ? { candidate: { name: values.name } } : {}) });

  if (dumpOnly) {
    const bannerHint = npmBannerHint('chat', Boolean(process.stdout.isTTY));
    if (bannerHint) process.stderr.write(bannerHint);
    if (!engines.llm) {
      process.stdout.write(`${JSON.stringify({ provider: 'offline', note: 'the offline engine sends no provider request' }, null, 2)}\n`);
      await flushStdout();
      return;
    }
    const state = session.state;
    const at = now();
    const request = engines.llm.describeNextRequest({ state, problem, now: at, budget: checkBudget(state, at, config.env.INTERVIEW_CLOCK_SCALE), forcedTransition: null });
    process.stdout.write(`${JSON.stringify({ provider, request }, null, 2)}\n`);
    await flushStdout();
    return;
  }

  out.write(`mlsd-interviewer: ${problem.title} (${problem.id}), interviewer engine: ${engines.engine.name}${engines.llm ? ` [${config.providerReason}]` : ''}\n`);
  out.write(`Transcript: ${transcriptPath}\nType /help for the commands, /end to finish.\n\n`);
  if (!resumed) saveInterview(transcriptPath, session.state);
  const interactive = Boolean(process.stdin.isTTY);
  const printer = new ChatPrinter(out, { width: () => (process.stdout.isTTY ? process.stdout.columns : undefined), echoCandidate: !interactive });
  const print = printer.print;
  const note = (text: string) => printer.note(text);
  const lastInterviewer = session.state.turns.findLast((turn) => turn.role === 'interviewer');
  if (lastInterviewer) printer.interviewerTurn(lastInterviewer.text);

  // A resumed interview whose last candidate message was stored but never answered (the process stopped mid-turn) is answered first.
  if (session.awaitingReply) {
    printer.startReply();
    await session.replyToPending(print);
  }
  // Created only now: readline drops lines that arrive before anything listens to it.
  // In a terminal readline owns the input line (echo, editing, the prompt); piped input is read silently.
  const lines = interactive ? createInterface({ input: process.stdin, output: out, terminal: true }) : createInterface({ input: process.stdin, terminal: false });
  const pasteOff = interactive && process.stdout.isTTY ? enableBracketedPaste(process.stdout) : () => {};
  const clockScale = config.env.INTERVIEW_CLOCK_SCALE;
  // The prompt carries the phase clock, so the candidate sees their time without asking for it.
  const prompt = () => {
    if (!interactive || session.ended) return;
    lines.setPrompt(`you [${phaseClock(session.state, now(), clockScale)}]> `);
    lines.prompt();
  };
  // A bare "quit" may be an answer ("I'd quit the batch job"), or a wish to leave: it is held back once
  // with a note on how to end; the same word sent again right after goes to the interviewer.
  let heldLeaveWord: string | null = null;
  prompt();
  reading: for await (const message of readMessages(lines, process.stdin)) {
    if (session.ended) break;
    const text = message.trim();
    if (text === '') {
      prompt();
      continue;
    }
    const command = parseChatCommand(text);
    if (command) {
      if (!interactive) out.write(`candidate> ${text}\n`);
      switch (command.type) {
        case 'end':
          await session.endByCandidate(print);
          break reading;
        case 'help':
          out.write(`${CHAT_HELP}\n\n`); // laid out by hand, in columns
          break;
        case 'status':
          note(statusText(session.state, now(), clockScale));
          break;
        case 'unknown':
          note(`[${command.text} is not a command and was not sent; /help lists the commands]`);
          break;
        default: {
          const unreachable: never = command;
          throw new Error(`unknown command ${JSON.stringify(unreachable)}`);
        }
      }
      prompt();
      continue;
    }
    if (isLeaveWord(text) && heldLeaveWord !== text.toLowerCase()) {
      heldLeaveWord = text.toLowerCase();
      if (!interactive) out.write(`candidate> ${text}\n`);
      note(`[not sent: to end the interview type /quit (or /end); to give "${text}" as your answer, send it again]`);
      prompt();
      continue;
    }
    heldLeaveWord = null;
    try {
      await session.candidateSays(message, print);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      out.write(`[not sent: ${error.message}]\n`);
    }
    if (session.ended) break;
    prompt();
  }
  lines.close();
  pasteOff();
  if (!session.ended) {
    // Ctrl-D or Ctrl-C in a terminal leaves the cursor on the prompt line.
    if (interactive) out.write('\n');
    await session.endByCandidate(print);
  }
  const phases = session.state.turns.at(-1)?.phase;
  out.write(`\nTranscript written to ${transcriptPath} (${session.state.turns.length} turns, last phase ${phases}).\n`);
  const cost = interviewCost(session.state);
  if (cost.usage.inputTokens > 0) out.write(`${interviewCostLine(cost)}\n`);
  if (!values['no-evaluate']) await scoreInterview(session.state, transcriptPath, { config, resources, problem, out, width: process.stdout.isTTY ? process.stdout.columns : undefined });
  else out.write(`Score it with: npm run evaluate -- ${transcriptPath}\n`);
  await flushStdout();
}

/**
 * Scores the finished interview with the configured evaluator and writes the HTML report beside the
 * transcript. If the provider fails, the offline evaluator scores it instead, and says so.
 */
async function scoreInterview(state: InterviewState, transcriptPath: string, context: { config: AppConfig; resources: Resources; problem: ProblemCard; out: NodeJS.WritableStream; width: number | undefined }): Promise<void> {
  const { config, resources, problem, out } = context;
  out.write('\nScoring the interview...\n');
  const options = { problem, notes: state.notes, integrityFlags: state.integrityFlags, samples: config.env.EVALUATOR_SAMPLES, prices: config.prices };
  let evaluation;
  try {
    evaluation = await evaluateTranscript(toTranscript(state), { ...options, engine: createEvaluator(config, resources) });
  } catch (error) {
    // The transcript is already saved; a failing evaluator must not cost the candidate their feedback.
    out.write(`[the evaluator failed (${error instanceof Error ? error.message : String(error)}); the offline evaluator scores it instead]\n`);
    evaluation = await evaluateTranscript(toTranscript(state), { ...options, engine: new OfflineEvaluator({ guideVersion: resources.guide.version }) });
  }
  const reportPath = transcriptPath.replace(/(\.json)?$/, '.report.html');
  writeFileSync(reportPath, renderScorecard('html', evaluation.scorecard, evaluation.gradedTranscript, { interviewCost: interviewCost(state) }));
  // The feedback is a paragraph: it wraps at words like the replies (the rating rows are short enough to keep their columns).
  const wrapper = new WordWrapper(context.width);
  out.write(`\n${wrapper.write(scorecardSummary(evaluation.scorecard))}${wrapper.flush()}\n\nFull report with evidence linked to the transcript: ${reportPath}\n`);
}

/**
 * Resolves once everything written to stdout so far has reached the OS. runCli exits the process as soon
 * as main resolves, and a piped stdout whose reader is slow still holds queued writes then: without this
 * the end of the conversation (or of a --dump-request) is silently cut off.
 */
function flushStdout(): Promise<void> {
  return new Promise((resolve) => {
    process.stdout.write('', () => resolve());
  });
}

runCli(main);
