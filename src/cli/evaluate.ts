import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createEvaluator } from '../agents/evaluator/create-evaluator.ts';
import { LlmEvaluator } from '../agents/evaluator/llm-evaluator.ts';
import { loadConfig, loadDotEnv, ProviderSetting, type ResolvedProvider } from '../config.ts';
import { ConfigError, InvalidFileError, formatIssues } from '../errors.ts';
import { blindTranscript } from '../evaluator/redaction.ts';
import { findIntegrityIssues, neutraliseIntegrityIssues } from '../evaluator/integrity.ts';
import { evaluateTranscript } from '../evaluator/evaluate-transcript.ts';
import { renderScorecard, type ReportFormat } from '../evaluator/render/render-scorecard.ts';
import { readJsonFile } from '../interview/interview-file.ts';
import { InterviewState, toTranscript, type InterviewerFlag, type InterviewerNote } from '../interview/interview-state.ts';
import { loadResources } from '../resources.ts';
import { Transcript } from '../transcript/transcript.ts';
import { npmBannerHint, parseCommandLine, parseSamplesOption, runCli } from './cli-support.ts';

const USAGE = `Usage: npm run evaluate -- FILE [options]

Scores an interview transcript (the shared transcript JSON, or a chat .state.json) on the 8-dimension rubric.

Options:
  --provider P       auto | openai | anthropic | openai-compatible | offline (default: LLM_PROVIDER or auto)
  --samples K        run K independent evaluations (1-9) and aggregate them: the median rating, agreement
                     as confidence (default EVALUATOR_SAMPLES, 3; the offline evaluator runs once)
  --format F         json | md | html (default json)
  --out FILE         write the report to FILE instead of standard output
  --dump-request     print the provider request(s) it would send, without sending
  --record DIR       store provider responses in DIR, keyed by a hash of the request
  --replay DIR       answer from responses stored in DIR (no network)
  --help             show this help`;

const FORMATS = ['json', 'md', 'html'] as const;

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine({
    command: 'evaluate',
    options: {
      provider: { type: 'string' },
      samples: { type: 'string' },
      format: { type: 'string', default: 'json' },
      out: { type: 'string' },
      'dump-request': { type: 'boolean', default: false },
      record: { type: 'string' },
      replay: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const file = positionals[0];
  if (!file) throw new ConfigError('expected a transcript file: npm run evaluate -- FILE [options] (see --help)');
  if (positionals.length > 1) {
    // Under npm without `--`, npm keeps the options for itself and passes their values on as arguments.
    const npmHint = process.env.npm_lifecycle_event === 'evaluate' ? '; npm keeps options written before -- for itself: npm run evaluate -- FILE --format md' : '';
    throw new ConfigError(`expected one transcript file, got ${positionals.length} arguments (${positionals.join(', ')})${npmHint}`);
  }
  if (!(FORMATS as readonly string[]).includes(values.format)) throw new ConfigError(`--format: one of ${FORMATS.join(', ')}`);
  if (values.record && values.replay) throw new ConfigError('--record and --replay cannot be used together');
  if (values.provider && !ProviderSetting.safeParse(values.provider).success) throw new ConfigError(`--provider: must be one of ${ProviderSetting.options.join(', ')}`);

  loadDotEnv();
  const needsNoKey = values['dump-request'] || Boolean(values.replay);
  const config = loadConfig(needsNoKey && values.provider ? { ...process.env, LLM_PROVIDER: 'offline' } : process.env, needsNoKey ? {} : { provider: values.provider });
  const provider = (needsNoKey && values.provider ? values.provider : config.provider) as ResolvedProvider;
  const samples = parseSamplesOption(values.samples, config.env.EVALUATOR_SAMPLES);
  if (provider === ('auto' as string)) throw new ConfigError('--provider auto cannot be used with --dump-request or --replay: name the provider');
  const resources = loadResources();
  const { transcript, notes, integrityFlags } = readInterview(resolve(file));
  const problem = resources.problems.get(transcript.problem) ?? null;
  const engine = createEvaluator(config, resources, { provider, dumpOnly: values['dump-request'], ...(values.record ? { record: values.record } : {}), ...(values.replay ? { replay: values.replay } : {}) });

  if (values['dump-request']) {
    if (!(engine instanceof LlmEvaluator)) {
      process.stdout.write(`${JSON.stringify({ provider: 'offline', note: 'the offline evaluator sends no provider request' }, null, 2)}\n`);
      return;
    }
    const blind = blindTranscript(transcript).transcript;
    const graded = neutraliseIntegrityIssues(blind, findIntegrityIssues(blind));
    const request = engine.describeRequest({ transcript: graded, problem, notes });
    process.stdout.write(`${JSON.stringify({ provider, samples, note: samples > 1 ? `${samples} requests are sent, the first alone and then the rest at once; they are identical up to the end of the transcript and differ only in the sample number after it` : undefined, request }, null, 2)}\n`);
    return;
  }

  const { scorecard, gradedTranscript } = await evaluateTranscript(transcript, { engine, problem, notes, integrityFlags, samples, prices: config.prices });
  const report = renderScorecard(values.format as ReportFormat, scorecard, gradedTranscript);
  if (values.out) {
    writeFileSync(resolve(values.out), report);
    process.stderr.write(`Wrote ${values.format} report to ${resolve(values.out)}: recommendation ${scorecard.recommendation} (${scorecard.meta.engine}${scorecard.meta.heuristic ? ', heuristic' : ''}).\n`);
  } else {
    const hint = npmBannerHint('evaluate', Boolean(process.stdout.isTTY));
    if (hint) process.stderr.write(hint);
    process.stdout.write(report);
  }
}

/** Reads a shared transcript, or a chat state file (which also carries the interviewer's notes and integrity flags). */
function readInterview(path: string): { transcript: Transcript; notes: InterviewerNote[]; integrityFlags: InterviewerFlag[] } {
  const raw = readJsonFile(path);
  if (typeof raw === 'object' && raw !== null && 'schemaVersion' in raw) {
    const state = InterviewState.safeParse(raw);
    if (!state.success) throw new InvalidFileError(path, formatIssues(state.error.issues));
    return { transcript: toTranscript(state.data), notes: state.data.notes, integrityFlags: state.data.integrityFlags };
  }
  const transcript = Transcript.safeParse(raw);
  if (!transcript.success) throw new InvalidFileError(path, `not a transcript in the shared format: ${formatIssues(transcript.error.issues)}`);
  return { transcript: transcript.data, notes: [], integrityFlags: [] };
}

runCli(main);
